"""Thin tasks: each takes ids and calls one service."""

from notifications.services.deliveries import retry_deliveries, send_delivery


def send_delivery_task(delivery_id: int) -> bool:
    """Send one queued delivery (a duplicate of this task sends nothing)."""
    return send_delivery(delivery_id)


def retry_deliveries_task() -> int:
    """Every minute: send the deliveries whose back-off has passed."""
    return retry_deliveries()
