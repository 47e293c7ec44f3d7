"""A campaign of another kind (Changzhou's 2022 节水宣传周) is worded as itself everywhere the system writes."""

import datetime
import io

import docx
import icalendar
import openpyxl
import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import TestCase
from django.urls import reverse

from eventweek import campaigns
from eventweek import demo_campaigns as eventweek_demo
from eventweek.campaigns import CampaignKind
from eventweek.models import LOCAL_TZ, Week
from eventweek.services.reminders import send_due_activity_reminders
from quiz.services.setup import create_quiz_for_week
from reporting import demo_campaigns as reporting_demo
from reporting.services.reminders import send_due_report_reminders
from reporting.summary.docx import SummaryDocx
from reporting.summary.draft.prose import compile_draft
from reporting.summary.services.deadlines import send_summary_reminders

ENERGY = "节能宣传周"


@pytest.fixture
def water(demo):
    """Changzhou's 2022 water-saving week from its demo loaders: a programme and three reports."""
    assert eventweek_demo.load() and reporting_demo.load()
    return Week.objects.get(slug=eventweek_demo.WATER_WEEK)


def _at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=LOCAL_TZ)


def test_every_page_feed_and_document_of_a_water_week_says_water_week(water, demo, client, client_for):
    pages = {}
    activity = water.activities.order_by("start").first()
    for name, url in {
        "week": reverse("eventweek:week", args=[water.slug]),
        "activity": reverse("eventweek:activity", args=[water.slug, activity.pk]),
        "poster": reverse("eventweek:poster", args=[water.slug]),
        "changes": reverse("eventweek:changes", args=[water.slug]),
        "ical": reverse("eventweek:week_ics", args=[water.slug]),
        "year": reverse("eventweek:year", args=["320400", 2022]),
        "year_ical": reverse("eventweek:year_ics", args=["320400", 2022]),
    }.items():
        response = client.get(url)
        assert response.status_code == 200, name
        pages[name] = response.content.decode()
    quiz = create_quiz_for_week(water)
    pages["quiz_entry"] = client.get(reverse("quiz:entry", args=[quiz.slug])).content.decode()
    admin = client_for(demo.user("jiangsu_admin"))
    for name, url in {
        "manage": reverse("eventweek:manage_week", args=[water.slug]),
        "copy": reverse("eventweek:manage_week_copy", args=[water.slug]),
        "dashboard": reverse("reporting:dashboard", args=[water.slug]),
        "quiz_settings": reverse("quiz:manage_settings", args=[quiz.pk]),
    }.items():
        response = admin.get(url)
        assert response.status_code == 200, name
        pages[name] = response.content.decode()
    for name in ("export_grid", "export_items"):
        book = openpyxl.load_workbook(io.BytesIO(admin.get(reverse(f"reporting:{name}", args=[water.slug])).content))
        pages[name] = " ".join(str(c) for ws in book for row in ws.iter_rows(max_row=2, values_only=True) for c in row)
    draft = compile_draft(water, demo.org("320400"), now=_at(datetime.date(2022, 5, 22), 9))
    pages["draft"] = draft.title + draft.body
    document = docx.Document(io.BytesIO(SummaryDocx(draft.document()).render()))
    pages["docx"] = "\n".join(p.text for p in document.paragraphs)
    pages["reminders"] = _reminder_texts(water)

    assert {name: ENERGY in text for name, text in pages.items()} == {name: False for name in pages}
    assert draft.title == "常州市机关事务管理局关于2022年公共机构节水宣传周活动开展情况的总结"
    assert "2022年5月15日至5月21日是节水宣传周，宣传主题是“落实节水优先方针，建设节水型城市”" in draft.body
    assert "开展形式多样的节水宣传活动" in draft.body
    assert pages["docx"].splitlines()[0] == draft.title
    calendar = icalendar.Calendar.from_ical(pages["ical"])
    assert str(calendar["X-WR-CALNAME"]) == "2022年常州市公共机构节水宣传周"
    assert "<title>2022年常州市公共机构节水宣传周 · 公共机构宣传活动</title>" in pages["week"]
    assert "2022年常州市公共机构节水宣传周" in pages["export_grid"]


def committed():
    return TestCase.captureOnCommitCallbacks(execute=True)


def _reminder_texts(week: Week) -> str:
    """Every reminder the week sends: activity, daily report and summary deadline, as mail subjects and bodies."""
    mail.outbox.clear()
    first = week.activities.filter(all_day=False).order_by("start").first()
    # The deliveries are sent after commit; the test runs in one transaction.
    with time_machine.travel(first.start - datetime.timedelta(minutes=30), tick=False), committed():
        send_due_activity_reminders()
    with time_machine.travel(_at(datetime.date(2022, 5, 20), 15, 5), tick=False), committed():
        send_due_report_reminders()
    with time_machine.travel(week.summary_due_at - datetime.timedelta(hours=2), tick=False), committed():
        send_summary_reminders()
    assert len({m.subject.split("】")[0] for m in mail.outbox}) == 3, [m.subject for m in mail.outbox]
    return "\n".join(f"{m.subject}\n{m.body}" for m in mail.outbox)


def test_a_low_carbon_day_has_no_week_in_its_period_words(demo):
    day = Week(kind=CampaignKind.LOW_CARBON, start_date=datetime.date(2022, 6, 15), end_date=datetime.date(2022, 6, 15))
    words = [campaigns.period_word(day), campaigns.short_during(day), campaigns.campaign_name(day)]
    assert words == ["活动日", "低碳日当天", "全国低碳日"]
    assert [w for w in words if "周" in w] == []
    month = Week(kind=CampaignKind.ECOLOGY, start_date=datetime.date(2022, 6, 1), end_date=datetime.date(2022, 6, 30))
    assert [campaigns.period_word(month), campaigns.short_during(month)] == ["活动月", "宣传月期间"]


def test_edition_numbers_appear_only_where_the_kind_has_them(water, demo, client):
    Week.objects.filter(pk=water.pk).update(edition=31)
    water_page = client.get(reverse("eventweek:week", args=[water.slug])).content.decode()
    assert "第31个" not in water_page
    energy_page = client.get(reverse("eventweek:week", args=[demo.weeks["2020-national"].slug])).content.decode()
    national = demo.weeks["2020-national"]
    assert f'<p class="hero-edition">第{national.edition}个全国节能宣传周</p>' in energy_page
    water.refresh_from_db()
    assert campaigns.edition_text(water) == ""
    with pytest.raises(ValidationError) as refused:
        water.full_clean()
    assert refused.value.message_dict["edition"] == ["“节水宣传周”没有届次，请清空届次。"]


def test_a_one_day_kind_spanning_two_days_is_refused_naming_the_end_date(demo, client_for):
    admin = client_for(demo.user("jiangsu_admin"))
    response = admin.post(
        reverse("eventweek:manage_week_new"),
        {
            "slug": "2022-jiangsu-low-carbon",
            "title": "2022年江苏省全国低碳日",
            "kind": CampaignKind.LOW_CARBON,
            "theme": "落实双碳行动，共建美丽家园",
            "start_date": "2022-06-15",
            "end_date": "2022-06-16",
            "organizer": demo.org("320000").pk,
            "publish_at": "2022-06-10T09:00",
            "reminder_minutes": 60,
            "daily_cutoff": "16:00",
            "daily_reminder_time": "15:00",
            "summary_char_limit": 2000,
            "special-TOTAL_FORMS": 0,
            "special-INITIAL_FORMS": 0,
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["end_date"] == [
        "“全国低碳日”只有一天：结束日期须与开始日期（2022-06-15）相同。"
    ]
    assert not Week.objects.filter(slug="2022-jiangsu-low-carbon").exists()
