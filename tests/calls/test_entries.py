import io

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from calls.forms import CallForm
from calls.models import Entry
from calls.services.entries import (
    add_picture,
    limits_of,
    save_entry,
    start_entry,
    submission_problems,
    submit_entry,
)
from eventweek.errors import DomainError

CASE = {
    "title": "机关食堂制止餐饮浪费",
    "theme": "制止餐饮浪费",
    "direction": "制止餐饮浪费",
    "abstract": "摘" * 230,
    "keywords": "公共机构",
    "basic": "节" * 650,
    "measures": "约" * 650,
    "results": "能" * 650,
    "experience": "源" * 650,
}


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), "green").save(out, "PNG")
    return out.getvalue()


def test_a_case_of_2600_body_and_230_abstract_saves_as_draft_cannot_submit_and_shows_the_excess(jdz):
    court = jdz.user("jdz_court")
    entry = start_entry(jdz.call, Entry.Kind.CASE, org=court.org, user=court)
    save_entry(entry, CASE, user=court)
    entry.refresh_from_db()
    assert entry.state == Entry.State.DRAFT
    assert [(lim.name, lim.count, lim.limit, lim.excess) for lim in limits_of(entry)] == [
        ("body", 2600, 2500, 100),
        ("abstract", 230, 200, 30),
    ]
    assert submission_problems(entry) == [
        "正文 2600 字，超出上限 2500 字 100 字。",
        "摘要 230 字，超出上限 200 字 30 字。",
    ]
    with pytest.raises(DomainError) as refused:
        submit_entry(entry, user=court)
    assert (
        str(refused.value) == "不能提交：正文 2600 字，超出上限 2500 字 100 字。 摘要 230 字，超出上限 200 字 30 字。"
    )
    entry.refresh_from_db()
    assert entry.state == Entry.State.DRAFT and entry.submitted_at is None


def test_the_editor_page_shows_the_excess_and_keeps_every_version(jdz, client_for):
    court = jdz.user("jdz_court")
    entry = start_entry(jdz.call, Entry.Kind.CASE, org=court.org, user=court)
    client = client_for(court)
    post = dict(CASE, version=entry.version, save="1")
    assert client.post(f"/calls/entries/{entry.pk}/", post).status_code == 302
    page = client.get(f"/calls/entries/{entry.pk}/").content.decode()
    assert '<span data-live-count="body">2600</span> / 2500 字 <span data-live-excess="body">超出 100 字</span>' in page
    assert (
        '<span data-live-count="abstract">230</span> / 200 字 <span data-live-excess="abstract">超出 30 字</span>'
        in page
    )
    entry.refresh_from_db()
    assert list(entry.versions.values_list("number", flat=True)) == [1, 2]
    assert entry.versions.get(number=1).content["basic"] == ""
    assert entry.versions.get(number=2).content["basic"] == "节" * 650


def test_two_tabs_a_save_from_the_older_version_is_refused_and_its_text_kept(jdz, client_for):
    court = jdz.user("jdz_court")
    entry = start_entry(jdz.call, Entry.Kind.CASE, org=court.org, user=court)
    opened = entry.version
    client = client_for(court)
    client.post(f"/calls/entries/{entry.pk}/", dict(CASE, title="第一个窗口", version=opened, save="1"))
    page = client.post(f"/calls/entries/{entry.pk}/", dict(CASE, title="第二个窗口", version=opened, save="1"))
    assert page.status_code == 200
    text = page.content.decode()
    assert "这份作品已在别处修改并保存（现为第 2 版，您编辑的是第 1 版）。" in text
    assert 'value="第二个窗口"' in text
    entry.refresh_from_db()
    assert entry.title == "第一个窗口" and entry.version == 2


def test_a_direction_not_of_its_theme_is_refused_naming_the_choices(jdz):
    court = jdz.user("jdz_court")
    entry = start_entry(jdz.call, Entry.Kind.CASE, org=court.org, user=court)
    with pytest.raises(ValidationError) as refused:
        save_entry(entry, dict(CASE, theme="生活垃圾分类", direction="绿色出行"), user=court)
    assert refused.value.message_dict == {
        "direction": ["方向“绿色出行”不属于主题“生活垃圾分类”，可选：生活垃圾分类、废旧物品循环利用。"]
    }
    entry.refresh_from_db()
    assert entry.version == 1 and entry.theme == ""


def test_a_case_from_a_unit_without_the_demonstration_title_is_refused(jdz):
    stats = jdz.user("jdz_stats")
    with pytest.raises(DomainError) as refused:
        start_entry(jdz.call, Entry.Kind.CASE, org=stats.org, user=stats)
    assert (
        str(refused.value)
        == "“景德镇市统计局”没有“节约型公共机构示范单位”或“节约型机关”称号，不能报送案例，可以报送征文。"
    )
    assert start_entry(jdz.call, Entry.Kind.ESSAY, org=stats.org, user=stats).kind == "essay"


def test_a_submission_after_the_deadline_is_accepted_and_marked_late(jdz):
    court = jdz.user("jdz_court")
    entry = start_entry(jdz.call, Entry.Kind.CASE, org=court.org, user=court)
    save_entry(entry, dict(CASE, abstract="摘" * 200, basic="节" * 500), user=court)
    with time_machine.travel("2023-04-30 09:01:00+00:00"):  # 17:01 in Jingdezhen, one minute late
        submit_entry(entry, user=court)
    entry.refresh_from_db()
    assert (entry.state, entry.deadline_status, entry.get_deadline_status_display()) == ("submitted", "late", "迟报")
    on_time = start_entry(jdz.call, Entry.Kind.ESSAY, org=court.org, user=court)
    save_entry(on_time, {"title": "征文", "body": "正文", "authors": [{"name": "甲", "unit": "乙", "contact": "1"}]})
    with time_machine.travel("2023-04-30 09:00:00+00:00"):
        submit_entry(on_time)
    on_time.refresh_from_db()
    assert on_time.deadline_status == "on_time"


def test_a_picture_that_is_not_an_image_is_refused_and_a_real_one_kept_with_its_caption(jdz):
    court = jdz.user("jdz_court")
    entry = start_entry(jdz.call, Entry.Kind.CASE, org=court.org, user=court)
    with pytest.raises(ValidationError) as refused:
        add_picture(entry, SimpleUploadedFile("食堂.jpg", b"%PDF-1.4 not a picture"), "食堂")
    assert list(refused.value.message_dict) == ["picture"]
    assert "食堂.jpg" in refused.value.message_dict["picture"][0]
    assert entry.pictures.count() == 0
    picture = add_picture(entry, SimpleUploadedFile("食堂.png", _png()), "改造后的食堂")
    assert (picture.caption, picture.content_type, entry.pictures.count()) == ("改造后的食堂", "image/png", 1)


def test_an_essay_author_without_a_contact_is_refused_naming_the_row(jdz):
    stats = jdz.user("jdz_stats")
    entry = start_entry(jdz.call, Entry.Kind.ESSAY, org=stats.org, user=stats)
    authors = [
        {"name": "赵强", "unit": "统计局", "contact": "0798-1"},
        {"name": "钱七", "unit": "统计局", "contact": ""},
    ]
    with pytest.raises(ValidationError) as refused:
        save_entry(entry, {"title": "征文", "body": "正文", "authors": authors}, user=stats)
    assert refused.value.message_dict == {"authors": ["第 2 位作者：请填写联系方式。"]}


def test_the_seeds_deadline_2123_04_31_is_refused_because_april_has_30_days(jdz):
    form = CallForm(
        {
            "slug": "x",
            "title": "征集",
            "deadline": "2123-04-31",
            "body_limit": 2500,
            "abstract_limit": 200,
            "demo_cases": 1,
            "demo_essays": 1,
            "direct_essays": 1,
            "county_cases": 2,
            "county_essays": 5,
        }
    )
    assert not form.is_valid()
    assert form.errors["deadline"] == ["“2123-04-31”不是有效日期：2123年4月只有30天。"]


def test_an_outsider_files_an_essay_by_phone_and_sees_its_status_by_phone_and_reference(jdz, client):
    start = client.post("/calls/2023-jingdezhen/essay/", {"phone": "139 0000 0018"})
    entry = Entry.objects.get(phone="13900000018")
    assert start["Location"] == f"/calls/essay/{entry.reference}/"
    post = {
        "version": entry.version,
        "title": "我的征文",
        "body": "正文",
        "author1_name": "孙八",
        "author1_unit": "个人",
        "author1_contact": "13900000018",
        "submit": "1",
    }
    assert client.post(start["Location"], post).status_code == 302
    other = type(client)()
    page = other.post("/calls/2023-jingdezhen/status/", {"phone": "13900000018", "reference": entry.reference.lower()})
    assert "<p data-status>《我的征文》：已提交（迟报）</p>" in page.content.decode()
    wrong = other.post("/calls/2023-jingdezhen/status/", {"phone": "13900000019", "reference": entry.reference})
    assert "没有找到与该手机号和查询码对应的作品。" in wrong.content.decode()
