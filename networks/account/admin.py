"""Requests for missing organisations in the admin (imported by networks.admin): an operator
(superuser, the only person the admin lets in since issue 15) adds or links the organisation.
Coordinators see their regions' new requests on their home page."""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ..models import OrganisationRequest
from . import services


@admin.register(OrganisationRequest)
class OrganisationRequestAdmin(admin.ModelAdmin):
    list_display = ["name", "region", "municipality", "inn", "person", "status", "created_at"]
    list_filter = ["status", "region", "created_at"]
    list_select_related = ["region", "user", "resolved_organisation"]
    search_fields = ["name", "inn", "user__email"]
    autocomplete_fields = ["resolved_organisation"]
    date_hierarchy = "created_at"
    readonly_fields = ["user", "status", "created_at", "handled_by", "handled_at"]
    fields = [
        "user",
        "name",
        "region",
        "municipality",
        "inn",
        "status",
        "resolved_organisation",
        "comment",
        "created_at",
        "handled_by",
        "handled_at",
    ]
    actions = ["add_organisation_and_link", "reject"]

    @admin.display(description=_("кто просит"), ordering="user__last_name")
    def person(self, obj):
        return f"{obj.user.full_name} <{obj.user.email}>"

    def save_model(self, request, obj, form, change):
        # Linking an organisation by hand is resolving the request: the same service as the action,
        # so the person is linked too and the request records who did it.
        linked = "resolved_organisation" in form.changed_data and obj.resolved_organisation_id
        if change and linked and obj.status == OrganisationRequest.Status.NEW:
            services.organisation_request_resolve(
                request=obj, organisation=obj.resolved_organisation, by=request.user
            )
        else:
            super().save_model(request, obj, form, change)

    def _each_new(self, request, queryset, action, done_message):
        done = 0
        for obj in queryset.select_related("user", "region"):
            try:
                action(request=obj, by=request.user)
            except ValidationError as error:
                self.message_user(request, f"{obj}: {'; '.join(error.messages)}", messages.ERROR)
            else:
                done += 1
        if done:
            self.message_user(request, done_message(done), messages.SUCCESS)

    @admin.action(description=_("Создать организацию и привязать"))
    def add_organisation_and_link(self, request, queryset):
        self._each_new(
            request,
            queryset,
            services.organisation_request_add_organisation,
            lambda n: gettext("Организации добавлены и привязаны; заявок: %(n)d.") % {"n": n},
        )

    @admin.action(description=_("Отклонить заявку"))
    def reject(self, request, queryset):
        self._each_new(
            request,
            queryset,
            services.organisation_request_reject,
            lambda n: gettext("Отклонено заявок: %(n)d.") % {"n": n},
        )
