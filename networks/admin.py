from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    Membership,
    Municipality,
    Order,
    Organisation,
    OrganisationStatus,
    Programme,
    Region,
    Structure,
    StructureKind,
    TerritoryRole,
    User,
)
from .schoolyear import SchoolYear
from .search import search


class FoldedSearchMixin:
    """Admin search through the folded `search_text` column, so Cyrillic matches in any case on
    SQLite too (its LIKE folds only ASCII)."""

    def get_search_results(self, request, queryset, search_term):
        if not search_term:
            return queryset, False
        return search(queryset, search_term), False


class SchoolYearFilter(admin.SimpleListFilter):
    title = _("учебный год")
    parameter_name = "school_year"

    def lookups(self, request, model_admin):
        years = model_admin.get_queryset(request).values_list("school_year", flat=True)
        return [(y, SchoolYear(y).label) for y in sorted(set(years), reverse=True)]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(school_year=self.value())
        return queryset


class OpenClosedFilter(admin.SimpleListFilter):
    title = _("состояние")
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [("open", _("действует")), ("closed", _("прекратила деятельность"))]

    def queryset(self, request, queryset):
        if self.value() == "open":
            return queryset.filter(closed_on__isnull=True)
        if self.value() == "closed":
            return queryset.filter(closed_on__isnull=False)
        return queryset


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "timezone"]
    search_fields = ["name", "code"]


@admin.register(Municipality)
class MunicipalityAdmin(admin.ModelAdmin):
    list_display = ["name", "region"]
    list_filter = ["region"]
    search_fields = ["name", "region__name"]
    list_select_related = ["region"]


class OrganisationStatusInline(admin.TabularInline):
    model = OrganisationStatus
    extra = 0
    autocomplete_fields = ["order"]


@admin.register(Organisation)
class OrganisationAdmin(FoldedSearchMixin, admin.ModelAdmin):
    list_display = ["__str__", "kind", "municipality", "region", "inn"]
    list_filter = ["kind", "region"]
    list_select_related = ["municipality", "region"]
    search_fields = ["search_text"]
    autocomplete_fields = ["municipality", "successor"]
    inlines = [OrganisationStatusInline]


@admin.register(OrganisationStatus)
class OrganisationStatusAdmin(SimpleHistoryAdmin):
    list_display = ["organisation", "school_year_label", "status", "order"]
    list_filter = ["status", SchoolYearFilter, "organisation__region"]
    list_select_related = ["organisation", "order"]
    search_fields = ["organisation__search_text", "order__number"]
    autocomplete_fields = ["organisation", "order"]

    @admin.display(description=_("учебный год"), ordering="school_year")
    def school_year_label(self, obj):
        return obj.school_year_label


class TerritoryRoleInline(admin.TabularInline):
    model = TerritoryRole
    extra = 0
    autocomplete_fields = ["region", "municipality"]


# The fields that give rights in the admin: only a superuser edits them.
RIGHTS = ["is_staff", "is_superuser", "groups", "user_permissions"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["last_name", "first_name"]
    list_display = ["email", "full_name", "position", "organisation", "is_superuser", "is_active"]
    list_filter = [
        "is_superuser",
        "is_staff",
        "is_active",
        "post",
        "territory_roles__role",
        "organisation__region",
    ]
    list_select_related = ["organisation"]
    search_fields = ["email", "last_name", "first_name", "patronymic"]
    autocomplete_fields = ["organisation"]
    readonly_fields = [
        "last_login",
        "date_joined",
        "pd_consent_version",
        "pd_consent_at",
        "show_name_consent_at",
        "public_name_consent_at",
        "anonymised_at",
    ]
    inlines = [TerritoryRoleInline]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (
            _("Персональные данные"),
            {
                "fields": [
                    "last_name",
                    "first_name",
                    "patronymic",
                    "position",
                    "post",
                    "organisation",
                    "phone",
                ]
            },
        ),
        (
            _("Согласия (152-ФЗ)"),
            {
                "fields": [
                    "pd_consent_version",
                    "pd_consent_at",
                    "show_name_consent_at",
                    "public_name_consent_at",
                    "anonymised_at",
                ]
            },
        ),
        (
            _("Доступ"),
            {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]},
        ),
        (_("Даты"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (
            None,
            {
                "classes": ["wide"],
                "fields": ["email", "last_name", "first_name", "password1", "password2"],
            },
        )
    ]

    @admin.display(description=_("ФИО"), ordering="last_name")
    def full_name(self, obj):
        return obj.full_name

    # Issue 15: a staff coordinator granted himself is_superuser here. The site lets in superusers
    # only (config/admin_site.py); should anyone else reach this admin, he may neither see nor edit
    # people (nor open a password form), and the rights fields are read only for him.
    def _is_operator(self, request) -> bool:
        return request.user.is_active and request.user.is_superuser

    def has_module_permission(self, request):
        return self._is_operator(request)

    def has_view_permission(self, request, obj=None):
        return self._is_operator(request)

    def has_add_permission(self, request):
        return self._is_operator(request)

    def has_change_permission(self, request, obj=None):
        return self._is_operator(request)

    def has_delete_permission(self, request, obj=None):
        return self._is_operator(request)

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if not self._is_operator(request):
            fields += [f for f in RIGHTS if f not in fields]
        return fields


@admin.register(Order)
class OrderAdmin(admin.ModelAdmin):
    list_display = ["__str__", "issuer", "title"]
    list_filter = ["kind", "issuer__region", "date"]
    list_select_related = ["issuer"]
    search_fields = ["number", "title", "issuer__search_text"]
    autocomplete_fields = ["issuer"]
    date_hierarchy = "date"


@admin.register(Programme)
class ProgrammeAdmin(admin.ModelAdmin):
    list_display = ["title", "owner", "region", "starts_on", "ends_on"]
    list_filter = ["region"]
    list_select_related = ["owner", "region"]
    search_fields = ["title"]
    autocomplete_fields = ["owner", "order", "region", "municipality"]


@admin.register(StructureKind)
class StructureKindAdmin(SimpleHistoryAdmin):
    list_display = [
        "code",
        "name",
        "open_membership",
        "requires_term_and_topic",
        "is_pair",
        "leader_roles",
        "head_elected",
        "consultative",
        "min_meetings_per_year",
        "allows_subcommunities",
        "has_online_platform",
    ]
    search_fields = ["code", "name"]


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]
    fields = ["user", "role", "since", "until", "elected_on"]


@admin.register(Structure)
class StructureAdmin(FoldedSearchMixin, SimpleHistoryAdmin):
    list_display = ["name", "kind", "region", "municipality", "host", "closed_on"]
    list_filter = ["kind", OpenClosedFilter, "region", "closing_reason", "programme"]
    list_select_related = ["kind", "region", "municipality", "host"]
    search_fields = ["search_text"]
    autocomplete_fields = [
        "parent",
        "founding_order",
        "host",
        "region",
        "municipality",
        "programme",
        "closing_order",
    ]
    inlines = [MembershipInline]
    fieldsets = [
        (None, {"fields": ["kind", "name", "parent", "description"]}),
        (
            _("Основание"),
            {"fields": ["founding_order", "regulation_title", "regulation_file", "programme"]},
        ),
        (_("Где"), {"fields": ["host", "region", "municipality"]}),
        (_("Срок и тема"), {"fields": ["established_on", "term_start", "term_end", "topic"]}),
        (_("Онлайн-площадка"), {"fields": ["platform_url", "participant_category"]}),
        (
            _("Прекращение деятельности"),
            {"fields": ["closed_on", "closing_reason", "closing_order"]},
        ),
    ]


@admin.register(Membership)
class MembershipAdmin(SimpleHistoryAdmin):
    list_display = ["user", "structure", "role", "since", "until"]
    list_filter = ["role", "structure__kind", "structure__region"]
    list_select_related = ["user", "structure"]
    search_fields = ["user__email", "user__last_name", "structure__search_text"]
    autocomplete_fields = ["user", "structure"]


# Requests for missing organisations and registry imports live with their own code.
from .account import admin as _account_admin  # noqa: E402, F401
from .registry import admin as _registry_admin  # noqa: E402, F401
