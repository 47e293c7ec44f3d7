"""Summary pictures: WebP made embeddable, kept for submitted versions, checked like report pictures, served by content."""

import io

import pytest
import time_machine
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse
from docx import Document
from PIL import Image

from reporting.models.reports import ReportPicture
from reporting.models.summaries import Summary, SummaryPicture, SummarySubmission
from reporting.summary.docx import DocPicture, SummaryDocument, SummaryDocx, embeddable_picture
from reporting.summary.services.editing import start_summary
from reporting.summary.services.submission import submit_summary
from tests.summary.conftest import local
from tests.summary.test_views import edit_url, form_data, open_editor, png

NOW = local(2020, 7, 8, 10, 0)


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel(NOW, tick=False):
        yield


def image_bytes(fmt: str, size=(640, 480), mode="RGB", color=(30, 120, 200)) -> bytes:
    out = io.BytesIO()
    Image.new(mode, size, color).save(out, fmt)
    return out.getvalue()


def own_client(user) -> Client:
    """A client of its own (client_for logs the one shared client in), for two users in one test."""
    client = Client()
    client.force_login(user)
    return client


def docx_image_types(data: bytes) -> list[str]:
    document = Document(io.BytesIO(data))
    return sorted(rel.target_part.content_type for rel in document.part.rels.values() if "image" in rel.reltype)


@pytest.fixture
def webp_highlight(reports):
    """南京's highlight picture is a WebP, as daily reports accept."""
    picture = ReportPicture.objects.get()
    picture.image.save("kickoff.webp", ContentFile(image_bytes("WEBP", (800, 600))), save=False)
    picture.content_type = "image/webp"
    picture.save()
    return reports


def test_a_webp_highlight_picture_is_stored_as_jpeg_and_the_docx_downloads(webp_highlight, client_for):
    client = client_for(webp_highlight.user("nanjing_reporter"))
    open_editor(client)
    stored = SummaryPicture.objects.get()

    response = client.get(reverse("reporting:summary_docx", args=["2020-jiangsu", "320100"]))

    assert (stored.content_type, stored.image.name.endswith(".jpg"), stored.width, stored.height) == (
        "image/jpeg",
        True,
        800,
        600,
    )
    with stored.image.open("rb") as handle:
        assert Image.open(handle).format == "JPEG"
    assert response.status_code == 200
    assert docx_image_types(response.content) == ["image/jpeg"]


def test_the_docx_writer_embeds_a_webp_kept_from_before(db):
    document = SummaryDocument("标题", "一、基本情况\n正文。", [DocPicture(image_bytes("WEBP"), "说明")])

    data = SummaryDocx(document).render()

    assert docx_image_types(data) == ["image/jpeg"]
    assert [p.text for p in Document(io.BytesIO(data)).paragraphs if p.text] == [
        "标题",
        "一、基本情况",
        "正文。",
        "说明",
    ]


def test_a_transparent_webp_becomes_a_png_that_keeps_its_transparency():
    ready = embeddable_picture(image_bytes("WEBP", (40, 30), "RGBA", (10, 20, 30, 0)))

    image = Image.open(io.BytesIO(ready.content))
    assert (ready.content_type, ready.extension, image.format, image.mode, image.size) == (
        "image/png",
        ".png",
        "PNG",
        "RGBA",
        (40, 30),
    )
    assert image.getpixel((0, 0))[3] == 0


def test_jpeg_and_png_are_embedded_as_they_are():
    jpeg, png_data = image_bytes("JPEG"), image_bytes("PNG")

    assert embeddable_picture(jpeg).content == jpeg
    assert embeddable_picture(png_data).content == png_data


def test_a_webp_summary_email_goes_with_its_picture(webp_highlight, django_capture_on_commit_callbacks):
    from django.core import mail

    summary = start_summary(webp_highlight.jiangsu, webp_highlight.org("320100"))
    with django_capture_on_commit_callbacks(execute=True):
        submission = submit_summary(summary)

    submission.refresh_from_db()
    assert submission.status == SummarySubmission.MailStatus.SENT
    assert docx_image_types(mail.outbox[0].attachments[0][1]) == ["image/jpeg"]


def test_removing_a_picture_after_submitting_leaves_the_submitted_version_as_it_was(reports, client_for):
    office = client_for(reports.user("nanjing_reporter"))
    open_editor(office)
    summary = Summary.objects.get()
    picture = summary.pictures.get()
    submit_summary(summary)

    office.post(edit_url(), form_data(summary, **{f"drop_{picture.pk}": "on"}))

    summary.refresh_from_db()
    assert (summary.version, summary.pictures.current().count()) == (2, 0)
    province = own_client(reports.user("jiangsu_admin"))
    page = province.get(edit_url())
    assert [(p.pk, caption) for p, caption in page.context["pictures"]] == [
        (picture.pk, "南京市节约型机关创建启动会现场")
    ]
    served = province.get(reverse("reporting:summary_picture", args=["2020-jiangsu", "320100", picture.pk]))
    assert served.status_code == 200
    docx = province.get(reverse("reporting:summary_docx", args=["2020-jiangsu", "320100"]) + "?version=1")
    assert docx_image_types(docx.content) == ["image/jpeg"]
    assert "南京市节约型机关创建启动会现场" in [p.text for p in Document(io.BytesIO(docx.content)).paragraphs]
    # The office's current document no longer holds it.
    current = office.get(reverse("reporting:summary_docx", args=["2020-jiangsu", "320100"]))
    assert docx_image_types(current.content) == []


def test_restoring_a_version_brings_its_removed_picture_back(reports, client_for):
    office = client_for(reports.user("nanjing_reporter"))
    open_editor(office)
    summary = Summary.objects.get()
    picture = summary.pictures.get()
    office.post(edit_url(), form_data(summary, **{f"drop_{picture.pk}": "on"}))

    office.post(reverse("reporting:summary_restore", args=["2020-jiangsu", "320100", 1]))

    assert list(summary.pictures.current().values_list("pk", flat=True)) == [picture.pk]
    assert summary.versions.get(number=3).pictures == [{"id": picture.pk, "caption": "南京市节约型机关创建启动会现场"}]


def test_a_picture_just_above_the_pixel_limit_is_refused_like_report_pictures(reports, client_for, monkeypatch):
    client = client_for(reports.user("nanjing_reporter"))
    open_editor(client)
    summary = Summary.objects.get()
    # 400 × 300 = 120,000 pixels: above the limit, below twice it, where Pillow only warns.
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 100_000)
    upload = png()
    upload.name = "big.png"

    response = client.post(edit_url(), form_data(summary, body="改写", upload=upload))

    assert response.status_code == 200
    assert (
        "<li><strong>上传图片</strong>：“big.png”的像素尺寸过大，疑似压缩炸弹，已拒绝。</li>"
        in response.content.decode()
    )
    summary.refresh_from_db()
    assert (summary.version, summary.body != "改写", SummaryPicture.objects.count()) == (1, True, 1)


def test_the_province_cannot_open_a_draft_picture_the_city_has_not_submitted(reports, client_for):
    office = client_for(reports.user("nanjing_reporter"))
    open_editor(office)
    summary = Summary.objects.get()
    submitted = summary.pictures.get()
    submit_summary(summary)
    office.post(edit_url(), form_data(summary, upload=png(), upload_caption="尚未报送的图片"))
    draft = summary.pictures.get(caption="尚未报送的图片")

    province = own_client(reports.user("jiangsu_admin"))

    def status(picture):
        return province.get(
            reverse("reporting:summary_picture", args=["2020-jiangsu", "320100", picture.pk])
        ).status_code

    assert (status(submitted), status(draft)) == (200, 404)
    own = office.get(reverse("reporting:summary_picture", args=["2020-jiangsu", "320100", draft.pk]))
    assert own.status_code == 200


def test_a_picture_is_served_with_the_type_of_its_content(reports, client_for):
    office = client_for(reports.user("nanjing_reporter"))
    open_editor(office)
    summary = Summary.objects.get()
    upload = io.BytesIO(image_bytes("PNG", (60, 40), "RGBA", (0, 0, 0, 0)))
    upload.name = "photo.jpg"  # a name that lies
    office.post(edit_url(), form_data(summary, upload=upload, upload_caption="透明图"))
    transparent = summary.pictures.get(caption="透明图")
    # A row stored before types were recorded, under a misleading name: the type comes from its bytes.
    legacy = SummaryPicture(summary=summary, caption="旧图")
    legacy.image.save("old.png", ContentFile(image_bytes("JPEG")), save=True)

    def served(picture):
        response = office.get(reverse("reporting:summary_picture", args=["2020-jiangsu", "320100", picture.pk]))
        return response["Content-Type"], Image.open(io.BytesIO(b"".join(response.streaming_content))).format

    assert transparent.content_type == "image/png"
    assert served(transparent) == ("image/png", "PNG")
    assert served(legacy) == ("image/jpeg", "JPEG")
