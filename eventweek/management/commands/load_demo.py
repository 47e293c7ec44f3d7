import logging

from django.core.management.base import BaseCommand

from eventweek.demo import load_all
from eventweek.models import Org


class Command(BaseCommand):
    help = "加载演示数据（单位树和演示账号、2020 年全国与江苏节能宣传周、日期含今天的演练周）。"

    def add_arguments(self, parser):
        parser.add_argument("--if-empty", action="store_true", help="数据库已有单位时什么也不做")

    def handle(self, *args, if_empty=False, verbosity=1, **options):
        if Org.objects.exists():
            if if_empty:
                self.stdout.write("数据库已有数据，跳过演示数据。")
                return
            self.stderr.write("数据库已有数据：演示数据只能加载到空数据库。")
            raise SystemExit(1)
        detailed = verbosity >= 2
        if not detailed:
            # The services log every report and enqueued task at INFO: a hundred lines that bury the summary.
            logging.disable(logging.INFO)
        try:
            lines = load_all(stdout=self.stdout if detailed else None)
        finally:
            logging.disable(logging.NOTSET)
        if verbosity >= 1:
            self.stdout.write("已加载演示数据：")
            for line in lines:
                self.stdout.write(f"  {line}")
        self.stdout.write(self.style.SUCCESS("演示数据已加载。"))
