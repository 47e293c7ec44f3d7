"""The daily report pages fetch protected rows only through reporting.services.access, never by querying a model."""

import ast
from pathlib import Path

import reporting

VIEW_MODULES = ["views.py"]


def test_the_report_views_query_no_model_directly():
    root = Path(reporting.__file__).parent
    queries = [
        f"{name}:{node.lineno}"
        for name in VIEW_MODULES
        for node in ast.walk(ast.parse((root / name).read_text()))
        if isinstance(node, ast.Attribute) and node.attr in ("objects", "DoesNotExist")
    ]

    assert queries == []


def test_the_report_views_raise_no_http404_themselves():
    root = Path(reporting.__file__).parent
    raised = [
        f"{name}:{node.lineno}"
        for name in VIEW_MODULES
        for node in ast.walk(ast.parse((root / name).read_text()))
        if isinstance(node, ast.Name) and node.id == "Http404"
    ]

    assert raised == []
