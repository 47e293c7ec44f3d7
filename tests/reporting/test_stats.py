"""week_report_stats and highlights_for, the figures the summary app builds on."""

import datetime
from decimal import Decimal

from reporting.services.dashboard import week_report_stats
from reporting.services.highlights import highlights_for, mark_highlight

from .conftest import DAY1, at, image_bytes, item


def test_week_report_stats_per_org_and_in_total(demo, submit, travel):
    travel(at(DAY1, 15, 0))
    submit(
        "320100",
        items=[item("回收", kind="recycling", participants=50, recycled_kg=Decimal("20.5"), pictures=[image_bytes()])],
    )
    travel(at(DAY1 + datetime.timedelta(days=1), 16, 30))
    submit("320100", day=DAY1 + datetime.timedelta(days=1), items=[item("讲座", participants=10)])
    travel(at(DAY1 + datetime.timedelta(days=2), 12, 0))
    orgs = [demo.org("320100"), demo.org("320200")]
    stats = week_report_stats(demo.jiangsu, orgs)
    assert stats["orgs"][demo.org("320100").pk] == {
        "on_time": 1, "late": 1, "missing": 0, "not_due": 5, "items": 2, "pictures": 1, "participants": 60,
        "recycled_kg": Decimal("20.50"),
    }  # fmt: skip
    assert stats["orgs"][demo.org("320200").pk] == {
        "on_time": 0, "late": 0, "missing": 2, "not_due": 5, "items": 0, "pictures": 0, "participants": 0,
        "recycled_kg": Decimal("0"),
    }  # fmt: skip
    assert stats["totals"] == {
        "on_time": 1, "late": 1, "missing": 2, "not_due": 10, "items": 2, "pictures": 1, "participants": 60,
        "recycled_kg": Decimal("20.50"),
    }  # fmt: skip


def test_highlights_for_loads_everything_in_three_queries(demo, submit, travel, django_assert_num_queries):
    travel(at(DAY1, 15, 0))
    reviewer = demo.user("jiangsu_reviewer")
    for code in ("320100", "320200", "320300"):
        report = submit(code, items=[item(f"{code} 亮点", pictures=[image_bytes()])])
        it = report.items.get()
        mark_highlight(it, user=reviewer, picture_ids=[it.pictures.get().pk])
    with django_assert_num_queries(2):
        chosen = highlights_for(demo.jiangsu)
        titles = [(h.item.report.org.code, h.item.title, len(h.pictures.all())) for h in chosen]
    assert titles == [("320100", "320100 亮点", 1), ("320200", "320200 亮点", 1), ("320300", "320300 亮点", 1)]
