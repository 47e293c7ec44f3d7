from django.contrib import admin

from exchange.models import Picture, Product, Record, Registration


@admin.register(Registration)
class RegistrationAdmin(admin.ModelAdmin):
    list_display = ("org", "activity", "status", "contact_name", "submitted_at", "decided_at")
    list_filter = ("status",)
    search_fields = ("org__name", "contact_name")
    readonly_fields = ("submitted_at", "submitted_by", "decided_at", "decided_by")


class ProductInline(admin.TabularInline):
    model = Product
    extra = 0


class PictureInline(admin.TabularInline):
    model = Picture
    extra = 0
    fields = ("caption", "content_type", "width", "height", "size")
    readonly_fields = fields


@admin.register(Record)
class RecordAdmin(admin.ModelAdmin):
    list_display = ("org", "activity", "newspapers_kg", "ink_cartridges", "electronics", "recorded_at")
    search_fields = ("org__name",)
    inlines = [ProductInline, PictureInline]
