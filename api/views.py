"""The read-only API: one viewset per kind of object, each scoped to the token's territory.

Another territory's objects are not in the querysets at all, so a list leaves them out and a
detail answers 404 (as the portal's pages do for a stranger). Every request is logged (logger
"api": token, path, status, duration) by the base class, whatever its outcome.

Speed (issue 21: each list ≤ 100 ms at national scale, queries flat with data): a page is read with
`.values()` — one query for the rows with their joined names, and one per nested list (statuses,
leaders, events held) for the whole page — and shaped into dicts here. The serializers in
serializers.py describe those dicts for the OpenAPI document; DRF's field-by-field serializers
cost several times the SQL on a page of 100 structures. tests/api checks every answer against
the document, so the two cannot drift apart unnoticed.
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
import time
from abc import ABCMeta, abstractmethod
from collections import defaultdict

from django.conf import settings
from django.db import models
from django.db.models import Count, IntegerField, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import viewsets
from rest_framework.pagination import CursorPagination
from rest_framework.response import Response

from communities.selectors.events import held_events
from networks.coverage import covered_by
from networks.models import (
    LEAD_ROLES,
    Membership,
    Municipality,
    Order,
    Organisation,
    OrganisationKind,
    OrganisationStatus,
    Role,
    SchoolStatus,
    Structure,
    StructureKind,
    User,
)
from networks.schoolyear import SchoolYear
from reporting.models import Deadline, Report
from schools.models import (
    DevelopmentDocument,
    DocumentKind,
    DocumentStatus,
    DocumentStatusChange,
    RiskLevel,
    SchoolCurator,
    SchoolRisk,
)

from . import filters, serializers
from .authentication import BearerTokenAuthentication, HasApiToken
from .throttling import TokenRateThrottle

log = logging.getLogger("api")

# Who leads a structure, as the API names them (with their consent).
LEADER_ROLES = (*LEAD_ROLES, Role.COORDINATOR)


@functools.cache
def _labels(choices: type[models.TextChoices], language: str) -> dict[str, str]:
    return {value: str(name) for value, name in choices.choices}


def label(choices: type[models.TextChoices], value: str) -> str:
    """A choice's name in the active language, as a plain string: a lazy one per row costs a
    catalogue lookup each when the page is written as JSON."""
    return _labels(choices, translation.get_language())[value]


def organisation_name(short_name: str, full_name: str) -> str:
    """As Organisation.__str__ says it."""
    return short_name or full_name


def organisation_names(ids: list[int]) -> dict[int, str]:
    rows = Organisation.objects.filter(pk__in=set(ids)).values_list("pk", "short_name", "full_name")
    return {pk: organisation_name(short, full) for pk, short, full in rows}


def described(listed: str, one: str, description: str):
    """The OpenAPI document's Russian summary and description of a viewset's two operations
    (drf-spectacular would otherwise publish the docstrings, which are notes for developers)."""
    return extend_schema_view(
        list=extend_schema(summary=listed, description=description),
        retrieve=extend_schema(summary=one, description=description),
    )


class Pagination(CursorPagination):
    """By id with a cursor: no COUNT(*) of the territory's rows, and a page does not move when
    rows are added while a system reads page after page."""

    ordering = "id"
    page_size = 100
    page_size_query_param = "page_size"
    max_page_size = 500


class ApiViewSet(viewsets.ReadOnlyModelViewSet, metaclass=ABCMeta):
    """Each endpoint says what it reads (base_queryset, columns) and how a row is answered (rows);
    the territory, pagination and the detail view are the same for all."""

    authentication_classes = [BearerTokenAuthentication]
    permission_classes = [HasApiToken]
    throttle_classes = [TokenRateThrottle]
    pagination_class = Pagination
    filter_backends = [DjangoFilterBackend]
    # The fields that place an object in a region and a municipality.
    region_field = "region_id"
    municipality_field = "municipality_id"
    # What .values() reads for a row.
    columns: tuple[str, ...] = ()

    @abstractmethod
    def base_queryset(self): ...

    @abstractmethod
    def rows(self, values: list[dict]) -> list[dict]:
        """The answer's objects for a page of `.values()` rows."""

    def get_queryset(self):
        queryset = self.base_queryset()
        token = getattr(self.request, "auth", None)
        if token is None:  # the schema generator
            return queryset.none()
        return queryset.filter(self.territory_condition(token)).values(*self.columns)

    def territory_condition(self, token):
        return covered_by([token], region=self.region_field, municipality=self.municipality_field)

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response(self.rows(page))

    def retrieve(self, request, *args, **kwargs):
        return Response(self.rows([self.get_object()])[0])

    def dispatch(self, request, *args, **kwargs):
        started = time.monotonic()
        # Russian answers and errors whatever language cookie a client may send.
        with translation.override(settings.LANGUAGE_CODE):
            response = super().dispatch(request, *args, **kwargs)
            response.render()
        token = getattr(self.request, "_auth", None)
        path = request.get_full_path()
        duration = (time.monotonic() - started) * 1000
        log.info(
            "api token=%s path=%s status=%s duration_ms=%.1f",
            getattr(token, "pk", None),
            path,
            response.status_code,
            duration,
            extra={
                "token_id": getattr(token, "pk", None),
                "path": path,
                "status": response.status_code,
                "duration_ms": round(duration, 1),
            },
        )
        return response


@described(
    _("Организации территории"),
    _("Организация"),
    _(
        "Организации территории ключа: тип, наименования, ИНН, адрес, правопреемник и статусы ШНОР, ШССУ, школа-лидер по учебным годам с приказом, установившим каждый."
    ),
)
class OrganisationViewSet(ApiViewSet):
    """Organisations of the territory with their ШНОР/ШССУ/leader statuses by school year."""

    serializer_class = serializers.OrganisationSerializer
    filterset_class = filters.OrganisationFilter
    columns = (
        "id",
        "kind",
        "full_name",
        "short_name",
        "inn",
        "address",
        "region_id",
        "region__name",
        "municipality_id",
        "municipality__name",
        "successor_id",
    )

    def base_queryset(self):
        return Organisation.objects.all()

    def statuses(self, ids: list[int]) -> defaultdict[int, list[dict]]:
        statuses = OrganisationStatus.objects.filter(organisation_id__in=ids)
        year = SchoolYear.parse(self.request.query_params.get("school_year"))
        if year:
            statuses = statuses.filter(school_year=year.start)
        by_organisation = defaultdict(list)
        for s in statuses.order_by("-school_year", "status").values(
            "organisation_id",
            "school_year",
            "status",
            "order_id",
            "order__kind",
            "order__number",
            "order__date",
            "order__title",
            "order__issuer_id",
        ):
            by_organisation[s["organisation_id"]].append(
                {
                    "school_year": s["school_year"],
                    "school_year_label": SchoolYear(s["school_year"]).label,
                    "status": s["status"],
                    "status_name": label(SchoolStatus, s["status"]),
                    "order": s["order_id"]
                    and {
                        "id": s["order_id"],
                        "kind": s["order__kind"],
                        "number": s["order__number"],
                        "date": s["order__date"],
                        "title": s["order__title"],
                        "issuer_id": s["order__issuer_id"],
                    },
                }
            )
        return by_organisation

    def rows(self, values):
        statuses = self.statuses([v["id"] for v in values])
        return [
            {
                "id": v["id"],
                "kind": v["kind"],
                "kind_name": label(OrganisationKind, v["kind"]),
                "full_name": v["full_name"],
                "short_name": v["short_name"],
                "inn": v["inn"],
                "address": v["address"],
                "region": {"id": v["region_id"], "name": v["region__name"]},
                "municipality": v["municipality_id"]
                and {"id": v["municipality_id"], "name": v["municipality__name"]},
                "successor_id": v["successor_id"],
                "statuses": statuses[v["id"]],
            }
            for v in values
        ]


def order_row(v: dict) -> dict:
    return {
        "id": v["id"],
        "kind": v["kind"],
        "kind_name": label(Order.Kind, v["kind"]),
        "number": v["number"],
        "date": v["date"],
        "title": v["title"],
        "issuer": {
            "id": v["issuer_id"],
            "name": organisation_name(v["issuer__short_name"], v["issuer__full_name"]),
        },
    }


ORDER_COLUMNS = (
    "id",
    "kind",
    "number",
    "date",
    "title",
    "issuer_id",
    "issuer__short_name",
    "issuer__full_name",
)


@described(
    _("Сетевые структуры территории"),
    _("Сетевая структура"),
    _(
        "Структуры территории ключа: вид, базовая организация, приказ о создании, срок и тема, прекращение, число участников сегодня, проведённые мероприятия за учебный год и руководство (ФИО — только с согласия человека)."
    ),
)
class StructureViewSet(ApiViewSet):
    """Structures of the territory: kind, founding order, members, events held in a school year,
    and who leads them."""

    serializer_class = serializers.StructureSerializer
    filterset_class = filters.StructureFilter
    columns = (
        "id",
        "name",
        "kind_id",
        "region_id",
        "region__name",
        "municipality_id",
        "municipality__name",
        "host_id",
        "parent_id",
        "programme_id",
        "founding_order_id",
        "founding_order__kind",
        "founding_order__number",
        "founding_order__date",
        "founding_order__title",
        "founding_order__issuer_id",
        "established_on",
        "term_start",
        "term_end",
        "topic",
        "closed_on",
        "closing_reason",
        "members_count",
    )

    def base_queryset(self):
        # A correlated subquery, as Structure.objects.for_list counts: computed for the page's
        # rows only.
        current = (
            Membership.objects.filter(structure=OuterRef("pk"), until__isnull=True)
            .order_by()
            .values("structure")
            .annotate(n=Count("pk"))
            .values("n")
        )
        return Structure.objects.annotate(
            members_count=Coalesce(Subquery(current, output_field=IntegerField()), 0)
        )

    def school_year(self) -> SchoolYear:
        return (
            SchoolYear.parse(self.request.query_params.get("school_year")) or SchoolYear.current()
        )

    def leaders(self, ids: list[int]) -> defaultdict[int, list[dict]]:
        by_structure = defaultdict(list)
        rows = (
            Membership.objects.filter(
                structure_id__in=ids, until__isnull=True, role__in=LEADER_ROLES
            )
            .order_by("role", "pk")
            .values(
                "structure_id",
                "role",
                "user__last_name",
                "user__first_name",
                "user__patronymic",
                "user__organisation_id",
                "user__show_name_consent_at",
                "user__anonymised_at",
            )
        )
        for m in rows:
            # The consent rule is User.shows_name's: asked of the person, not restated here.
            person = User(
                last_name=m["user__last_name"],
                first_name=m["user__first_name"],
                patronymic=m["user__patronymic"],
                show_name_consent_at=m["user__show_name_consent_at"],
                anonymised_at=m["user__anonymised_at"],
            )
            by_structure[m["structure_id"]].append(
                {
                    "role": m["role"],
                    "role_name": label(Role, m["role"]),
                    "name": person.full_name if person.shows_name else None,
                    "organisation_id": m["user__organisation_id"],
                }
            )
        return by_structure

    def rows(self, values):
        ids = [v["id"] for v in values]
        year = self.school_year()
        held = held_events(ids, year)
        leaders = self.leaders(ids)
        # The kinds and the organisations' names in queries of their own: joined into the page's
        # query, seven tables cost PostgreSQL 20-30 ms of planning for a 5 ms query.
        kinds = {k["id"]: k for k in StructureKind.objects.values("id", "code", "name")}
        names = organisation_names(
            [v["host_id"] for v in values] + [v["founding_order__issuer_id"] for v in values]
        )
        return [
            {
                "id": v["id"],
                "name": v["name"],
                "kind": {"code": kinds[v["kind_id"]]["code"], "name": kinds[v["kind_id"]]["name"]},
                "region": {"id": v["region_id"], "name": v["region__name"]},
                "municipality": v["municipality_id"]
                and {"id": v["municipality_id"], "name": v["municipality__name"]},
                "host": {"id": v["host_id"], "name": names[v["host_id"]]},
                "parent_id": v["parent_id"],
                "programme_id": v["programme_id"],
                "founding_order": {
                    "id": v["founding_order_id"],
                    "kind": v["founding_order__kind"],
                    "kind_name": label(Order.Kind, v["founding_order__kind"]),
                    "number": v["founding_order__number"],
                    "date": v["founding_order__date"],
                    "title": v["founding_order__title"],
                    "issuer": {
                        "id": v["founding_order__issuer_id"],
                        "name": names[v["founding_order__issuer_id"]],
                    },
                },
                "established_on": v["established_on"],
                "term_start": v["term_start"],
                "term_end": v["term_end"],
                "topic": v["topic"],
                "closed_on": v["closed_on"],
                "closing_reason": v["closing_reason"],
                "members_count": v["members_count"],
                "events_held": {
                    "school_year": year.start,
                    "school_year_label": year.label,
                    "events": held[v["id"]].total,
                    "meetings": held[v["id"]].meetings,
                },
                "leaders": leaders[v["id"]],
            }
            for v in values
        ]


@described(
    _("Приказы территории"),
    _("Приказ"),
    _(
        "Приказы, изданные организациями территории, создавшие её структуры или установившие статусы её организаций."
    ),
)
class OrderViewSet(ApiViewSet):
    """Orders issued in the territory, those that founded its structures and those that set its
    organisations' statuses."""

    serializer_class = serializers.OrderSerializer
    filterset_class = filters.OrderFilter
    columns = ORDER_COLUMNS

    def base_queryset(self):
        return Order.objects.all()

    def territory_condition(self, token):
        # Each part a hashed id set: issued by an organisation of the territory, founding one of
        # its structures, or setting the status of one of its organisations (a region's list of
        # ШНОР read by a municipality). Conditions on the issuer's join made PostgreSQL join
        # every order of the country to its issuer first (≈ 70 ms for a municipality).
        here = covered_by([token])
        schools_here = covered_by(
            [token], region="organisation__region_id", municipality="organisation__municipality_id"
        )
        return (
            Q(issuer_id__in=Organisation.objects.filter(here).values("pk"))
            | Q(pk__in=Structure.objects.filter(here).values("founding_order_id"))
            | Q(
                pk__in=OrganisationStatus.objects.filter(
                    schools_here, order_id__isnull=False
                ).values("order_id")
            )
        )

    def rows(self, values):
        return [order_row(v) for v in values]


STRUCTURE_REF = (
    "structure_id",
    "structure__name",
    "structure__region_id",
    "structure__municipality_id",
)


def structure_ref(v: dict) -> dict:
    return {
        "id": v["structure_id"],
        "name": v["structure__name"],
        "region_id": v["structure__region_id"],
        "municipality_id": v["structure__municipality_id"],
    }


@described(
    _("Отчёты структур"),
    _("Отчёт"),
    _(
        "Отчёты структур территории: учебный год, состояние, срок, сдача с опозданием, решение и показатели, зафиксированные при сдаче. Тексты отчётов не отдаются."
    ),
)
class ReportViewSet(ApiViewSet):
    """Reports of the territory's structures and their status."""

    serializer_class = serializers.ReportSerializer
    filterset_class = filters.ReportFilter
    region_field = "structure__region_id"
    municipality_field = "structure__municipality_id"
    columns = (
        "id",
        *STRUCTURE_REF,
        "school_year",
        "title",
        "status",
        "deadline_id",
        "deadline__due_on",
        "submitted_at",
        "decided_at",
        "figures",
    )

    def base_queryset(self):
        return Report.objects.all()

    def rows(self, values):
        rows = []
        for v in values:
            # Lateness is Report.is_late's rule, asked of an unsaved report.
            due = Deadline(due_on=v["deadline__due_on"]) if v["deadline_id"] else None
            late = Report(submitted_at=v["submitted_at"], deadline=due).is_late
            rows.append(
                {
                    "id": v["id"],
                    "structure": structure_ref(v),
                    "school_year": v["school_year"],
                    "title": v["title"],
                    "status": v["status"],
                    "status_name": label(Report.Status, v["status"]),
                    "deadline_id": v["deadline_id"],
                    "due_on": v["deadline__due_on"],
                    "submitted_at": v["submitted_at"],
                    "is_late": late,
                    "decided_at": v["decided_at"],
                    "figures": v["figures"],
                }
            )
        return rows


@described(
    _("Сроки отчётности"),
    _("Срок отчётности"),
    _(
        "Сроки отчётности структур территории: что сдать, кому, срок, когда сдано и не с опозданием ли."
    ),
)
class DeadlineViewSet(ApiViewSet):
    """Reporting deadlines of the territory's structures: due and delivered."""

    serializer_class = serializers.DeadlineSerializer
    filterset_class = filters.DeadlineFilter
    region_field = "structure__region_id"
    municipality_field = "structure__municipality_id"
    columns = (
        "id",
        *STRUCTURE_REF,
        "school_year",
        "rule__title",
        "rule__deliverable",
        "rule__recipient",
        "due_on",
        "delivered_at",
    )

    def base_queryset(self):
        return Deadline.objects.all()

    def rows(self, values):
        return [
            {
                "id": v["id"],
                "structure": structure_ref(v),
                "school_year": v["school_year"],
                "title": v["rule__title"],
                "deliverable": v["rule__deliverable"],
                "recipient": v["rule__recipient"],
                "due_on": v["due_on"],
                "delivered_at": v["delivered_at"],
                # Deadline.is_late's rule, asked of an unsaved deadline.
                "is_late": Deadline(due_on=v["due_on"], delivered_at=v["delivered_at"]).is_late,
            }
            for v in values
        ]


@described(
    _("Муниципальные образования"),
    _("Муниципальное образование"),
    _("Муниципальные образования, доступные ключу: их id принимает фильтр municipality."),
)
class MunicipalityViewSet(ApiViewSet):
    """The municipalities the token may read: the ids the filters take."""

    serializer_class = serializers.MunicipalitySerializer
    municipality_field = "id"
    columns = ("id", "name", "region_id")

    def base_queryset(self):
        return Municipality.objects.all()

    def rows(self, values):
        return list(values)


SCHOOL_REF = (
    "organisation_id",
    "organisation__short_name",
    "organisation__full_name",
    "organisation__region_id",
    "organisation__municipality_id",
)


def school_ref(v: dict) -> dict:
    return {
        "id": v["organisation_id"],
        "name": organisation_name(v["organisation__short_name"], v["organisation__full_name"]),
        "region_id": v["organisation__region_id"],
        "municipality_id": v["organisation__municipality_id"],
    }


@described(
    _("Профили рисков школ"),
    _("Риск школы"),
    _(
        "По строке на школу территории и фактор риска проекта «500+» учебного года: уровень, источник, время изменения."
    ),
)
class RiskProfileViewSet(ApiViewSet):
    """The risk profiles of the territory's schools: one row per school and risk factor of a
    school year (the «500+» factors, kept by year as data in schools.RiskFactor)."""

    serializer_class = serializers.SchoolRiskSerializer
    filterset_class = filters.SchoolRiskFilter
    region_field = "organisation__region_id"
    municipality_field = "organisation__municipality_id"
    columns = (
        "id",
        *SCHOOL_REF,
        "factor__school_year",
        "factor_id",
        "factor__code",
        "factor__name",
        "level",
        "source",
        "updated_at",
    )

    def base_queryset(self):
        return SchoolRisk.objects.all()

    def rows(self, values):
        return [
            {
                "id": v["id"],
                "organisation": school_ref(v),
                "school_year": v["factor__school_year"],
                "school_year_label": SchoolYear(v["factor__school_year"]).label,
                "factor": {
                    "id": v["factor_id"],
                    "code": v["factor__code"],
                    "name": v["factor__name"],
                },
                "level": v["level"],
                "level_name": label(RiskLevel, v["level"]),
                "source": v["source"],
                "updated_at": v["updated_at"],
            }
            for v in values
        ]


@described(
    _("Документы развития школ"),
    _("Документ развития школы"),
    _(
        "Концепции развития, среднесрочные программы и антирисковые программы школ территории: вид, учебный год, фактор риска (для антирисковой программы), состояние и когда оно установлено. Файлы и комментарии кураторов не отдаются."
    ),
)
class DevelopmentDocumentViewSet(ApiViewSet):
    """The development documents of the territory's schools and where each stands (the school
    uploads and submits, the curator accepts or returns). Neither the file, its name nor the
    curator's comment: a regional system learns that a document exists and its status, and reads
    the document itself where the school keeps it."""

    serializer_class = serializers.DevelopmentDocumentSerializer
    filterset_class = filters.DevelopmentDocumentFilter
    region_field = "organisation__region_id"
    municipality_field = "organisation__municipality_id"
    columns = (
        "id",
        *SCHOOL_REF,
        "kind",
        "school_year",
        "factor_id",
        "factor__code",
        "factor__name",
        "status",
        "created_at",
    )

    def base_queryset(self):
        return DevelopmentDocument.objects.all()

    def status_set_at(self, values: list[dict]) -> dict[int, dt.datetime]:
        """When each document's current status was set: the first change of the last run of
        changes in that status (a new file for a returned document writes a change in the same
        status, which does not set it again). The page's histories in one query; a history is a
        handful of rows. A document without history (written by hand) — its upload time."""
        statuses = {v["id"]: v["status"] for v in values}
        set_at = {v["id"]: v["created_at"] for v in values}
        run_over = set()
        changes = (
            DocumentStatusChange.objects.filter(document_id__in=statuses)
            .order_by("document_id", "-at", "-pk")
            .values_list("document_id", "status", "at")
        )
        for document, status, at in changes:
            if document in run_over:
                continue
            if status == statuses[document]:
                set_at[document] = at
            else:
                run_over.add(document)
        return set_at

    def rows(self, values):
        status_at = self.status_set_at(values)
        return [
            {
                "id": v["id"],
                "organisation": school_ref(v),
                "kind": v["kind"],
                "kind_name": label(DocumentKind, v["kind"]),
                "school_year": v["school_year"],
                "school_year_label": SchoolYear(v["school_year"]).label,
                "factor": v["factor_id"]
                and {"id": v["factor_id"], "code": v["factor__code"], "name": v["factor__name"]},
                "status": v["status"],
                "status_name": label(DocumentStatus, v["status"]),
                "status_at": status_at[v["id"]],
            }
            for v in values
        ]


@described(
    _("Кураторы школ"),
    _("Куратор школы"),
    _(
        "Кто курирует школы территории: с какого и по какой день (пустое «по» — курирует сейчас). ФИО куратора — только с согласия человека, иначе null; контактов нет."
    ),
)
class SchoolCuratorViewSet(ApiViewSet):
    """Who curates which school of the territory, past assignments included (removing a curator
    sets `until`). The curator by name only with their consent (User.shows_name); no id, e-mail or
    phone of the person."""

    serializer_class = serializers.SchoolCuratorSerializer
    filterset_class = filters.SchoolCuratorFilter
    region_field = "organisation__region_id"
    municipality_field = "organisation__municipality_id"
    columns = (
        "id",
        *SCHOOL_REF,
        "user__last_name",
        "user__first_name",
        "user__patronymic",
        "user__show_name_consent_at",
        "user__anonymised_at",
        "since",
        "until",
    )

    def base_queryset(self):
        return SchoolCurator.objects.all()

    def rows(self, values):
        rows = []
        for v in values:
            # The consent rule is User.shows_name's, asked of an unsaved person (as the leaders).
            person = User(
                last_name=v["user__last_name"],
                first_name=v["user__first_name"],
                patronymic=v["user__patronymic"],
                show_name_consent_at=v["user__show_name_consent_at"],
                anonymised_at=v["user__anonymised_at"],
            )
            rows.append(
                {
                    "id": v["id"],
                    "organisation": school_ref(v),
                    "name": person.full_name if person.shows_name else None,
                    "since": v["since"],
                    "until": v["until"],
                }
            )
        return rows
