from django.contrib import admin

from calls.models import Call, Decision, Entry, EntryVersion, Forwarding, Score


@admin.register(Call)
class CallAdmin(admin.ModelAdmin):
    list_display = ["title", "slug", "org", "deadline", "published_at"]
    search_fields = ["title", "slug"]


@admin.register(Entry)
class EntryAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "call", "org", "state", "deadline_status", "version"]
    list_filter = ["kind", "state", "deadline_status"]
    search_fields = ["title", "reference", "phone"]


admin.site.register([EntryVersion, Forwarding, Decision, Score])
