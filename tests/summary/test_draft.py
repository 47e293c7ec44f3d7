"""The compiled draft is prose built from the week's data, in the four sections, within the limit."""

import time_machine

from reporting.summary.draft.prose import compile_draft
from reporting.summary.services.editing import save_summary, start_summary
from reporting.summary.services.submission import submit_summary
from tests.summary.conftest import local

AFTER_WEEK = local(2020, 7, 6, 10, 0)
SECTIONS = ["一、基本情况", "二、主要做法和亮点", "三、取得成效", "四、下一步打算"]


def lines_of(draft):
    return draft.body.splitlines()


@time_machine.travel(AFTER_WEEK, tick=False)
def test_province_draft_holds_the_theme_and_the_seeds_activities(reports):
    draft = compile_draft(reports.jiangsu, reports.org("320000"))

    assert draft.title == "江苏省机关事务管理局关于2020年公共机构节能宣传周活动开展情况的总结"
    assert lines_of(draft)[1] == (
        "2020年6月29日至7月5日是第30个全国节能宣传周，宣传主题是“绿水青山，节能增效”。江苏省机关事务管理局按照"
        "国管局节能司部署，坚持节俭办活动、以线上活动为主，组织全省公共机构开展形式多样的节能宣传活动；7月2日为"
        "全国低碳日 · 能源紧缺体验日，主题是“绿色低碳，全面小康”。"
    )
    cloud = next(line for line in lines_of(draft) if line.startswith("（一）"))
    for activity in [
        "6月29日参加“云启动”仪式",
        "6月30日参加“云课堂”",
        "7月1日参加“云兑换”",
        "7月2日观看“云直播”四川省",
        "7月3日观看“云直播”天津市",
        "7月4日至7月5日参加“云竞答”",
    ]:
        assert activity in cloud
    themed = next(line for line in lines_of(draft) if line.startswith("（二）"))
    assert "组织开展“节约型机关创建主题宣传”“节能公益短信宣传”“能源紧缺体验日”等活动" in themed
    assert "南京开展“节约型机关创建启动会”“废旧物品回收献爱心”“节能知识讲座”3项活动" in themed
    assert "无锡开展“‘十三五’节能成果展”1项活动" in themed


@time_machine.travel(AFTER_WEEK, tick=False)
def test_province_draft_has_the_sections_in_order_and_the_figures(reports):
    draft = compile_draft(reports.jiangsu, reports.org("320000"))
    lines = lines_of(draft)

    assert [line for line in lines if line in SECTIONS] == SECTIONS
    assert lines[2] == (
        "宣传周期间，13个单位每日报送活动信息，应报91期，按时报送2期、迟报1期、缺报88期；共开展各类活动4项，"
        "参与干部职工1000人次，回收废旧物品85.5千克。从活动类型看，开展启动会1项、废旧物品回收1项、讲座培训1项、展览展示1项。"
    )
    assert "6月29日，南京开展“节约型机关创建启动会”，参与300人次，召开节约型机关创建启动会，发布节能倡议书。" in lines
    assert "三是资源循环利用取得实效。回收废旧物品85.5千克，践行了资源循环利用理念。" in lines
    assert [(p.caption, p.source.startswith("亮点图片")) for p in draft.pictures] == [
        ("南京市节约型机关创建启动会现场", True)
    ]
    assert draft.char_count <= 2000


@time_machine.travel(AFTER_WEEK, tick=False)
def test_city_draft_counts_only_its_own_reports(reports):
    draft = compile_draft(reports.jiangsu, reports.org("320100"))

    assert draft.title == "南京市机关事务管理局关于2020年公共机构节能宣传周活动开展情况的总结"
    assert lines_of(draft)[2].startswith(
        "宣传周7天内应报送每日信息7期，按时报送1期、迟报1期、缺报5期；共开展各类活动3项，参与干部职工800人次，回收废旧物品85.5千克。"
    )
    assert "组织全市公共机构" in lines_of(draft)[1]


def test_province_draft_quotes_the_cities_submitted_summaries(reports):
    nanjing = reports.org("320100")
    with time_machine.travel(local(2020, 7, 8, 9, 0), tick=False):
        summary = start_summary(reports.jiangsu, nanjing)
        save_summary(
            summary,
            title=summary.title,
            body="一、基本情况\n南京市组织全市机关开展能源紧缺体验，关闭公共区域照明。其余略。",
        )
        submit_summary(summary)
        draft = compile_draft(reports.jiangsu, reports.org("320000"))

    lines = lines_of(draft)
    assert "（四）各地总结情况。1个单位报送了活动周总结，摘要如下。" in lines
    assert "南京：南京市组织全市机关开展能源紧缺体验，关闭公共区域照明。其余略。" in lines


@time_machine.travel(AFTER_WEEK, tick=False)
def test_draft_is_cut_to_a_lower_limit(reports):
    national = reports.national
    national.summary_char_limit = 700
    national.save()

    draft = compile_draft(reports.jiangsu, reports.org("320000"))

    assert draft.char_count <= 700
    assert [line for line in lines_of(draft) if line in SECTIONS] == SECTIONS
    assert "“绿水青山，节能增效”" in lines_of(draft)[1]
