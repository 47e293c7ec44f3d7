"""Export files hold every participant's phone: they are written outside MEDIA_ROOT and served only through the
permission-checked download view, never by the open /media/ URL that DEBUG serves."""

import io
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from openpyxl import load_workbook

from quiz import exporters
from quiz.models import ExportJob
from tests.quiz.conftest import finish

OWNER, SAME_TREE, OUTSIDER = "jiangsu_admin", "jiangsu_reviewer", "jiangxi_admin"
pytestmark = pytest.mark.urls("tests.quiz.urls_serving_media")


@pytest.fixture
def job(demo, jiangsu_quiz):
    finish(jiangsu_quiz, demo, "13900000001", name="王芳")
    job = ExportJob.objects.create(quiz=jiangsu_quiz, kind="attempts", created_by=demo.user(OWNER))
    exporters.run_export(job.pk)
    job.refresh_from_db()
    return job


def test_the_file_is_written_under_the_private_root_not_media_root(job):
    path = exporters.export_path(job).resolve()
    assert path.is_file()
    assert path.parent == (Path(settings.REPORT_PRIVATE_ROOT) / "quiz-exports").resolve()
    assert not path.is_relative_to(Path(settings.MEDIA_ROOT).resolve())
    assert not [p for p in Path(settings.MEDIA_ROOT).rglob("*.xlsx")]


def test_the_export_root_can_be_configured(demo, jiangsu_quiz, settings, tmp_path):
    settings.QUIZ_EXPORT_ROOT = tmp_path / "exports-elsewhere"
    job = ExportJob.objects.create(quiz=jiangsu_quiz, kind="participation")
    exporters.run_export(job.pk)
    job.refresh_from_db()
    assert exporters.export_path(job).parent == tmp_path / "exports-elsewhere"
    assert exporters.export_path(job).is_file()


def test_the_open_media_url_does_not_serve_it(client, job):
    (Path(settings.MEDIA_ROOT) / "probe.txt").parent.mkdir(parents=True, exist_ok=True)
    (Path(settings.MEDIA_ROOT) / "probe.txt").write_text("ok")
    assert client.get("/media/probe.txt").status_code == 200  # the open URL does serve MEDIA_ROOT
    name = Path(job.file).name
    assert client.get(f"/media/quiz-exports/{name}").status_code == 404
    assert client.get(f"/media/{job.file}").status_code == 404


def test_the_download_view_serves_it_to_the_organizer(client_for, demo, job):
    response = client_for(demo.user(OWNER)).get(reverse("quiz:export_download", args=[job.quiz_id, job.pk]))
    assert response.status_code == 200
    rows = list(
        load_workbook(io.BytesIO(b"".join(response.streaming_content))).active.iter_rows(min_row=2, values_only=True)
    )
    assert (rows[1][1], rows[1][2]) == ("王芳", "13900000001")


@pytest.mark.parametrize("username", [SAME_TREE, OUTSIDER])
def test_the_download_view_is_a_404_for_the_rest(client_for, demo, job, username):
    response = client_for(demo.user(username)).get(reverse("quiz:export_download", args=[job.quiz_id, job.pk]))
    assert response.status_code == 404


def test_anonymous_users_are_sent_to_login(client, job):
    response = client.get(reverse("quiz:export_download", args=[job.quiz_id, job.pk]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
