"""Guards no other test pinned: the local date at dawn, the subtree filter after a move, pictures' metadata reset."""

import datetime
import io
import re

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from PIL import Image, PngImagePlugin

from reporting.models import DailyReport
from reporting.pictures import check_picture
from reporting.services import status as services

from .conftest import DAY1, at, item, upload
from .test_report_form import form_data

DAY2 = DAY1 + datetime.timedelta(days=1)
GPS_IFD = 0x8825
XMP = (
    b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
    b'<rdf:Description xmlns:exif="http://ns.adobe.com/exif/1.0/" exif:GPSLatitude="32,3.5N"/></rdf:RDF></x:xmpmeta>'
)


# -- the local date at 07:30 Beijing time (23:30 UTC the day before) ------------------------------------------------


def test_local_today_at_0730_shanghai_is_that_day_not_the_utc_day_before(travel):
    now = travel(at(DAY2, 7, 30))

    assert now.astimezone(datetime.UTC).date() == DAY1  # the UTC date is still the day before
    assert services.local_today() == DAY2
    assert services.local_today(now) == DAY2


def test_a_report_for_today_filed_at_0730_shanghai_is_accepted(demo, client_for, travel):
    travel(at(DAY2, 7, 30))
    edit = reverse("reporting:report_edit", args=["2020-jiangsu", "320100", "2020-06-30"])

    response = client_for(demo.user("nanjing_reporter")).post(edit, form_data())

    assert response.status_code == 302
    assert response["Location"] == "/reporting/2020-jiangsu/r/320100/2020-06-30/"
    report = DailyReport.objects.get()
    assert (report.day, report.version, report.first_submitted_at) == (DAY2, 1, at(DAY2, 7, 30))


# -- a reporting city moved to another province ----------------------------------------------------------------------


@pytest.fixture
def nanjing_moved_to_jiangxi(demo, submit, travel):
    """Nanjing and Wuxi file on day 1; then Nanjing is moved under Jiangxi (still a reporting org of the week)."""
    travel(at(DAY1, 15, 0))
    submit("320100", items=[item("南京启动会")])
    submit("320200", items=[item("无锡讲座", kind="lecture")])
    nanjing = demo.org("320100")
    nanjing.parent = demo.org("360000")
    nanjing.save()
    assert demo.jiangsu.report_orgs.filter(code="320100").exists()
    travel(at(DAY2, 9, 0))
    return nanjing


JIANGSU_CITIES_BUT_NANJING = [
    "320200", "320300", "320400", "320500", "320600", "320700", "320800", "320900", "321000", "321100", "321200",
    "321300",
]  # fmt: skip


def test_the_old_provinces_dashboard_drops_a_city_moved_away(demo, client_for, nanjing_moved_to_jiangxi):
    response = client_for(demo.user("jiangsu_reviewer")).get(reverse("reporting:dashboard", args=["2020-jiangsu"]))

    assert response.status_code == 200
    assert re.findall(r'<tr data-org="(\d+)">', response.content.decode()) == JIANGSU_CITIES_BUT_NANJING


def test_the_old_provinces_exports_drop_a_city_moved_away(demo, client_for, nanjing_moved_to_jiangxi):
    client = client_for(demo.user("jiangsu_reviewer"))

    grid = load_workbook(io.BytesIO(client.get(reverse("reporting:export_grid", args=["2020-jiangsu"])).content))
    items = load_workbook(io.BytesIO(client.get(reverse("reporting:export_items", args=["2020-jiangsu"])).content))

    names = [row[0] for row in grid["报送情况"].iter_rows(min_row=3, max_row=14, values_only=True)]
    assert names == ["无锡", "徐州", "常州", "苏州", "南通", "连云港", "淮安", "盐城", "扬州", "镇江", "泰州", "宿迁"]
    assert "南京" not in [row[0] for row in grid["报送情况"].iter_rows(values_only=True)]
    rows = [(row[0], row[6]) for row in items["活动明细"].iter_rows(min_row=3, values_only=True)]
    assert rows == [("无锡", "无锡讲座")]


# -- pictures' metadata: neither EXIF (GPS) nor XMP comes out ----------------------------------------------------------


def _exif_with_gps() -> Image.Exif:
    exif = Image.Exif()
    exif[0x010F] = "TestCam"
    exif.get_ifd(GPS_IFD).update({1: "N", 2: (32.0, 3.0, 30.0), 3: "E", 4: (118.0, 47.0, 0.0)})
    return exif


def _png_with_metadata() -> bytes:
    text = PngImagePlugin.PngInfo()
    text.add_itxt("XML:com.adobe.xmp", XMP.decode())
    out = io.BytesIO()
    Image.new("RGB", (64, 48), (31, 122, 77)).save(out, "PNG", exif=_exif_with_gps(), pnginfo=text)
    return out.getvalue()


def _webp_with_metadata() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (64, 48), (31, 122, 77)).save(out, "WEBP", exif=_exif_with_gps(), xmp=XMP)
    return out.getvalue()


@pytest.mark.parametrize(
    ("name", "make", "fmt", "xmp_key"),
    [("gps.png", _png_with_metadata, "PNG", "XML:com.adobe.xmp"), ("gps.webp", _webp_with_metadata, "WEBP", "xmp")],
)
def test_a_picture_carrying_gps_exif_and_xmp_comes_out_with_neither(name, make, fmt, xmp_key):
    original = Image.open(io.BytesIO(make()))
    assert original.getexif().get_ifd(GPS_IFD)[1] == "N"  # the test picture really carries a position
    assert "GPSLatitude" in str(original.info[xmp_key])  # and XMP naming it

    checked = check_picture(upload(name, make()))

    for data, out_fmt in ((checked.content, fmt), (checked.thumbnail, "JPEG")):
        cleaned = Image.open(io.BytesIO(data))
        assert cleaned.format == out_fmt
        assert dict(cleaned.getexif()) == {}
        assert cleaned.getexif().get_ifd(GPS_IFD) == {}
        assert sorted(set(cleaned.info) & {"exif", "xmp", "XML:com.adobe.xmp"}) == []
        assert (b"TestCam" in data, b"GPSLatitude" in data, b"xmpmeta" in data) == (False, False, False)
