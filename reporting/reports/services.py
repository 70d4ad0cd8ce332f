"""Writes of a structure's report: start, save the narrative, submit (the figures are frozen and
the deadline stops reminding), accept, return with a comment. Views, admin actions and commands
call these; each checks the report's state and raises a ValidationError in Russian."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from networks.models import Structure, User
from networks.schoolyear import SchoolYear

from ..models import Deadline, Deliverable, Notice, Report
from .figures import structure_figures

NARRATIVE_FIELDS = ("analysis", "problems", "plans")
DEFAULT_TITLE = "Отчёт о деятельности за учебный год"
EDITABLE = (Report.Status.DRAFT, Report.Status.RETURNED)


def report_figures(report: Report) -> dict[str, Any]:
    """What a report shows: a handed-in report's figures frozen at submission, never recomputed
    from today's record (one handed in before figures were kept gets them as of its submission
    moment); a draft's or a returned report's figures as of now."""
    if report.status in (Report.Status.SUBMITTED, Report.Status.ACCEPTED):
        if report.figures:
            return report.figures
        return structure_figures(
            report.structure, SchoolYear(report.school_year), as_of=report.submitted_at
        )
    return structure_figures(report.structure, SchoolYear(report.school_year))


def report_url(report: Report) -> str:
    return reverse("reporting:report_detail", args=[report.structure_id, report.pk])


@transaction.atomic
def report_start(
    *,
    structure: Structure,
    by: User,
    deadline: Deadline | None = None,
    school_year: int | None = None,
    narrative: dict[str, str] | None = None,
) -> Report:
    """The draft of the structure's report for a deadline, or for a school year that has no report
    deadline. Starting twice returns the report already started."""
    if deadline is not None:
        if deadline.structure_id != structure.pk or deadline.rule.deliverable != Deliverable.REPORT:
            raise ValidationError(_("Этот срок не относится к отчётам структуры."))
        existing = Report.objects.filter(deadline=deadline).first()
        school_year = deadline.school_year
        title = deadline.rule.title
    else:
        if school_year is None:
            raise ValidationError(_("Укажите учебный год."))
        if structure.deadlines.filter(
            school_year=school_year, rule__deliverable=Deliverable.REPORT
        ).exists():
            raise ValidationError(
                _("На %(year)s учебный год отчёт сдаётся по установленному сроку.")
                % {"year": SchoolYear(school_year).label}
            )
        existing = Report.objects.filter(
            structure=structure, school_year=school_year, deadline__isnull=True
        ).first()
        title = DEFAULT_TITLE
    if existing is not None:
        # Started in another tab or by a second click: what was typed goes into the draft.
        if narrative is not None and existing.status in EDITABLE:
            return report_save(report=existing, by=by, narrative=narrative)
        return existing
    report = Report(
        structure=structure,
        school_year=school_year,
        deadline=deadline,
        title=title,
        author=by,
        **_narrative(narrative),
    )
    report.full_clean()
    try:
        # A second click that raced the first finds the row the first one made.
        with transaction.atomic():
            report.save()
    except IntegrityError:
        return Report.objects.get(structure=structure, school_year=school_year, deadline=deadline)
    return report


def _narrative(values: dict[str, str] | None) -> dict[str, str]:
    values = values or {}
    return {name: (values.get(name) or "").strip() for name in NARRATIVE_FIELDS}


def _refuse_unless_editable(report: Report) -> None:
    if report.status not in EDITABLE:
        raise ValidationError(
            _("Отчёт уже сдан: изменить его можно, только если его вернут на доработку.")
        )


@transaction.atomic
def report_save(*, report: Report, by: User, narrative: dict[str, str]) -> Report:
    """Saves the narrative of a draft or of a returned report."""
    _refuse_unless_editable(report)
    for name, value in _narrative(narrative).items():
        setattr(report, name, value)
    report.full_clean()
    report.save(update_fields=[*NARRATIVE_FIELDS, "updated_at"])
    return report


@transaction.atomic
def report_submit(*, report: Report, by: User, now: dt.datetime | None = None) -> Report:
    """Hands the report in: the figures are frozen as they are now, the deadline is met (its
    reminders stop), the deciders are told. The first submission's time stays: a report returned
    for rework and handed in again is as late as it was the first time."""
    _refuse_unless_editable(report)
    if not report.analysis.strip():
        raise ValidationError({"analysis": _("Напишите анализ работы: без него отчёт не сдаётся.")})
    now = now or timezone.now()
    # The record as it was at this moment, even when `now` is in the past (the demo hands in
    # last year's reports): nothing begun, signed or ticked later shows in a frozen report.
    report.figures = structure_figures(report.structure, SchoolYear(report.school_year), as_of=now)
    report.status = Report.Status.SUBMITTED
    report.author = by
    report.submitted_at = report.submitted_at or now
    report.full_clean()
    report.save()
    if report.deadline_id:
        # Only this deadline: another deadline of the year (results by 25 December and the annual
        # analysis by 15 July for S5) is another report.
        Deadline.objects.filter(pk=report.deadline_id, delivered_at__isnull=True).update(
            delivered_at=now
        )
    return report


@transaction.atomic
def report_accept(*, report: Report, by: User) -> Report:
    if report.status != Report.Status.SUBMITTED:
        raise ValidationError(_("Принять можно только сданный отчёт."))
    report.status = Report.Status.ACCEPTED
    report.decided_by = by
    report.decided_at = timezone.now()
    report.save(update_fields=["status", "decided_by", "decided_at", "updated_at"])
    _tell_author(
        report,
        _("Отчёт принят: %(title)s") % {"title": report.title},
        _("%(structure)s, %(year)s учебный год.")
        % {"structure": report.structure.name, "year": SchoolYear(report.school_year).label},
    )
    return report


@transaction.atomic
def report_return(*, report: Report, by: User, comment: str) -> Report:
    """Back to the author with what to rework; the comment is required."""
    if report.status != Report.Status.SUBMITTED:
        raise ValidationError(_("Вернуть на доработку можно только сданный отчёт."))
    comment = (comment or "").strip()
    if not comment:
        raise ValidationError({"comment": _("Напишите, что доработать.")})
    report.status = Report.Status.RETURNED
    report.return_comment = comment
    report.decided_by = by
    report.decided_at = timezone.now()
    report.full_clean()
    report.save(
        update_fields=["status", "return_comment", "decided_by", "decided_at", "updated_at"]
    )
    _tell_author(
        report, _("Отчёт возвращён на доработку: %(title)s") % {"title": report.title}, comment
    )
    return report


def _tell_author(report: Report, title: str, body: str) -> None:
    """The same notice in the portal (no e-mail: the author is at work on the report anyway)."""
    if report.author_id is None:
        return
    Notice.objects.create(
        user_id=report.author_id, title=title[:300], body=body, url=report_url(report)
    )
