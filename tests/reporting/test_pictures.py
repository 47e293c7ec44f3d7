"""Pictures are checked by content, re-encoded without EXIF, made into thumbnails and kept private."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from PIL import Image

from reporting.pictures import check_picture

from .conftest import DAY1, at, image_bytes, item, upload

GPS_IFD = 0x8825


def exif_with_gps() -> bytes:
    exif = Image.Exif()
    exif[0x010F] = "TestCam"  # Make
    exif[0x0132] = "2020:06:29 10:00:00"
    exif.get_ifd(GPS_IFD).update({1: "N", 2: (32.0, 3.0, 30.0), 3: "E", 4: (118.0, 47.0, 0.0)})
    return exif.tobytes()


def test_a_png_renamed_jpg_passes_and_stays_a_png():
    checked = check_picture(upload("活动.jpg", image_bytes("PNG"), "image/jpeg"))
    assert (checked.content_type, checked.extension, checked.width, checked.height) == ("image/png", ".png", 64, 48)
    assert Image.open(io.BytesIO(checked.content)).format == "PNG"


def test_a_text_file_renamed_jpg_fails_with_its_name():
    with pytest.raises(ValidationError) as info:
        check_picture(upload("通知.jpg", "这不是图片".encode(), "image/jpeg"))
    assert info.value.messages == ["“通知.jpg”不是有效的图片文件，请上传 JPEG、PNG 或 WebP 图片。"]


def test_a_gif_is_refused_by_content():
    with pytest.raises(ValidationError) as info:
        check_picture(upload("a.png", image_bytes("GIF"), "image/png"))
    assert info.value.messages == ["“a.png”不是 JPEG、PNG 或 WebP 图片（检测到 GIF）。"]


def test_exif_gps_is_gone_after_the_check():
    original = image_bytes("JPEG", exif=exif_with_gps())
    assert Image.open(io.BytesIO(original)).getexif().get_ifd(GPS_IFD)  # the test photo really has a position
    checked = check_picture(upload("gps.jpg", original))
    cleaned = Image.open(io.BytesIO(checked.content))
    assert dict(cleaned.getexif()) == {}
    assert cleaned.getexif().get_ifd(GPS_IFD) == {}
    assert b"Exif" not in checked.content
    assert b"TestCam" not in checked.content
    assert b"TestCam" not in checked.thumbnail


def test_exif_is_gone_from_webp_too():
    checked = check_picture(upload("gps.webp", image_bytes("WEBP", exif=exif_with_gps()), "image/webp"))
    assert checked.content_type == "image/webp"
    assert b"TestCam" not in checked.content
    assert dict(Image.open(io.BytesIO(checked.content)).getexif()) == {}


def test_a_thumbnail_is_made_within_480_pixels():
    checked = check_picture(upload("big.png", image_bytes("PNG", size=(1600, 900)), "image/png"))
    thumb = Image.open(io.BytesIO(checked.thumbnail))
    assert (thumb.format, thumb.size) == ("JPEG", (480, 270))
    assert (checked.width, checked.height) == (1600, 900)


def test_a_file_over_the_size_limit_is_refused(settings):
    settings.REPORT_MAX_PICTURE_BYTES = 1000
    data = _noisy_png()
    with pytest.raises(ValidationError) as info:
        check_picture(upload("大图.png", data, "image/png"))
    size = filesizeformat(len(data))
    assert info.value.messages == [f"“大图.png”太大（{size}），每张图片不能超过 1000\xa0字节。"]


def _noisy_png() -> bytes:
    import os

    image = Image.frombytes("RGB", (100, 100), os.urandom(100 * 100 * 3))
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def test_a_decompression_bomb_is_refused(monkeypatch):
    # Pillow's own guard, lowered so a small file stands for a huge one; both the warning band and the error count.
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 1000)
    for size in ((40, 40), (100, 100)):  # 1600 pixels: Pillow warns; 10000: Pillow raises
        with pytest.raises(ValidationError) as info:
            check_picture(upload("bomb.png", image_bytes("PNG", size=size), "image/png"))
        assert info.value.messages == ["“bomb.png”的像素尺寸过大，疑似压缩炸弹，已拒绝。"]


def test_a_report_holds_at_most_the_configured_number_of_pictures(demo, submit, travel, settings):
    settings.REPORT_MAX_PICTURES = 2
    travel(at(DAY1, 10, 0))
    with pytest.raises(ValidationError) as info:
        submit(items=[item("展览", pictures=[image_bytes(), image_bytes(), image_bytes()])])
    assert info.value.messages == ["每份报送最多 2 张图片，本次提交后将有 3 张，请删减后再提交。"]
    from reporting.models import DailyReport, ReportPicture

    assert ReportPicture.objects.count() == 0
    assert DailyReport.objects.filter(version__gt=0).count() == 0


def test_stored_pictures_live_outside_media_root(demo, submit, travel, settings):
    travel(at(DAY1, 10, 0))
    report = submit(items=[item("展览", pictures=[(image_bytes(), "展板")])])
    picture = report.pictures.get()
    path = picture.image.path
    assert not path.startswith(str(settings.MEDIA_ROOT))
    assert Image.open(path).format == "PNG"
    assert Image.open(picture.thumbnail.path).format == "JPEG"
    assert picture.caption == "展板"
