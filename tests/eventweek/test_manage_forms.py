"""The week and activity forms: Asia/Shanghai times, all-day dates, and bad input refused by field, DB unchanged."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django_q.models import Schedule

from eventweek.models import Activity, ActivityChange, SpecialDay, Week

SHANGHAI = ZoneInfo("Asia/Shanghai")
UTC = datetime.UTC


def counts():
    return (Week.objects.count(), Activity.objects.count(), SpecialDay.objects.count(), ActivityChange.objects.count())


def error_line(label, message):
    """One line of templates/_form_errors.html."""
    return f"<strong>{label}</strong>：{message}"


def activity_payload(demo, **changes):
    data = {
        "kind": "local",
        "title": "南京市节能新产品新技术推广展",
        "start": "2020-06-30T14:00",
        "end": "2020-06-30T16:30",
        "platform": "",
        "place": "南京市政务服务中心",
        "link": "https://nanjing.example.cn/zhanlan",
        "audience": "南京市公共机构干部职工",
        "organizer": demo.org("320100").pk,
        "description": "展示节能新产品、新技术。",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def week_payload(demo, **changes):
    data = {
        "slug": "2021-jiangsu",
        "title": "2021年江苏省公共机构节能宣传周",
        "edition": "31",
        "theme": "节能降碳，绿色发展",
        "start_date": "2021-08-23",
        "end_date": "2021-08-29",
        "organizer": demo.org("320000").pk,
        "parent": "",
        "description": "",
        "publish_at": "2021-08-20T09:00",
        "reminder_minutes": "30",
        "report_orgs": [demo.org("320100").pk, demo.org("320400").pk],
        "daily_cutoff": "16:00",
        "daily_reminder_time": "15:00",
        "summary_due_at": "2021-09-10T17:00",
        "summary_char_limit": "2000",
        "summary_mailbox": "jnc@jsjgsw.example.cn",
        "department_summary_mailbox": "",
        "special-TOTAL_FORMS": "2",
        "special-INITIAL_FORMS": "0",
        "special-MIN_NUM_FORMS": "0",
        "special-MAX_NUM_FORMS": "1000",
        "special-0-date": "2021-08-25",
        "special-0-name": "全国低碳日",
        "special-0-theme": "低碳生活，绿建未来",
        "special-1-date": "",
        "special-1-name": "",
        "special-1-theme": "",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


@pytest.fixture
def admin(demo, client_for):
    return client_for(demo.user("jiangsu_admin"))


def new_activity_url(demo):
    return reverse("eventweek:manage_activity_new", args=[demo.jiangsu.slug])


# -- activities ------------------------------------------------------------------------------------------------------


def test_a_timed_activity_is_read_as_shanghai_wall_clock_time(demo, admin):
    response = admin.post(new_activity_url(demo), activity_payload(demo))

    assert response.status_code == 302
    activity = Activity.objects.get(title="南京市节能新产品新技术推广展")
    assert activity.start == datetime.datetime(2020, 6, 30, 6, 0, tzinfo=UTC)
    assert activity.end == datetime.datetime(2020, 6, 30, 8, 30, tzinfo=UTC)
    assert (activity.week, activity.all_day, activity.organizer) == (demo.jiangsu, False, demo.org("320100"))


def test_the_edit_form_shows_the_stored_time_in_shanghai(demo, admin):
    activity = Activity.objects.get(week=demo.national, kind="launch")
    client = admin.__class__()
    client.force_login(demo.user("national_admin"))

    html = client.get(reverse("eventweek:manage_activity_edit", args=["2020-national", activity.pk])).content.decode()

    assert 'name="start" value="2020-06-29T09:00"' in html
    assert 'name="end" value="2020-06-29T10:00"' in html


def test_an_all_day_activity_is_stored_from_midnight_of_its_first_day_to_midnight_after_its_last(demo, admin):
    payload = activity_payload(demo, all_day="on", start="", end="", start_date="2020-07-01", end_date="2020-07-02")

    response = admin.post(new_activity_url(demo), payload)

    assert response.status_code == 302
    activity = Activity.objects.get(title="南京市节能新产品新技术推广展")
    assert activity.all_day is True
    assert activity.start == datetime.datetime(2020, 7, 1, 0, 0, tzinfo=SHANGHAI)
    assert activity.end == datetime.datetime(2020, 7, 3, 0, 0, tzinfo=SHANGHAI)
    assert (activity.first_day, activity.last_day) == (datetime.date(2020, 7, 1), datetime.date(2020, 7, 2))


def test_editing_an_all_day_activity_shows_its_first_and_last_day(demo, admin):
    activity = Activity.objects.get(week=demo.jiangsu, title="节能公益短信宣传")

    html = admin.get(reverse("eventweek:manage_activity_edit", args=[demo.jiangsu.slug, activity.pk])).content.decode()

    assert 'name="start_date" value="2020-06-29"' in html
    assert 'name="end_date" value="2020-07-05"' in html


BAD_ACTIVITY_INPUT = [
    (
        {"start": "2020-06-30T16:00", "end": "2020-06-30T14:00"},
        "结束时间",
        "结束时间不能早于开始时间。",
    ),
    (
        {"start": "2020-07-06T09:00", "end": "2020-07-06T10:00"},
        "开始时间",
        "开始时间必须在活动周（2020-06-29 至 2020-07-05）之内。",
    ),
    (
        {"start": "2020-07-05T20:00", "end": "2020-07-06T10:00"},
        "结束时间",
        "结束时间必须在活动周（2020-06-29 至 2020-07-05）之内。",
    ),
    (
        {"start": "2123-04-31T09:00", "end": "2020-06-30T10:00"},
        "开始时间",
        "“2123-04-31T09:00”不是有效日期：2123年4月只有30天。",
    ),
    (
        {"all_day": "on", "start": "", "end": "", "start_date": "2123-04-31", "end_date": "2020-07-01"},
        "开始日期",
        "“2123-04-31”不是有效日期：2123年4月只有30天。",
    ),
    (
        {"all_day": "on", "start": "", "end": "", "start_date": "2020-07-02", "end_date": "2020-07-01"},
        "结束日期",
        "结束日期不能早于开始日期。",
    ),
    (
        {"all_day": "on", "start": "", "end": "", "start_date": "2020-07-04", "end_date": "2020-07-08"},
        "结束日期",
        "结束日期必须在活动周（2020-06-29 至 2020-07-05）之内。",
    ),
    ({"start": ""}, "开始时间", "请填写开始时间。"),
    ({"link": "ftp://nanjing.example.cn/zhanlan"}, "链接", "请输入以 http:// 或 https:// 开头的有效链接。"),
    ({"link": "javascript:alert(1)"}, "链接", "请输入以 http:// 或 https:// 开头的有效链接。"),
    (
        {"organizer": "JIANGXI"},
        "组织单位",
        "请选择本活动周主办单位或其下级单位；您无权使用所选单位。",
    ),
]


@pytest.mark.parametrize(("changes", "label", "message"), BAD_ACTIVITY_INPUT)
def test_a_bad_new_activity_is_refused_with_a_message_naming_the_field(demo, admin, changes, label, message):
    if changes.get("organizer") == "JIANGXI":
        changes = {**changes, "organizer": demo.org("360000").pk}
    before = counts()

    response = admin.post(new_activity_url(demo), activity_payload(demo, **changes))

    assert response.status_code == 200
    assert error_line(label, message) in response.content.decode()
    assert counts() == before


def test_a_bad_edit_of_a_published_activity_leaves_it_and_the_changelog_untouched(demo, admin):
    activity = Activity.objects.get(week=demo.jiangsu, title="能源紧缺体验日")
    url = reverse("eventweek:manage_activity_edit", args=[demo.jiangsu.slug, activity.pk])
    payload = activity_payload(
        demo, title="改名", all_day="on", start="", end="", start_date="2020-07-03", end_date="2020-07-02"
    )

    response = admin.post(url, payload)

    assert error_line("结束日期", "结束日期不能早于开始日期。") in response.content.decode()
    activity.refresh_from_db()
    assert (activity.title, activity.sequence, activity.first_day) == ("能源紧缺体验日", 0, datetime.date(2020, 7, 2))
    assert ActivityChange.objects.count() == 0


# -- weeks -------------------------------------------------------------------------------------------------------------


def test_a_new_week_is_saved_with_its_special_days_reporters_and_publication_schedule(
    demo, admin, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = admin.post(reverse("eventweek:manage_week_new"), week_payload(demo))

    assert response.status_code == 302
    assert response["Location"] == reverse("eventweek:manage_week", args=["2021-jiangsu"])
    week = Week.objects.get(slug="2021-jiangsu")
    assert (week.start_date, week.end_date, week.organizer) == (
        datetime.date(2021, 8, 23),
        datetime.date(2021, 8, 29),
        demo.org("320000"),
    )
    assert week.publish_at == datetime.datetime(2021, 8, 20, 1, 0, tzinfo=UTC)
    assert week.summary_due_at == datetime.datetime(2021, 9, 10, 17, 0, tzinfo=SHANGHAI)
    assert (week.reminder_minutes, week.daily_cutoff) == (30, datetime.time(16, 0))
    assert sorted(week.report_orgs.values_list("code", flat=True)) == ["320100", "320400"]
    assert list(week.special_days.values_list("date", "name", "theme")) == [
        (datetime.date(2021, 8, 25), "全国低碳日", "低碳生活，绿建未来")
    ]
    schedule = Schedule.objects.get(name=f"eventweek:publish-week:{week.pk}")
    assert (schedule.func, schedule.args, schedule.schedule_type) == (
        "eventweek.tasks.publish_week_task",
        f"({week.pk},)",
        Schedule.ONCE,
    )
    assert schedule.next_run == week.publish_at


def test_editing_a_week_replaces_its_special_days_and_keeps_the_slug(demo, admin):
    url = reverse("eventweek:manage_week_edit", args=[demo.jiangsu.slug])
    form_page = admin.get(url).content.decode()
    assert 'name="special-0-name" value="全国低碳日 · 能源紧缺体验日"' in form_page
    assert 'name="publish_at" value="2020-06-25T09:00"' in form_page
    payload = week_payload(
        demo,
        slug="hijacked",
        title="2020年江苏省公共机构节能宣传周（修订）",
        start_date="2020-06-29",
        end_date="2020-07-05",
        publish_at="2020-06-25T09:00",
        summary_due_at="2020-07-10T00:00",
        **{
            "special-INITIAL_FORMS": "1",
            "special-0-date": "2020-07-02",
            "special-0-name": "全国低碳日 · 能源紧缺体验日",
            "special-0-theme": "绿色低碳，全面小康（修订）",
            "special-1-date": "2020-07-04",
            "special-1-name": "云竞答日",
            "special-1-theme": "",
        },
    )

    response = admin.post(url, payload)

    assert response.status_code == 302
    week = Week.objects.get(pk=demo.jiangsu.pk)
    assert (week.slug, week.title) == ("2020-jiangsu", "2020年江苏省公共机构节能宣传周（修订）")
    assert list(week.special_days.values_list("date", "name", "theme")) == [
        (datetime.date(2020, 7, 2), "全国低碳日 · 能源紧缺体验日", "绿色低碳，全面小康（修订）"),
        (datetime.date(2020, 7, 4), "云竞答日", ""),
    ]


BAD_WEEK_INPUT = [
    ({"end_date": "2021-08-20"}, "结束日期", "结束日期不能早于开始日期。"),
    ({"start_date": "2123-04-31"}, "开始日期", "“2123-04-31”不是有效日期：2123年4月只有30天。"),
    ({"end_date": "2021-02-29"}, "结束日期", "“2021-02-29”不是有效日期：2021年2月只有28天。"),
    ({"publish_at": "2021-08-23T08:00"}, "发布时间", "发布时间必须早于活动周开始（2021-08-23）。"),
    ({"publish_at": "2123-04-31T09:00"}, "发布时间", "“2123-04-31T09:00”不是有效日期：2123年4月只有30天。"),
    ({"organizer": "JIANGXI"}, "主办单位", "请选择本单位或下级单位；您无权使用所选单位。"),
    ({"report_orgs": ["JIANGXI"]}, "每日报送单位", "请选择本单位或下级单位；您无权使用所选单位。"),
    ({"special-0-date": "2021-09-01"}, "日期", "主题日必须在活动周（2021-08-23 至 2021-08-29）之内。"),
    ({"summary_mailbox": "not-an-address"}, "总结接收邮箱（地方）", "输入一个有效的 Email 地址。"),
    ({"slug": "summary"}, "网址标识", "“summary”已被系统网址占用，请换一个网址标识。"),
]


@pytest.mark.parametrize(("changes", "label", "message"), BAD_WEEK_INPUT)
def test_a_bad_new_week_is_refused_with_a_message_naming_the_field(demo, admin, changes, label, message):
    jiangxi = demo.org("360000").pk
    changes = {
        key: (jiangxi if value == "JIANGXI" else [jiangxi] if value == ["JIANGXI"] else value)
        for key, value in changes.items()
    }
    before = (*counts(), Schedule.objects.count())

    response = admin.post(reverse("eventweek:manage_week_new"), week_payload(demo, **changes))

    assert response.status_code == 200
    html = response.content.decode()
    if label == "日期":  # a special day's error sits under its own row, and the summary names the special days
        assert f'<div class="error" id="id_special-0-date_error"><small>{message}</small></div>' in html
        assert "<strong>主题日</strong>：主题日 2021-09-01 不在活动周之内。" in html
    else:
        assert error_line(label, message) in html
    assert (*counts(), Schedule.objects.count()) == before


def test_a_report_org_outside_the_organizer_subtree_is_refused(demo, client_for):
    client = client_for(demo.user("national_admin"))
    payload = week_payload(demo, report_orgs=[demo.org("320100").pk, demo.org("360100").pk])
    before = counts()

    response = client.post(reverse("eventweek:manage_week_new"), payload)

    assert error_line("每日报送单位", "每日报送单位必须是主办单位或其下级单位：南昌市机关事务管理局。") in (
        response.content.decode()
    )
    assert counts() == before


def test_a_parent_week_of_another_province_is_not_offered(demo, client_for):
    jiangxi_week = Week.objects.create(
        slug="2020-jiangxi",
        title="2020年江西省公共机构节能宣传周",
        theme="绿水青山，节能增效",
        start_date=datetime.date(2020, 6, 29),
        end_date=datetime.date(2020, 7, 5),
        organizer=demo.org("360000"),
        publish_at=datetime.datetime(2020, 6, 25, 9, tzinfo=SHANGHAI),
    )
    client = client_for(demo.user("jiangsu_admin"))

    response = client.post(reverse("eventweek:manage_week_new"), week_payload(demo, parent=jiangxi_week.pk))

    assert error_line("上级活动周", "请选择本单位、上级或下级单位主办的活动周。") in response.content.decode()
    assert list(response.context["form"].fields["parent"].queryset) == [demo.jiangsu, demo.national]
    assert not Week.objects.filter(slug="2021-jiangsu").exists()


def edit_payload(week, **changes):
    """The Jiangsu week's edit form as the browser would post it back untouched."""
    data = {
        "title": week.title,
        "edition": "30",
        "theme": week.theme,
        "start_date": "2020-06-29",
        "end_date": "2020-07-05",
        "organizer": week.organizer_id,
        "parent": week.parent_id,
        "description": week.description,
        "publish_at": "2020-06-25T09:00",
        "reminder_minutes": "60",
        "report_orgs": list(week.report_orgs.values_list("pk", flat=True)),
        "daily_cutoff": "16:00",
        "daily_reminder_time": "15:00",
        "summary_due_at": "2020-07-10T00:00",
        "summary_char_limit": "2000",
        "summary_mailbox": week.summary_mailbox,
        "department_summary_mailbox": "",
        "special-TOTAL_FORMS": "3",
        "special-INITIAL_FORMS": "1",
        "special-0-date": "2020-07-02",
        "special-0-name": "全国低碳日 · 能源紧缺体验日",
        "special-0-theme": "绿色低碳，全面小康",
        "special-1-date": "",
        "special-1-name": "",
        "special-1-theme": "",
        "special-2-date": "",
        "special-2-name": "",
        "special-2-theme": "",
    }
    data.update(changes)
    return data


def test_saving_a_week_untouched_keeps_its_special_day_and_reporters(demo, admin):
    week = demo.jiangsu
    day_pk = week.special_days.get().pk

    response = admin.post(reverse("eventweek:manage_week_edit", args=[week.slug]), edit_payload(week))

    assert response.status_code == 302
    assert list(week.special_days.values_list("pk", "date", "name", "theme")) == [
        (day_pk, datetime.date(2020, 7, 2), "全国低碳日 · 能源紧缺体验日", "绿色低碳，全面小康")
    ]
    assert week.report_orgs.count() == 13


def test_a_special_day_marked_for_deletion_is_removed(demo, admin):
    week = demo.jiangsu

    admin.post(
        reverse("eventweek:manage_week_edit", args=[week.slug]), edit_payload(week, **{"special-0-DELETE": "on"})
    )

    assert week.special_days.count() == 0


def test_a_taken_slug_is_refused_by_name(demo, admin):
    before = counts()

    response = admin.post(reverse("eventweek:manage_week_new"), week_payload(demo, slug="2020-jiangsu"))

    assert error_line("网址标识", "具有 网址标识 的 宣传活动 已存在。") in response.content.decode()
    assert counts() == before


def test_an_unknown_week_slug_is_404_even_for_the_national_admin(demo, client_for):
    client = client_for(demo.user("national_admin"))

    assert client.get(reverse("eventweek:manage_week", args=["2123-nowhere"])).status_code == 404
    assert client.get(reverse("eventweek:manage_week_edit", args=["2123-nowhere"])).status_code == 404
