"""年度宣传活动安排: an org's year page and feed hold its own and its parents' published campaigns, nobody else's."""

import datetime

import icalendar
import pytest
from django.urls import reverse
from django.utils import timezone

from eventweek.campaigns import CampaignKind
from eventweek.models import Week


def _campaign(org, slug, title, kind, start, end, *, published=True):
    publish_at = timezone.make_aware(datetime.datetime(start.year, start.month, 1, 9, 0)) - datetime.timedelta(days=5)
    return Week.objects.create(
        slug=slug,
        title=title,
        kind=kind,
        theme="绿色低碳 节能先行",
        start_date=start,
        end_date=end,
        organizer=org,
        publish_at=publish_at,
        published_at=publish_at if published else None,
    )


@pytest.fixture
def year_2020(demo):
    """Changzhou's own 低碳日 inside the national week, a sibling province's week, a draft and another year's."""
    day = datetime.date(2020, 7, 2)
    _campaign(
        demo.org("320400"), "2020-changzhou-low-carbon", "2020年常州市全国低碳日", CampaignKind.LOW_CARBON, day, day
    )
    _campaign(
        demo.org("360000"),
        "2020-jiangxi",
        "2020年江西省公共机构节能宣传周",
        CampaignKind.ENERGY,
        datetime.date(2020, 6, 29),
        datetime.date(2020, 7, 5),
    )
    _campaign(
        demo.org("320400"),
        "2020-changzhou-water-draft",
        "2020年常州市节水宣传周（草稿）",
        CampaignKind.WATER,
        datetime.date(2020, 5, 10),
        datetime.date(2020, 5, 16),
        published=False,
    )
    _campaign(
        demo.org("320400"),
        "2021-changzhou-water",
        "2021年常州市节水宣传周",
        CampaignKind.WATER,
        datetime.date(2021, 5, 9),
        datetime.date(2021, 5, 15),
    )
    return demo


def test_the_year_page_lists_the_orgs_and_its_parents_campaigns_and_nobody_elses(year_2020, client):
    response = client.get(reverse("eventweek:year", args=["320400", 2020]))

    assert response.status_code == 200
    plan = response.context["plan"]
    assert [(e.week.slug, e.inside) for e in plan.entries] == [
        ("2020-national", ""),
        ("2020-jiangsu", ""),
        ("2020-changzhou-low-carbon", "（节能宣传周期间，能源短缺体验日）"),
    ]
    page = response.content.decode()
    assert "<h1>常州市机关事务管理局2020年度宣传活动安排</h1>" in page
    assert '2020年常州市全国低碳日</strong><span class="muted">（节能宣传周期间，能源短缺体验日）</span>' in page
    assert 'href="/weeks/2020-changzhou-low-carbon/"' in page
    assert "江西" not in page
    assert "草稿" not in page


def test_the_year_feed_holds_the_same_campaigns_as_whole_days_linking_to_their_programmes(year_2020, client, settings):
    response = client.get(reverse("eventweek:year_ics", args=["320400", 2020]))

    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = icalendar.Calendar.from_ical(response.content)
    assert str(calendar["X-WR-CALNAME"]) == "常州市机关事务管理局2020年度宣传活动安排"
    events = [
        (str(e["SUMMARY"]), e.decoded("DTSTART"), e.decoded("DTEND"), str(e["URL"])) for e in calendar.walk("VEVENT")
    ]
    assert events == [
        (
            "2020年全国公共机构节能宣传周",
            datetime.date(2020, 6, 29),
            datetime.date(2020, 7, 6),
            settings.SITE_URL + "/weeks/2020-national/",
        ),
        (
            "2020年江苏省公共机构节能宣传周",
            datetime.date(2020, 6, 29),
            datetime.date(2020, 7, 6),
            settings.SITE_URL + "/weeks/2020-jiangsu/",
        ),
        (
            "2020年常州市全国低碳日（节能宣传周期间，能源短缺体验日）",
            datetime.date(2020, 7, 2),
            datetime.date(2020, 7, 3),
            settings.SITE_URL + "/weeks/2020-changzhou-low-carbon/",
        ),
    ]


def test_a_province_year_page_leaves_out_its_cities_campaigns_and_an_unknown_org_is_not_found(year_2020, client):
    province = client.get(reverse("eventweek:year", args=["320000", 2020]))
    assert [e.week.slug for e in province.context["plan"].entries] == ["2020-national", "2020-jiangsu"]
    assert client.get(reverse("eventweek:year", args=["999999", 2020])).status_code == 404
    assert [e.week.slug for e in client.get("/orgs/320400/year/2021/").context["plan"].entries] == [
        "2021-changzhou-water"
    ]
