"""Inbox tasks: thin, taking ids."""

from inbox.services.delivery import notify_arrival


def notify_arrival_task(entry_id: int) -> bool:
    return notify_arrival(entry_id)
