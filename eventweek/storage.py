"""Storage for files that hold personal or unpublished data (report pictures, summary pictures, quiz exports)."""

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.utils.functional import cached_property


class PrivateStorage(FileSystemStorage):
    """Files outside MEDIA_ROOT (settings.REPORT_PRIVATE_ROOT), served only through permission-checked views."""

    @cached_property
    def base_location(self):
        return str(settings.REPORT_PRIVATE_ROOT)

    @cached_property
    def base_url(self):
        return None
