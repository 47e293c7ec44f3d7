"""A campaign whose worker is killed mid-batch (a real `manage.py qcluster`, SIGKILLed while messages are on their way)
and resumed by the sweep after the lease sends each number exactly once, counted by a real loopback gateway."""

import datetime
import os
import signal
import subprocess
import sys
import threading
import time
from collections import Counter

import time_machine
from django.conf import settings as django_settings

from eventweek import demo as demo_module
from eventweek.outbox import OutboxStatus
from notifications.models import Campaign, CampaignRecipient, CampaignStatus
from notifications.services.campaign_import import StaffEntry
from notifications.services.campaigns import create_campaign, send_now, tally
from notifications.tasks import resume_campaigns_task
from tests.notifications.campaign_helpers import ACCEPT, sms_channel
from tests.quiz import test_export_jobs_recover as recover

RECIPIENTS = 40
BEFORE_KILL = 12  # accepted before the gateway holds the next message and the cluster is killed

# A file database the cluster and this test both open (the quiz export recovery tests' fixture); on PostgreSQL the
# test database itself, which the test must write to in committed transactions from its start.
shared_database = recover.shared_database


@recover.committed_for_the_cluster
def test_a_campaign_killed_mid_batch_and_resumed_sends_each_number_exactly_once(
    shared_database, settings, tmp_path, gateway
):
    from django_q.conf import Conf

    orgs = demo_module.load_orgs()
    demo_module.load_users(orgs)
    admin = demo_module.User.objects.get(username="jiangsu_admin")
    # From the 13th on, messages are held unanswered until the cluster is killed (its senders wait on them, their rows
    # claimed but not recorded); after that the gateway accepts again.
    killed = threading.Event()
    gw = gateway([ACCEPT] * BEFORE_KILL + [lambda request: ACCEPT if killed.is_set() else "timeout"])
    sms_channel(orgs["320000"], url=gw.url + "/sms", timeout=60)
    mobiles = [f"139{n:08d}" for n in range(RECIPIENTS)]
    entries = [StaffEntry(n + 2, f"职工{n}", mobile, None) for n, mobile in enumerate(mobiles)]
    campaign = create_campaign(admin, orgs["320000"], "公益短信", "节能降碳，绿色发展。", entries, "名单")
    Conf.SYNC = False  # queued for the real cluster
    try:
        send_now(campaign, admin)
    finally:
        Conf.SYNC = True
    with open(tmp_path / "qcluster.log", "w") as log:
        cluster = subprocess.Popen(
            [sys.executable, "manage.py", "qcluster"],
            cwd=recover.ROOT,
            env=recover._cluster_env(shared_database, settings),
            start_new_session=True,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    rows = CampaignRecipient.objects.filter(campaign=campaign)
    try:
        deadline = time.monotonic() + 90  # a bounded poll of the real process's progress
        while time.monotonic() < deadline and not (
            len(gw.requests) > BEFORE_KILL and rows.filter(status=OutboxStatus.SENT).count() == BEFORE_KILL
        ):
            time.sleep(0.02)
    finally:
        os.killpg(cluster.pid, signal.SIGKILL)
        cluster.wait(timeout=30)
        killed.set()

    assert Counter(rows.values_list("status", flat=True)) == {"sent": BEFORE_KILL, "sending": RECIPIENTS - BEFORE_KILL}
    held = [r.json["mobile"] for r in gw.requests if r.status == -1]  # -1: held unanswered
    assert 1 <= len(held) <= 8 and set(rows.filter(mobile__in=held).values_list("status", flat=True)) == {"sending"}
    killed_at = Campaign.objects.get().runner_at
    assert resume_campaigns_task() == 0  # the runner's lease still holds
    lease = datetime.timedelta(minutes=django_settings.OUTBOX_LEASE_MINUTES)
    with time_machine.travel(killed_at + lease + datetime.timedelta(seconds=1), tick=False):
        assert resume_campaigns_task() == 1  # and, inline here, sent to the end

    assert Counter(r.json["mobile"] for r in gw.accepted) == {mobile: 1 for mobile in mobiles}
    assert len(gw.requests) == RECIPIENTS + len(held)  # the held ones were never accepted, so they were sent again
    campaign.refresh_from_db()
    counts = tally(campaign)
    assert (campaign.status, counts["sent"], counts["failed"], counts["remaining"]) == (
        CampaignStatus.DONE, RECIPIENTS, 0, 0,
    )  # fmt: skip
    assert sorted(set(rows.values_list("attempts", flat=True))) == [1, 2]
