"""All entries of a call with their scores, and the quota board, as .xlsx through the one writer (eventweek.xlsx)."""

from collections.abc import Iterator

from django.utils import timezone
from django.utils.translation import gettext as _

from calls.models import Call, Entry
from calls.services.quotas import quota_board
from eventweek.models import LOCAL_TZ
from eventweek.xlsx import Column, Sheet, XlsxExporter


class CallEntriesExporter(XlsxExporter):
    """Sheet 1: 作品 (one row per entry, scores averaged); sheet 2: 任务完成情况 (the quota board)."""

    def __init__(self, call: Call):
        self.call = call
        self.filename = f"{call.slug}-作品与评分.xlsx"

    def sheets(self) -> Iterator[Sheet]:
        entries = Entry.objects.filter(call=self.call).select_related("org").prefetch_related("scores", "decisions")
        rows = []
        for entry in entries:
            totals = [score.total for score in entry.scores.all()]
            selected = "、".join(d.org.display_name for d in entry.decisions.all() if d.selected)
            rows.append(
                [
                    entry.pk,
                    entry.get_kind_display(),
                    entry.title,
                    entry.sender_name,
                    entry.theme,
                    entry.direction,
                    entry.get_state_display(),
                    entry.get_deadline_status_display(),
                    timezone.localtime(entry.submitted_at, LOCAL_TZ).strftime("%Y-%m-%d %H:%M")
                    if entry.submitted_at
                    else "",
                    len(totals),
                    round(sum(totals) / len(totals), 1) if totals else None,
                    selected,
                ]
            )
        yield Sheet(
            title=_("作品"),
            heading=self.call.title,
            columns=[
                Column(_("编号"), 8),
                Column(_("类型"), 8),
                Column(_("标题"), 36),
                Column(_("单位"), 28),
                Column(_("主题"), 16),
                Column(_("方向"), 18),
                Column(_("状态"), 10),
                Column(_("报送情况"), 10),
                Column(_("提交时间"), 18),
                Column(_("评分人数"), 10),
                Column(_("平均分"), 10, "0.0"),
                Column(_("入选单位"), 20),
            ],
            rows=rows,
        )
        yield Sheet(
            title=_("任务完成情况"),
            heading=_("%(title)s任务完成情况") % {"title": self.call.title},
            columns=[
                Column(_("单位"), 30),
                Column(_("类别"), 14),
                Column(_("应报案例"), 10),
                Column(_("已报案例"), 10),
                Column(_("应报征文"), 10),
                Column(_("已报征文"), 10),
                Column(_("完成情况"), 20),
            ],
            rows=[
                [
                    row.org.name,
                    row.group,
                    row.cases_required,
                    row.cases,
                    row.essays_required,
                    row.essays,
                    _("已完成") if row.met else row.short,
                ]
                for row in quota_board(self.call)
            ],
        )
