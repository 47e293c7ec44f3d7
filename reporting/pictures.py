"""Checking report pictures by content and re-encoding them: EXIF (GPS included) stripped, thumbnails made."""

import io
import warnings
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

DEFAULT_MAX_BYTES = 10 * 1024 * 1024
DEFAULT_MAX_PICTURES = 20
THUMBNAIL_SIZE = (480, 480)
# Formats accepted, by what Pillow finds in the bytes (never by the file name): name, MIME type, file extension.
FORMATS = {"JPEG": ("image/jpeg", ".jpg"), "PNG": ("image/png", ".png"), "WEBP": ("image/webp", ".webp")}


def max_picture_bytes() -> int:
    return int(getattr(settings, "REPORT_MAX_PICTURE_BYTES", DEFAULT_MAX_BYTES))


def max_pictures() -> int:
    return int(getattr(settings, "REPORT_MAX_PICTURES", DEFAULT_MAX_PICTURES))


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
    # Turn the pixels upright first, since the orientation tag goes with the rest of the EXIF.
    image = ImageOps.exif_transpose(image)
    content = _encode(image, fmt)
    thumb = image.copy()
    thumb.thumbnail(THUMBNAIL_SIZE)
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


def _flatten(image: Image.Image) -> Image.Image:
    if image.mode in ("RGBA", "LA") or (image.mode == "P" and "transparency" in image.info):
        image = image.convert("RGBA")
        background = Image.new("RGB", image.size, (255, 255, 255))
        background.paste(image, mask=image.getchannel("A"))
        return background
    return image.convert("RGB") if image.mode != "RGB" else image


def _encode(image: Image.Image, fmt: str) -> bytes:
    """Write pixels only: Pillow adds EXIF/XMP only when asked, and the info dict is emptied to be sure."""
    keep = {key: image.info[key] for key in ("transparency",) if key in image.info}
    image = image.copy()
    image.info = keep
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
