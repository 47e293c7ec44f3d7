"""The audit log's services: `log.py` writes an entry (`log_action`, called by every write service), `access.py`
reads the entries a user may see."""
