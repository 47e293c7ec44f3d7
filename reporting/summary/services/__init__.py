"""Week summaries' services, one module per concern: access, editing, submission, deadlines, pdf."""
