"""The case and essay calls' services: one module per concern; nothing re-exported."""
