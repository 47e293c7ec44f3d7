"""The inbox: what child orgs send upward (highlight packages, summaries), received, read, adopted and answered."""
