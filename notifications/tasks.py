"""Thin tasks: each takes ids and calls one service."""

from notifications.services.campaign_sending import resume_stalled_campaigns, run_campaign
from notifications.services.campaigns import start_scheduled
from notifications.services.deliveries import retry_deliveries, send_delivery


def send_delivery_task(delivery_id: int) -> bool:
    """Send one queued delivery (a duplicate of this task sends nothing)."""
    return send_delivery(delivery_id)


def retry_deliveries_task() -> int:
    """Every minute: send the deliveries whose back-off has passed."""
    return retry_deliveries()


def run_campaign_task(campaign_id: int) -> dict:
    """Send a campaign's due recipients for one slice (then the next task goes on)."""
    return run_campaign(campaign_id)


def start_scheduled_campaign_task(campaign_id: int) -> bool:
    """The one-off schedule of a campaign: start sending it."""
    return start_scheduled(campaign_id)


def resume_campaigns_task() -> int:
    """Every minute: go on with each sending campaign that has no live runner."""
    return resume_stalled_campaigns()
