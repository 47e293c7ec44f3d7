"""The audit log's services: `log.py` writes an entry, `access.py` reads the entries a user may see.

`log_action` is the one public entry other apps call (the API in notes/AUDIT.md is `from audit.services import
log_action`), so it is importable from here as well as from `audit.services.log`.
"""

from audit.services.log import log_action

__all__ = ["log_action"]
