"""Phone numbers are shown in full only to the admins of the quiz week's organizer; everyone else, on every page and
in every export, sees 138****5678."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from openpyxl import load_workbook

from quiz import exporters
from quiz.models import ExportJob
from quiz.services.access import can_see_phones
from quiz.services.draw import run_draw
from tests.quiz.conftest import at, finish

OWNER, SAME_TREE, REVIEWER, OUTSIDER = "jiangsu_admin", "national_admin", "jiangsu_reviewer", "jiangxi_admin"
FULL, MASKED = "13900000001", "139****0001"


@pytest.fixture
def quiz(demo, jiangsu_quiz):
    finish(jiangsu_quiz, demo, FULL, name="王芳")
    return jiangsu_quiz


@pytest.fixture
def draw(demo, quiz):
    return run_draw(quiz, prize_count=1, seed="20200706", now=at(6, 10))


def _sheet_phones(data: bytes) -> list[str]:
    rows = list(load_workbook(io.BytesIO(data)).active.iter_rows(min_row=2, values_only=True))
    assert rows[0][2] == "手机号"
    return [row[2] for row in rows[1:]]


def test_only_an_admin_of_the_organizer_or_a_superuser_may_see_phones(demo, quiz):
    allowed = {name: can_see_phones(demo.user(name), quiz) for name in (OWNER, SAME_TREE, REVIEWER, OUTSIDER)}
    assert allowed == {OWNER: True, SAME_TREE: False, REVIEWER: False, OUTSIDER: False}
    root = get_user_model().objects.create_superuser("root", password="x")
    assert can_see_phones(root, quiz) is True
    assert can_see_phones(None, quiz) is False


@pytest.mark.parametrize("name", ["quiz:manage_leaderboard", "quiz:manage_draw_detail"])
def test_the_organizers_admin_sees_the_full_phone(client_for, demo, quiz, draw, name):
    args = [quiz.pk] if name == "quiz:manage_leaderboard" else [quiz.pk, draw.pk]
    page = client_for(demo.user(OWNER)).get(reverse(name, args=args)).content.decode()
    assert f"<td>{FULL}</td>" in page


@pytest.mark.parametrize("username", [SAME_TREE, REVIEWER])
@pytest.mark.parametrize("name", ["quiz:manage_leaderboard", "quiz:manage_draw_detail"])
def test_the_rest_of_the_tree_sees_the_phone_masked(client_for, demo, quiz, draw, name, username):
    args = [quiz.pk] if name == "quiz:manage_leaderboard" else [quiz.pk, draw.pk]
    response = client_for(demo.user(username)).get(reverse(name, args=args))
    page = response.content.decode()
    assert response.status_code == 200
    assert f"<td>{MASKED}</td>" in page
    assert FULL not in page


@pytest.mark.parametrize("name", ["quiz:manage_leaderboard", "quiz:manage_draw_detail"])
def test_an_outsider_gets_404(client_for, demo, quiz, draw, name):
    args = [quiz.pk] if name == "quiz:manage_leaderboard" else [quiz.pk, draw.pk]
    assert client_for(demo.user(OUTSIDER)).get(reverse(name, args=args)).status_code == 404


def test_the_organizers_admin_exports_the_attempts_with_full_phones(
    client_for, demo, quiz, django_capture_on_commit_callbacks
):
    client = client_for(demo.user(OWNER))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("quiz:manage_exports", args=[quiz.pk]), {"kind": "attempts"})
    job = ExportJob.objects.get()
    download = client.get(reverse("quiz:export_download", args=[quiz.pk, job.pk]))
    assert _sheet_phones(b"".join(download.streaming_content)) == [FULL]


@pytest.mark.parametrize("username", [SAME_TREE, REVIEWER])
def test_the_rest_of_the_tree_cannot_start_or_download_the_attempts_export(
    client_for, demo, quiz, username, django_capture_on_commit_callbacks
):
    client = client_for(demo.user(username))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("quiz:manage_exports", args=[quiz.pk]), {"kind": "attempts"})
    assert response.status_code == 400
    assert "答卷明细含完整手机号，只有主办单位的管理员可以导出。" in response.content.decode()
    assert ExportJob.objects.count() == 0

    owners = ExportJob.objects.create(quiz=quiz, kind="attempts", created_by=demo.user(OWNER))
    exporters.run_export(owners.pk)
    assert client.get(reverse("quiz:export_download", args=[quiz.pk, owners.pk])).status_code == 404
    exports_page = client.get(reverse("quiz:manage_exports", args=[quiz.pk])).content.decode()
    assert reverse("quiz:export_download", args=[quiz.pk, owners.pk]) not in exports_page
    assert "仅主办单位管理员可下载" in exports_page
    job_page = client.get(reverse("quiz:manage_export", args=[quiz.pk, owners.pk])).content.decode()
    assert reverse("quiz:export_download", args=[quiz.pk, owners.pk]) not in job_page
    assert "答卷明细含完整手机号，仅主办单位管理员可下载。" in job_page


def test_the_rest_of_the_tree_still_exports_participation(client_for, demo, quiz, django_capture_on_commit_callbacks):
    client = client_for(demo.user(REVIEWER))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("quiz:manage_exports", args=[quiz.pk]), {"kind": "participation"})
    job = ExportJob.objects.get()
    assert job.status == "done"
    assert client.get(reverse("quiz:export_download", args=[quiz.pk, job.pk])).status_code == 200


def test_an_outsider_cannot_start_an_export(client_for, demo, quiz):
    response = client_for(demo.user(OUTSIDER)).post(
        reverse("quiz:manage_exports", args=[quiz.pk]), {"kind": "attempts"}
    )
    assert response.status_code == 404
    assert ExportJob.objects.count() == 0


@pytest.mark.parametrize("creator", [SAME_TREE, REVIEWER, None])
def test_an_attempts_export_not_made_by_the_organizers_admin_masks_phones(demo, quiz, creator):
    job = ExportJob.objects.create(quiz=quiz, kind="attempts", created_by=demo.user(creator) if creator else None)
    exporters.run_export(job.pk)
    job.refresh_from_db()
    assert _sheet_phones(exporters.export_path(job).read_bytes()) == [MASKED]
