"""Exports run as a django-q2 task that streams rows into xlsx; the files read back with exact values."""

import datetime
import io
from urllib.parse import quote

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from eventweek.models import LOCAL_TZ
from quiz import exporters
from quiz.models import ExportJob
from tests.quiz.conftest import at, finish


@pytest.fixture
def finished(demo, jiangsu_quiz):
    return [
        finish(jiangsu_quiz, demo, "13900000001", name="王芳", org="320412001", started=at(4, 10), seconds=95),
        finish(jiangsu_quiz, demo, "13900000002", name="李强", org="320100", started=at(4, 11), seconds=200, right=7),
    ]


def _export(client, quiz, kind, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("quiz:manage_exports", args=[quiz.pk]), {"kind": kind})
    job = ExportJob.objects.get()
    assert response["Location"] == reverse("quiz:manage_export", args=[quiz.pk, job.pk])
    download = client.get(reverse("quiz:export_download", args=[quiz.pk, job.pk]))
    stamp = timezone.localtime(job.created_at, LOCAL_TZ).strftime("%Y%m%d-%H%M")
    name = f"{quiz.title}-{job.get_kind_display()}-{stamp}.xlsx"
    assert download["Content-Disposition"] == f"attachment; filename*=utf-8''{quote(name)}"
    workbook = load_workbook(io.BytesIO(b"".join(download.streaming_content)))
    assert workbook.active["A1"].value == quiz.title + {"attempts": "答卷明细", "participation": "各单位参与情况", "questions": "题目统计"}[kind]  # fmt: skip
    return job, [list(row) for row in workbook.active.iter_rows(min_row=2, values_only=True)]


def test_the_attempts_export_reads_back(client_for, demo, jiangsu_quiz, finished, django_capture_on_commit_callbacks):
    client = client_for(demo.user("jiangsu_admin"))
    job, rows = _export(client, jiangsu_quiz, "attempts", django_capture_on_commit_callbacks)
    assert rows == [
        [
            "排名",
            "姓名",
            "手机号",
            "单位",
            "得分",
            "满分",
            "答对题数",
            "用时（秒）",
            "开始时间",
            "提交时间",
            "系统代交",
        ],
        [
            1,
            "王芳",
            "13900000001",
            "常州市武进人民医院",
            50,
            50,
            10,
            95,
            datetime.datetime(2020, 7, 4, 10, 0),
            datetime.datetime(2020, 7, 4, 10, 1, 35),
            "否",
        ],
        [
            2,
            "李强",
            "13900000002",
            "南京市机关事务管理局",
            35,
            50,
            7,
            200,
            datetime.datetime(2020, 7, 4, 11, 0),
            datetime.datetime(2020, 7, 4, 11, 3, 20),
            "否",
        ],
    ]
    job.refresh_from_db()
    assert (job.status, job.rows_done, job.rows_total, job.percent) == ("done", 2, 2, 100)
    progress = client.get(reverse("quiz:manage_export", args=[jiangsu_quiz.pk, job.pk]), {"format": "json"}).json()
    assert progress == {
        "status": "done",
        "label": "已完成",
        "percent": 100,
        "rows_done": 2,
        "rows_total": 2,
        "error": "",
    }


def test_the_participation_export_reads_back(
    client_for, demo, jiangsu_quiz, finished, django_capture_on_commit_callbacks
):
    client = client_for(demo.user("jiangsu_admin"))
    _job, rows = _export(client, jiangsu_quiz, "participation", django_capture_on_commit_callbacks)
    assert rows[0] == ["单位", "层级", "上级单位", "参与人数", "干部职工人数", "参与率"]
    by_name = {row[0]: row for row in rows[1:]}
    assert by_name["江苏省机关事务管理局"] == ["江苏省机关事务管理局", "省级", None, 2, 324180, round(2 / 324180, 4)]
    assert by_name["常州市机关事务管理局"] == [
        "常州市机关事务管理局",
        "设区市",
        "江苏省机关事务管理局",
        1,
        35980,
        round(1 / 35980, 4),
    ]
    assert by_name["常州市武进区机关事务管理中心"][3] == 1


def test_the_question_statistics_export_reads_back(
    client_for, demo, jiangsu_quiz, finished, django_capture_on_commit_callbacks
):
    client = client_for(demo.user("jiangsu_admin"))
    _job, rows = _export(client, jiangsu_quiz, "questions", django_capture_on_commit_callbacks)
    assert rows[0][:8] == ["序号", "题型", "分类", "题目", "正确答案", "作答人数", "答对人数", "正确率"]
    assert len(rows) == 1 + 88
    answered = [row for row in rows[1:] if row[5]]
    assert sum(row[5] for row in answered) == 20
    assert sum(row[6] for row in answered) == 17


def test_streaming_writer_reports_progress(tmp_path, demo, jiangsu_quiz, monkeypatch):
    for i in range(7):
        finish(jiangsu_quiz, demo, f"1390000010{i}")
    monkeypatch.setattr(exporters, "PROGRESS_EVERY", 3)
    seen = []
    written = exporters.write_xlsx(exporters.AttemptsExporter(jiangsu_quiz), tmp_path / "a.xlsx", progress=seen.append)
    assert (written, seen) == (7, [3, 6])
    assert load_workbook(tmp_path / "a.xlsx").active.max_row == 9


def test_a_retried_export_task_does_not_run_twice(demo, jiangsu_quiz, finished):
    job = ExportJob.objects.create(quiz=jiangsu_quiz, kind="attempts")
    assert exporters.run_export(job.pk) is True
    first = ExportJob.objects.get(pk=job.pk).file
    assert exporters.run_export(job.pk) is False
    assert ExportJob.objects.get(pk=job.pk).file == first


def test_an_outsider_cannot_download_an_export(client_for, demo, jiangsu_quiz, finished):
    job = ExportJob.objects.create(quiz=jiangsu_quiz, kind="attempts")
    exporters.run_export(job.pk)
    response = client_for(demo.user("jiangxi_admin")).get(
        reverse("quiz:export_download", args=[jiangsu_quiz.pk, job.pk])
    )
    assert response.status_code == 404


CMD_NAME = "=cmd|' /C calc'!A0"


def _workbook(client, quiz, kind, django_capture_on_commit_callbacks):
    """Run one export through the page and its task; the downloaded workbook, loaded in full (styles, data types)."""
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("quiz:manage_exports", args=[quiz.pk]), {"kind": kind})
    job = ExportJob.objects.filter(kind=kind).latest("pk")
    download = client.get(reverse("quiz:export_download", args=[quiz.pk, job.pk]))
    return job, load_workbook(io.BytesIO(b"".join(download.streaming_content)))


def _formula_cells(workbook) -> list[str]:
    return [f"{ws.title}!{c.coordinate}" for ws in workbook.worksheets for row in ws.iter_rows() for c in row if c.data_type == "f"]  # fmt: skip


def test_a_participant_named_like_a_formula_is_exported_as_that_text(
    client_for, demo, jiangsu_quiz, finished, django_capture_on_commit_callbacks
):
    from quiz.models import Attempt

    Attempt.objects.filter(phone="13900000001").update(name=CMD_NAME)
    Attempt.objects.filter(phone="13900000002").update(name='=HYPERLINK("http://x","y")')
    client = client_for(demo.user("jiangsu_admin"))
    _job, workbook = _workbook(client, jiangsu_quiz, "attempts", django_capture_on_commit_callbacks)
    ws = workbook.active
    assert [(ws[f"B{n}"].value, ws[f"B{n}"].data_type) for n in (3, 4)] == [
        (CMD_NAME, "s"),
        ('=HYPERLINK("http://x","y")', "s"),
    ]
    assert _formula_cells(workbook) == []


def test_a_question_written_like_a_formula_is_exported_as_that_text(
    client_for, demo, jiangsu_quiz, finished, django_capture_on_commit_callbacks
):
    from quiz.models import Question

    first = Question.objects.filter(quiz=jiangsu_quiz).order_by("sort_order", "pk").first()
    Question.objects.filter(pk=first.pk).update(text="=1+1", category="+节能")
    client = client_for(demo.user("jiangsu_admin"))
    _job, workbook = _workbook(client, jiangsu_quiz, "questions", django_capture_on_commit_callbacks)
    ws = workbook.active
    assert [ws["D3"].value, ws["D3"].data_type, ws["C3"].value, ws["C3"].data_type] == ["=1+1", "s", "+节能", "s"]
    assert _formula_cells(workbook) == []


def test_a_control_character_in_a_name_no_longer_fails_the_attempts_export(
    client_for, demo, jiangsu_quiz, finished, django_capture_on_commit_callbacks
):
    from quiz.models import Attempt

    Attempt.objects.filter(phone="13900000001").update(name="王\x0b芳")
    client = client_for(demo.user("jiangsu_admin"))
    job, workbook = _workbook(client, jiangsu_quiz, "attempts", django_capture_on_commit_callbacks)
    job.refresh_from_db()
    assert (job.status, job.error, job.rows_done) == ("done", "", 2)
    assert workbook.active["B3"].value == "王 芳"


@pytest.mark.parametrize(
    ("kind", "widths", "percent_column"),
    [
        ("attempts", {"A": 6, "B": 12, "C": 14, "D": 28, "I": 19, "J": 19}, None),
        ("participation", {"A": 28, "C": 28, "F": 9}, "F"),
        ("questions", {"A": 6, "D": 50, "H": 9}, "H"),
    ],
)
def test_quiz_exports_have_a_bold_header_a_frozen_row_and_column_widths(
    client_for, demo, jiangsu_quiz, finished, django_capture_on_commit_callbacks, kind, widths, percent_column
):
    client = client_for(demo.user("jiangsu_admin"))
    _job, workbook = _workbook(client, jiangsu_quiz, kind, django_capture_on_commit_callbacks)
    ws = workbook.active
    assert (ws.freeze_panes, ws.print_title_rows, ws.page_setup.orientation) == ("A3", "$2:$2", "landscape")
    assert ws.sheet_properties.pageSetUpPr.fitToPage is True
    assert all(cell.font.b for cell in ws[2])
    assert not any(cell.font.b for cell in ws[3])
    assert {column: ws.column_dimensions[column].width for column in widths} == widths
    if percent_column:
        rates = [row[0] for row in ws.iter_rows(min_row=3, min_col=ws[percent_column + "2"].column, max_col=ws[percent_column + "2"].column) if row[0].value is not None]  # fmt: skip
        assert rates and {cell.number_format for cell in rates} == {"0.0%"}
    if kind == "attempts":
        assert (ws["I3"].data_type, ws["I3"].number_format) == ("d", "yyyy-mm-dd h:mm:ss")
    assert _formula_cells(workbook) == []
