"""The deadline-status vocabulary in templates: a page shows a status's label from DeadlineStatus, never its own copy."""

from django import template

from eventweek.deadlines import DeadlineStatus

register = template.Library()


@register.filter
def deadline_label(value) -> str:
    """The label of a DeadlineStatus value; nothing filed and no status yet reads 未报送 (open)."""
    try:
        return str(DeadlineStatus(value).label)
    except ValueError:
        return str(DeadlineStatus.OPEN.label)
