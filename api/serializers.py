"""What the API shows. Read-only; each serializer reads only what its view's queryset has already
joined or prefetched, so a page costs the same few queries whatever its size. People appear by name
only where they consented to show it (User.shows_name), and never with an e-mail or a phone."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from networks.models import (
    Municipality,
    Order,
    Organisation,
    OrganisationStatus,
    Structure,
)
from networks.schoolyear import SchoolYear
from reporting.models import Deadline, Report
from schools.models import DevelopmentDocument, SchoolCurator, SchoolRisk


class RefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class OrganisationRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField(source="__str__")


class OrderSerializer(serializers.ModelSerializer):
    kind_name = serializers.CharField(source="get_kind_display")
    issuer = OrganisationRefSerializer()

    class Meta:
        model = Order
        fields = ["id", "kind", "kind_name", "number", "date", "title", "issuer"]


class OrderRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Order
        fields = ["id", "kind", "number", "date", "title", "issuer_id"]


class StatusSerializer(serializers.ModelSerializer):
    school_year_label = serializers.CharField()
    status_name = serializers.CharField(source="get_status_display")
    order = OrderRefSerializer(allow_null=True)

    class Meta:
        model = OrganisationStatus
        fields = ["school_year", "school_year_label", "status", "status_name", "order"]


class OrganisationSerializer(serializers.ModelSerializer):
    kind_name = serializers.CharField(source="get_kind_display")
    region = RefSerializer()
    municipality = RefSerializer(allow_null=True)
    statuses = StatusSerializer(many=True)

    class Meta:
        model = Organisation
        fields = [
            "id",
            "kind",
            "kind_name",
            "full_name",
            "short_name",
            "inn",
            "address",
            "region",
            "municipality",
            "successor_id",
            "statuses",
        ]


class KindSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()


class LeaderSerializer(serializers.Serializer):
    role = serializers.CharField()
    role_name = serializers.CharField(source="get_role_display")
    name = serializers.SerializerMethodField(
        help_text=_("ФИО, только если человек согласился показывать его; иначе null.")
    )
    organisation_id = serializers.IntegerField(source="user.organisation_id", allow_null=True)

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_name(self, membership) -> str | None:
        person = membership.user
        return person.full_name if person.shows_name else None


class EventsHeldSerializer(serializers.Serializer):
    school_year = serializers.IntegerField()
    school_year_label = serializers.CharField()
    events = serializers.IntegerField(help_text=_("Проведённые мероприятия всех форм."))
    meetings = serializers.IntegerField(help_text=_("Из них заседаний."))


class StructureSerializer(serializers.ModelSerializer):
    kind = KindSerializer()
    region = RefSerializer()
    municipality = RefSerializer(allow_null=True)
    host = OrganisationRefSerializer()
    founding_order = OrderSerializer()
    members_count = serializers.IntegerField(
        source="member_count", help_text=_("Участники на сегодня.")
    )
    events_held = serializers.SerializerMethodField()
    leaders = LeaderSerializer(
        many=True,
        source="current_leaders",
        help_text=_("Руководство структуры сегодня (председатель, руководитель, координатор)."),
    )

    class Meta:
        model = Structure
        fields = [
            "id",
            "name",
            "kind",
            "region",
            "municipality",
            "host",
            "parent_id",
            "programme_id",
            "founding_order",
            "established_on",
            "term_start",
            "term_end",
            "topic",
            "closed_on",
            "closing_reason",
            "members_count",
            "events_held",
            "leaders",
        ]

    @extend_schema_field(EventsHeldSerializer)
    def get_events_held(self, structure) -> dict:
        year: SchoolYear = self.context["school_year"]
        held = self.context["held"].get(structure.pk)
        return {
            "school_year": year.start,
            "school_year_label": year.label,
            "events": held.total if held else 0,
            "meetings": held.meetings if held else 0,
        }


class StructureRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    region_id = serializers.IntegerField()
    municipality_id = serializers.IntegerField(allow_null=True)


class ReportSerializer(serializers.ModelSerializer):
    structure = StructureRefSerializer()
    status_name = serializers.CharField(source="get_status_display")
    due_on = serializers.DateField(source="deadline.due_on", allow_null=True, default=None)
    is_late = serializers.BooleanField()
    figures = serializers.JSONField(help_text=_("Показатели, зафиксированные при сдаче отчёта."))

    class Meta:
        model = Report
        fields = [
            "id",
            "structure",
            "school_year",
            "title",
            "status",
            "status_name",
            "deadline_id",
            "due_on",
            "submitted_at",
            "is_late",
            "decided_at",
            "figures",
        ]


class DeadlineSerializer(serializers.ModelSerializer):
    structure = StructureRefSerializer()
    title = serializers.CharField(source="rule.title")
    deliverable = serializers.CharField(source="rule.deliverable")
    recipient = serializers.CharField(source="rule.recipient")
    is_late = serializers.BooleanField(help_text=_("Сдано позже срока."))

    class Meta:
        model = Deadline
        fields = [
            "id",
            "structure",
            "school_year",
            "title",
            "deliverable",
            "recipient",
            "due_on",
            "delivered_at",
            "is_late",
        ]


class MunicipalitySerializer(serializers.ModelSerializer):
    class Meta:
        model = Municipality
        fields = ["id", "name", "region_id"]


class SchoolRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    region_id = serializers.IntegerField()
    municipality_id = serializers.IntegerField(allow_null=True)


class RiskFactorRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField()


class SchoolRiskSerializer(serializers.ModelSerializer):
    organisation = SchoolRefSerializer()
    school_year = serializers.IntegerField(
        help_text=_("Учебный год фактора: 2025 — это 2025/2026.")
    )
    school_year_label = serializers.CharField()
    factor = RiskFactorRefSerializer()
    level_name = serializers.CharField(source="get_level_display")

    class Meta:
        model = SchoolRisk
        fields = [
            "id",
            "organisation",
            "school_year",
            "school_year_label",
            "factor",
            "level",
            "level_name",
            "source",
            "updated_at",
        ]


class DevelopmentDocumentSerializer(serializers.ModelSerializer):
    organisation = SchoolRefSerializer()
    kind_name = serializers.CharField(source="get_kind_display")
    school_year = serializers.IntegerField(
        help_text=_("Учебный год документа: 2025 — это 2025/2026.")
    )
    school_year_label = serializers.CharField()
    factor = RiskFactorRefSerializer(
        allow_null=True,
        help_text=_("Фактор риска, которому отвечает антирисковая программа; иначе null."),
    )
    status_name = serializers.CharField(source="get_status_display")
    status_at = serializers.DateTimeField(help_text=_("Когда установлено нынешнее состояние."))

    class Meta:
        model = DevelopmentDocument
        fields = [
            "id",
            "organisation",
            "kind",
            "kind_name",
            "school_year",
            "school_year_label",
            "factor",
            "status",
            "status_name",
            "status_at",
        ]


class SchoolCuratorSerializer(serializers.ModelSerializer):
    organisation = SchoolRefSerializer()
    name = serializers.CharField(
        allow_null=True,
        help_text=_("ФИО куратора, только если человек согласился показывать его; иначе null."),
    )
    until = serializers.DateField(
        allow_null=True, help_text=_("Последний день курирования; null — курирует сейчас.")
    )

    class Meta:
        model = SchoolCurator
        fields = ["id", "organisation", "name", "since", "until"]
