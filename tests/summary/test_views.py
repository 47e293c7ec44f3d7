"""The summary pages: the org's own users edit, the orgs above read what was submitted, everybody else gets 404."""

import io

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from docx import Document
from PIL import Image

from reporting.models.summaries import Summary, SummaryPicture, SummarySubmission, SummaryVersion
from reporting.summary.services.editing import start_summary
from reporting.summary.services.submission import submit_summary
from tests.summary.conftest import local

NOW = local(2020, 7, 8, 10, 0)


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel(NOW, tick=False):
        yield


def edit_url(code="320100", slug="2020-jiangsu"):
    return reverse("reporting:summary_edit", args=[slug, code])


def png(color=(200, 30, 30)) -> io.BytesIO:
    out = io.BytesIO()
    Image.new("RGB", (400, 300), color).save(out, "PNG")
    out.seek(0)
    out.name = "photo.png"
    return out


def form_data(summary, **extra):
    data = {"title": summary.title, "body": summary.body, "action": "save", "version": summary.version}
    for picture in summary.pictures.all():
        data[f"caption_{picture.pk}"] = picture.caption
    data.update(extra)
    return data


def messages_of(response):
    return [str(m) for m in response.context["messages"]]


def open_editor(client, code="320100"):
    """Press 生成初稿 on the empty editor page, as the office does the first time."""
    return client.post(edit_url(code), {"action": "start"}, follow=True)


def test_opening_the_editor_makes_nothing_until_the_draft_button_is_pressed(reports, client_for):
    client = client_for(reports.user("nanjing_reporter"))

    page = client.get(edit_url())

    assert page.status_code == 200
    assert page.templates[0].name == "reporting/summary/start.html"
    assert 'name="action" value="start"' in page.content.decode()
    assert "生成初稿" in page.content.decode()
    assert (Summary.objects.count(), SummaryVersion.objects.count(), SummaryPicture.objects.count()) == (0, 0, 0)


def test_the_owner_opens_the_editor_with_a_compiled_draft(reports, client_for):
    response = open_editor(client_for(reports.user("nanjing_reporter")))

    summary = Summary.objects.get(week=reports.jiangsu, org=reports.org("320100"))
    assert response.status_code == 200
    assert messages_of(response) == ["已生成初稿（第 1 版），请修改后保存或报送。"]
    assert (
        response.context["form"]["title"].value()
        == "南京市机关事务管理局关于2020年公共机构节能宣传周活动开展情况的总结"
    )
    assert list(summary.versions.values_list("number", "note")) == [(1, "系统生成初稿")]
    assert [p.caption for p in summary.pictures.all()] == ["南京市节约型机关创建启动会现场"]
    assert f"字数 <strong data-count>{summary.char_count}</strong> / 2000" in response.content.decode()


def test_the_parent_org_sees_a_summary_only_once_submitted(reports, client_for):
    summary = start_summary(reports.jiangsu, reports.org("320100"))
    client = client_for(reports.user("jiangsu_admin"))

    assert client.get(edit_url()).status_code == 404
    assert client.get(reverse("reporting:summary_docx", args=["2020-jiangsu", "320100"])).status_code == 404

    submit_summary(summary)
    response = client.get(edit_url())
    assert response.status_code == 200
    assert response.templates[0].name == "reporting/summary/detail.html"
    assert response.context["version"].number == 1
    assert [caption for _, caption in response.context["pictures"]] == ["南京市节约型机关创建启动会现场"]
    picture = response.context["pictures"][0][0]
    image = client.get(reverse("reporting:summary_picture", args=["2020-jiangsu", "320100", picture.pk]))
    assert (image.status_code, image["Content-Type"]) == (200, "image/jpeg")
    assert Image.open(io.BytesIO(b"".join(image.streaming_content))).size == (800, 600)
    docx = client.get(reverse("reporting:summary_docx", args=["2020-jiangsu", "320100"]))
    assert Document(io.BytesIO(docx.content)).paragraphs[0].text == summary.title
    # The drafts' history stays with the office.
    assert client.get(reverse("reporting:summary_versions", args=["2020-jiangsu", "320100"])).status_code == 404


@pytest.mark.parametrize("outsider", ["wuxi_reporter", "jiangxi_admin"])
def test_outsiders_get_404_everywhere(reports, client_for, outsider):
    summary = start_summary(reports.jiangsu, reports.org("320100"))
    submit_summary(summary)
    client = client_for(reports.user(outsider))
    picture = summary.pictures.first()

    urls = [
        edit_url(),
        reverse("reporting:summary_docx", args=["2020-jiangsu", "320100"]),
        reverse("reporting:summary_versions", args=["2020-jiangsu", "320100"]),
        reverse("reporting:summary_version", args=["2020-jiangsu", "320100", 1]),
        reverse("reporting:summary_picture", args=["2020-jiangsu", "320100", picture.pk]),
        reverse("reporting:summary_board", args=["2020-jiangsu"]),
    ]
    assert [client.get(url).status_code for url in urls] == [404] * len(urls)
    assert client.post(edit_url(), form_data(summary, body="改写")).status_code == 404
    assert Summary.objects.get(pk=summary.pk).body == summary.body


def test_a_city_cannot_open_the_provinces_summary_or_board(reports, client_for):
    client = client_for(reports.user("nanjing_reporter"))

    assert client.get(edit_url("320000")).status_code == 404
    assert client.get(reverse("reporting:summary_board", args=["2020-jiangsu"])).status_code == 404


def test_over_the_limit_saves_a_draft_and_refuses_submission(reports, client_for, django_capture_on_commit_callbacks):
    client = client_for(reports.user("nanjing_reporter"))
    open_editor(client)
    summary = Summary.objects.get(org__code="320100")
    long_body = "一、基本情况\n" + "节能" * 1100

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(edit_url(), form_data(summary, body=long_body, action="submit"), follow=True)

    summary.refresh_from_db()
    expected = summary.char_count
    assert expected == 2000 + summary.excess and summary.excess > 0
    assert summary.body == long_body
    assert summary.version == 2
    assert SummarySubmission.objects.count() == 0
    assert messages_of(response) == [
        f"总结共 {expected} 字，超过上限 2000 字（超出 {summary.excess} 字），已保存为草稿，删减后才能报送。"
    ]
    page = response.content.decode()
    assert f"超出 {summary.excess} 字，超出上限不能报送" in page
    assert "data-needs-limit disabled" in page


def test_a_file_that_is_not_an_image_is_refused_and_nothing_changes(reports, client_for):
    client = client_for(reports.user("nanjing_reporter"))
    open_editor(client)
    summary = Summary.objects.get(org__code="320100")
    fake = io.BytesIO(b"%PDF-1.4 this is not a picture")
    fake.name = "huodong.jpg"

    response = client.post(edit_url(), form_data(summary, body="改写的正文", upload=fake))

    assert response.status_code == 200
    assert (
        "<li><strong>上传图片</strong>：“huodong.jpg”不是有效的图片文件，请上传 JPEG、PNG 或 WebP 图片。</li>"
        in response.content.decode()
    )
    summary.refresh_from_db()
    assert (summary.version, SummaryVersion.objects.count(), SummaryPicture.objects.count()) == (1, 1, 1)
    assert summary.body != "改写的正文"


def test_an_uploaded_picture_and_its_caption_are_saved_and_counted(reports, client_for):
    client = client_for(reports.user("nanjing_reporter"))
    open_editor(client)
    summary = Summary.objects.get(org__code="320100")
    before = summary.char_count

    client.post(edit_url(), form_data(summary, upload=png(), upload_caption="能源紧缺体验日 绿色出行"))

    summary.refresh_from_db()
    assert [p.caption for p in summary.pictures.all()] == ["南京市节约型机关创建启动会现场", "能源紧缺体验日 绿色出行"]
    assert summary.char_count == before + 11
    assert summary.versions.first().pictures[1]["caption"] == "能源紧缺体验日 绿色出行"


def test_removing_a_picture_and_restoring_a_version(reports, client_for):
    client = client_for(reports.user("nanjing_reporter"))
    open_editor(client)
    summary = Summary.objects.get(org__code="320100")
    picture = summary.pictures.get()

    client.post(edit_url(), form_data(summary, title="新标题", **{f"drop_{picture.pk}": "on"}), follow=True)
    same = client.post(reverse("reporting:summary_restore", args=["2020-jiangsu", "320100", 2]), follow=True)
    client.post(reverse("reporting:summary_restore", args=["2020-jiangsu", "320100", 1]))

    summary.refresh_from_db()
    assert messages_of(same) == ["当前内容与第 2 版相同，无需恢复。"]
    assert (summary.title, summary.pictures.current().count(), summary.version) == (
        "南京市机关事务管理局关于2020年公共机构节能宣传周活动开展情况的总结",
        1,
        3,
    )
    assert list(summary.versions.order_by("number").values_list("number", "title", "note")) == [
        (1, "南京市机关事务管理局关于2020年公共机构节能宣传周活动开展情况的总结", "系统生成初稿"),
        (2, "新标题", "保存"),
        (3, "南京市机关事务管理局关于2020年公共机构节能宣传周活动开展情况的总结", "恢复第 1 版"),
    ]


def test_choosing_a_highlight_picture_copies_it_with_its_caption(reports, client_for):
    client = client_for(reports.user("jiangsu_admin"))
    with time_machine.travel(NOW, tick=False):
        summary = start_summary(reports.jiangsu, reports.org("320000"))
    summary.pictures.all().delete()

    page = client.get(edit_url("320000"))
    candidates = page.context["candidates"]
    client.post(edit_url("320000"), form_data(summary, picks=[candidates[0]["key"]]))

    assert [(c["caption"]) for c in candidates] == ["南京市节约型机关创建启动会现场"]
    assert list(summary.pictures.values_list("caption", "source")) == [
        ("南京市节约型机关创建启动会现场", f"亮点图片 {candidates[0]['picture'].pk}")
    ]


def test_submitting_records_the_submission_and_emails_the_docx(reports, client_for, django_capture_on_commit_callbacks):
    client = client_for(reports.user("nanjing_reporter"))
    open_editor(client)
    summary = Summary.objects.get(org__code="320100")

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(edit_url(), form_data(summary, action="submit"), follow=True)

    submission = SummarySubmission.objects.get()
    assert messages_of(response) == ["已报送（第 1 版）至江苏省机关事务管理局。"]
    assert (submission.version.number, submission.is_late, submission.status, submission.submitted_at) == (
        1,
        False,
        SummarySubmission.MailStatus.SENT,
        NOW,
    )
    assert [(m.to, m.attachments[0][0]) for m in mail.outbox] == [
        (["jnc@jsjgsw.example.cn"], "南京市机关事务管理局2020年江苏省公共机构节能宣传周总结.docx")
    ]
    assert 'data-mail-status="pending"' in response.content.decode()  # the page came before the commit
    assert 'data-mail-status="sent"' in client.get(edit_url()).content.decode()


def test_the_board_lists_the_cities_with_their_status(reports, client_for):
    for code, when in [("320100", local(2020, 7, 8, 9, 0)), ("320200", local(2020, 7, 10, 8, 0))]:
        with time_machine.travel(when, tick=False):
            submit_summary(start_summary(reports.jiangsu, reports.org(code)))

    with time_machine.travel(local(2020, 7, 11), tick=False):
        response = client_for(reports.user("jiangsu_admin")).get(
            reverse("reporting:summary_board", args=["2020-jiangsu"])
        )

    rows = response.context["rows"]
    assert [(r.org.code, r.status_label) for r in rows[:3]] == [
        ("320100", "按时报送"),
        ("320200", "逾期报送"),
        ("320300", "未报送（已逾期）"),
    ]
    assert response.context["counts"] == {"on_time": 1, "late": 1, "missing": 11, "open": 0}
    assert edit_url("320100") in response.content.decode()


def test_the_board_costs_the_same_queries_however_many_have_submitted(reports, django_assert_num_queries):
    from reporting.summary.services.deadlines import summary_board

    with django_assert_num_queries(4):
        summary_board(reports.jiangsu)
    for code in ["320100", "320200", "320300", "320400"]:
        submit_summary(start_summary(reports.jiangsu, reports.org(code)))
    with django_assert_num_queries(4):
        rows = summary_board(reports.jiangsu)
    assert sum(1 for r in rows if r.first) == 4


def test_my_summaries_page_lists_the_week_to_write(reports, client_for):
    response = client_for(reports.user("jiangsu_admin")).get(reverse("reporting:summary_index"))

    assert [(r["week"].slug, r["receiving"].slug, r["label"]) for r in response.context["rows"]] == [
        ("2020-jiangsu", "2020-national", "未报送")
    ]
    assert [w.slug for w in response.context["boards"]] == ["2020-jiangsu"]
