from django.contrib import admin

from apoyo.processes.models import Institute


@admin.register(Institute)
class InstituteAdmin(admin.ModelAdmin):
    list_display = ["state", "name"]
