"""The Django admin is the operators' tool: active superusers only.

Issue 15, «a municipal coordinator makes himself superuser»: Django's default site lets in anyone
with `is_staff`, and a staff coordinator with the «Координаторы» group's permissions could edit any
user, grant himself `is_superuser` and open anyone's password form. Coordinators and methodists
work on the portal's own pages, where `networks.permissions` scopes them to their territory; the
admin is not scoped, so it is closed to everyone but superusers, whatever `is_staff` or
permissions say. `config.apps.PortalAdminConfig` (INSTALLED_APPS) makes `PortalAdminSite` the
default `admin.site` that every app's `admin.py` registers with.
"""

from __future__ import annotations

from django.contrib import admin
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


def is_operator(user) -> bool:
    """An active superuser: the only person the admin lets in."""
    return bool(user.is_active and user.is_superuser)


class OperatorAuthenticationForm(AdminAuthenticationForm):
    """The admin's own sign-in form refuses everyone but superusers (not just non-staff)."""

    def confirm_login_allowed(self, user):
        AuthenticationForm.confirm_login_allowed(self, user)  # active
        if not is_operator(user):
            raise ValidationError(
                self.error_messages["invalid_login"],
                code="invalid_login",
                params={"username": self.username_field.verbose_name},
            )


class PortalAdminSite(admin.AdminSite):
    site_header = _("Портал сетевых структур ШНОР/ШССУ")
    site_title = _("Администрирование портала")
    index_title = _("Справочники и структуры")
    login_form = OperatorAuthenticationForm

    def has_permission(self, request):
        # Every admin page, the index, autocomplete, jsi18n and view-on-site ask this first; a
        # signed-in coordinator is sent to the admin's sign-in page, which says he is not allowed.
        return is_operator(request.user)
