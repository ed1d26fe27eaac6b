from django.contrib import admin

from .models import Inconsistency


@admin.register(Inconsistency)
class InconsistencyAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "state", "active"]
    list_filter = ["state", "active"]
