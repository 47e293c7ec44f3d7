"""python manage.py bench_summary: compile the province draft and export it to docx; prints key=value lines.

Data: the Jiangsu week with 13 cities × 7 days × 3 items, 3 pictures per item, a highlight per city and the 13 cities'
own submitted summaries. Everything lives in a scratch test database (and a temporary media folder), never the real one.
"""

import shutil
import tempfile
import time

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import connection, reset_queries
from django.test.utils import override_settings


class Command(BaseCommand):
    help = "省级总结初稿生成与 docx 导出的基准测试（在临时数据库中运行）。"

    def add_arguments(self, parser):
        parser.add_argument("--items", type=int, default=3, help="每个设区市每天的活动条数")
        parser.add_argument("--pictures", type=int, default=3, help="每条活动的图片数")
        parser.add_argument("--repeat", type=int, default=3, help="重复次数，取最快一次")

    def handle(self, *args, items, pictures, repeat, **options):
        media = tempfile.mkdtemp(prefix="bench-summary-")
        old_name = connection.settings_dict["NAME"]
        try:
            with override_settings(
                MEDIA_ROOT=media,
                REPORT_PRIVATE_ROOT=f"{media}/private",
                EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
            ):
                from reporting.models.reports import private_storage

                storage = private_storage()
                storage.__dict__.pop("base_location", None)  # cached: point it at the scratch folder
                storage.__dict__.pop("location", None)
                connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
                try:
                    self._run(items, pictures, repeat)
                finally:
                    connection.creation.destroy_test_db(old_name, verbosity=0)
                    storage.__dict__.pop("base_location", None)
                    storage.__dict__.pop("location", None)
        finally:
            shutil.rmtree(media, ignore_errors=True)

    def _run(self, items, pictures, repeat):
        from django_q.conf import Conf

        from eventweek import demo
        from reporting.summary.demo import CITY_SUMMARY, make_week_reports
        from reporting.summary.docx import SummaryDocx
        from reporting.summary.draft.prose import compile_draft
        from reporting.summary.services.editing import save_summary, start_summary
        from reporting.summary.services.submission import submit_summary

        # Summary emails run inline to the in-memory backend: nothing reaches the real task queue.
        Conf.SYNC = True
        orgs = demo.load_orgs()
        demo.load_users(orgs)
        weeks = demo.load_weeks(orgs)
        week = weeks["2020-jiangsu"]
        cities = list(week.report_orgs.order_by("path"))
        started = time.perf_counter()
        created = make_week_reports(week, cities, items_per_day=items, pictures_per_item=pictures)
        for city in cities:
            summary = start_summary(week, city)
            save_summary(summary, title=summary.title, body=CITY_SUMMARY.format(name=city.name))
            submit_summary(summary)
        setup_s = time.perf_counter() - started
        province = orgs["320000"]

        best = None
        for _ in range(max(1, repeat)):
            settings.DEBUG = True  # count queries
            reset_queries()
            t0 = time.perf_counter()
            draft = compile_draft(week, province)
            t1 = time.perf_counter()
            data = SummaryDocx(draft.document()).render()
            t2 = time.perf_counter()
            queries = len(connection.queries)
            settings.DEBUG = False
            run = (t2 - t0, t1 - t0, t2 - t1, queries, draft, data)
            if best is None or run[0] < best[0]:
                best = run
        total, compile_s, docx_s, queries, draft, data = best
        picture_total = created * pictures
        self.stdout.write(f"cities={len(cities)}")
        self.stdout.write(f"days={len(week.days())}")
        self.stdout.write(f"items={created}")
        self.stdout.write(f"pictures={picture_total}")
        self.stdout.write(f"setup_s={setup_s:.2f}")
        self.stdout.write(f"compile_s={compile_s:.3f}")
        self.stdout.write(f"docx_s={docx_s:.3f}")
        self.stdout.write(f"compile_docx_s={total:.3f}")
        self.stdout.write(f"compile_queries={queries}")
        self.stdout.write(f"draft_chars={draft.char_count}")
        self.stdout.write(f"draft_pictures={len(draft.pictures)}")
        self.stdout.write(f"docx_bytes={len(data)}")
        self.stdout.write(f"target_s=2.0 ok={'yes' if total < 2.0 else 'no'}")
