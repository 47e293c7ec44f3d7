"""Every logged write leaves exactly one audit entry naming who did it, what, to which object, for which org."""

import datetime
import io

import pytest
import time_machine
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Max
from django.forms.models import model_to_dict
from django.urls import reverse
from openpyxl import Workbook

from audit.models import AuditEntry
from eventweek.models import LOCAL_TZ, Activity, Week
from eventweek.services.changes import cancel_activity, restore_activity, save_activity
from eventweek.services.weeks import save_week
from quiz import bank
from quiz.models import ExportJob, PrizeDraw, Quiz
from reporting.models import ForwardedPackage
from reporting.services import highlights
from tests.quiz.conftest import at as quiz_at
from tests.quiz.conftest import finish, jiangsu_quiz  # noqa: F401 (fixture)
from tests.reporting.conftest import DAY1, item, submit, travel  # noqa: F401 (fixtures)
from tests.reporting.conftest import at as report_at

PUBLISH_AT = datetime.datetime(2021, 6, 20, 9, 0, tzinfo=LOCAL_TZ)
NOW = datetime.datetime(2021, 6, 10, 15, 30, tzinfo=LOCAL_TZ)


@pytest.fixture
def since():
    """log = since(): log() → the entries written after since() was called, oldest first."""

    def mark():
        last = AuditEntry.objects.aggregate(last=Max("pk"))["last"] or 0
        return lambda: list(AuditEntry.objects.filter(pk__gt=last).order_by("pk"))

    return mark


def summary(entry: AuditEntry) -> tuple:
    """Who, what, which object, which org: the fields every test compares."""
    return (
        entry.actor.username if entry.actor else None,
        entry.actor_name,
        entry.action,
        entry.content_type.model_class() if entry.content_type_id else None,
        entry.object_id,
        entry.object_repr,
        entry.org.code if entry.org_id else None,
        entry.org_path,
    )


@pytest.fixture
def draft_week(demo, django_capture_on_commit_callbacks):
    """A national week for 2021, to be published on 20 June at 09:00."""
    with time_machine.travel(datetime.datetime(2021, 6, 1, 10, 0, tzinfo=LOCAL_TZ), tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            return save_week(
                Week(
                    slug="2021-national",
                    title="2021年全国公共机构节能宣传周",
                    edition=31,
                    theme="节能降碳，绿色发展",
                    start_date=datetime.date(2021, 8, 23),
                    end_date=datetime.date(2021, 8, 29),
                    organizer=demo.org("100000"),
                    publish_at=PUBLISH_AT,
                )
            )


def test_publishing_a_week_by_hand_logs_the_admin_and_the_week(demo, draft_week, client_for, since):
    log = since()
    with time_machine.travel(NOW, tick=False):
        response = client_for(demo.user("national_admin")).post(
            reverse("eventweek:manage_week_publish", args=["2021-national"])
        )

    assert response.status_code == 302
    [entry] = log()
    assert summary(entry) == (
        "national_admin",
        "国管局管理员",
        "week.publish",
        Week,
        str(draft_week.pk),
        "2021年全国公共机构节能宣传周",
        "100000",
        "/100000/",
    )
    assert (entry.before, entry.after, entry.at) == (None, {"published_at": "2021-06-10T07:30:00Z"}, NOW)


def test_the_scheduled_publication_is_logged_as_the_system(demo, draft_week, since):
    from eventweek.tasks import publish_week_task

    log = since()
    with time_machine.travel(PUBLISH_AT, tick=False):
        assert publish_week_task(draft_week.pk) is True
        assert publish_week_task(draft_week.pk) is False  # already public: nothing more to log

    [entry] = log()
    assert summary(entry) == (
        None,
        "",
        "week.publish",
        Week,
        str(draft_week.pk),
        "2021年全国公共机构节能宣传周",
        "100000",
        "/100000/",
    )
    assert entry.after == {"published_at": "2021-06-20T01:00:00Z"}


def test_changing_an_activity_logs_the_changed_fields_before_and_after(demo, since):
    activity = Activity.objects.get(week=demo.jiangsu, title="节能公益短信宣传")
    activity.title = "节能公益短信宣传（第二轮）"
    activity.place = "全省"
    log = since()

    save_activity(activity, user=demo.user("jiangsu_admin"))

    [entry] = log()
    assert summary(entry) == (
        "jiangsu_admin",
        "江苏省局管理员",
        "activity.change",
        Activity,
        str(activity.pk),
        "节能公益短信宣传（第二轮）",
        "320000",
        "/100000/320000/",
    )
    assert entry.before == {"title": "节能公益短信宣传", "place": ""}
    assert entry.after == {"title": "节能公益短信宣传（第二轮）", "place": "全省"}


def test_saving_an_activity_unchanged_logs_nothing(demo, since):
    activity = Activity.objects.get(week=demo.jiangsu, title="节能公益短信宣传")
    log = since()

    save_activity(activity, user=demo.user("jiangsu_admin"))

    assert log() == []


def test_cancelling_an_activity_on_its_page_logs_the_admin_and_the_status(demo, client_for, since):
    activity = Activity.objects.get(week=demo.jiangsu, title="节能公益短信宣传")
    log = since()

    response = client_for(demo.user("jiangsu_admin")).post(
        reverse("eventweek:manage_activity_cancel", args=["2020-jiangsu", activity.pk]), {"reason": "场地维修"}
    )

    assert response.status_code == 302
    [entry] = log()
    assert summary(entry) == (
        "jiangsu_admin",
        "江苏省局管理员",
        "activity.cancel",
        Activity,
        str(activity.pk),
        "节能公益短信宣传",
        "320000",
        "/100000/320000/",
    )
    assert (entry.before, entry.after) == ({"status": "按计划"}, {"status": "已取消", "reason": "场地维修"})


def test_restoring_an_activity_logs_the_restore(demo, since):
    activity = Activity.objects.get(week=demo.jiangsu, title="节能公益短信宣传")
    cancel_activity(activity, reason="场地维修", user=demo.user("jiangsu_admin"))
    log = since()

    restore_activity(activity, user=demo.user("jiangsu_admin"))

    [entry] = log()
    assert summary(entry)[:3] == ("jiangsu_admin", "江苏省局管理员", "activity.restore")
    assert (entry.before, entry.after) == ({"status": "已取消"}, {"status": "按计划"})


def test_forwarding_highlights_logs_the_reviewer_and_the_package(demo, submit, travel, client_for, since):  # noqa: F811
    travel(report_at(DAY1, 15, 0))
    report = submit("320100", items=[item("旧物回收", kind="recycling")])
    reviewer = demo.user("jiangsu_reviewer")
    highlights.mark_highlight(report.items.get(), user=reviewer)
    log = since()

    response = client_for(reviewer).post(reverse("reporting:forward", args=["2020-jiangsu", DAY1.isoformat()]))

    assert response.status_code == 302
    package = ForwardedPackage.objects.get()
    [entry] = log()
    assert summary(entry) == (
        "jiangsu_reviewer",
        "江苏省局审核员",
        "highlights.forward",
        ForwardedPackage,
        str(package.pk),
        "江苏省机关事务管理局 2020-06-29 #1",
        "320000",
        "/100000/320000/",
    )
    assert entry.data == {"day": "2020-06-29", "number": 1, "items": 1}


def test_the_prize_draw_logs_the_admin_the_seed_and_the_winners(demo, jiangsu_quiz, client_for, since):  # noqa: F811
    finish(jiangsu_quiz, demo, "13900000001")
    finish(jiangsu_quiz, demo, "13900000002")
    log = since()

    with time_machine.travel(quiz_at(6, 10), tick=False):
        response = client_for(demo.user("jiangsu_admin")).post(
            reverse("quiz:manage_draw", args=[jiangsu_quiz.pk]), {"prize_count": 1, "seed": "20200706"}
        )

    assert response.status_code == 302
    draw = PrizeDraw.objects.get()
    [entry] = log()
    assert summary(entry) == (
        "jiangsu_admin",
        "江苏省局管理员",
        "quiz.draw",
        PrizeDraw,
        str(draw.pk),
        "2020年江苏省公共机构节能宣传周“云竞答” 抽奖 2020-07-06 02:00",
        "320000",
        "/100000/320000/",
    )
    assert entry.data == {
        "quiz": jiangsu_quiz.pk,
        "seed": "20200706",
        "prize_count": 1,
        "eligible": 2,
        "winners": draw.winners,
    }


def _settings(quiz, **changes):
    """The settings form as the organizer posts it, with changes."""
    data = {
        key: value
        for key, value in model_to_dict(quiz).items()
        if key not in ("paper_spec", "week", "id") and value is not None
    }
    data.update(activity=quiz.activity_id, opens_at="", closes_at="", paper_spec_text="", prize_min_score="")
    for flag in ("shuffle_questions", "shuffle_options"):
        data[flag] = "on" if data[flag] else ""
    data.update(changes)
    return data


def test_saving_quiz_settings_logs_the_changed_settings_before_and_after(
    demo,
    jiangsu_quiz,  # noqa: F811
    client_for,
    since,
):
    log = since()

    response = client_for(demo.user("jiangsu_admin")).post(
        reverse("quiz:manage_settings", args=[jiangsu_quiz.pk]),
        _settings(jiangsu_quiz, time_limit_seconds=300, prize_note="节能台灯一盏"),
    )

    assert response.status_code == 302
    [entry] = log()
    assert summary(entry) == (
        "jiangsu_admin",
        "江苏省局管理员",
        "quiz.settings",
        Quiz,
        str(jiangsu_quiz.pk),
        jiangsu_quiz.title,
        "320000",
        "/100000/320000/",
    )
    assert entry.before == {"time_limit_seconds": 600, "prize_note": ""}
    assert entry.after == {"time_limit_seconds": 300, "prize_note": "节能台灯一盏"}


def test_a_bank_import_logs_the_admin_the_file_and_the_count(demo, client_for, since):
    from quiz.services.setup import create_quiz_for_week

    quiz = create_quiz_for_week(demo.jiangsu)
    workbook = Workbook()
    workbook.active.title = "题库"
    workbook.active.append(bank.COLUMNS)
    workbook.active.append(
        ["单选", "节能", "易", "一度电是多少电能？", "1千瓦时", "1瓦时", "", "", "", "", "A", "", "是"]
    )
    buffer = io.BytesIO()
    workbook.save(buffer)
    log = since()

    response = client_for(demo.user("jiangsu_admin")).post(
        reverse("quiz:manage_bank", args=[quiz.pk]), {"file": SimpleUploadedFile("题库.xlsx", buffer.getvalue())}
    )

    assert response.status_code == 302
    [entry] = log()
    assert summary(entry) == (
        "jiangsu_admin",
        "江苏省局管理员",
        "quiz.bank_import",
        Quiz,
        str(quiz.pk),
        quiz.title,
        "320000",
        "/100000/320000/",
    )
    assert entry.data == {"added": 1, "file": "题库.xlsx"}


def test_the_attempts_export_with_full_phones_logs_its_start_and_each_download(
    demo,
    jiangsu_quiz,  # noqa: F811
    client_for,
    since,
    django_capture_on_commit_callbacks,
):
    finish(jiangsu_quiz, demo, "13900000001")
    client = client_for(demo.user("jiangsu_admin"))
    log = since()

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("quiz:manage_exports", args=[jiangsu_quiz.pk]), {"kind": "attempts"})
    job = ExportJob.objects.get()
    [started] = log()
    download = client.get(reverse("quiz:export_download", args=[jiangsu_quiz.pk, job.pk]))
    b"".join(download.streaming_content)

    assert download.status_code == 200
    assert [e.pk for e in log()][:1] == [started.pk]
    [downloaded] = log()[1:]
    for entry, step, status in ((started, "start", "排队中"), (downloaded, "download", "已完成")):
        assert summary(entry) == (
            "jiangsu_admin",
            "江苏省局管理员",
            "export.personal_data",
            ExportJob,
            str(job.pk),
            f"2020年江苏省公共机构节能宣传周“云竞答” 答卷明细 {status}",
            "320000",
            "/100000/320000/",
        )
        assert entry.data == {"quiz": jiangsu_quiz.pk, "kind": "attempts", "step": step}


def test_an_export_without_phones_is_not_logged(
    demo,
    jiangsu_quiz,  # noqa: F811
    client_for,
    since,
    django_capture_on_commit_callbacks,
):
    client = client_for(demo.user("jiangsu_admin"))
    log = since()

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("quiz:manage_exports", args=[jiangsu_quiz.pk]), {"kind": "participation"})
    job = ExportJob.objects.get()
    client.get(reverse("quiz:export_download", args=[jiangsu_quiz.pk, job.pk]))

    assert log() == []


def test_an_entry_names_the_kind_of_object_by_its_content_type(demo, draft_week, since):
    from eventweek.services.publishing import publish_week

    log = since()
    publish_week(draft_week.pk, force=True, actor=demo.user("national_admin"))

    [entry] = log()
    assert entry.content_type == ContentType.objects.get_for_model(Week)
    assert (entry.kind_label, entry.action_label) == ("宣传活动", "发布活动周")
