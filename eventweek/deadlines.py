"""The one deadline-status vocabulary: daily reports, week summaries and any later call with a due time use it."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class DeadlineStatus(models.TextChoices):
    """Where one expected submission stands against its deadline; the values are stored (ReportVersion.status)."""

    NOT_DUE = "not_due", _("未到截止")
    ON_TIME = "on_time", _("按时报送")
    LATE = "late", _("迟报")
    MISSING = "missing", _("缺报")
    SUBMITTED = "submitted", _("已报送")  # submitted where no deadline applies (e.g. provincial-level units)
    OPEN = "open", _("未报送")  # nothing yet and no deadline passed (or none applies)

    @property
    def badge(self) -> str:
        """The badge colour class shared by every page showing a status ("" for the neutral grey)."""
        return _BADGES[self]


_BADGES = {
    DeadlineStatus.NOT_DUE: "",
    DeadlineStatus.ON_TIME: "green",
    DeadlineStatus.LATE: "amber",
    DeadlineStatus.MISSING: "red",
    DeadlineStatus.SUBMITTED: "green",
    DeadlineStatus.OPEN: "",
}
