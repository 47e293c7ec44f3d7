"""The one way dates and times are written: eventweek_dates filters, and the pages that use them."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.contrib.staticfiles import finders
from django.template import Context, Template, TemplateSyntaxError

SH = ZoneInfo("Asia/Shanghai")


def render(source: str, **context) -> str:
    return Template("{% load eventweek_dates %}" + source).render(Context(context))


def test_a_datetime_reads_month_day_weekday_and_beijing_time():
    moment = datetime.datetime(2020, 7, 5, 8, 0, tzinfo=datetime.UTC)  # 16:00 in Beijing

    assert render("{{ t|cn_datetime }}", t=moment) == "7月5日 周日 16:00"


def test_a_deadline_at_midnight_reads_24_00_of_the_day_before():
    midnight = datetime.datetime(2020, 7, 15, 0, 0, tzinfo=SH)

    assert render('{{ t|cn_datetime:"deadline" }}', t=midnight) == "7月14日 周二 24:00"
    assert render("{{ t|cn_datetime }}", t=midnight) == "7月15日 周三 00:00"


def test_a_deadline_not_at_midnight_reads_as_itself():
    cutoff = datetime.datetime(2020, 7, 5, 16, 0, tzinfo=SH)

    assert render('{{ t|cn_datetime:"deadline" }}', t=cutoff) == "7月5日 周日 16:00"


def test_variants_add_the_year_or_drop_the_weekday():
    moment = datetime.datetime(2020, 6, 30, 9, 0, tzinfo=SH)

    assert render('{{ t|cn_datetime:"year" }}', t=moment) == "2020年6月30日 周二 09:00"
    assert render('{{ t|cn_datetime:"short" }}', t=moment) == "6月30日 09:00"
    assert render('{{ t|cn_datetime:"year,deadline" }}', t=datetime.datetime(2020, 7, 1, tzinfo=SH)) == (
        "2020年6月30日 周二 24:00"
    )


def test_dates_and_times_alone():
    assert render("{{ d|cn_date }}", d=datetime.date(2020, 6, 29)) == "6月29日 周一"
    assert render('{{ d|cn_date:"short" }}', d=datetime.date(2020, 6, 29)) == "6月29日"
    assert render('{{ d|cn_date:"year,short" }}', d=datetime.date(2020, 6, 29)) == "2020年6月29日"
    assert render("{{ t|cn_time }}", t=datetime.datetime(2020, 6, 29, 1, 5, tzinfo=datetime.UTC)) == "09:05"


def test_nothing_reads_as_nothing():
    assert render("[{{ t|cn_datetime }}][{{ t|cn_date }}][{{ t|cn_time }}]", t=None) == "[][][]"


def test_a_stored_changelog_value_is_written_the_one_way_and_other_text_is_left_alone():
    assert render("{{ v|cn_stored }}", v="2020-06-30 09:00") == "6月30日 周二 09:00"
    assert render("{{ v|cn_stored }}", v="2020-07-01") == "7月1日 周三"
    assert render("{{ v|cn_stored }}", v="新华社客户端") == "新华社客户端"


def test_an_unknown_variant_is_refused_loudly():
    with pytest.raises(TemplateSyntaxError):
        render('{{ t|cn_datetime:"dedline" }}', t=datetime.datetime(2020, 7, 1, tzinfo=SH))


def test_the_manage_page_writes_times_the_one_way_and_a_published_week_is_no_draft(demo, client_for):
    page = client_for(demo.user("jiangsu_admin")).get("/manage/weeks/2020-jiangsu/").content.decode()

    assert "时间：6月29日 周一 至 7月5日 周日" in page
    assert "发布于 6月25日 周四 09:00" in page
    assert "<h2>日程</h2>" in page
    assert "日程（草稿）" not in page
    assert "<h3>6月29日 周一</h3>" in page


def test_every_page_links_the_favicon_and_it_is_served_from_static(db, client):
    page = client.get("/").content.decode()

    assert '<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">' in page
    with open(finders.find("favicon.svg"), encoding="utf-8") as svg:
        assert svg.read().startswith('<svg xmlns="http://www.w3.org/2000/svg"')
