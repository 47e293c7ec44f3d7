from django.contrib import admin

from reporting.models import (
    DailyReport,
    ForwardedPackage,
    Highlight,
    ReportItem,
    ReportNotice,
    ReportPicture,
    ReportVersion,
)


class ReportItemInline(admin.TabularInline):
    model = ReportItem
    extra = 0
    fields = ("position", "title", "kind", "mode", "place", "participants", "recycled_kg", "removed")


@admin.register(DailyReport)
class DailyReportAdmin(admin.ModelAdmin):
    list_display = (
        "org",
        "day",
        "week",
        "version",
        "first_submitted_at",
        "submitted_at",
        "item_count",
        "picture_count",
    )
    list_filter = ("week", "day")
    search_fields = ("org__name", "narrative")
    list_select_related = ("org", "week")
    readonly_fields = ("version", "first_submitted_at", "submitted_at", "submitted_by", "item_count", "picture_count")
    inlines = [ReportItemInline]


@admin.register(ReportVersion)
class ReportVersionAdmin(admin.ModelAdmin):
    list_display = ("report", "number", "submitted_at", "submitted_by", "status")
    list_select_related = ("report__org", "submitted_by")
    readonly_fields = ("report", "number", "submitted_at", "submitted_by", "status", "snapshot", "token")


@admin.register(ReportPicture)
class ReportPictureAdmin(admin.ModelAdmin):
    list_display = ("pk", "report", "item", "caption", "content_type", "width", "height", "size", "removed")
    list_select_related = ("report__org", "item")
    raw_id_fields = ("report", "item")


@admin.register(ReportNotice)
class ReportNoticeAdmin(admin.ModelAdmin):
    list_display = ("org", "day", "kind", "status", "attempts", "claimed_at", "sent_at")
    list_filter = ("kind", "status", "week")
    list_select_related = ("org",)


@admin.register(Highlight)
class HighlightAdmin(admin.ModelAdmin):
    list_display = ("item", "day", "order", "marked_by", "package")
    list_select_related = ("item", "marked_by", "package")
    raw_id_fields = ("item",)


@admin.register(ForwardedPackage)
class ForwardedPackageAdmin(admin.ModelAdmin):
    list_display = ("org", "day", "number", "forwarded_at", "forwarded_by_name", "recipient")
    list_select_related = ("org", "recipient")
    readonly_fields = ("payload",)


import reporting.summary.admin  # noqa: E402,F401  (the summaries register their own admin)
