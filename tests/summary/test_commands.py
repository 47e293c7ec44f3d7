"""compile_summary writes the province's summary from the demo data (make run's demo, every app's loader)."""

import pytest
from django.core.management import CommandError, call_command
from docx import Document

from eventweek.demo import load_all
from eventweek.models import Org, Week
from reporting.summary.wordcount import count_chars


@pytest.fixture
def full_demo(db):
    load_all()


def test_compile_summary_writes_the_provinces_summary_from_the_demo(full_demo, tmp_path, capsys):
    out = tmp_path / "jiangsu.docx"

    call_command("compile_summary", "2020-jiangsu", "320000", "--out", str(out))

    document = Document(str(out))
    texts = [p.text for p in document.paragraphs if p.text]
    body = "\n".join(texts)
    count = sum(count_chars(t) for t in texts)
    assert texts[0] == "江苏省机关事务管理局关于2020年公共机构节能宣传周活动开展情况的总结"
    assert [t for t in texts if t in {"一、基本情况", "二、主要做法和亮点", "三、取得成效", "四、下一步打算"}] == [
        "一、基本情况",
        "二、主要做法和亮点",
        "三、取得成效",
        "四、下一步打算",
    ]
    for phrase in [
        "“绿水青山，节能增效”",
        "“绿色低碳，全面小康”",
        "“云启动”",
        "“云课堂”",
        "“云兑换”",
        "“云直播”",
        "“云竞答”",
        "能源紧缺体验日",
        "节能公益短信宣传",
        "（四）各地总结情况。",
    ]:
        assert phrase in body
    assert count <= 2000
    from quiz.services.participation import participation_by_org

    province = participation_by_org(Week.objects.get(slug="2020-jiangsu"), [Org.objects.get(code="320000")])[0]
    assert province["count"] > 0
    assert f"“云竞答”活动中，全省共{province['count']}人次参与" in body
    assert len(document.inline_shapes) >= 1
    assert capsys.readouterr().out.strip() == f"{texts[0]}：{count} 字 → {out}（{out.stat().st_size} 字节）"


def test_compile_summary_names_a_wrong_week_or_org(full_demo, tmp_path):
    with pytest.raises(CommandError, match="没有网址标识为 2021-jiangsu 的活动周。"):
        call_command("compile_summary", "2021-jiangsu", "320000", "--out", str(tmp_path / "x.docx"))
    with pytest.raises(CommandError, match="没有代码为 329999 的单位。"):
        call_command("compile_summary", "2020-jiangsu", "329999", "--out", str(tmp_path / "x.docx"))
    with pytest.raises(CommandError, match="江西省机关事务管理局不撰写2020年江苏省公共机构节能宣传周的总结。"):
        call_command("compile_summary", "2020-jiangsu", "360000", "--out", str(tmp_path / "x.docx"))
