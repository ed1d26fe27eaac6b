from django.contrib import admin

from apoyo.liaison.models import (
    Area,
    AreaMember,
    Assignment,
    Consultation,
    DocumentType,
    Event,
)


@admin.register(DocumentType)
class DocumentTypeAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "due_days", "active"]


class AreaMemberInline(admin.TabularInline):
    model = AreaMember
    extra = 1
    autocomplete_fields = ["user"]


@admin.register(Area)
class AreaAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "active"]
    inlines = [AreaMemberInline]


class AssignmentInline(admin.TabularInline):
    model = Assignment
    extra = 0
    fields = ["area", "due_date", "answered_at", "active", "end_reason"]
    readonly_fields = fields


class EventInline(admin.TabularInline):
    model = Event
    extra = 0
    fields = ["at", "kind", "actor", "area", "detail"]
    readonly_fields = fields


@admin.register(Consultation)
class ConsultationAdmin(admin.ModelAdmin):
    """Read-only: folios change only through the SIVOPLE pages, which keep the timeline."""

    list_display = ["folio", "opl_folio", "state", "status", "created_at"]
    list_filter = ["status", "doc_type", "state"]
    search_fields = ["folio", "opl_folio", "subject"]
    inlines = [AssignmentInline, EventInline]

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False
