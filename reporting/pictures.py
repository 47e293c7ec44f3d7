"""Checking report pictures by content and re-encoding them: EXIF (GPS included) stripped, thumbnails made."""

import io
import math
import uuid
import warnings
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

# Pillow decodes WebP through libwebp's full-size canvases, about 16 bytes a pixel while loading: a lower ceiling.
WEBP_MAX_PIXELS = 16_000_000
# Originals are stored with at most this long side: enough to print the page full width, a fraction of the bytes.
MAX_SIDE = 4096
THUMBNAIL_SIZE = (480, 480)
BAND_ROWS = 256
# Formats accepted, by what Pillow finds in the bytes (never by the file name): name, MIME type, file extension.
FORMATS = {"JPEG": ("image/jpeg", ".jpg"), "PNG": ("image/png", ".png"), "WEBP": ("image/webp", ".webp")}


def max_picture_bytes() -> int:
    """The largest upload accepted for one picture (settings.REPORT_MAX_PICTURE_BYTES)."""
    return settings.REPORT_MAX_PICTURE_BYTES


def max_pictures() -> int:
    """How many pictures one report may hold (settings.REPORT_MAX_PICTURES)."""
    return settings.REPORT_MAX_PICTURES


def max_picture_pixels() -> int:
    """How many pixels one picture may decode to (settings.REPORT_MAX_PICTURE_PIXELS; 40 MP by default)."""
    return settings.REPORT_MAX_PICTURE_PIXELS


@dataclass
class CheckedPicture:
    """A picture that passed the checks, re-encoded and ready to store."""

    name: str
    content: bytes
    thumbnail: bytes
    content_type: str
    extension: str
    width: int
    height: int
    caption: str = ""

    def save_files(self, picture, saved: list[str]) -> None:
        """Write the picture and its thumbnail to picture's image and thumbnail fields under one fresh name (the row
        is the caller's to save); each stored name goes to saved, for removal if the transaction rolls back."""
        base = uuid.uuid4().hex
        picture.image.save(f"{base}{self.extension}", ContentFile(self.content), save=False)
        saved.append(picture.image.name)
        picture.thumbnail.save(f"{base}-thumb.jpg", ContentFile(self.thumbnail), save=False)
        saved.append(picture.thumbnail.name)


def _read(upload) -> bytes:
    upload.seek(0)
    data = upload.read()
    upload.seek(0)
    return data


def check_picture(upload, caption: str = "") -> CheckedPicture:
    """Check an uploaded file by content and return it re-encoded without metadata; ValidationError in Chinese."""
    name = getattr(upload, "name", "") or _("图片")
    limit = max_picture_bytes()
    size = getattr(upload, "size", None)
    if size is not None and size > limit:
        raise ValidationError(
            _("“%(name)s”太大（%(size)s），每张图片不能超过 %(limit)s。")
            % {"name": name, "size": filesizeformat(size), "limit": filesizeformat(limit)}
        )
    data = _read(upload)
    if len(data) > limit:
        raise ValidationError(
            _("“%(name)s”太大（%(size)s），每张图片不能超过 %(limit)s。")
            % {"name": name, "size": filesizeformat(len(data)), "limit": filesizeformat(limit)}
        )
    bomb = _("“%(name)s”的像素尺寸过大，疑似压缩炸弹，已拒绝。") % {"name": name}
    try:
        with warnings.catch_warnings():
            # Pillow only warns between MAX_IMAGE_PIXELS and twice that: refuse those too.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
            fmt = image.format
            if fmt not in FORMATS:
                raise ValidationError(
                    _("“%(name)s”不是 JPEG、PNG 或 WebP 图片（检测到 %(fmt)s）。") % {"name": name, "fmt": fmt or "?"}
                )
            # Refuse by the header's size before a single pixel is decoded.
            _check_pixels(image, name)
            if fmt == "JPEG":
                # Decode at 1/2, 1/4 or 1/8 scale when the stored size needs no more: a fraction of the memory.
                image.draft(None, _fit(image.size, (MAX_SIDE, MAX_SIDE)))
            image.load()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise ValidationError(bomb) from exc
    except ValidationError:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise ValidationError(
            _("“%(name)s”不是有效的图片文件，请上传 JPEG、PNG 或 WebP 图片。") % {"name": name}
        ) from exc
    content_type, extension = FORMATS[fmt]
    # Bound first (in place: the full-size pixels are freed), then turn the pixels upright, since the orientation tag
    # goes with the rest of the EXIF; in place again, so no second full copy is held.
    image = _resized(image, _fit(image.size, (MAX_SIDE, MAX_SIDE)))
    ImageOps.exif_transpose(image, in_place=True)
    thumb = _resized(image, _fit(image.size, THUMBNAIL_SIZE))
    content = _encode(image, fmt)
    return CheckedPicture(
        name=name,
        content=content,
        thumbnail=_encode(_flatten(thumb), "JPEG"),
        content_type=content_type,
        extension=extension,
        width=image.width,
        height=image.height,
        caption=caption.strip()[:200],
    )


def _check_pixels(image: Image.Image, name: str) -> None:
    """Refuse a picture with more pixels than one upload may cost, by its header (nothing decoded yet)."""
    width, height = image.size
    limit = max_picture_pixels()
    values = {"name": name, "width": width, "height": height}
    if image.format == "WEBP" and width * height > min(limit, WEBP_MAX_PIXELS):
        raise ValidationError(
            _("“%(name)s”的像素尺寸过大（%(width)s×%(height)s），WebP 图片不能超过 %(limit)s 万像素，请缩小后再上传。")
            % {**values, "limit": f"{min(limit, WEBP_MAX_PIXELS) / 10_000:g}"}
        )
    if width * height > limit:
        raise ValidationError(
            _("“%(name)s”的像素尺寸过大（%(width)s×%(height)s），每张图片不能超过 %(limit)s 万像素，请缩小后再上传。")
            % {**values, "limit": f"{limit / 10_000:g}"}
        )


def _fit(size: tuple[int, int], box: tuple[int, int]) -> tuple[int, int]:
    """The size within box keeping the aspect ratio; never larger than size."""
    width, height = size
    scale = min(box[0] / width, box[1] / height, 1)
    return max(1, round(width * scale)), max(1, round(height * scale))


def _resized(image: Image.Image, size: tuple[int, int]) -> Image.Image:
    """The image scaled to size (Lanczos), a band of rows at a time; the image itself when it has that size already.

    One call to resize would hold a premultiplied copy of a picture with alpha and a full-height intermediate of every
    picture: twice the decoded picture again. Each band is scaled from its own rows plus the filter's reach beyond
    them, so the result is the same as one resize.
    """
    if size == image.size:
        return image
    if image.mode in ("1", "P"):
        return image.resize(size, Image.Resampling.NEAREST)  # what resize does for these modes anyway
    out = Image.new(image.mode, size)
    out.info = image.info
    scale = image.height / size[1]
    reach = math.ceil(3 * max(scale, 1)) + 2  # Lanczos looks 3 output pixels either way
    for top in range(0, size[1], BAND_ROWS):
        bottom = min(top + BAND_ROWS, size[1])
        first, last = top * scale, bottom * scale
        crop_top = max(0, math.floor(first) - reach)
        band = image.crop((0, crop_top, image.width, min(image.height, math.ceil(last) + reach)))
        box = (0, first - crop_top, image.width, last - crop_top)
        out.paste(band.resize((size[0], bottom - top), Image.Resampling.LANCZOS, box=box), (0, top))
    return out


def _flatten(image: Image.Image) -> Image.Image:
    if image.mode in ("RGBA", "LA") or (image.mode == "P" and "transparency" in image.info):
        image = image.convert("RGBA")
        background = Image.new("RGB", image.size, (255, 255, 255))
        background.paste(image, mask=image.getchannel("A"))
        return background
    return image.convert("RGB") if image.mode != "RGB" else image


def _encode(image: Image.Image, fmt: str) -> bytes:
    """Write pixels only: Pillow adds EXIF/XMP only when asked, and the info dict is emptied to be sure.

    The image's own info is emptied (it is ours, and copying the pixels to spare it would double the memory).
    """
    image.info = {key: image.info[key] for key in ("transparency",) if key in image.info}
    out = io.BytesIO()
    if fmt == "JPEG":
        _flatten(image).save(out, "JPEG", quality=88, optimize=True)
    elif fmt == "PNG":
        image.save(out, "PNG")
    else:
        if image.mode not in ("RGB", "RGBA"):
            image = image.convert("RGBA" if "A" in image.getbands() else "RGB")
        image.save(out, "WEBP", quality=85)
    return out.getvalue()
