"""The audit log: one append-only row per logged write (who, when, what, before/after)."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from audit import actions
from eventweek.models import Org


class AppendOnlyError(Exception):
    """An audit entry was about to be changed or deleted: the log only grows."""


class AuditEntryQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError("audit entries cannot be changed")

    def delete(self):
        raise AppendOnlyError("audit entries cannot be deleted")


class AuditEntry(models.Model):
    """Who did what to which object, for which org's subtree, with the changed fields before and after."""

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Kept as text: the entry still names the person after the account is renamed or removed; "" for the system.
    actor_name = models.CharField(_("操作人姓名"), max_length=150, blank=True)
    org = models.ForeignKey(
        Org, verbose_name=_("所属单位"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # A copy of org.path at the time of the write: the admins of this org and its ancestors see the entry.
    org_path = models.CharField(_("单位路径"), max_length=255, blank=True)
    action = models.CharField(_("操作"), max_length=40, choices=actions.CHOICES)
    content_type = models.ForeignKey(
        ContentType, verbose_name=_("对象类型"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    object_id = models.CharField(_("对象编号"), max_length=64, blank=True)
    object_repr = models.CharField(_("对象"), max_length=255, blank=True)
    before = models.JSONField(_("修改前"), null=True, blank=True, encoder=DjangoJSONEncoder)
    after = models.JSONField(_("修改后"), null=True, blank=True, encoder=DjangoJSONEncoder)
    data = models.JSONField(_("附加信息"), null=True, blank=True, encoder=DjangoJSONEncoder)
    at = models.DateTimeField(_("时间"), default=timezone.now, db_index=True)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("操作日志")
        verbose_name_plural = _("操作日志")
        ordering = ["-at", "-pk"]
        indexes = [
            models.Index(fields=["org_path", "at"], name="audit_org_path_at"),
            models.Index(fields=["action"], name="audit_action"),
        ]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_name or _('系统')} {self.action_label}"

    @property
    def action_label(self) -> str:
        return actions.label(self.action)

    @property
    def kind_label(self) -> str:
        """The Chinese name of the kind of object acted on ("" when none)."""
        model = self.content_type.model_class() if self.content_type_id else None
        return str(model._meta.verbose_name) if model else ""

    def changes(self) -> list[tuple[str, object, object]]:
        """(field label, before, after) for each field recorded in before or after, labelled by the object's model."""
        before, after = self.before or {}, self.after or {}
        model = self.content_type.model_class() if self.content_type_id else None
        rows = []
        for key in dict.fromkeys([*before, *after]):
            label = key
            if model is not None:
                try:
                    label = str(model._meta.get_field(key.removesuffix("_id")).verbose_name)
                except Exception:  # a key that is not a field (a count, a computed value): shown as stored
                    pass
            rows.append((label, before.get(key, ""), after.get(key, "")))
        return rows

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError("audit entries cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("audit entries cannot be deleted")
