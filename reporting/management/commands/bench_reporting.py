"""python manage.py bench_reporting: a national-scale data set in a scratch database; prints key=value lines.

First the cost of the largest legal picture of each format (upload_peak_mb: the worst, in MB of worker memory).

31 provinces × 15 cities × 7 days, 3 items and 3 pictures per report (picture rows share a few file names).
The scratch database is a temporary SQLite file, or `<name>_bench` on PostgreSQL; never the configured one.
"""

import datetime
import gc
import io
import math
import resource
import statistics
import tempfile
import time
import tracemalloc
import uuid
from pathlib import Path

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import connection, connections
from django.test import Client
from django.test.utils import CaptureQueriesContext
from PIL import Image

from eventweek.models import LOCAL_TZ, Org, User, Week
from reporting.pictures import WEBP_MAX_PIXELS, check_picture, max_picture_pixels

DAY1 = datetime.date(2020, 6, 29)


class Command(BaseCommand):
    help = "每日报送性能基准：在临时数据库中生成全国规模数据，输出 key=value"

    def add_arguments(self, parser):
        parser.add_argument("--provinces", type=int, default=31)
        parser.add_argument("--cities", type=int, default=15)
        parser.add_argument("--items", type=int, default=3)
        parser.add_argument("--pictures", type=int, default=3)
        parser.add_argument("--repeat", type=int, default=5)
        parser.add_argument("--upload-only", action="store_true", help="只测量最大合法图片的上传处理（不建临时数据库）")

    def handle(self, *args, **options):
        self.upload()
        if options["upload_only"]:
            return
        original = dict(connection.settings_dict)
        scratch = _Scratch(original)
        scratch.create()
        try:
            self.out("bench_database", scratch.label)
            call_command("migrate", verbosity=0, interactive=False)
            started = time.perf_counter()
            national, provinces = build(options["provinces"], options["cities"], options["items"], options["pictures"])
            self.out("build_s", f"{time.perf_counter() - started:.2f}")
            self.measure(national, provinces, options["repeat"])
        finally:
            scratch.drop()

    def out(self, key, value):
        self.stdout.write(f"{key}={value}")

    def measure(self, national: Week, provinces: list[Week], repeat: int) -> None:
        from reporting.exporters import ChildWeeksItemsExporter, WeekReportsExporter
        from reporting.models import DailyReport, ReportItem, ReportPicture

        self.out("orgs", Org.objects.count())
        self.out("reports", DailyReport.objects.count())
        self.out("items", ReportItem.objects.count())
        self.out("pictures", ReportPicture.objects.count())
        if "testserver" not in settings.ALLOWED_HOSTS:
            settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
        province = provinces[0]
        reviewer = User.objects.get(username="bench_reviewer")
        national_admin = User.objects.get(username="bench_national")
        self.render("dashboard_province", reviewer, f"/reporting/{province.slug}/dashboard/", repeat)
        self.render("dashboard_national", national_admin, f"/reporting/{national.slug}/overview/", repeat)

        self.export("export", lambda: WeekReportsExporter(province))
        self.export("export_national_items", lambda: ChildWeeksItemsExporter(national))
        self.out("export_national_items_rows", ReportItem.objects.filter(removed=False).count())

    def export(self, key: str, make) -> None:
        """Time one export, then run it again under tracemalloc for its peak memory (tracing slows it down)."""
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "export.xlsx"
            started = time.perf_counter()
            make().write(path)
            self.out(f"{key}_s", f"{time.perf_counter() - started:.3f}")
            self.out(f"{key}_bytes", path.stat().st_size)
            tracemalloc.start()
            make().write(path)
            peak = tracemalloc.get_traced_memory()[1]
            tracemalloc.stop()
            self.out(f"{key}_peak_mb", f"{peak / 1024 / 1024:.1f}")

    def upload(self) -> None:
        """The worker memory and time of the largest picture accepted (each format at its pixel ceiling), as the
        report and summary forms check it; upload_peak_mb is the worst of them."""
        peaks = []
        for fmt, size, mode in largest_legal_pictures():
            data = picture_bytes(fmt, size, mode)
            started = time.perf_counter()
            upload = SimpleUploadedFile(f"bench.{fmt.lower()}", data)
            peak, checked = peak_rss_mb(check_picture, upload)
            key = f"upload_{fmt.lower()}"
            self.out(f"{key}_pixels", f"{size[0]}x{size[1]}")
            self.out(f"{key}_bytes", len(data))
            self.out(f"{key}_s", f"{time.perf_counter() - started:.2f}")
            self.out(f"{key}_stored", f"{checked.width}x{checked.height}")
            self.out(f"{key}_peak_mb", f"{peak:.0f}")
            peaks.append(peak)
        self.out("upload_peak_mb", f"{max(peaks):.0f}")

    def render(self, key: str, user, url: str, repeat: int) -> None:
        client = Client()
        client.force_login(user)
        client.get(url)  # warm up templates
        timings, queries = [], []
        for _round in range(repeat):
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                response = client.get(url)
                timings.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, (url, response.status_code)
            queries.append(len(captured.captured_queries))
        self.out(f"{key}_ms", f"{statistics.median(timings):.1f}")
        self.out(f"{key}_queries", max(queries))
        if key == "dashboard_province":
            self.out("queries_per_render", max(queries))


def largest_legal_pictures() -> list[tuple[str, tuple[int, int], str]]:
    """One picture of each format at its pixel ceiling, in the mode that costs most to decode (alpha: premultiplied
    when scaled)."""
    most = max_picture_pixels()
    square = math.isqrt(most)
    webp = math.isqrt(min(most, WEBP_MAX_PIXELS))
    return [
        ("PNG", (square, square), "RGBA"),
        ("JPEG", (math.isqrt(most * 3 // 2), math.isqrt(most * 2 // 3)), "RGB"),
        ("WEBP", (webp, webp), "RGBA"),
    ]


def picture_bytes(fmt: str, size: tuple[int, int], mode: str) -> bytes:
    """A smooth picture (small on disk, like the 344 KB 9400×9400 PNG that once cost a gigabyte) of that size."""
    image = Image.linear_gradient("L").resize(size).convert(mode)
    out = io.BytesIO()
    image.save(out, fmt)
    return out.getvalue()


def peak_rss_mb(work, *args):
    """(peak resident memory above the start, in MB, while work(*args) ran; its result). Pillow's pixels are not seen by
    tracemalloc, so this reads the kernel's high-water mark, reset first (Linux); elsewhere the process's lifetime
    peak, which only ever overstates."""
    gc.collect()
    clear_refs = Path("/proc/self/clear_refs")
    if clear_refs.exists():
        clear_refs.write_text("5")
        before = _status_mb("VmRSS")
        result = work(*args)
        return _status_mb("VmHWM") - before, result
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    result = work(*args)
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 - before, result


def _status_mb(key: str) -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(f"{key}:"):
            return int(line.split()[1]) / 1024
    raise LookupError(key)


class _Scratch:
    """A throw-away database next to the configured one; the connection is pointed at it and back."""

    def __init__(self, original: dict):
        self.original = original
        self.vendor = connection.vendor
        self.tmp = None
        self.name = None

    @property
    def label(self) -> str:
        return f"{self.vendor}:{self.name}"

    def create(self) -> None:
        if self.vendor == "postgresql":
            self.name = f"{self.original['NAME']}_bench"
            # The maintenance database, as Django's test runner does: the configured one need not exist.
            with connection._nodb_cursor() as cursor:
                cursor.execute(f'DROP DATABASE IF EXISTS "{self.name}"')
                cursor.execute(f'CREATE DATABASE "{self.name}"')
        else:
            self.tmp = tempfile.TemporaryDirectory(prefix="bench_reporting_")
            self.name = str(Path(self.tmp.name) / "bench.sqlite3")
        self._point(self.name)

    def _point(self, name) -> None:
        for conn in connections.all():
            conn.close()
        connection.settings_dict["NAME"] = name

    def drop(self) -> None:
        self._point(self.original["NAME"])
        if self.vendor == "postgresql":
            with connection._nodb_cursor() as cursor:
                cursor.execute(f'DROP DATABASE IF EXISTS "{self.name}"')
        elif self.tmp is not None:
            self.tmp.cleanup()


def build(province_count: int, city_count: int, items: int, pictures: int) -> tuple[Week, list[Week]]:
    """Bulk-create the national tree, one week per province, and a full week of reports for every city."""
    from reporting.models import DailyReport, ReportItem, ReportPicture, ReportVersion

    nation = Org.objects.create(
        code="100000", name="国家机关事务管理局公共机构节能管理司", short_name="国管局", level="national"
    )
    province_orgs, city_orgs = [], {}
    for p in range(province_count):
        code = f"{p + 11:02d}0000"
        province_orgs.append(
            Org(code=code, name=f"第{p + 1}省机关事务管理局", short_name=f"省{p + 1}", level="province", parent=nation,
                path=f"{nation.path}{code}/", sort_order=p)
        )  # fmt: skip
    Org.objects.bulk_create(province_orgs)
    province_orgs = list(Org.objects.filter(level="province").order_by("code"))
    all_cities = []
    for province in province_orgs:
        for c in range(city_count):
            code = f"{province.code[:2]}{c + 1:02d}00"
            all_cities.append(
                Org(code=code, name=f"{province.short_name}第{c + 1}市", short_name=f"{province.short_name}市{c + 1}",
                    level="city", parent=province, path=f"{province.path}{code}/", sort_order=c, email=f"c{code}@example.cn")
            )  # fmt: skip
    Org.objects.bulk_create(all_cities, batch_size=500)
    for city in Org.objects.filter(level="city"):
        city_orgs.setdefault(city.parent_id, []).append(city)
    User.objects.create(username="bench_national", org=nation, role="admin")
    User.objects.create(username="bench_reviewer", org=province_orgs[0], role="reviewer")
    publish = datetime.datetime(2020, 6, 25, 9, tzinfo=LOCAL_TZ)
    national = Week.objects.create(
        slug="bench-national", title="全国节能宣传周（基准）", theme="绿水青山，节能增效", start_date=DAY1,
        end_date=DAY1 + datetime.timedelta(days=6), organizer=nation, publish_at=publish, published_at=publish,
    )  # fmt: skip
    national.report_orgs.set(province_orgs)
    weeks = []
    for province in province_orgs:
        week = Week.objects.create(
            slug=f"bench-{province.code}", title=f"{province.short_name}节能宣传周", theme="绿水青山，节能增效",
            start_date=DAY1, end_date=national.end_date, organizer=province, parent=national, publish_at=publish,
            published_at=publish,
        )  # fmt: skip
        week.report_orgs.set(city_orgs[province.pk])
        weeks.append(week)

    reports = []
    n = 0
    for week in weeks:
        for city in city_orgs[week.organizer_id]:
            for day in week.days():
                n += 1
                if n % 20 == 0:
                    continue  # missing
                hour = 17 if n % 13 == 0 else 10 + n % 6
                at = datetime.datetime.combine(day, datetime.time(hour, n % 60), tzinfo=LOCAL_TZ)
                reports.append(
                    DailyReport(week=week, org=city, day=day, narrative="当日活动综述。" * 10, contact_name="联系人",
                                contact_phone="000", version=1, first_submitted_at=at, submitted_at=at, item_count=items,
                                picture_count=items * pictures, participants=items * 100)
                )  # fmt: skip
    DailyReport.objects.bulk_create(reports, batch_size=1000)
    reports = list(DailyReport.objects.all().only("pk", "first_submitted_at"))
    item_rows = [
        ReportItem(report_id=r.pk, position=i, title=f"活动{i + 1}：节约型机关创建宣传", kind="kickoff", place="机关大院",
                   participants=100, description="活动内容。" * 20)
        for r in reports
        for i in range(items)
    ]  # fmt: skip
    ReportItem.objects.bulk_create(item_rows, batch_size=2000)
    picture_rows = []
    for item_id, report_id in ReportItem.objects.values_list("pk", "report_id").iterator(chunk_size=5000):
        for k in range(pictures):
            picture_rows.append(
                ReportPicture(report_id=report_id, item_id=item_id, image=f"bench/shared-{k}.jpg",
                              thumbnail=f"bench/shared-{k}-thumb.jpg", caption=f"图片{k + 1}", content_type="image/jpeg",
                              width=1600, height=1200, size=350_000, position=k)
            )  # fmt: skip
        if len(picture_rows) >= 5000:
            ReportPicture.objects.bulk_create(picture_rows)
            picture_rows = []
    ReportPicture.objects.bulk_create(picture_rows)
    ReportVersion.objects.bulk_create(
        [
            ReportVersion(report_id=r.pk, number=1, submitted_at=r.first_submitted_at, status="on_time",
                          snapshot={"items": []}, token=uuid.uuid4())
            for r in reports
        ],
        batch_size=2000,
    )  # fmt: skip
    return national, weeks
