from django.contrib import admin

from .models import (
    DevelopmentDocument,
    DocumentStatusChange,
    RiskFactor,
    RiskImport,
    SchoolCurator,
    SchoolRisk,
)


@admin.register(RiskFactor)
class RiskFactorAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "school_year", "ordering")
    list_filter = ("school_year",)
    search_fields = ("name", "code")
    ordering = ("-school_year", "ordering", "name")


@admin.register(SchoolRisk)
class SchoolRiskAdmin(admin.ModelAdmin):
    list_display = ("organisation", "factor", "level", "source", "updated_at")
    list_filter = ("factor__school_year", "level", "source")
    list_select_related = ("organisation", "factor")
    raw_id_fields = ("organisation", "updated_by")
    search_fields = ("organisation__short_name", "organisation__inn")


class DocumentStatusChangeInline(admin.TabularInline):
    model = DocumentStatusChange
    extra = 0
    raw_id_fields = ("by",)


@admin.register(DevelopmentDocument)
class DevelopmentDocumentAdmin(admin.ModelAdmin):
    list_display = ("organisation", "kind", "school_year", "status", "created_at")
    list_filter = ("kind", "status", "school_year")
    list_select_related = ("organisation",)
    raw_id_fields = ("organisation", "uploaded_by", "factor")
    inlines = [DocumentStatusChangeInline]


@admin.register(SchoolCurator)
class SchoolCuratorAdmin(admin.ModelAdmin):
    list_display = ("organisation", "user", "since", "until")
    list_select_related = ("organisation", "user")
    raw_id_fields = ("organisation", "user", "assigned_by")


@admin.register(RiskImport)
class RiskImportAdmin(admin.ModelAdmin):
    list_display = ("filename", "region", "school_year", "status", "created_at")
    list_filter = ("status", "school_year")
    list_select_related = ("region",)
    readonly_fields = ("summary", "status", "applied_at")
    raw_id_fields = ("created_by",)
