"""Inbox fixtures: a Jiangsu package forwarded to the national bureau, a Nanjing summary submitted to Jiangsu."""

import pytest

from eventweek.models import User
from inbox.models import InboxEntry
from reporting.services import highlights
from reporting.summary.services.editing import start_summary
from reporting.summary.services.submission import submit_summary
from tests.reporting.conftest import DAY1, at, image_bytes, item, submit, travel  # noqa: F401 (fixtures)


@pytest.fixture
def forwarded(demo, submit, travel, django_capture_on_commit_callbacks):  # noqa: F811
    """Nanjing's recycling item (two pictures, 回收现场 chosen) and Suzhou's item, marked and forwarded by Jiangsu."""
    travel(at(DAY1, 15, 0))
    nanjing = submit(
        "320100",
        items=[
            item(
                "旧物回收",
                kind="recycling",
                description="集中回收旧报纸。\n称重后捐赠。",
                pictures=[
                    (image_bytes("PNG", size=(640, 480)), "回收现场"),
                    (image_bytes("PNG", size=(320, 240), color=(200, 30, 30)), "称重"),
                ],
            )
        ],
    )
    suzhou = submit("320500", items=[item("能源紧缺体验", kind="shortage")])
    reviewer = demo.user("jiangsu_reviewer")
    recycling = nanjing.items.get()
    highlights.mark_highlight(
        recycling,
        user=reviewer,
        comment="回收量大",
        order=1,
        picture_ids=[recycling.pictures.get(caption="回收现场").pk],
    )
    highlights.mark_highlight(suzhou.items.get(), user=reviewer, order=2)
    travel(at(DAY1, 17, 0))
    with django_capture_on_commit_callbacks(execute=True):  # the arrival notice goes after commit
        package = highlights.forward_highlights(demo.jiangsu, DAY1, user=reviewer)
    return InboxEntry.objects.get(package=package)


@pytest.fixture
def city_summary(demo, travel):  # noqa: F811
    """Nanjing's week summary submitted to Jiangsu on 7/8."""
    travel(at(DAY1.replace(month=7, day=8), 10, 0))
    summary = start_summary(demo.jiangsu, demo.org("320100"))
    return InboxEntry.objects.get(submission=submit_summary(summary, user=demo.user("nanjing_reporter")))


@pytest.fixture
def clerk(demo):
    """A reporter of the national bureau: may look at its inbox, not adopt or answer."""
    return User.objects.create_user(
        "national_clerk", password="eventweek2020", org=demo.org("100000"), role=User.Role.REPORTER
    )
