"""Daily reporting services, one module per concern: access, status, submission, dashboard, highlights, reminders."""
