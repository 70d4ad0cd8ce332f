"""Operators issue and revoke API tokens here. The secret is shown once, in the message after the
token is saved; the database keeps only its hash."""

from __future__ import annotations

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from .models import ApiToken
from .services import api_token_issue, api_token_revoke


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = [
        "prefix",
        "organisation",
        "region",
        "municipality",
        "created_by",
        "created_at",
        "last_used_at",
        "revoked_at",
    ]
    list_filter = ["region", ("revoked_at", admin.EmptyFieldListFilter)]
    list_select_related = ["organisation", "region", "municipality", "created_by"]
    search_fields = ["prefix", "organisation__short_name", "organisation__full_name"]
    autocomplete_fields = ["organisation", "region", "municipality"]
    readonly_fields = ["prefix", "created_by", "created_at", "last_used_at", "revoked_at"]
    actions = ["revoke"]

    def get_readonly_fields(self, request, obj=None):
        # A token's territory is what it was issued for: a new territory is a new token.
        if obj is not None:
            return [*self.readonly_fields, "organisation", "region", "municipality"]
        return self.readonly_fields

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # revoked, never deleted: the log names token ids

    def save_model(self, request, obj, form, change):
        if change:
            return  # nothing of an issued token is edited
        _token, secret = api_token_issue(
            organisation=obj.organisation,
            region=obj.region,
            municipality=obj.municipality,
            by=request.user,
            token=obj,
        )
        messages.warning(
            request,
            _(
                "Ключ доступа: %(secret)s — скопируйте его сейчас и передайте организации "
                "защищённым способом. Портал хранит только его хеш и больше его не покажет."
            )
            % {"secret": secret},
        )

    @admin.action(description=_("Отозвать выбранные токены"))
    def revoke(self, request, queryset):
        revoked = sum(api_token_revoke(token=token) for token in queryset)
        self.message_user(
            request,
            # «Отозвано токенов: N» reads right for every N without Russian plural forms.
            _("Отозвано токенов: %(n)d.") % {"n": revoked},
            messages.SUCCESS,
        )
