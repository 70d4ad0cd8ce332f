"""The import of a region's risk profiles from XLSX/CSV (issue 21), staged like networks' registry
import: the file is read and matched, the preview shows what would be created and changed and the
lines that match no school, or more than one, or name an unknown factor or level; nothing is saved
until the coordinator confirms, and then the file is read again. The same file twice changes
nothing. The file-reading helpers (networks.tables) and who may import a region (networks.registry
.permissions: the region's coordinators, superusers) are the registry import's own.

Columns: «ИНН» or the school's name («Наименование», «Школа», «Организация»), «Фактор» and
«Уровень» (высокий, средний, низкий). A region's 1,000 schools take a few queries: the region's
schools, the year's factors and the schools' risks, loaded once; the writes are two bulk queries.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from networks.models import Organisation, OrganisationKind, Region, User
from networks.registry.permissions import can_import_registry, import_regions
from networks.schoolyear import SchoolYear
from networks.search import fold
from networks.tables import HEADER_SEARCH_ROWS, FileRefused, has_content, table_rows

from .models import RiskFactor, RiskImport, RiskLevel, SchoolRisk

MAX_BYTES = 10 * 1024 * 1024
MAX_LINES = 50_000
SHOWN_LINES = 200  # of each kind of problem, in the preview

_COLUMNS = {
    "inn": ("инн", "инн организации", "инн школы"),
    "name": (
        "наименование",
        "полное наименование",
        "краткое наименование",
        "наименование организации",
        "наименование оо",
        "школа",
        "организация",
        "образовательная организация",
    ),
    "factor": ("фактор", "фактор риска", "риск", "рисковый профиль", "наименование фактора"),
    "level": ("уровень", "уровень риска", "значение", "степень"),
}
_BY_ALIAS = {alias: column for column, aliases in _COLUMNS.items() for alias in aliases}
_LEVELS = {
    "высокий": RiskLevel.HIGH,
    "высокая": RiskLevel.HIGH,
    "high": RiskLevel.HIGH,
    "средний": RiskLevel.MEDIUM,
    "средняя": RiskLevel.MEDIUM,
    "medium": RiskLevel.MEDIUM,
    "низкий": RiskLevel.LOW,
    "низкая": RiskLevel.LOW,
    "low": RiskLevel.LOW,
}


def _norm(text) -> str:
    text = str(text or "").casefold().replace("ё", "е")
    return " ".join(re.sub(r"[^\w]+", " ", text).split())


def _header(cells) -> dict[str, int]:
    found = {}
    for index, cell in enumerate(cells):
        column = _BY_ALIAS.get(_norm(cell))
        if column and column not in found:
            found[column] = index
    return found


def _cell(cells: list, index: int | None) -> str:
    if index is None or index >= len(cells) or cells[index] is None:
        return ""
    value = cells[index]
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(str(value).replace("\u00a0", " ").split())


@dataclass
class Line:
    line: int
    school: str
    factor: str
    level: str
    problem: str = ""


@dataclass
class RiskPlan:
    """What the file would do: risks to create and to change (school id, factor id, level), the
    lines already so, and the lines that cannot be applied, by kind of problem."""

    create: list[tuple[int, int, str]] = field(default_factory=list)
    change: list[tuple[int, int, str]] = field(default_factory=list)
    unchanged: int = 0
    unmatched: list[Line] = field(default_factory=list)
    doubtful: list[Line] = field(default_factory=list)
    bad: list[Line] = field(default_factory=list)
    matched_schools: int = 0

    def summary(self) -> dict:
        def lines(items):
            return [vars(i) for i in items[:SHOWN_LINES]]

        return {
            "create": len(self.create),
            "change": len(self.change),
            "unchanged": self.unchanged,
            "matched_schools": self.matched_schools,
            "unmatched": len(self.unmatched),
            "doubtful": len(self.doubtful),
            "bad": len(self.bad),
            "unmatched_lines": lines(self.unmatched),
            "doubtful_lines": lines(self.doubtful),
            "bad_lines": lines(self.bad),
        }


def _read(data: bytes, filename: str):
    if len(data) > MAX_BYTES:
        raise FileRefused(_("Файл больше %(mb)s МБ.") % {"mb": MAX_BYTES // 2**20})
    _kind, rows = table_rows(data, filename, _header, max_rows=MAX_LINES + HEADER_SEARCH_ROWS)
    columns = {}
    for line, cells in rows:
        columns = _header(cells)
        if "factor" in columns and "level" in columns and ("inn" in columns or "name" in columns):
            break
        if line > HEADER_SEARCH_ROWS:
            columns = {}
            break
    else:
        columns = {}
    if not columns:
        raise FileRefused(
            _(
                "В файле не найдена строка заголовков. Нужны столбцы «ИНН» или «Наименование», "
                "«Фактор» и «Уровень»."
            )
        )
    for line, cells in rows:
        if not has_content(cells):
            continue
        yield (
            Line(
                line=line,
                school=_cell(cells, columns.get("inn")) or _cell(cells, columns.get("name")),
                factor=_cell(cells, columns["factor"]),
                level=_cell(cells, columns["level"]),
            ),
            _cell(cells, columns.get("inn")),
            _cell(cells, columns.get("name")),
        )


def build_plan(*, data: bytes, filename: str, region: Region, year: SchoolYear) -> RiskPlan:
    """Reads and matches the file; writes nothing. FileRefused when it cannot be read at all."""
    by_inn, by_name = {}, {}
    for pk, inn, full_name, short_name in Organisation.objects.filter(
        region=region, kind=OrganisationKind.SCHOOL
    ).values_list("pk", "inn", "full_name", "short_name"):
        if inn:
            by_inn[inn] = pk
        for name in {fold(full_name), fold(short_name)} - {""}:
            by_name.setdefault(name, set()).add(pk)
    factors = {}
    for pk, code, name in RiskFactor.objects.filter(school_year=year.start).values_list(
        "pk", "code", "name"
    ):
        factors[fold(name)] = pk
        factors[fold(code)] = pk
    current = {
        (o, f): level
        for o, f, level in SchoolRisk.objects.filter(
            organisation__region=region, factor__school_year=year.start
        ).values_list("organisation_id", "factor_id", "level")
    }

    plan, seen, schools = RiskPlan(), {}, set()
    for line, inn, name in _read(data, filename):
        inn = re.sub(r"\D", "", inn)
        if inn:
            school = by_inn.get(inn)
            if school is None:
                line.problem = _("Школа с таким ИНН в регионе не найдена.")
                plan.unmatched.append(line)
                continue
        else:
            found = by_name.get(fold(name), set())
            if not found:
                line.problem = _("Школа с таким наименованием в регионе не найдена.")
                plan.unmatched.append(line)
                continue
            if len(found) > 1:
                line.problem = _("Так названы несколько школ региона: укажите ИНН.")
                plan.doubtful.append(line)
                continue
            (school,) = found
        factor = factors.get(fold(line.factor))
        level = _LEVELS.get(_norm(line.level))
        if factor is None:
            line.problem = _("Такого фактора риска нет в списке этого учебного года.")
            plan.bad.append(line)
            continue
        if level is None:
            line.problem = _("Уровень должен быть «высокий», «средний» или «низкий».")
            plan.bad.append(line)
            continue
        key = (school, factor)
        if key in seen and seen[key] != level:
            line.problem = _("Для этой школы и фактора в файле уже указан другой уровень.")
            plan.doubtful.append(line)
            continue
        if key in seen:
            continue
        seen[key] = level
        schools.add(school)
        was = current.get(key)
        if was is None:
            plan.create.append((school, factor, level))
        elif was != level:
            plan.change.append((school, factor, level))
        else:
            plan.unchanged += 1
    plan.matched_schools = len(schools)
    return plan


@transaction.atomic
def risk_import_stage(*, region: Region, year: SchoolYear, file, by: User | None) -> RiskImport:
    data = file.read()
    try:
        plan = build_plan(data=data, filename=file.name, region=region, year=year)
    except FileRefused as error:
        raise ValidationError(str(error)) from None
    file.seek(0)
    return RiskImport.objects.create(
        region=region,
        school_year=year.start,
        file=file,
        filename=file.name[:255],
        summary=plan.summary(),
        created_by=by,
    )


@transaction.atomic
def risk_import_confirm(*, risk_import: RiskImport, by: User | None) -> RiskPlan:
    """Re-reads the file and applies it: the lines that match, nothing else."""
    locked = RiskImport.objects.select_for_update().get(pk=risk_import.pk)
    if locked.status != RiskImport.Status.STAGED:
        raise ValidationError(_("Эта загрузка уже применена."))
    with locked.file.open("rb") as handle:
        data = handle.read()
    plan = build_plan(
        data=data,
        filename=locked.filename,
        region=locked.region,
        year=SchoolYear(locked.school_year),
    )
    now = timezone.now()
    SchoolRisk.objects.bulk_create(
        [
            SchoolRisk(
                organisation_id=o,
                factor_id=f,
                level=level,
                source=SchoolRisk.Source.IMPORT,
                updated_by=by,
                updated_at=now,
            )
            for o, f, level in plan.create
        ],
        batch_size=1000,
    )
    if plan.change:
        changed = {(o, f): level for o, f, level in plan.change}
        rows = list(
            SchoolRisk.objects.filter(
                organisation_id__in={o for o, _f in changed}, factor_id__in={f for _o, f in changed}
            )
        )
        rows = [r for r in rows if (r.organisation_id, r.factor_id) in changed]
        for risk in rows:
            risk.level = changed[(risk.organisation_id, risk.factor_id)]
            risk.source, risk.updated_by, risk.updated_at = SchoolRisk.Source.IMPORT, by, now
        SchoolRisk.objects.bulk_update(
            rows, ["level", "source", "updated_by", "updated_at"], batch_size=1000
        )
    locked.status, locked.applied_at = RiskImport.Status.APPLIED, now
    locked.summary = {**plan.summary(), "applied": True}
    locked.save(update_fields=["status", "applied_at", "summary"])
    return plan


# --- Views --------------------------------------------------------------------------------------


def _year_choices():
    current = SchoolYear.current()
    return [SchoolYear(current.start - i) for i in range(2)]


@login_required
def risk_import_upload(request):
    regions = list(import_regions(request.user))  # 403 for someone who imports for no region
    years = _year_choices()
    error = ""
    if request.method == "POST":
        region = next((r for r in regions if str(r.pk) == request.POST.get("region")), None)
        year = SchoolYear.parse(request.POST.get("year"))
        upload = request.FILES.get("file")
        if region is None or year not in years or upload is None:
            error = _("Выберите регион, учебный год и файл.")
        else:
            try:
                staged = risk_import_stage(region=region, year=year, file=upload, by=request.user)
            except ValidationError as refused:
                error = " ".join(refused.messages)
            else:
                return redirect("schools:risk_import", pk=staged.pk)
    return render(
        request,
        "schools/risk_import_upload.html",
        {"regions": regions, "years": years, "error": error},
    )


def _import_for(user, pk: int) -> RiskImport:
    risk_import = get_object_or_404(RiskImport.objects.select_related("region"), pk=pk)
    if not can_import_registry(user, risk_import.region_id):
        raise Http404
    return risk_import


@login_required
def risk_import_preview(request, pk: int):
    risk_import = _import_for(request.user, pk)
    return render(
        request,
        "schools/risk_import_preview.html",
        {
            "risk_import": risk_import,
            "summary": risk_import.summary,
            "year": SchoolYear(risk_import.school_year),
        },
    )


@login_required
@require_POST
def risk_import_apply(request, pk: int):
    risk_import = _import_for(request.user, pk)
    try:
        plan = risk_import_confirm(risk_import=risk_import, by=request.user)
    except (ValidationError, FileRefused) as error:
        messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
    else:
        messages.success(
            request,
            _("Загружено: создано %(create)s, изменено %(change)s, без изменений %(same)s.")
            % {"create": len(plan.create), "change": len(plan.change), "same": plan.unchanged},
        )
    return redirect("schools:risk_import", pk=risk_import.pk)
