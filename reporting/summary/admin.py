"""Admin of week summaries (imported from reporting/admin.py)."""

from django.contrib import admin

from reporting.models.summaries import Summary, SummaryPicture, SummaryReminder, SummarySubmission, SummaryVersion


class SummaryPictureInline(admin.TabularInline):
    model = SummaryPicture
    extra = 0
    fields = ("image", "caption", "sort_order", "source", "content_type", "removed_at")
    readonly_fields = ("content_type", "removed_at")


@admin.register(Summary)
class SummaryAdmin(admin.ModelAdmin):
    list_display = ("org", "week", "title", "char_count", "version", "updated_at")
    list_filter = ("week",)
    list_select_related = ("org", "week")
    search_fields = ("title", "org__name")
    readonly_fields = ("char_count", "version", "created_at", "updated_at")
    inlines = [SummaryPictureInline]


@admin.register(SummaryVersion)
class SummaryVersionAdmin(admin.ModelAdmin):
    list_display = ("summary", "number", "char_count", "note", "saved_at", "saved_by")
    list_select_related = ("summary__org", "saved_by")
    readonly_fields = ("summary", "number", "title", "body", "pictures", "char_count", "note", "saved_at", "saved_by")


@admin.register(SummarySubmission)
class SummarySubmissionAdmin(admin.ModelAdmin):
    list_display = (
        "summary",
        "to_org",
        "submitted_at",
        "is_late",
        "mailbox",
        "status",
        "attempts",
        "sent_at",
    )
    list_filter = ("status", "is_late")
    list_select_related = ("summary__org", "to_org")


@admin.register(SummaryReminder)
class SummaryReminderAdmin(admin.ModelAdmin):
    list_display = ("org", "week", "due_at", "email", "status", "sent_at", "attempts", "next_attempt_at")
    list_select_related = ("org", "week")
