"""The printable A4 poster of QR codes and the public changelog."""

import datetime
import re
from zoneinfo import ZoneInfo

import time_machine
from django.contrib.staticfiles import finders

from eventweek.models import Activity
from eventweek.services.changes import cancel_activity, save_activity
from tests.eventweek.test_qr_codes import decode_svg

SH = ZoneInfo("Asia/Shanghai")
INLINE_SVG = re.compile(r"<svg .*?</svg>", re.S)


def test_poster_holds_every_activity_with_a_qr_code_that_decodes_to_its_target(demo, client, settings):
    settings.SITE_URL = "https://jieneng.example.cn"

    response = client.get("/weeks/2020-jiangsu/poster/")

    items = response.context["items"]
    assert len(items) == 9
    svgs = INLINE_SVG.findall(response.content.decode())
    assert len(svgs) == 9
    decoded = [decode_svg(svg) for svg in svgs]
    expected = [[item["activity"].target_url(demo.jiangsu)] for item in items]
    assert decoded == expected
    assert ["https://yunketang.example.cn/2020/jieneng"] in decoded
    launch = Activity.objects.get(week=demo.national, kind=Activity.Kind.LAUNCH)
    assert [f"https://jieneng.example.cn/weeks/2020-jiangsu/activities/{launch.pk}/"] in decoded


def test_poster_has_a_print_button_driven_by_a_static_script_and_an_a4_page(demo, client):
    html = client.get("/weeks/2020-national/poster/").content.decode()

    assert '<button type="button" class="btn primary" data-print>打印海报</button>' in html
    assert '<script src="/static/js/public.js" defer></script>' in html
    assert "onclick" not in html
    assert "<style" not in html
    script = open(finders.find("js/public.js"), encoding="utf-8").read()
    assert "window.print()" in script
    css = open(finders.find("css/public.css"), encoding="utf-8").read()
    assert "@page { size: A4; margin: 12mm; }" in css


def test_poster_marks_cancelled_activities(demo, client):
    tianjin = Activity.objects.get(week=demo.national, title="“云直播”：天津市机关事务管理局经验分享")
    cancel_activity(tianjin, reason="场地维修")

    html = client.get("/weeks/2020-national/poster/").content.decode()

    assert "<del>“云直播”：天津市机关事务管理局经验分享</del> （已取消）" in html


def test_changes_page_is_empty_before_any_change(demo, client):
    response = client.get("/weeks/2020-national/changes/")

    assert response.context["changes"] == []
    assert "发布以来没有变更。" in response.content.decode()


def test_changes_page_shows_when_which_activity_old_and_new_and_the_sequence(demo, client):
    launch = Activity.objects.get(week=demo.national, kind=Activity.Kind.LAUNCH)
    with time_machine.travel(datetime.datetime(2020, 6, 27, 15, 30, tzinfo=SH), tick=False):
        launch.start = datetime.datetime(2020, 6, 29, 10, 0, tzinfo=SH)
        launch.end = datetime.datetime(2020, 6, 29, 11, 0, tzinfo=SH)
        save_activity(launch)

    response = client.get("/weeks/2020-national/changes/")

    html = response.content.decode()
    assert [(c.activity_id, c.action, c.sequence) for c in response.context["changes"]] == [(launch.pk, "changed", 1)]
    assert '<time datetime="2020-06-27T15:30:00+08:00">6月27日 周六 15:30</time>' in html
    assert '<span class="badge amber">变更</span>' in html
    assert "版本 1" in html
    assert f'<a href="/weeks/2020-national/activities/{launch.pk}/">{launch.title}</a>' in html
    assert (
        '<li><span class="change-label">开始时间</span><del>6月29日 周一 09:00</del> → <ins>6月29日 周一 10:00</ins></li>'
        in html
    )
    assert (
        '<li><span class="change-label">结束时间</span><del>6月29日 周一 10:00</del> → <ins>6月29日 周一 11:00</ins></li>'
        in html
    )


def test_jiangsu_changes_include_the_national_ones_linked_through_the_jiangsu_week(demo, client):
    quiz = Activity.objects.get(week=demo.national, kind=Activity.Kind.QUIZ)
    cancel_activity(quiz, reason="场地维修")
    sms = Activity.objects.get(week=demo.jiangsu, title="节能公益短信宣传")
    sms.platform = "手机短信、政务微信"
    save_activity(sms)

    response = client.get("/weeks/2020-jiangsu/changes/")

    html = response.content.decode()
    changes = response.context["changes"]
    assert [(c.activity.title, c.action, c.sequence) for c in changes] == [  # newest first
        ("节能公益短信宣传", "changed", 1),
        ("“云竞答”：节约能源资源和生态环境保护有奖竞答", "cancelled", 1),
    ]
    assert f'href="/weeks/2020-jiangsu/activities/{quiz.pk}/"' in html
    assert '<span class="badge red">取消</span>' in html
    assert "<del>按计划</del> → <ins>已取消</ins>" in html
    assert "<del>手机短信</del> → <ins>手机短信、政务微信</ins>" in html
    assert html.count("来自 2020年全国公共机构节能宣传周") == 1
    # The national page does not show the province's changes.
    national = client.get("/weeks/2020-national/changes/").context["changes"]
    assert [c.activity_id for c in national] == [quiz.pk]
