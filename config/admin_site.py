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

    def register(self, model_or_iterable, admin_class=None, **options):
        super().register(model_or_iterable, admin_class, **options)
        models = [model_or_iterable] if isinstance(model_or_iterable, type) else model_or_iterable
        for model in models:
            if model in self._registry:  # a swapped model (auth.User) is not registered
                _speak_in_accusative(self._registry[model])


# Issue 20, grammatical admin labels. Django writes «Добавить %s», «Изменить %s», «Выберите %s для
# изменения» with the model's name in the nominative: «Добавить сетевая структура». Russian wants
# the accusative; it differs from the nominative for feminine nouns and animate masculine ones,
# listed here by their Russian verbose_name (the others are the same in both cases).
ACCUSATIVE = {
    "группа": "группу",
    "Ошибка доступа": "ошибку доступа",
    "заявка на вступление": "заявку на вступление",
    "заявка на добавление организации": "заявку на добавление организации",
    "дефицит или сильная сторона": "дефицит или сильную сторону",
    "статистика группы за период": "статистику группы за период",
    "анкета": "анкету",
    "тема каталога дефицитов и запросов": "тему каталога дефицитов и запросов",
    "организация": "организацию",
    "программа (проект)": "программу (проект)",
    "загрузка реестра": "загрузку реестра",
    "сетевая структура": "сетевую структуру",
    "выгрузка": "выгрузку",
    "настройка напоминаний": "настройку напоминаний",
    "пользователь": "пользователя",
    "школа": "школу",
}


def in_accusative(opts) -> str:
    name = str(opts.verbose_name)
    return ACCUSATIVE.get(name, name)


def _speak_in_accusative(model_admin) -> None:
    """The titles and the add button of a model's admin pages with the name in the accusative."""
    opts = model_admin.model._meta
    add_view, change_view = model_admin.add_view, model_admin.change_view
    changelist_view = model_admin.changelist_view

    def add(request, form_url="", extra_context=None):
        title = _("Добавить %s") % in_accusative(opts)
        return add_view(request, form_url, {"title": title, **(extra_context or {})})

    def change(request, object_id, form_url="", extra_context=None):
        to_change = model_admin.has_change_permission(request)
        title = (_("Изменить %s") if to_change else _("Просмотреть %s")) % in_accusative(opts)
        return change_view(request, object_id, form_url, {"title": title, **(extra_context or {})})

    def changelist(request, extra_context=None):
        name = in_accusative(opts)
        if model_admin.has_change_permission(request):
            title = _("Выберите %s для изменения") % name
        else:
            title = _("Выберите %s для просмотра") % name
        context = {"title": title, "add_label": _("Добавить %s") % name}
        return changelist_view(request, {**context, **(extra_context or {})})

    model_admin.add_view, model_admin.change_view = add, change
    model_admin.changelist_view = changelist
