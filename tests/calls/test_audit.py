"""The calls' writes are audited: publishing a call, a reviewing org's shortlist or selection, forwarding a selection
upward and adopting it each write exactly one audit entry with the actor, action, object and org."""

import datetime

from audit.models import AuditEntry
from calls.models import Entry
from calls.services.review import mark_forward_adopted
from calls.services.setup import create_call
from eventweek.models import LOCAL_TZ
from inbox.models import InboxEntry

POINTS = {"c0": 20, "c1": 30, "c2": 20, "comment": "很好"}
CALL_ACTIONS = ("call.publish", "call.select", "call.forward", "call.adopt")


def call_entries():
    return list(AuditEntry.objects.filter(action__in=CALL_ACTIONS).order_by("pk"))


def test_publishing_a_call_writes_one_entry_naming_the_admin_the_call_and_its_org(jdz, client_for):
    admin = jdz.user("jingdezhen_admin")
    call = create_call(
        admin.org, slug="2024-jingdezhen", title="2024年征集", deadline=datetime.datetime(2124, 4, 30, tzinfo=LOCAL_TZ)
    )
    before = len(call_entries())
    client = client_for(admin)
    assert client.post("/calls/2024-jingdezhen/publish/").status_code == 302
    assert client.post("/calls/2024-jingdezhen/publish/").status_code == 302  # again: already published, no entry

    entries = call_entries()[before:]
    assert [(e.actor, e.action, e.object_id, e.object_repr, e.org.code) for e in entries] == [
        (admin, "call.publish", str(call.pk), str(call), "360200")
    ]


def test_a_reviewer_shortlisting_an_entry_writes_one_entry_with_before_and_after(jdz, client_for):
    reviewer = jdz.user("jingdezhen_reviewer")
    entry = Entry.objects.get(title="陶瓷博物馆照明系统节能改造")
    before = len(call_entries())
    client = client_for(reviewer)
    assert client.post(f"/calls/entries/{entry.pk}/review/", dict(POINTS, shortlisted="on")).status_code == 302
    assert client.post(f"/calls/entries/{entry.pk}/review/", dict(POINTS, shortlisted="on")).status_code == 302

    entries = call_entries()[before:]
    assert [(e.actor, e.action, e.object_id, e.org.code, e.before, e.after) for e in entries] == [
        (
            reviewer,
            "call.select",
            str(entry.pk),
            "360200",
            {"shortlisted": False, "selected": False},
            {"shortlisted": True, "selected": False},
        )
    ]


def test_forwarding_a_selection_and_adopting_it_each_write_one_entry(jdz, client_for):
    city_admin, province_admin = jdz.user("jingdezhen_admin"), jdz.user("jiangxi_admin")
    before = len(call_entries())
    assert client_for(city_admin).post("/calls/2023-jingdezhen/forward/").status_code == 302
    forwarding = InboxEntry.objects.get(kind="call", receiver__code="360000").forwarding
    mark_forward_adopted(forwarding, province_admin)
    mark_forward_adopted(forwarding, province_admin)  # already adopted: no second entry

    entries = call_entries()[before:]
    assert [(e.actor, e.action, e.object_id, e.org.code) for e in entries] == [
        (city_admin, "call.forward", str(forwarding.pk), "360200"),
        (province_admin, "call.adopt", str(forwarding.pk), "360000"),
    ]
    assert entries[0].data == {"receiver": "360000", "entries": sorted(e.pk for e in forwarding.entries.all())}
