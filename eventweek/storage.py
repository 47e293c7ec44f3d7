"""Storage for files that hold personal or unpublished data (report pictures, summary pictures, quiz exports)."""

import os

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.utils.functional import cached_property


class PrivateStorage(FileSystemStorage):
    """Files outside MEDIA_ROOT (settings.REPORT_PRIVATE_ROOT), served only through permission-checked views."""

    @cached_property
    def base_location(self):
        configured = getattr(settings, "REPORT_PRIVATE_ROOT", None)
        if configured:
            return str(configured)
        return os.path.join(os.path.dirname(str(settings.MEDIA_ROOT).rstrip("/")), "private-media")

    @cached_property
    def base_url(self):
        return None
