"""python manage.py compile_summary <week-slug> <org-code> --out FILE.docx"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from eventweek.models import Org, Week
from reporting.models.summaries import Summary
from reporting.summary.docx import SummaryDocx, docx_to_pdf, libreoffice_path
from reporting.summary.draft.prose import compile_draft
from reporting.summary.services.access import can_write_summary
from reporting.summary.services.editing import render_docx


class Command(BaseCommand):
    help = "把单位的活动周总结导出为 .docx（已保存的总结，或用 --draft 重新生成初稿）。"

    def add_arguments(self, parser):
        parser.add_argument("week", help="活动周网址标识，如 2020-jiangsu")
        parser.add_argument("org", help="单位代码，如 320000")
        parser.add_argument("--out", required=True, help="输出文件（.docx；以 .pdf 结尾时需安装 LibreOffice）")
        parser.add_argument("--draft", action="store_true", help="忽略已保存的总结，按系统数据重新生成初稿")

    def handle(self, *args, week, org, out, draft, **options):
        week_obj = Week.objects.filter(slug=week).select_related("organizer", "parent").first()
        if week_obj is None:
            raise CommandError(f"没有网址标识为 {week} 的活动周。")
        org_obj = Org.objects.filter(code=org).first()
        if org_obj is None:
            raise CommandError(f"没有代码为 {org} 的单位。")
        if not can_write_summary(week_obj, org_obj):
            raise CommandError(f"{org_obj.name}不撰写{week_obj.title}的总结。")
        summary = None if draft else Summary.objects.filter(week=week_obj, org=org_obj).first()
        if summary is not None:
            data = render_docx(summary)
            count, title = summary.char_count, summary.title
        else:
            compiled = compile_draft(week_obj, org_obj)
            data = SummaryDocx(compiled.document()).render()
            count, title = compiled.char_count, compiled.title
        path = Path(out)
        if path.suffix.lower() == ".pdf":
            if not libreoffice_path():
                raise CommandError("未安装 LibreOffice，无法导出 PDF；请导出 .docx。")
            data = docx_to_pdf(data)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        self.stdout.write(f"{title}：{count} 字 → {path}（{len(data)} 字节）")
