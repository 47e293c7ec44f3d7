from django.contrib import admin

from notifications.models import Contact, Delivery


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = ["idempotency_key", "org", "channel", "kind", "status", "attempts", "sent_at"]
    list_filter = ["status", "kind"]
    readonly_fields = [f.name for f in Delivery._meta.fields]


@admin.register(Contact)
class ContactAdmin(admin.ModelAdmin):
    list_display = ["name", "org", "mobile", "receives_reminders"]
