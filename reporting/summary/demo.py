"""Demo summaries (called by python manage.py load_demo after the reports and the quiz)."""


def load(stdout=None) -> None:
    """Add demo summaries."""
