from django.contrib import admin

from apoyo.supports.models import Inconsistency


@admin.register(Inconsistency)
class InconsistencyAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "state", "active", "needs_confirmation"]
    list_filter = ["state", "active", "needs_confirmation"]
    # The four-eyes mark of a national code applies to every OPL: the system administrator sets it.
    list_editable = ["needs_confirmation"]
