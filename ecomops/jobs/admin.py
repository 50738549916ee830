from __future__ import annotations

from django.contrib import admin
from django.utils.html import format_html

from ecomops.jobs.models import Job
from ecomops.tenancy.admin import StoreScopedAdmin


@admin.register(Job)
class JobAdmin(StoreScopedAdmin):
    list_display = ["id", "kind", "store", "state", "progress", "total", "done", "failed", "created_at"]
    list_filter = ["state", "kind", "store"]
    readonly_fields = [
        "store", "kind", "requested_by", "state", "progress", "total", "done", "failed", "params",
        "model_name", "error", "created_at", "started_at", "finished_at",
    ]
    fields = readonly_fields
    view_on_site = False  # the job's URL is its API resource, not a page

    @admin.display(description="Progress")
    def progress(self, job: Job) -> str:
        return format_html(
            '<progress value="{}" max="100" title="{}%"></progress> {}%', job.percent, job.percent, job.percent
        )

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
