"""The quiz export's 下载 button is hidden until the file is ready: the hidden attribute beats .btn's display."""

import re
from pathlib import Path

from django.urls import reverse

from quiz.models import ExportJob

APP_CSS = Path(__file__).resolve().parents[2] / "static" / "css" / "app.css"


def test_the_shared_stylesheet_lets_the_hidden_attribute_win_over_display_rules():
    rules = re.findall(r"^\[hidden\]\s*\{([^}]*)\}", APP_CSS.read_text(encoding="utf-8"), re.MULTILINE)
    assert [rule.strip() for rule in rules] == ["display: none !important;"]


def test_a_pending_export_page_renders_the_download_button_hidden(client_for, demo, jiangsu_quiz):
    job = ExportJob.objects.create(quiz=jiangsu_quiz, kind="attempts")
    page = client_for(demo.user("jiangsu_admin")).get(reverse("quiz:manage_export", args=[jiangsu_quiz.pk, job.pk]))
    download = reverse("quiz:export_download", args=[jiangsu_quiz.pk, job.pk])
    assert (
        f'<a class="btn primary" id="export-download" href="{download}" hidden>下载 Excel</a>' in page.content.decode()
    )
