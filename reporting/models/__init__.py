"""Reporting models: daily reports and highlights (reports.py), week summaries (summaries.py)."""

from reporting.models.reports import *  # noqa: F401,F403
from reporting.models.summaries import *  # noqa: F401,F403
