"""Registry imports in the admin: read only, a record of who loaded which file and what it did
(imported by networks.admin). Uploading and confirming happen on the portal's own pages."""

from __future__ import annotations

from django.contrib import admin
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from ..models import RegistryImport

ERRORS_SHOWN = 50


@admin.register(RegistryImport)
class RegistryImportAdmin(admin.ModelAdmin):
    list_display = [
        "filename",
        "region",
        "status",
        "created_by",
        "created_at",
        "applied_at",
        "total",
        "created_count",
        "updated_count",
        "unchanged_count",
        "error_count",
    ]
    list_filter = ["status", "region", "file_kind", "created_at"]
    list_select_related = ["region", "created_by"]
    search_fields = ["filename", "created_by__email", "created_by__last_name"]
    date_hierarchy = "created_at"
    fields = [
        "filename",
        "file",
        "file_kind",
        "region",
        "status",
        "created_by",
        "created_at",
        "applied_by",
        "applied_at",
        "progress",
        "total",
        "created_count",
        "updated_count",
        "unchanged_count",
        "error_count",
        "error",
        "options",
        "line_errors",
    ]
    readonly_fields = fields

    def get_queryset(self, request):
        # Superusers only (the site, issue 15): every region's imports; coordinators have theirs
        # on the portal's registry pages.
        return super().get_queryset(request).defer("summary")

    @admin.display(description=_("строки с ошибками"))
    def line_errors(self, obj):
        errors = (obj.summary or {}).get("errors", [])[:ERRORS_SHOWN]
        if not errors:
            return "—"
        return format_html(
            "<ul>{}</ul>",
            format_html_join("", "<li>{}: {}</li>", ((line, reason) for line, reason in errors)),
        )

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
