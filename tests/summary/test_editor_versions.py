"""The summary editor never loses an update silently, makes no identical versions, and says what the receiver has."""

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from eventweek.errors import DomainError
from reporting.models.summaries import Summary, SummarySubmission
from reporting.summary.services.editing import save_summary, start_summary
from reporting.summary.services.submission import submit_summary
from reporting.summary.wordcount import count_document
from tests.summary.conftest import local
from tests.summary.test_views import edit_url, form_data, messages_of, open_editor

NOW = local(2020, 7, 8, 10, 0)


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel(NOW, tick=False):
        yield


def _versions(summary):
    return list(summary.versions.order_by("number").values_list("number", flat=True))


def test_a_save_from_a_tab_opened_on_an_older_version_is_refused_and_keeps_its_text(reports, client_for):
    client = client_for(reports.user("nanjing_reporter"))
    open_editor(client)
    summary = Summary.objects.get()
    first_tab = form_data(summary, body=summary.body + "\n第一个窗口补充的段落。")
    second_tab = form_data(summary, body=summary.body + "\n第二个窗口补充的段落。")  # both opened on version 1

    client.post(edit_url(), first_tab)
    response = client.post(edit_url(), second_tab)

    assert response.status_code == 200
    page = response.content.decode()
    assert (
        "这份总结已被他人修改并保存（现为第 2 版，您编辑的是第 1 版）。为避免覆盖，您的修改没有保存，文字仍保留在下面："
        "请另开窗口查看最新内容，合并后再保存。"
    ) in page
    assert "第二个窗口补充的段落。</textarea>" in page  # the refused text is still in the form
    assert 'name="version" value="1"' in page  # saving it again is refused again until merged
    summary.refresh_from_db()
    assert (summary.version, summary.body.endswith("第一个窗口补充的段落。"), _versions(summary)) == (2, True, [1, 2])


def test_a_submit_from_an_older_tab_is_refused_too_and_nothing_is_sent(reports, client_for):
    client = client_for(reports.user("nanjing_reporter"))
    open_editor(client)
    summary = Summary.objects.get()
    stale = form_data(summary, body=summary.body + "\n旧窗口的修改。", action="submit")
    client.post(edit_url(), form_data(summary, body=summary.body + "\n新窗口的修改。"))

    response = client.post(edit_url(), stale)

    assert "现为第 2 版，您编辑的是第 1 版" in response.content.decode()
    assert SummarySubmission.objects.count() == 0
    assert _versions(summary) == [1, 2]


def test_a_save_without_changes_adds_no_version(reports, client_for):
    client = client_for(reports.user("nanjing_reporter"))
    open_editor(client)
    summary = Summary.objects.get()

    response = client.post(edit_url(), form_data(summary), follow=True)

    assert messages_of(response) == ["内容没有修改，未生成新版本（仍为第 1 版）。"]
    assert _versions(summary) == [1]


def test_a_refused_submit_adds_no_identical_version(reports, client_for):
    client = client_for(reports.user("nanjing_reporter"))
    open_editor(client)
    summary = Summary.objects.get()
    long_body = "一、基本情况\n" + "节能" * 1100

    client.post(edit_url(), form_data(summary, body=long_body, action="submit"), follow=True)  # saved: v2, refused
    summary.refresh_from_db()
    again = client.post(edit_url(), form_data(summary, action="submit"), follow=True)

    assert messages_of(again) == [
        f"总结共 {summary.char_count} 字，超过上限 2000 字（超出 {summary.excess} 字），已保存为草稿，删减后才能报送。"
    ]
    assert _versions(summary) == [1, 2]
    assert SummarySubmission.objects.count() == 0


def test_after_submission_the_page_says_which_version_went_when_and_to_whom(reports, client_for):
    client = client_for(reports.user("nanjing_reporter"))
    open_editor(client)
    summary = Summary.objects.get()
    client.post(edit_url(), form_data(summary, action="submit"))

    page = client.get(edit_url()).content.decode()

    assert (
        "已于 <strong>7月8日 周三 10:00</strong> 将<strong>第 1 版</strong>报送江苏省机关事务管理局"
        "（邮件发送至 jnc@jsjgsw.example.cn），报送人 南京市报送员。"
    ) in page
    assert '<span data-changed-since="no">当前内容与已报送的第 1 版相同。</span>' in page
    assert ">保存并重新报送江苏</button>" in page


def test_an_edit_after_submission_is_a_new_draft_to_send_again_and_the_receiver_keeps_what_it_got(reports, client_for):
    office = client_for(reports.user("nanjing_reporter"))
    province = Client()
    province.force_login(reports.user("jiangsu_admin"))
    open_editor(office)
    summary = Summary.objects.get()
    office.post(edit_url(), form_data(summary, action="submit"))
    summary.refresh_from_db()

    office.post(edit_url(), form_data(summary, body=summary.body + "\n报送后补充的一句。"))
    page = office.get(edit_url()).content.decode()
    received = province.get(edit_url()).content.decode()

    assert (
        "<strong data-changed-since>当前内容为第 2 版草稿，报送后已修改，江苏省机关事务管理局收到的仍是第 1 版；"
        "修改完成后请“重新报送”。</strong>"
    ) in page
    docx = reverse("reporting:summary_docx", args=["2020-jiangsu", "320100"])
    assert f'<a class="btn small" href="{docx}?version=1">下载已报送的第 1 版</a>' in page
    assert "报送后补充的一句。" not in received  # the province reads version 1, not the draft

    summary.refresh_from_db()
    resent = office.post(edit_url(), form_data(summary, action="submit"), follow=True)

    assert messages_of(resent) == ["已报送（第 2 版）至江苏省机关事务管理局。"]
    assert list(SummarySubmission.objects.order_by("pk").values_list("version__number", flat=True)) == [1, 2]
    assert "报送后补充的一句。" in province.get(edit_url()).content.decode()


def _body_for(summary, total: int) -> str:
    """A body that makes the summary exactly `total` characters (title and captions included)."""
    captions = list(summary.pictures.current().values_list("caption", flat=True))
    return "节" * (total - count_document(summary.title, "", captions))


def test_a_summary_of_exactly_the_limit_can_be_submitted(reports):
    summary = start_summary(reports.jiangsu, reports.org("320100"))
    save_summary(summary, title=summary.title, body=_body_for(summary, 2000))
    summary.refresh_from_db()

    submission = submit_summary(summary)

    assert (summary.char_count, summary.char_limit, summary.is_over_limit) == (2000, 2000, False)
    assert (submission.version.number, submission.char_count) == (2, 2000)


def test_a_summary_one_character_over_the_limit_cannot_be_submitted(reports):
    summary = start_summary(reports.jiangsu, reports.org("320100"))
    save_summary(summary, title=summary.title, body=_body_for(summary, 2001))
    summary.refresh_from_db()

    with pytest.raises(DomainError) as refused:
        submit_summary(summary)

    assert (summary.char_count, summary.is_over_limit, summary.excess) == (2001, True, 1)
    assert str(refused.value) == "总结共 2001 字，超过上限 2000 字（超出 1 字），已保存为草稿，删减后才能报送。"
    assert SummarySubmission.objects.count() == 0
