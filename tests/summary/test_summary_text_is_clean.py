"""A summary's free text is clean at the door: a title with a line break (which no e-mail subject can carry) is
refused before anything is saved or submitted; control characters are dropped from the body."""

from django.core import mail

from reporting.models.summaries import Summary, SummarySubmission, SummaryVersion

from .test_views import _clock, edit_url, form_data, open_editor  # noqa: F401  (_clock: the autouse clock)

TITLE = "南京市机关事务管理局关于2020年公共机构节能宣传周活动开展情况的总结"


def test_a_summary_title_with_a_line_break_is_refused_and_nothing_is_saved_or_sent(
    reports, client_for, django_capture_on_commit_callbacks
):
    client = client_for(reports.user("nanjing_reporter"))
    open_editor(client)
    summary = Summary.objects.get(org__code="320100")

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            edit_url(), form_data(summary, title="南京市节能宣传周\r\n活动总结", body="改写的正文", action="submit")
        )

    assert response.status_code == 200
    assert "<li><strong>标题</strong>：“标题”不能包含换行。</li>" in response.content.decode()
    summary.refresh_from_db()
    assert (summary.title, summary.version, summary.body != "改写的正文") == (TITLE, 1, True)
    assert (SummaryVersion.objects.count(), SummarySubmission.objects.count(), len(mail.outbox)) == (1, 0, 0)


def test_a_picture_caption_with_a_line_break_is_refused_naming_the_field(reports, client_for):
    client = client_for(reports.user("nanjing_reporter"))
    open_editor(client)
    summary = Summary.objects.get(org__code="320100")
    picture = summary.pictures.get()

    response = client.post(edit_url(), form_data(summary, **{f"caption_{picture.pk}": "启动会\n现场"}))

    assert response.status_code == 200
    assert "<li><strong>图片说明</strong>：“图片说明”不能包含换行。</li>" in response.content.decode()
    assert (SummaryVersion.objects.count(), summary.pictures.get().caption) == (1, "南京市节约型机关创建启动会现场")


def test_control_characters_are_dropped_from_the_summary_body_and_title(reports, client_for):
    client = client_for(reports.user("nanjing_reporter"))
    open_editor(client)
    summary = Summary.objects.get(org__code="320100")

    response = client.post(
        edit_url(),
        form_data(
            summary,
            title="南京市\x0b节能宣传周\x1b总结\x7f",
            body="一、基本情况\x00\r\n\t南京\x0b市\x1b开展\x7f活动。",
        ),
    )

    assert response.status_code == 302
    summary.refresh_from_db()
    assert (summary.title, summary.body, summary.version) == (
        "南京市节能宣传周总结",
        "一、基本情况\n\t南京市开展活动。",
        2,
    )
    assert list(summary.versions.order_by("number").values_list("title", flat=True)) == [TITLE, "南京市节能宣传周总结"]
