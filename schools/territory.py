"""The methodist's view of the territory (issue 21): the territory's ШНОР/ШССУ of a school year with
their risk factors, which factors a measure covers, the support they got and their people's
attendance; filters, an XLSX export and a chart of coverage by factor.

A measure covers a school's factor when the school has, in that school year, a network pair (its
head as mentee or mentor), tutoring of its teachers, or an accepted antirisk programme for that very
factor: a pair and tutoring are not tied to one factor by the orders, so they count for each.

Every count is one grouped query over the territory's schools, whatever their number (≈ 1,000 in a
large region): about ten queries for the page."""

from __future__ import annotations

import io
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from communities.models import Attendance, Event
from documents.formatting import file_name
from mentoring.models import HelpRequest, TutorAssignment
from networks.coverage import covered_by
from networks.models import PAIR_ROLES, Membership, OrganisationStatus, SchoolStatus
from networks.schoolyear import SchoolYear
from networks.xlsx import prepare_book, prepare_sheet, save_book, text_row
from reporting.summaries.charts import bar_chart

from .models import DevelopmentDocument, DocumentKind, DocumentStatus, RiskFactor, SchoolRisk
from .permissions import territory_table_roles

PAGE_SIZE = 50
FILTERS = {
    "no_support": gettext_lazy("Без поддержки"),
    "uncovered": gettext_lazy("Фактор без меры"),
    "returned": gettext_lazy("Документы возвращены"),
}


@dataclass
class FactorRow:
    factor: RiskFactor
    level: str
    level_label: str
    covered: bool


@dataclass
class SchoolRow:
    pk: int
    name: str
    municipality: str
    statuses: list[str] = field(default_factory=list)
    factors: list[FactorRow] = field(default_factory=list)
    pairs: int = 0
    memberships: int = 0
    tutoring: int = 0
    help_requests: int = 0
    attended_people: int = 0
    attendances: int = 0
    returned: int = 0

    @property
    def support(self) -> int:
        """Support received: pairs, structures, tutoring, help requests. Attendance at events is
        shown beside it (attending is how a member takes part, not a support of its own)."""
        return self.pairs + self.memberships + self.tutoring + self.help_requests

    @property
    def uncovered(self) -> list[FactorRow]:
        return [f for f in self.factors if not f.covered]


def _grouped(queryset, key: str, **counts) -> dict[int, dict]:
    return {row[key]: row for row in queryset.order_by().values(key).annotate(**counts)}


def territory_rows(territory, year: SchoolYear) -> tuple[list[SchoolRow], list[RiskFactor]]:
    """The territory's ШНОР/ШССУ of the year, each with its factors and support, by name."""
    place = covered_by(
        [territory], region="organisation__region_id", municipality="organisation__municipality_id"
    )
    schools: dict[int, SchoolRow] = {}
    statuses = (
        OrganisationStatus.objects.filter(
            place, school_year=year.start, status__in=[SchoolStatus.SHNOR, SchoolStatus.SSSU]
        )
        .order_by("organisation__short_name", "organisation__full_name", "status")
        .values_list(
            "organisation_id",
            "organisation__short_name",
            "organisation__full_name",
            "organisation__municipality__name",
            "status",
        )
    )
    labels = {k: str(v) for k, v in SchoolStatus.choices}
    for pk, short, full, municipality, status in statuses:
        row = schools.get(pk) or schools.setdefault(
            pk, SchoolRow(pk, short or full, municipality or "")
        )
        row.statuses.append(labels[status])
    ids = list(schools)
    factors = list(RiskFactor.objects.filter(school_year=year.start).order_by("ordering", "name"))
    if not ids:
        return [], factors
    start, end = year.moments

    # Pairs and other memberships in one pass over the memberships of the schools' people.
    pair_side = Q(role__in=PAIR_ROLES, structure__kind__is_pair=True)
    memberships = _grouped(
        Membership.objects.during(year).filter(user__organisation_id__in=ids),
        "user__organisation_id",
        pairs=Count("structure_id", distinct=True, filter=pair_side),
        others=Count("structure_id", distinct=True, filter=~pair_side),
    )
    tutoring = _grouped(
        TutorAssignment.objects.filter(
            Q(until__isnull=True) | Q(until__gte=year.first_day),
            teacher__organisation_id__in=ids,
            since__lte=year.last_day,
        ),
        "teacher__organisation_id",
        n=Count("id"),
    )
    helps = _grouped(
        HelpRequest.objects.filter(
            organisation_id__in=ids, created_at__gte=start, created_at__lt=end
        ),
        "organisation_id",
        n=Count("id"),
    )
    accepted, returned = set(), Counter()
    for organisation_id, kind, factor_id, status in DevelopmentDocument.objects.filter(
        organisation_id__in=ids,
        school_year=year.start,
        status__in=[DocumentStatus.ACCEPTED, DocumentStatus.RETURNED],
    ).values_list("organisation_id", "kind", "factor_id", "status"):
        if status == DocumentStatus.RETURNED:
            returned[organisation_id] += 1
        elif kind == DocumentKind.ANTIRISK:
            accepted.add((organisation_id, factor_id))
    risks = defaultdict(dict)
    for organisation_id, factor_id, level in SchoolRisk.objects.filter(
        organisation_id__in=ids, factor__school_year=year.start
    ).values_list("organisation_id", "factor_id", "level"):
        risks[organisation_id][factor_id] = level

    level_labels = {k: str(v) for k, v in SchoolRisk._meta.get_field("level").choices}
    for pk, row in schools.items():
        row.pairs = memberships.get(pk, {}).get("pairs", 0)
        row.memberships = memberships.get(pk, {}).get("others", 0)
        row.tutoring = tutoring.get(pk, {}).get("n", 0)
        row.help_requests = helps.get(pk, {}).get("n", 0)
        row.returned = returned[pk]
        general_measure = bool(row.pairs or row.tutoring)
        row.factors = [
            FactorRow(
                factor=f,
                level=risks[pk][f.pk],
                level_label=level_labels[risks[pk][f.pk]],
                covered=general_measure or (pk, f.pk) in accepted,
            )
            for f in factors
            if f.pk in risks[pk]
        ]
    return list(schools.values()), factors


def add_attendance(rows: list[SchoolRow], year: SchoolYear) -> None:
    """The attendance of the rows' people at events held in the year: one grouped query, asked
    for the rows shown (a page, or the export) — over a region's every school it is the table's
    heaviest read."""
    by_pk = {row.pk: row for row in rows}
    if not by_pk:
        return
    start, end = year.moments
    counts = Attendance.objects.filter(
        user__organisation_id__in=list(by_pk),
        attended=True,
        event__starts_at__gte=start,
        event__starts_at__lt=end,
        event__status=Event.Status.HELD,
    )
    for pk, row in _grouped(
        counts, "user__organisation_id", n=Count("id"), people=Count("user_id", distinct=True)
    ).items():
        by_pk[pk].attendances, by_pk[pk].attended_people = row["n"], row["people"]


def filtered(rows: list[SchoolRow], name: str) -> list[SchoolRow]:
    if name == "no_support":
        return [r for r in rows if not r.support]
    if name == "uncovered":
        return [r for r in rows if r.uncovered]
    if name == "returned":
        return [r for r in rows if r.returned]
    return rows


@dataclass
class FactorCoverage:
    factor: RiskFactor
    schools: int
    covered: int

    @property
    def uncovered(self) -> int:
        return self.schools - self.covered


def coverage(rows: list[SchoolRow], factors: list[RiskFactor]) -> list[FactorCoverage]:
    with_factor, covered = Counter(), Counter()
    for row in rows:
        for f in row.factors:
            with_factor[f.factor.pk] += 1
            covered[f.factor.pk] += f.covered
    return [FactorCoverage(f, with_factor[f.pk], covered[f.pk]) for f in factors]


XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def export_xlsx(rows: list[SchoolRow], year: SchoolYear, territory_name: str) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = _("ШНОР и ШССУ")
    header = [
        _("Школа"),
        _("Муниципальное образование"),
        _("Статус"),
        _("Факторы риска (уровень)"),
        _("Факторы без меры"),
        _("Сетевые пары"),
        _("Участие в структурах"),
        _("Тьюторское сопровождение"),
        _("Запросы адресной помощи"),
        _("Посетили мероприятия, человек"),
        _("Посещений мероприятий"),
        _("Возвращённые документы"),
    ]
    # Its title and the territory as its author, Russian (issue 18: not «openpyxl»).
    prepare_book(
        book, title=f"{sheet.title}. {territory_name}, {year.label}", creator=territory_name
    )
    sheet.append(text_row(sheet, [f"{territory_name}, {year.label}"]))
    sheet.append(text_row(sheet, header))
    for row in rows:
        sheet.append(
            text_row(
                sheet,
                [
                    row.name,
                    row.municipality,
                    ", ".join(row.statuses),
                    "; ".join(f"{f.factor.name} ({f.level_label})" for f in row.factors),
                    "; ".join(f.factor.name for f in row.uncovered),
                    row.pairs,
                    row.memberships,
                    row.tutoring,
                    row.help_requests,
                    row.attended_people,
                    row.attendances,
                    row.returned,
                ],
            )
        )
    prepare_sheet(sheet, first_row=2)
    out = io.BytesIO()
    save_book(book, out)
    return out.getvalue()


@login_required
def territory_table(request):
    roles = territory_table_roles(request.user)
    if not roles:
        raise Http404
    try:
        territory = roles[int(request.GET.get("territory", 0))]
    except (ValueError, IndexError):
        raise Http404 from None
    year = SchoolYear.parse(request.GET.get("year")) or SchoolYear.current()
    chosen = request.GET.get("filter", "")
    if chosen not in FILTERS:
        chosen = ""
    rows, factors = territory_rows(territory, year)
    shown = filtered(rows, chosen)
    territory_name = str(territory.municipality or territory.region)
    if request.GET.get("format") == "xlsx":
        add_attendance(shown, year)
        response = HttpResponse(export_xlsx(shown, year, territory_name), content_type=XLSX_TYPE)
        # Short, with kind, territory and date (issue 18): «ШНОР и ШССУ 2020-2021 — … — 07.12.2026».
        name = file_name(
            f"ШНОР и ШССУ {year.start}-{year.start + 1}",
            territory_name,
            f"{timezone.localdate():%d.%m.%Y}",
            extension="xlsx",
            separator=" — ",
        )
        response["Content-Disposition"] = content_disposition_header(True, name)
        return response
    covered = coverage(rows, factors)
    chart = bar_chart(
        [(c.factor.name, c.covered, "accepted") for c in covered if c.schools],
        title=_("Школы, у которых фактор риска покрыт мерой"),
    )
    page = Paginator(shown, PAGE_SIZE).get_page(request.GET.get("page"))
    add_attendance(page.object_list, year)
    current = SchoolYear.current()
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "schools/territory.html",
        {
            "roles": roles,
            "territory": territory,
            "territory_index": roles.index(territory),
            "territory_name": territory_name,
            "year": year,
            "years": [SchoolYear(current.start - i) for i in range(3)],
            "filters": FILTERS,
            "chosen": chosen,
            "total": len(rows),
            "shown_count": len(shown),
            "page": page,
            "query": query.urlencode(),
            "coverage": covered,
            "chart": chart,
        },
    )
