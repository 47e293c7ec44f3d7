"""QR codes of activities, decoded back with zxing-cpp."""

import io
import re
import xml.etree.ElementTree as ET

import pytest
import zxingcpp
from PIL import Image, ImageDraw

from eventweek.models import Activity, Week

SVG_NS = "{http://www.w3.org/2000/svg}"
SQUARE = re.compile(r"M(\d+),(\d+)H(\d+)V(\d+)H(\d+)z")


def decode_png(content: bytes) -> list[str]:
    return [result.text for result in zxingcpp.read_barcodes(Image.open(io.BytesIO(content)))]


def decode_svg(svg: str, scale: int = 8) -> list[str]:
    """Draw the path's unit squares (qrcode's SvgPathImage writes one per dark module) and decode the picture."""
    root = ET.fromstring(svg)
    assert root.tag == f"{SVG_NS}svg"
    size = int(root.get("viewBox").split()[2])
    image = Image.new("L", (size * scale, size * scale), 255)
    draw = ImageDraw.Draw(image)
    path = root.find(f"{SVG_NS}path").get("d")
    squares = SQUARE.findall(path)
    assert SQUARE.sub("", path) == ""  # nothing else in the path
    for x, y, x2, y2, _x in squares:
        draw.rectangle([int(x) * scale, int(y) * scale, int(x2) * scale - 1, int(y2) * scale - 1], fill=0)
    return [result.text for result in zxingcpp.read_barcodes(image)]


def test_png_of_an_activity_with_a_link_decodes_to_the_link(demo, client):
    lesson = Activity.objects.get(week=demo.national, kind=Activity.Kind.LESSON)

    response = client.get(f"/weeks/2020-national/activities/{lesson.pk}/qr.png")

    assert response["Content-Type"] == "image/png"
    assert decode_png(response.content) == ["https://yunketang.example.cn/2020/jieneng"]


def test_png_of_an_activity_without_a_link_decodes_to_its_absolute_page(demo, client):
    launch = Activity.objects.get(week=demo.national, kind=Activity.Kind.LAUNCH)

    response = client.get(f"/weeks/2020-national/activities/{launch.pk}/qr.png")

    assert decode_png(response.content) == [f"http://testserver/weeks/2020-national/activities/{launch.pk}/"]


def test_inherited_activity_without_a_link_points_at_its_page_under_the_child_week(demo, client, settings):
    settings.SITE_URL = "https://jieneng.example.cn"
    launch = Activity.objects.get(week=demo.national, kind=Activity.Kind.LAUNCH)

    response = client.get(f"/weeks/2020-jiangsu/activities/{launch.pk}/qr.png")

    assert decode_png(response.content) == [f"https://jieneng.example.cn/weeks/2020-jiangsu/activities/{launch.pk}/"]


def test_svg_parses_as_xml_and_decodes_to_the_same_link(demo, client):
    exchange = Activity.objects.get(week=demo.national, kind=Activity.Kind.EXCHANGE)

    response = client.get(f"/weeks/2020-national/activities/{exchange.pk}/qr.svg")

    assert response["Content-Type"] == "image/svg+xml"
    text = response.content.decode()
    assert text.startswith('<?xml version="1.0" encoding="UTF-8"?>\n<svg ')
    assert decode_svg(text.split("\n", 1)[1]) == ["https://yunduihuan.example.cn/"]


def test_qr_codes_may_be_cached_for_an_hour(demo, client):
    launch = Activity.objects.get(week=demo.national, kind=Activity.Kind.LAUNCH)

    for suffix in ("qr.png", "qr.svg"):
        response = client.get(f"/weeks/2020-national/activities/{launch.pk}/{suffix}")
        assert response["Cache-Control"] == "public, max-age=3600"


def test_qr_follows_a_changed_link(demo, client):
    launch = Activity.objects.get(week=demo.national, kind=Activity.Kind.LAUNCH)
    launch.link = "https://live.example.cn/qidong"
    launch.save()

    response = client.get(f"/weeks/2020-national/activities/{launch.pk}/qr.png")

    assert decode_png(response.content) == ["https://live.example.cn/qidong"]


@pytest.mark.parametrize("suffix", ["qr.png", "qr.svg"])
def test_qr_of_an_activity_outside_the_programme_is_not_found(demo, client, suffix):
    own = Activity.objects.get(week=demo.jiangsu, title="能源紧缺体验日")
    other = Week.objects.create(
        slug="2020-jiangxi",
        title="2020年江西省公共机构节能宣传周",
        theme="绿水青山，节能增效",
        start_date=demo.jiangsu.start_date,
        end_date=demo.jiangsu.end_date,
        organizer=demo.org("360000"),
        publish_at=demo.jiangsu.publish_at,
        published_at=demo.jiangsu.publish_at,
    )

    assert client.get(f"/weeks/2020-national/activities/{own.pk}/{suffix}").status_code == 404
    assert client.get(f"/weeks/{other.slug}/activities/{own.pk}/{suffix}").status_code == 404
    assert client.get(f"/weeks/2020-jiangsu/activities/{own.pk}/{suffix}").status_code == 200
