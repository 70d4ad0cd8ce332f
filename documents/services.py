"""Writes of the documents app: a region's template upload (checked first) and its switch; a signed
scan attached to a record (issue 18)."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from pathlib import PurePath
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from networks.models import Region, User
from networks.uploads import validate_upload

from .models import DocumentTemplate, SignedScan
from .rendering import TemplateRefused, check_template
from .samples import SAMPLES

__all__ = [
    "SCAN_KINDS",
    "TEMPLATE_MAX_MB",
    "register_scan_refusal",
    "scan_refusal",
    "signed_scan_attach",
    "template_switch",
    "template_upload",
]

# A template is a page or two of text with the region's emblem; a bigger file is a mistake.
TEMPLATE_MAX_MB = 5


@transaction.atomic
def template_upload(*, region: Region, kind: str, file, by: User) -> DocumentTemplate:
    """Checks the file (a DOCX by content, that renders the kind's sample data) and makes it the
    region's template of that kind; the one used before is kept, switched off."""
    if kind not in SAMPLES:
        raise ValidationError({"kind": _("Для этого документа шаблон пока не загружается.")})
    if file.size > TEMPLATE_MAX_MB * 1024 * 1024:
        raise ValidationError(
            {
                "file": _("Шаблон больше %(n)s МБ: уберите из него крупные картинки.")
                % {"n": TEMPLATE_MAX_MB}
            }
        )
    try:
        validate_upload(file, ("docx",))
    except ValidationError as error:
        raise ValidationError({"file": error.messages}) from error
    file.seek(0)
    data = file.read()
    file.seek(0)
    try:
        check_template(data, kind)
    except TemplateRefused as refused:
        raise ValidationError({"file": str(refused)}) from refused
    DocumentTemplate.objects.filter(region=region, kind=kind, is_active=True).update(
        is_active=False
    )
    template = DocumentTemplate(
        region=region,
        kind=kind,
        file=file,
        original_name=(getattr(file, "name", "") or "")[:255],
        uploaded_by=by,
        is_active=True,
        checked_at=timezone.now(),
    )
    template.full_clean()
    template.save()
    return template


@transaction.atomic
def template_switch(*, template: DocumentTemplate, active: bool, by: User) -> DocumentTemplate:
    """Switched off, the region's documents of that kind use the default again; switched on, it
    replaces the region's other template of the kind."""
    if active:
        DocumentTemplate.objects.filter(
            region_id=template.region_id, kind=template.kind, is_active=True
        ).exclude(pk=template.pk).update(is_active=False)
    template.is_active = active
    template.save(update_fields=["is_active"])
    return template


# A signed paper comes back as a scanner's PDF or a phone's photo; nothing else is a scan.
SCAN_KINDS = ("pdf", "jpg", "png")


# Whether a record takes a scan now (signed minutes, an approved plan, a submitted report; not in
# a closed structure) is the owning app's rule: it registers, per model, a function that gives the
# reason a record takes none (or None), and every attachment asks it here, whoever calls.
_scan_refusals: dict[type, Callable[[Any], str | None]] = {}


def register_scan_refusal(model: type, refusal: Callable[[Any], str | None]) -> None:
    _scan_refusals[model] = refusal


def scan_refusal(record) -> str | None:
    """Why the record takes no signed scan now, or None. A model that registered no rule takes
    none at all: a record of a new kind must state its rule first."""
    try:
        refusal = _scan_refusals[type(record)]
    except KeyError:
        raise ImproperlyConfigured(
            f"{type(record).__name__} has no scan rule (documents.services.register_scan_refusal)"
        ) from None
    return refusal(record)


@transaction.atomic
def signed_scan_attach(*, record, file, by: User, note: str = "") -> SignedScan:
    """Keeps the scan of a signed record, checked by its content (networks.uploads: PDF, JPEG or
    PNG, up to FILE_UPLOAD_MAX_MB). A record that takes no scan yet (its rule, scan_refusal) is
    refused with the reason; who may attach is asked by the view of the app that owns the record
    (its permissions live there). Earlier scans stay as the record's history."""
    reason = scan_refusal(record)
    if reason is not None:
        raise ValidationError(reason)
    try:
        kind = validate_upload(file, SCAN_KINDS)
    except ValidationError as error:
        raise ValidationError({"file": error.messages}) from error
    original_name = PurePath(getattr(file, "name", "") or "").name[:255] or "scan." + kind
    # Stored under a name of its own: the person's file name («Протокол_Иванова.pdf») stays in
    # original_name only, which deletion of an account can clear (documents/personal_data.py).
    file.name = f"{secrets.token_hex(8)}.{kind}"
    scan = SignedScan(
        content_type=ContentType.objects.get_for_model(record),
        object_id=record.pk,
        file=file,
        file_kind=kind,
        original_name=original_name,
        note=note.strip(),
        uploaded_by=by,
    )
    scan.full_clean()
    scan.save()
    return scan
