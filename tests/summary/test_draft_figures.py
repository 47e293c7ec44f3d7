"""Every figure the compiled draft prints, on fixed data, with the exact sentence it is printed in."""

import time_machine

from eventweek.models import Org
from reporting.models.reports import Highlight, ReportItem
from reporting.summary.draft.facts import gather
from reporting.summary.draft.prose import Detail, compile_draft, write_body
from reporting.summary.services.editing import start_summary
from reporting.summary.services.submission import submit_summary
from tests.quiz.conftest import DURING, make_quiz, start
from tests.summary.conftest import local

AFTER_WEEK = local(2020, 7, 6, 10, 0)


def _quiz_with_participants(demo):
    """Every Jiangsu unit 100 staff, 苏州 unknown; 8 participants: 省局 2, 南京 3, 常州 1, 武进人民医院 1, 苏州 1."""
    Org.objects.filter(path__startswith=demo.org("320000").path).update(headcount=100)
    Org.objects.filter(code="320500").update(headcount=None)
    quiz = make_quiz(demo.jiangsu)
    phones = iter(f"1390000{n:04d}" for n in range(100))
    for code, n in [("320000", 2), ("320100", 3), ("320400", 1), ("320412001", 1), ("320500", 1)]:
        for _ in range(n):
            start(quiz, demo, next(phones), org=code, now=DURING)
    return quiz


def _all_items_highlighted(demo):
    """The kick-off is a highlight already (the fixture); the other three items become highlights too."""
    for item in ReportItem.objects.exclude(highlight__isnull=False).select_related("report").order_by("pk"):
        Highlight.objects.create(week=demo.jiangsu, item=item, day=item.report.day, comment="做法可推广。")


def _lines(reports):
    return compile_draft(reports.jiangsu, reports.org("320000")).body.splitlines()


@time_machine.travel(AFTER_WEEK, tick=False)
def test_province_draft_prints_reports_activities_participants_and_recycling_exactly(reports):
    lines = _lines(reports)

    # 13 reporting cities × 7 days = 91 due; 南京 6/29 and 无锡 6/29 before the 16:00 cutoff, 南京 6/30 at 17:05.
    assert lines[2] == (
        "宣传周期间，13个单位每日报送活动信息，应报91期，按时报送2期、迟报1期、缺报88期；共开展各类活动4项，"
        "参与干部职工1000人次，回收废旧物品85.5千克。从活动类型看，开展启动会1项、废旧物品回收1项、讲座培训1项、"
        "展览展示1项。"
    )
    assert (
        "二是活动覆盖面广。全省共开展各类活动4项，参与干部职工1000人次，节约型机关创建和生活垃圾分类工作得到进一步推动。"
        in lines
    )
    assert "三是资源循环利用取得实效。回收废旧物品85.5千克，践行了资源循环利用理念。" in lines


@time_machine.travel(AFTER_WEEK, tick=False)
def test_province_draft_prints_quiz_rates_of_each_subtree_with_their_coverage(reports):
    _quiz_with_participants(reports)

    lines = _lines(reports)

    # 全省: 8 participants, 7 of them in the 17 units with a headcount (1,700): 0.41%. 南京 3/100; 常州 and its
    # 4 units below 2/500; 苏州 has no headcount, so no rate. Not "参与率…" over the provincial bureau's own staff.
    assert next(line for line in lines if line.startswith("一是")) == (
        "一是节约意识明显增强。通过线上线下相结合的宣传，“绿水青山，节能增效”理念深入人心。“云竞答”活动中，"
        "全省共8人次参与，参与率0.4%（覆盖17/18个单位），其中南京3人次（3.0%）、常州2人次（0.4%）、苏州1人次。"
    )


@time_machine.travel(AFTER_WEEK, tick=False)
def test_city_draft_prints_the_rate_of_its_own_subtree(reports):
    _quiz_with_participants(reports)

    lines = compile_draft(reports.jiangsu, reports.org("320400")).body.splitlines()

    assert next(line for line in lines if line.startswith("一是")) == (
        "一是节约意识明显增强。通过线上线下相结合的宣传，“绿水青山，节能增效”理念深入人心。“云竞答”活动中，"
        "全市共2人次参与，参与率0.4%。"
    )


@time_machine.travel(AFTER_WEEK, tick=False)
def test_province_draft_counts_the_highlights_and_describes_each_of_them(reports):
    _all_items_highlighted(reports)

    lines = _lines(reports)

    start = lines.index("（三）突出特色亮点。经审核筛选，宣传周期间共选出亮点活动4项。")
    assert lines[start + 1 : start + 5] == [
        "6月29日，南京开展“节约型机关创建启动会”，参与300人次，召开节约型机关创建启动会，发布节能倡议书。",
        "6月29日，南京开展“废旧物品回收献爱心”，参与120人次，集中回收废旧报纸和硒鼓墨盒。",
        "6月29日，无锡开展“‘十三五’节能成果展”，参与200人次，线上线下同步展出节能成果。",
        "6月30日，南京开展“节能知识讲座”，参与380人次，邀请专家线上讲解节能节水常识。",
    ]
    assert lines[start + 5] == "三、取得成效"


@time_machine.travel(AFTER_WEEK, tick=False)
def test_a_shortened_draft_says_how_many_of_the_counted_highlights_it_describes(reports):
    _all_items_highlighted(reports)

    lines = write_body(gather(reports.jiangsu, reports.org("320000")), Detail(highlights=2)).splitlines()

    start = lines.index("（三）突出特色亮点。经审核筛选，宣传周期间共选出亮点活动4项，择要介绍其中2项。")
    assert lines[start + 1 : start + 3] == [
        "6月29日，南京开展“节约型机关创建启动会”，参与300人次，召开节约型机关创建启动会，发布节能倡议书。",
        "6月29日，南京开展“废旧物品回收献爱心”，参与120人次，集中回收废旧报纸和硒鼓墨盒。",
    ]
    assert lines[start + 3] == "三、取得成效"


def test_each_city_abstract_is_its_own_not_the_opening_every_draft_shares(reports):
    with time_machine.travel(AFTER_WEEK, tick=False):
        _quiz_with_participants(reports)
        for code in ("320100", "320200", "320400"):  # each a compiled draft, all opening with the same sentences
            submit_summary(start_summary(reports.jiangsu, reports.org(code)))
        lines = _lines(reports)

    start = lines.index("（四）各地总结情况。3个单位报送了活动周总结，摘要如下。")
    assert lines[start + 1 : start + 4] == [
        "南京：宣传周7天内应报送每日信息7期，按时报送1期、迟报1期、缺报5期。共开展各类活动3项，参与干部职工800人次，"
        "回收废旧物品85.5千克。",
        "无锡：宣传周7天内应报送每日信息7期，按时报送1期、迟报0期、缺报6期。共开展各类活动1项，参与干部职工200人次。"
        "从活动类型看，开展展览展示1项。",
        "常州：宣传周7天内应报送每日信息7期，按时报送0期、迟报0期、缺报7期。“云竞答”活动中，全市共2人次参与，"
        "参与率0.4%。",
    ]
