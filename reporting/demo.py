"""Demo data for the reporting app (called by python manage.py load_demo after eventweek's)."""


def load(stdout=None) -> None:
    """Add this app's demo data; the core orgs, users and weeks already exist."""
