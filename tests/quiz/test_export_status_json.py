"""The export page polls its job as JSON: a job that failed says why there, so an open page shows the message
without a reload."""

from django.urls import reverse

from quiz.models import ExportJob
from tests.quiz.conftest import make_quiz

STOPPED = "导出中断：后台任务已停止（已尝试 3 次），请重新导出。"


def test_the_status_json_of_a_failed_export_carries_its_error(client_for, demo):
    quiz = make_quiz(demo.jiangsu, question_count=10)
    job = ExportJob.objects.create(
        quiz=quiz, kind=ExportJob.Kind.PARTICIPATION, status=ExportJob.Status.FAILED, error=STOPPED, rows_total=10
    )
    client = client_for(demo.user("jiangsu_admin"))
    url = reverse("quiz:manage_export", args=[quiz.pk, job.pk])
    assert client.get(url, {"format": "json"}).json() == {
        "status": "failed",
        "label": "失败",
        "percent": 0,
        "rows_done": 0,
        "rows_total": 10,
        "error": STOPPED,
    }
    page = client.get(url).content.decode()
    assert f'<p class="msg msg-error" id="export-error">{STOPPED}</p>' in page


def test_the_page_of_a_running_export_holds_a_hidden_place_for_the_error(client_for, demo):
    quiz = make_quiz(demo.jiangsu, question_count=10)
    job = ExportJob.objects.create(quiz=quiz, kind=ExportJob.Kind.PARTICIPATION, status=ExportJob.Status.RUNNING)
    page = client_for(demo.user("jiangsu_admin")).get(reverse("quiz:manage_export", args=[quiz.pk, job.pk]))
    assert '<p class="msg msg-error" id="export-error" hidden></p>' in page.content.decode()
