from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from eventweek.models import Activity, ActivityChange, ActivityNotice, Org, SpecialDay, User, Week


@admin.register(Org)
class OrgAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "level", "parent", "email", "headcount")
    list_filter = ("level",)
    search_fields = ("code", "name", "short_name")
    list_select_related = ("parent",)
    autocomplete_fields = ("parent",)


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ("username", "first_name", "org", "role", "is_active")
    list_filter = ("role", "is_active")
    list_select_related = ("org",)
    autocomplete_fields = ("org",)
    fieldsets = BaseUserAdmin.fieldsets + ((_("单位与角色"), {"fields": ("org", "role", "phone")}),)
    add_fieldsets = BaseUserAdmin.add_fieldsets + ((_("单位与角色"), {"fields": ("org", "role", "phone")}),)


class SpecialDayInline(admin.TabularInline):
    model = SpecialDay
    extra = 0


@admin.register(Week)
class WeekAdmin(admin.ModelAdmin):
    list_display = ("slug", "title", "start_date", "end_date", "organizer", "publish_at", "published_at")
    list_select_related = ("organizer",)
    search_fields = ("slug", "title", "theme")
    filter_horizontal = ("report_orgs",)
    autocomplete_fields = ("organizer", "parent")
    inlines = [SpecialDayInline]
    readonly_fields = ("published_at",)


@admin.register(Activity)
class ActivityAdmin(admin.ModelAdmin):
    list_display = ("title", "week", "kind", "start", "end", "status", "sequence")
    list_filter = ("kind", "status", "week")
    list_select_related = ("week",)
    search_fields = ("title",)
    readonly_fields = ("uid", "sequence")


@admin.register(ActivityChange)
class ActivityChangeAdmin(admin.ModelAdmin):
    list_display = ("activity", "action", "sequence", "changed_at", "changed_by")
    list_select_related = ("activity", "changed_by")
    list_filter = ("action",)


@admin.register(ActivityNotice)
class ActivityNoticeAdmin(admin.ModelAdmin):
    list_display = ("activity", "sequence", "org", "email", "status", "attempts", "sent_at")
    list_select_related = ("activity", "org")
    list_filter = ("status",)
