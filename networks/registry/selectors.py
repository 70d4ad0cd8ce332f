"""Reads for the registry pages."""

from __future__ import annotations

from django.db.models import QuerySet

from ..models import Region, RegistryImport


def registry_imports(regions: QuerySet[Region]) -> QuerySet[RegistryImport]:
    """The imports of these regions, newest first, without the preview's JSON (it can be big)."""
    return (
        RegistryImport.objects.filter(region__in=regions)
        .select_related("region", "created_by")
        .defer("summary", "options")
    )
