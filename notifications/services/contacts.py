"""Unit contacts: the people and mobiles that receive an org's reminders."""

from django.db import transaction

from eventweek.models import Org
from notifications.models import Contact


def reminder_contacts(org: Org) -> list[Contact]:
    """The org's contacts who receive reminders, in the order they were added."""
    return list(Contact.objects.filter(org=org, receives_reminders=True).order_by("pk"))


@transaction.atomic
def save_contact(contact: Contact, org: Org | None = None) -> Contact:
    """Save a contact (new ones for `org`); the form has already normalised the mobile."""
    if org is not None and contact.org_id is None:
        contact.org = org
    contact.save()
    return contact


@transaction.atomic
def delete_contact(contact: Contact) -> None:
    """Remove a contact."""
    contact.delete()
