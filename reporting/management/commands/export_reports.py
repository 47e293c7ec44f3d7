"""python manage.py export_reports <week-slug> --out FILE.xlsx: the status grid and every report item."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from eventweek.models import Week
from reporting.exporters import WeekReportsExporter


class Command(BaseCommand):
    help = "导出某活动周的每日报送情况（状态表和活动明细）为 .xlsx"

    def add_arguments(self, parser):
        parser.add_argument("slug", help="活动周网址标识，如 2020-jiangsu")
        parser.add_argument("--out", required=True, help="输出文件路径（.xlsx）")

    def handle(self, *args, slug, out, **options):
        week = Week.objects.filter(slug=slug).first()
        if week is None:
            raise CommandError(f"没有找到活动周“{slug}”。")
        path = Path(out)
        if path.suffix.lower() != ".xlsx":
            raise CommandError("输出文件必须以 .xlsx 结尾。")
        if not path.parent.exists():
            raise CommandError(f"目录不存在：{path.parent}")
        WeekReportsExporter(week).write(path)
        self.stdout.write(f"已导出 {week.title} 的每日报送到 {path}")
