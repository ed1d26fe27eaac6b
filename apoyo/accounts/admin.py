from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from apoyo.accounts.models import AccessLog, User


@admin.register(User)
class ApoyoUserAdmin(UserAdmin):
    """For superusers: INE accounts and any account across entities."""

    list_display = ["username", "get_full_name", "role", "state", "is_active"]
    list_filter = ["role", "state", "is_active"]
    fieldsets = UserAdmin.fieldsets + (("Rol y ámbito", {"fields": ["role", "state"]}),)
    add_fieldsets = UserAdmin.add_fieldsets + (("Rol y ámbito", {"fields": ["role", "state"]}),)


@admin.register(AccessLog)
class AccessLogAdmin(admin.ModelAdmin):
    # The name as written (username), not the user: on SQLite the bitácora is a database of its
    # own and cannot be joined to the users (accounts.routers).
    list_display = ["at", "username", "action", "object_type", "object_id", "address"]
    list_filter = ["action", "object_type"]
    search_fields = ["username", "object_id", "detail"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
