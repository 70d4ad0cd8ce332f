"""Query parameters of the list endpoints: territory (inside the token's own), school year, and a
few fields of each object. Ids, not model choices: a choice filter would ask the database whether
the id exists on every request; an unknown id simply finds nothing."""

from __future__ import annotations

import django_filters
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from networks.models import (
    Order,
    Organisation,
    OrganisationKind,
    OrganisationStatus,
    SchoolStatus,
    Structure,
)
from networks.schoolyear import SchoolYear
from reporting.models import Deadline, Report
from schools.models import (
    DevelopmentDocument,
    DocumentKind,
    DocumentStatus,
    RiskLevel,
    SchoolCurator,
    SchoolRisk,
)

YEAR_HELP = _("Учебный год числом его первого года: 2024 — это 2024/2025.")


def school_year(value) -> SchoolYear:
    return SchoolYear(int(value))


class TerritoryFilter(django_filters.FilterSet):
    """`region` and `municipality` by id, on the fields named by `region_field`/`municipality_field`."""

    region_field = "region_id"
    municipality_field = "municipality_id"

    region = django_filters.NumberFilter(method="filter_region", label=_("Регион (id)"))
    municipality = django_filters.NumberFilter(
        method="filter_municipality", label=_("Муниципальное образование (id)")
    )

    def filter_region(self, queryset, name, value):
        return queryset.filter(**{self.region_field: value})

    def filter_municipality(self, queryset, name, value):
        return queryset.filter(**{self.municipality_field: value})


class OrganisationFilter(TerritoryFilter):
    school_year = django_filters.NumberFilter(
        method="filter_school_year",
        min_value=1990,
        max_value=2100,
        label=_(
            "Учебный год (2024 — это 2024/2025): только организации со статусом в этом году, "
            "и статусы только этого года."
        ),
    )
    status = django_filters.ChoiceFilter(
        choices=SchoolStatus.choices,
        method="filter_status",
        label=_("Статус (в учебном году, если он задан)"),
    )
    kind = django_filters.ChoiceFilter(choices=OrganisationKind.choices, label=_("Тип организации"))

    class Meta:
        model = Organisation
        fields = ["region", "municipality", "school_year", "status", "kind"]

    def _statuses(self):
        statuses = OrganisationStatus.objects.filter(organisation=OuterRef("pk"))
        year = self.form.cleaned_data.get("school_year")
        if year:
            statuses = statuses.filter(school_year=int(year))
        return statuses

    def filter_school_year(self, queryset, name, value):
        return queryset.filter(Exists(self._statuses()))

    def filter_status(self, queryset, name, value):
        return queryset.filter(Exists(self._statuses().filter(status=value)))


class StructureFilter(TerritoryFilter):
    school_year = django_filters.NumberFilter(
        method="filter_school_year",
        min_value=1990,
        max_value=2100,
        label=_(
            "Учебный год (2024 — это 2024/2025): структуры, работавшие в нём; за него же "
            "считаются проведённые мероприятия (без параметра — за текущий учебный год)."
        ),
    )
    kind = django_filters.CharFilter(field_name="kind__code", label=_("Код вида структуры"))
    closed = django_filters.BooleanFilter(
        field_name="closed_on", lookup_expr="isnull", exclude=True, label=_("Прекратила работу")
    )

    class Meta:
        model = Structure
        fields = ["region", "municipality", "school_year", "kind", "closed"]

    def filter_school_year(self, queryset, name, value):
        return queryset.active_in(school_year(value))


class OrderFilter(TerritoryFilter):
    region_field = "issuer__region_id"
    municipality_field = "issuer__municipality_id"
    school_year = django_filters.NumberFilter(
        method="filter_school_year",
        min_value=1990,
        max_value=2100,
        label=_("Учебный год (2024 — это 2024/2025): приказы, изданные в нём."),
    )
    kind = django_filters.ChoiceFilter(choices=Order.Kind.choices, label=_("Вид документа"))

    class Meta:
        model = Order
        fields = ["region", "municipality", "school_year", "kind"]

    def filter_school_year(self, queryset, name, value):
        year = school_year(value)
        return queryset.filter(date__gte=year.first_day, date__lte=year.last_day)


class StructureTerritoryFilter(TerritoryFilter):
    region_field = "structure__region_id"
    municipality_field = "structure__municipality_id"
    school_year = django_filters.NumberFilter(
        field_name="school_year", min_value=1990, max_value=2100, label=YEAR_HELP
    )
    structure = django_filters.NumberFilter(field_name="structure_id", label=_("Структура (id)"))


class ReportFilter(StructureTerritoryFilter):
    status = django_filters.ChoiceFilter(choices=Report.Status.choices, label=_("Состояние"))

    class Meta:
        model = Report
        fields = ["region", "municipality", "school_year", "structure", "status"]


class DeadlineFilter(StructureTerritoryFilter):
    delivered = django_filters.BooleanFilter(
        field_name="delivered_at", lookup_expr="isnull", exclude=True, label=_("Сдано")
    )

    class Meta:
        model = Deadline
        fields = ["region", "municipality", "school_year", "structure", "delivered"]


class SchoolRiskFilter(TerritoryFilter):
    region_field = "organisation__region_id"
    municipality_field = "organisation__municipality_id"
    school_year = django_filters.NumberFilter(
        field_name="factor__school_year", min_value=1990, max_value=2100, label=YEAR_HELP
    )
    organisation = django_filters.NumberFilter(field_name="organisation_id", label=_("Школа (id)"))
    factor = django_filters.CharFilter(field_name="factor__code", label=_("Код фактора риска"))
    level = django_filters.ChoiceFilter(choices=RiskLevel.choices, label=_("Уровень"))

    class Meta:
        model = SchoolRisk
        fields = ["region", "municipality", "school_year", "organisation", "factor", "level"]


class SchoolTerritoryFilter(TerritoryFilter):
    region_field = "organisation__region_id"
    municipality_field = "organisation__municipality_id"
    organisation = django_filters.NumberFilter(field_name="organisation_id", label=_("Школа (id)"))


class DevelopmentDocumentFilter(SchoolTerritoryFilter):
    school_year = django_filters.NumberFilter(
        field_name="school_year", min_value=1990, max_value=2100, label=YEAR_HELP
    )
    kind = django_filters.ChoiceFilter(choices=DocumentKind.choices, label=_("Вид документа"))
    status = django_filters.ChoiceFilter(choices=DocumentStatus.choices, label=_("Состояние"))
    factor = django_filters.CharFilter(field_name="factor__code", label=_("Код фактора риска"))

    class Meta:
        model = DevelopmentDocument
        fields = [
            "region",
            "municipality",
            "school_year",
            "organisation",
            "kind",
            "status",
            "factor",
        ]


class SchoolCuratorFilter(SchoolTerritoryFilter):
    school_year = django_filters.NumberFilter(
        method="filter_school_year",
        min_value=1990,
        max_value=2100,
        label=_(
            "Учебный год (2024 — это 2024/2025): кураторы, курировавшие школу хотя бы день в нём."
        ),
    )
    current = django_filters.BooleanFilter(
        field_name="until", lookup_expr="isnull", label=_("Курирует сейчас")
    )

    class Meta:
        model = SchoolCurator
        fields = ["region", "municipality", "school_year", "organisation", "current"]

    def filter_school_year(self, queryset, name, value):
        year = school_year(value)
        return queryset.filter(since__lte=year.last_day).filter(
            Q(until__isnull=True) | Q(until__gte=year.first_day)
        )
