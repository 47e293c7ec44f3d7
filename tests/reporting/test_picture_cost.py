"""A legal picture is cheap: a pixel ceiling read from the header, JPEGs decoded reduced, originals stored bounded."""

import io
import random

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from PIL import Image, ImageChops

from reporting.forms import ItemForm
from reporting.management.commands.bench_reporting import peak_rss_mb, picture_bytes
from reporting.pictures import _resized, check_picture

from .conftest import upload


def smooth(fmt: str, size: tuple[int, int], mode: str = "RGB") -> bytes:
    return picture_bytes(fmt, size, mode)


def test_a_9400_pixel_square_png_of_a_few_hundred_kilobytes_is_refused_by_its_header():
    data = smooth("PNG", (9400, 9400))
    assert len(data) < 400 * 1024  # as small on disk as the one that cost a gigabyte

    peak, refused = peak_rss_mb(_refusal, upload("巨幅.png", data, "image/png"))

    assert refused == ["“巨幅.png”的像素尺寸过大（9400×9400），每张图片不能超过 4000 万像素，请缩小后再上传。"]
    assert peak < 50  # nothing decoded: 9400 × 9400 pixels would be 337 MB


def _refusal(uploaded):
    with pytest.raises(ValidationError) as info:
        check_picture(uploaded)
    return info.value.messages


def test_the_report_form_names_the_pictures_field_and_the_file_over_the_ceiling(settings):
    settings.REPORT_MAX_PICTURE_PIXELS = 1_000_000
    form = ItemForm(
        data={"title": "展览", "kind": "kickoff", "mode": "offline"},
        files={"pictures": [SimpleUploadedFile("展板.png", smooth("PNG", (1001, 1000)), "image/png")]},
    )

    assert not form.is_valid()
    assert form.errors["pictures"] == [
        "“展板.png”的像素尺寸过大（1001×1000），每张图片不能超过 100 万像素，请缩小后再上传。"
    ]
    assert form.fields["pictures"].label == "添加图片"


def test_a_webp_above_16_megapixels_is_refused_with_the_webp_ceiling():
    messages = _refusal(upload("a.webp", smooth("WEBP", (4001, 4000)), "image/webp"))

    assert messages == ["“a.webp”的像素尺寸过大（4001×4000），WebP 图片不能超过 1600 万像素，请缩小后再上传。"]


def test_a_picture_just_at_the_ceiling_is_accepted(settings):
    settings.REPORT_MAX_PICTURE_PIXELS = 1_000_000

    checked = check_picture(upload("a.png", smooth("PNG", (1000, 1000)), "image/png"))

    assert (checked.width, checked.height) == (1000, 1000)


@pytest.mark.parametrize(
    ("fmt", "mode", "size", "stored", "thumb"),
    [
        ("PNG", "RGBA", (6000, 2000), (4096, 1365), (480, 160)),
        ("JPEG", "RGB", (3000, 5000), (2458, 4096), (288, 480)),
        ("WEBP", "RGB", (4000, 4000), (4000, 4000), (480, 480)),
    ],
)
def test_an_original_is_stored_within_4096_pixels_and_keeps_its_format(fmt, mode, size, stored, thumb):
    checked = check_picture(upload(f"a.{fmt.lower()}", smooth(fmt, size, mode)))

    content = Image.open(io.BytesIO(checked.content))
    assert (content.format, content.mode, content.size, (checked.width, checked.height)) == (
        fmt,
        mode,
        stored,
        stored,
    )
    assert Image.open(io.BytesIO(checked.thumbnail)).size == thumb


@pytest.mark.parametrize("mode", ["RGB", "RGBA"])
def test_a_picture_scaled_a_band_at_a_time_matches_one_resize(mode):
    noise = Image.frombytes("RGB", (1500, 1300), random.Random(7).randbytes(1500 * 1300 * 3))
    image = Image.merge("RGBA", [*noise.split(), Image.linear_gradient("L").resize((1500, 1300))]).convert(mode)

    banded = _resized(image, (1000, 867))  # four bands of 256 rows

    whole = image.resize((1000, 867), Image.Resampling.LANCZOS)
    assert (banded.mode, banded.size) == (mode, (1000, 867))
    # The same pixels but for rounding: the last bit of the fixed-point weights, and colour under a nearly clear alpha
    # (un-premultiplied, a rounding of 1 in 20 becomes one of 12). No seam between bands.
    highest = [high for _low, high in ImageChops.difference(banded, whole).getextrema()]
    assert highest == ([1, 1, 1] if mode == "RGB" else [7, 12, 5, 1])


def test_a_large_jpeg_is_decoded_at_half_scale():
    # 8192 × 4096 decoded in full is 134 MB before scaling; at half scale it is the 34 MB stored picture.
    data = smooth("JPEG", (8192, 4096))

    peak, checked = peak_rss_mb(check_picture, upload("大合影.jpg", data))

    assert (checked.width, checked.height) == (4096, 2048)
    assert peak < 100


def test_bench_reporting_prints_an_upload_peak_within_300_mb():
    out = io.StringIO()

    call_command("bench_reporting", "--upload-only", stdout=out)

    values = dict(line.split("=", 1) for line in out.getvalue().splitlines())
    assert (values["upload_png_pixels"], values["upload_png_stored"]) == ("6324x6324", "4096x4096")
    assert (values["upload_jpeg_pixels"], values["upload_webp_pixels"]) == ("7745x5163", "4000x4000")
    assert int(values["upload_peak_mb"]) <= 300
