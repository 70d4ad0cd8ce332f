"""Reads of the documents app."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType

from .models import SignedScan

__all__ = ["signed_scan_of", "signed_scans_of"]


def signed_scans_of(record) -> list[SignedScan]:
    """The record's signed scans, the latest first, with who uploaded each: one query (the
    content type comes from Django's cache)."""
    return list(
        SignedScan.objects.filter(
            content_type=ContentType.objects.get_for_model(record), object_id=record.pk
        ).select_related("uploaded_by")
    )


def signed_scan_of(record, pk: int) -> SignedScan | None:
    """One scan of that record (a scan of another record is not found through this one)."""
    return SignedScan.objects.filter(
        content_type=ContentType.objects.get_for_model(record), object_id=record.pk, pk=pk
    ).first()
