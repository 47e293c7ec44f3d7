"""Django admin for the core app. Writes that have rules (changelog, publication schedule) go through services."""

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.db import models, transaction
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from eventweek.models import Activity, ActivityChange, ActivityNotice, Org, SpecialDay, User, Week
from eventweek.services import changes, publishing, reminders


@admin.register(Org)
class OrgAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "short_name", "level", "parent", "email", "phone", "headcount")
    list_filter = ("level",)
    search_fields = ("code", "name", "short_name")
    list_select_related = ("parent",)
    autocomplete_fields = ("parent",)
    readonly_fields = ("path",)
    fieldsets = (
        (None, {"fields": ("code", "name", "short_name", "level", "parent", "path", "sort_order")}),
        (_("联系方式"), {"fields": ("email", "phone", "headcount")}),
    )


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ("username", "first_name", "org", "role", "is_active", "last_login")
    list_filter = ("role", "is_active", "is_staff")
    list_select_related = ("org",)
    search_fields = ("username", "first_name", "email", "org__name")
    autocomplete_fields = ("org",)
    fieldsets = BaseUserAdmin.fieldsets + ((_("单位与角色"), {"fields": ("org", "role", "phone")}),)
    add_fieldsets = BaseUserAdmin.add_fieldsets + ((_("单位与角色"), {"fields": ("org", "role", "phone")}),)


class SpecialDayInline(admin.TabularInline):
    model = SpecialDay
    extra = 0


@admin.register(Week)
class WeekAdmin(admin.ModelAdmin):
    list_display = ("title", "slug", "start_date", "end_date", "organizer", "parent", "publish_at", "published_at")
    list_select_related = ("organizer", "parent")
    list_filter = (("published_at", admin.EmptyFieldListFilter), "organizer__level")
    search_fields = ("slug", "title", "theme")
    date_hierarchy = "start_date"
    filter_horizontal = ("report_orgs",)
    autocomplete_fields = ("organizer", "parent")
    inlines = [SpecialDayInline]
    readonly_fields = ("published_at",)
    actions = ["publish_now"]
    fieldsets = (
        (None, {"fields": ("slug", "title", "edition", "theme", "start_date", "end_date", "organizer", "parent")}),
        (_("说明"), {"fields": ("description",)}),
        (_("发布与提醒"), {"fields": ("publish_at", "published_at", "reminder_minutes")}),
        (_("每日报送"), {"fields": ("report_orgs", "daily_cutoff", "daily_reminder_time")}),
        (
            _("活动总结"),
            {"fields": ("summary_due_at", "summary_char_limit", "summary_mailbox", "department_summary_mailbox")},
        ),
    )

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        # The publication time may have moved: move the one-off schedule with it.
        transaction.on_commit(lambda: publishing.schedule_publication(obj))

    @admin.action(description=_("立即发布所选活动周"))
    def publish_now(self, request, queryset):
        count = sum(
            publishing.publish_week(pk, force=True, actor=request.user) for pk in queryset.values_list("pk", flat=True)
        )
        self.message_user(request, ngettext("已发布 %d 个活动周。", "已发布 %d 个活动周。", count) % count)


@admin.register(Activity)
class ActivityAdmin(admin.ModelAdmin):
    list_display = ("title", "week", "kind", "start", "end", "all_day", "organizer", "status", "sequence")
    list_filter = ("kind", "status", "all_day", "week")
    list_select_related = ("week", "organizer")
    search_fields = ("title", "platform", "place")
    autocomplete_fields = ("organizer",)
    date_hierarchy = "start"
    readonly_fields = ("uid", "sequence", "created_at", "updated_at")
    # A link typed without a scheme is taken as https (Django 6's default, set now).
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def save_model(self, request, obj, form, change):
        # Through the service, so a change to a published activity is logged and raises SEQUENCE here too.
        changes.save_activity(obj, user=request.user)


@admin.register(ActivityChange)
class ActivityChangeAdmin(admin.ModelAdmin):
    """The public changelog is an audit trail: read-only here."""

    list_display = ("activity", "week", "action", "sequence", "changed_at", "changed_by")
    list_select_related = ("activity", "week", "changed_by")
    list_filter = ("action", "week")
    date_hierarchy = "changed_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(ActivityNotice)
class ActivityNoticeAdmin(admin.ModelAdmin):
    list_display = ("activity", "sequence", "org", "email", "status", "attempts", "created_at", "claimed_at", "sent_at")
    list_select_related = ("activity", "org")
    list_filter = ("status",)
    search_fields = ("email", "org__name", "activity__title")
    readonly_fields = (
        "activity",
        "sequence",
        "org",
        "email",
        "status",
        "attempts",
        "last_error",
        "created_at",
        "sent_at",
    )
    actions = ["send_now"]

    def has_add_permission(self, request):
        return False

    @admin.action(description=_("立即发送所选的待发送或失败提醒"))
    def send_now(self, request, queryset):
        sent = sum(reminders.send_activity_notice(pk) for pk in queryset.values_list("pk", flat=True))
        level = messages.SUCCESS if sent else messages.WARNING
        self.message_user(request, ngettext("已发送 %d 条提醒。", "已发送 %d 条提醒。", sent) % sent, level)
