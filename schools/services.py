"""Writes of the school's page (issue 21): keyword-only, one transaction each, called by the views,
the admin and the import alike."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from networks.models import Organisation, User
from networks.schoolyear import SchoolYear

from .models import (
    DevelopmentDocument,
    DocumentKind,
    DocumentStatus,
    DocumentStatusChange,
    RiskFactor,
    SchoolCurator,
    SchoolRisk,
)


@transaction.atomic
def risks_set(
    *,
    school: Organisation,
    year: SchoolYear,
    levels: dict[int, str],
    by: User | None,
    source: str = SchoolRisk.Source.CURATOR,
) -> int:
    """Sets the school's levels of the year's factors: {factor id: level or "" (not a risk)}.
    Returns how many rows changed; a level that is already so is left as it is."""
    factors = set(RiskFactor.objects.filter(school_year=year.start).values_list("pk", flat=True))
    current = {
        r.factor_id: r
        for r in SchoolRisk.objects.filter(organisation=school, factor__school_year=year.start)
    }
    changed, now = 0, timezone.now()
    for factor_id, level in levels.items():
        if factor_id not in factors:
            raise ValidationError(_("Фактор риска другого учебного года."))
        risk = current.get(factor_id)
        if not level:
            if risk is not None:
                risk.delete()
                changed += 1
            continue
        if risk is not None and risk.level == level:
            continue
        risk = risk or SchoolRisk(organisation=school, factor_id=factor_id)
        risk.level, risk.source, risk.updated_by, risk.updated_at = level, source, by, now
        risk.full_clean()
        risk.save()
        changed += 1
    return changed


@transaction.atomic
def curator_assign(*, school: Organisation, user: User, by: User | None) -> SchoolCurator:
    if SchoolCurator.objects.current().filter(organisation=school, user=user).exists():
        raise ValidationError(_("Этот человек уже куратор школы."))
    curator = SchoolCurator(organisation=school, user=user, assigned_by=by)
    curator.full_clean()
    curator.save()
    return curator


@transaction.atomic
def curator_remove(*, curator: SchoolCurator, by: User | None) -> None:
    if curator.until is None:
        curator.until = timezone.localdate()
        curator.save(update_fields=["until"])


def _change(document: DevelopmentDocument, status: str, by: User | None, comment: str = ""):
    document.status = status
    document.save(update_fields=["status", "comment", "file", "filename"])
    DocumentStatusChange.objects.create(document=document, status=status, by=by, comment=comment)


@transaction.atomic
def document_upload(
    *,
    school: Organisation,
    kind: str,
    year: SchoolYear,
    factor: RiskFactor | None,
    file,
    by: User | None,
) -> DevelopmentDocument:
    if kind != DocumentKind.ANTIRISK:
        factor = None
    elif factor is None or factor.school_year != year.start:
        raise ValidationError({"factor": _("Выберите фактор риска этого учебного года.")})
    document = DevelopmentDocument(
        organisation=school,
        kind=kind,
        school_year=year.start,
        factor=factor,
        file=file,
        filename=getattr(file, "name", "")[:255],
        uploaded_by=by,
    )
    document.full_clean(exclude=["file"])
    document.save()
    DocumentStatusChange.objects.create(document=document, status=DocumentStatus.DRAFT, by=by)
    return document


def _refuse_unless(document: DevelopmentDocument, *statuses: str) -> None:
    if document.status not in statuses:
        raise ValidationError(_("Документ уже в другом состоянии; обновите страницу."))


@transaction.atomic
def document_submit(*, document: DevelopmentDocument, by: User | None) -> None:
    _refuse_unless(document, DocumentStatus.DRAFT, DocumentStatus.RETURNED)
    _change(document, DocumentStatus.SUBMITTED, by)


@transaction.atomic
def document_replace_file(*, document: DevelopmentDocument, file, by: User | None) -> None:
    """A draft or a returned document gets a new file; its history stays."""
    _refuse_unless(document, DocumentStatus.DRAFT, DocumentStatus.RETURNED)
    document.file = file
    document.filename = getattr(file, "name", "")[:255]
    _change(document, document.status, by, _("Заменён файл"))


@transaction.atomic
def document_accept(*, document: DevelopmentDocument, by: User | None, comment: str = "") -> None:
    _refuse_unless(document, DocumentStatus.SUBMITTED)
    document.comment = comment
    _change(document, DocumentStatus.ACCEPTED, by, comment)


@transaction.atomic
def document_return(*, document: DevelopmentDocument, by: User | None, comment: str) -> None:
    if not comment.strip():
        raise ValidationError({"comment": _("Напишите, что нужно доработать.")})
    _refuse_unless(document, DocumentStatus.SUBMITTED)
    document.comment = comment
    _change(document, DocumentStatus.RETURNED, by, comment)
