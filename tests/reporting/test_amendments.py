"""Amending keeps every version; concurrent saves and network retries never lose or double anything."""

import datetime
import threading
import uuid

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from eventweek.errors import DomainError
from reporting.models import DailyReport, ReportItem, ReportVersion
from reporting.services import submission as services

from .conftest import DAY1, at, image_bytes, item


def test_every_submitted_version_is_kept_with_its_content(demo, submit, travel):
    travel(at(DAY1, 10, 0))
    report = submit(items=[item("节能宣传周启动会", participants=80)], narrative="上午召开启动会。")
    travel(at(DAY1, 11, 0))
    first_item = report.items.get()
    submit(
        items=[
            services.ItemInput(id=first_item.pk, title="节能宣传周启动会（更正）", kind="kickoff", participants=95),
            item("垃圾分类讲座", kind="lecture", participants=40),
        ],
        narrative="上午召开启动会，下午举办讲座。",
    )
    versions = list(report.versions.order_by("number"))
    assert [v.number for v in versions] == [1, 2]
    assert [i["title"] for i in versions[0].snapshot["items"]] == ["节能宣传周启动会"]
    assert versions[0].snapshot["items"][0]["participants"] == 80
    assert versions[0].snapshot["narrative"] == "上午召开启动会。"
    assert [i["title"] for i in versions[1].snapshot["items"]] == ["节能宣传周启动会（更正）", "垃圾分类讲座"]
    report.refresh_from_db()
    assert (report.version, report.item_count, report.participants) == (2, 2, 135)


def test_removing_an_item_keeps_it_in_the_older_version(demo, submit, travel):
    travel(at(DAY1, 10, 0))
    report = submit(items=[item("展板展示", pictures=[image_bytes()])])
    old = report.items.get()
    submit(items=[services.ItemInput(id=old.pk, delete=True), item("公益短信", kind="sms")])
    report.refresh_from_db()
    assert [i.title for i in report.items.filter(removed=False)] == ["公益短信"]
    assert (report.item_count, report.picture_count) == (1, 0)
    v1 = report.versions.get(number=1)
    assert v1.snapshot["items"][0]["title"] == "展板展示"
    assert len(services.version_pictures(v1)) == 1


def test_a_save_based_on_an_older_version_is_refused_and_the_first_is_kept(demo, submit, travel):
    travel(at(DAY1, 10, 0))
    submit(items=[item("第一次")])
    submit(items=[item("甲的修改")], version=1)
    with pytest.raises(DomainError, match="已被他人修改"):
        submit(items=[item("乙的修改")], version=1)
    report = DailyReport.objects.get()
    assert report.version == 2
    assert list(report.items.filter(removed=False).values_list("title", flat=True)) == ["第一次", "甲的修改"]
    assert report.versions.count() == 2


def test_the_same_token_twice_makes_one_submission(demo, submit, travel):
    travel(at(DAY1, 10, 0))
    token = uuid.uuid4()
    first = submit(items=[item("启动会")], token=token)
    again = submit(items=[item("启动会")], token=token, version=0)
    assert again.pk == first.pk
    assert ReportVersion.objects.count() == 1
    assert ReportItem.objects.count() == 1


@pytest.mark.skipif(connection.vendor == "sqlite", reason="needs two real connections: PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_two_people_saving_at_once_one_wins_and_the_other_is_told(demo, travel):
    travel(at(DAY1, 10, 0))
    week, org = demo.jiangsu, demo.org("320100")
    user = demo.user("nanjing_reporter")
    services.submit_report(
        week=week, org=org, day=DAY1, user=user, token=uuid.uuid4(), expected_version=0, items=[item("原稿")]
    )
    results, barrier = [], threading.Barrier(2)

    def save(title):
        from django.db import connection as conn

        try:
            barrier.wait()
            services.submit_report(
                week=week, org=org, day=DAY1, user=user, token=uuid.uuid4(), expected_version=1, items=[item(title)]
            )
            results.append("ok")
        except DomainError:
            results.append("refused")
        finally:
            conn.close()

    threads = [threading.Thread(target=save, args=(t,)) for t in ("甲", "乙")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == ["ok", "refused"]
    assert DailyReport.objects.get().version == 2
    assert ReportVersion.objects.count() == 2


def test_an_empty_report_is_refused_and_nothing_is_written(demo, submit, travel):
    travel(at(DAY1, 10, 0))
    with pytest.raises(ValidationError, match="报送内容为空"):
        submit(items=[], narrative="  ")
    assert DailyReport.objects.filter(version__gt=0).count() == 0
    assert ReportVersion.objects.count() == 0


def test_a_narrative_alone_is_a_report(demo, submit, travel):
    travel(at(DAY1, 10, 0))
    report = submit(items=[], narrative="今日组织干部职工收看云启动仪式。")
    assert (report.version, report.item_count) == (1, 0)


def test_a_day_outside_the_week_is_refused_with_its_dates(demo, submit, travel):
    travel(at(DAY1, 10, 0))
    with pytest.raises(ValidationError) as info:
        submit(day=datetime.date(2020, 7, 6))
    assert info.value.message_dict == {"day": ["2020-07-06 不在活动周（2020-06-29 至 2020-07-05）之内，不能报送。"]}
    assert DailyReport.objects.count() == 0


def test_a_day_in_the_future_is_refused(demo, submit, travel):
    travel(at(DAY1, 23, 59))
    with pytest.raises(ValidationError) as info:
        submit(day=DAY1 + datetime.timedelta(days=1))
    assert info.value.message_dict == {"day": ["2020-06-30 还没有到，不能提前报送。"]}


def test_an_org_that_does_not_report_daily_is_refused(demo, travel):
    travel(at(DAY1, 10, 0))
    with pytest.raises(DomainError, match="不是该活动周的每日报送单位"):
        services.submit_report(
            week=demo.jiangsu,
            org=demo.org("360100"),
            day=DAY1,
            user=demo.user("nanchang_reporter"),
            token=uuid.uuid4(),
            expected_version=0,
            items=[item()],
        )


def test_an_older_version_stays_viewable_as_it_was(demo, submit, travel, client_for):
    from django.urls import reverse

    travel(at(DAY1, 15, 0))
    report = submit(items=[item("原来的标题", pictures=[(image_bytes(), "原图说明")])], narrative="第一版综述")
    travel(at(DAY1, 16, 30))
    old = report.items.get()
    submit(items=[services.ItemInput(id=old.pk, title="新的标题", kind="kickoff")], narrative="第二版综述")
    client = client_for(demo.user("jiangsu_reviewer"))
    v1 = client.get(
        reverse("reporting:report_version", args=["2020-jiangsu", "320100", "2020-06-29", 1])
    ).content.decode()
    assert "第一版综述" in v1 and "原来的标题" in v1 and "原图说明" in v1 and "新的标题" not in v1
    assert '<span class="st st-on_time">按时报送</span> 2020-06-29 15:00:00' in v1
    v2 = client.get(
        reverse("reporting:report_version", args=["2020-jiangsu", "320100", "2020-06-29", 2])
    ).content.decode()
    assert "第二版综述" in v2 and "新的标题" in v2
    assert '<span class="st st-late">迟报</span> 2020-06-29 16:30:00' in v2
    detail = client.get(
        reverse("reporting:report_detail", args=["2020-jiangsu", "320100", "2020-06-29"])
    ).content.decode()
    assert detail.count('href="/reporting/2020-jiangsu/r/320100/2020-06-29/v/') == 2
