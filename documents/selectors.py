"""Reads of the documents app."""

from __future__ import annotations

from .models import SignedScan

__all__ = ["signed_scan_of", "signed_scans_of"]


def signed_scans_of(record) -> list[SignedScan]:
    """The record's signed scans, the latest first, with who uploaded each: one query, always
    (the content type is joined, not looked up: Django's content-type cache would make the first
    page of a process run one query more than the next, and the pages pin their counts)."""
    return list(_of(record).select_related("uploaded_by"))


def signed_scan_of(record, pk: int) -> SignedScan | None:
    """One scan of that record (a scan of another record is not found through this one)."""
    return _of(record).filter(pk=pk).first()


def _of(record):
    return SignedScan.objects.filter(
        content_type__app_label=record._meta.app_label,
        content_type__model=record._meta.model_name,
        object_id=record.pk,
    )
