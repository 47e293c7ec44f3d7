from django.contrib import admin

from audit.models import AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """Read-only: the log only grows, even for superusers."""

    list_display = ["at", "actor_name", "action", "object_repr", "org"]
    list_filter = ["action"]
    search_fields = ["actor_name", "object_repr", "org_path"]
    list_select_related = ["org"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
