"""Notification services: senders (one function per kind of channel), channels (saving, testing), routing (which
channels per kind of notice), contacts, deliveries (queue_notice, send_delivery) and access (what a user may see)."""
