"""Online-group statistics (S2, S3): the chart and table of a group's periods, entering a period,
importing an export (upload → «читается» → preview → confirm), and the region's overview.

Every view loads the group through mentoring.permissions.group_for (404 to outsiders and to
structures without an online platform, 403 to members without the right) and hands the change to
one service. An upload is only checked cheaply in the request and kept as a StatisticsImport under
a random token; the worker reads it (issue 15) while its page polls a small JSON status
(static/js/progress.js); its good and bad lines wait there for the person who uploaded it, so the
confirmation trusts nothing the browser sends back.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from communities.forms.membership import add_service_error
from networks.models import Region

from .. import permissions
from ..forms.groups import GroupStatisticsForm, StatisticsUploadForm
from ..group_chart import build_charts
from ..models import StatisticsImport
from ..selectors.groups import group_statistics_list, statistics_import_plan, territory_groups
from ..services import groups as services
from ..services import statistics_imports
from ..statistics_import import FileRefused, LineError

__all__ = [
    "group_overview",
    "group_statistics",
    "group_statistics_add",
    "group_statistics_confirm",
    "group_statistics_edit",
    "group_statistics_import",
    "group_statistics_import_status",
    "group_statistics_preview",
]

FIGURE_FIELDS = ("visitors", "views", "actions", "feedback")


def _context(structure, **extra) -> dict:
    access = structure.access
    return {
        "structure": structure,
        "can_enter": permissions.can_enter_group_statistics(access) and not structure.is_closed,
        **extra,
    }


# --- The chart and the table --------------------------------------------------------------------


@login_required
def group_statistics(request, pk: int):
    structure = permissions.group_for(request.user, pk, to="see")
    statistics = list(group_statistics_list(structure))
    return render(
        request,
        "mentoring/groups/statistics.html",
        _context(structure, statistics=statistics, charts=build_charts(statistics)),
    )


# --- Entering a period by hand --------------------------------------------------------------------


def _save_period(request, structure, form, *, statistics=None):
    values = {name: form.cleaned_data[name] for name in ("period_start", "period_end")}
    values.update({name: form.cleaned_data[name] for name in FIGURE_FIELDS})
    if statistics is None:
        return services.group_statistics_add(structure=structure, by=request.user, **values)
    return services.group_statistics_change(statistics=statistics, by=request.user, **values)


def _period_form(request, structure, *, statistics=None):
    initial = None
    if statistics is not None:
        initial = {
            name: getattr(statistics, name)
            for name in ("period_start", "period_end", *FIGURE_FIELDS)
        }
    form = GroupStatisticsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            saved = _save_period(request, structure, form, statistics=statistics)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(
                request,
                _("Данные за период %(period)s сохранены.")
                % {"period": f"{saved.period_start:%d.%m.%Y}–{saved.period_end:%d.%m.%Y}"},
            )
            return redirect("mentoring:group_statistics", pk=structure.pk)
    return render(
        request,
        "mentoring/groups/statistics_form.html",
        _context(structure, form=form, statistics=statistics),
    )


@login_required
def group_statistics_add(request, pk: int):
    structure = permissions.group_for(request.user, pk, to="enter")
    return _period_form(request, structure)


@login_required
def group_statistics_edit(request, pk: int, statistics_pk: int):
    structure = permissions.group_for(request.user, pk, to="enter")
    statistics = get_object_or_404(structure.group_statistics.all(), pk=statistics_pk)
    statistics.structure = structure  # keeps the access found on it
    return _period_form(request, structure, statistics=statistics)


# --- Importing an export: upload, preview, confirm ------------------------------------------------


def _pending(request, structure, token: str) -> StatisticsImport | None:
    """The person's own upload for this group, not yet saved; None for anyone else's, another
    group's, a guessed token or one saved already."""
    return (
        StatisticsImport.objects.filter(structure=structure, token=token, created_by=request.user)
        .exclude(status=StatisticsImport.Status.APPLIED)
        .defer("data")
        .first()
    )


@login_required
def group_statistics_import(request, pk: int):
    structure = permissions.group_for(request.user, pk, to="enter")
    form = StatisticsUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            # Cheap checks only; the worker reads the lines (issue 15).
            upload = statistics_imports.statistics_import_upload(
                structure=structure,
                data=form.file_bytes,
                filename=form.original_name,
                by=request.user,
            )
        except FileRefused as error:
            form.add_error(
                "file",
                _("Файл «%(name)s» не принят: %(reason)s")
                % {"name": form.original_name, "reason": str(error)},
            )
        else:
            return redirect(
                "mentoring:group_statistics_preview", pk=structure.pk, token=upload.token
            )
    return render(request, "mentoring/groups/import.html", _context(structure, form=form))


def _stale(request, structure):
    messages.info(
        request,
        _(
            "Этот файл уже загружен или его предварительный просмотр устарел. Проверьте данные "
            "группы; при необходимости загрузите файл снова."
        ),
    )
    return redirect("mentoring:group_statistics", pk=structure.pk)


def _reading_message(upload: StatisticsImport) -> str:
    if upload.status == StatisticsImport.Status.FAILED:
        return upload.error or _("Файл не прочитан.")
    if upload.status == StatisticsImport.Status.STAGED:
        return _("Файл прочитан.")
    minutes = settings.QUEUE_WAIT_WARNING_MINUTES
    if timezone.now() - upload.created_at > dt.timedelta(minutes=minutes):
        return ngettext(
            "Файл ждёт проверки дольше %(minutes)s минуты: возможно, не запущен обработчик "
            "очереди. Сообщите администратору.",
            "Файл ждёт проверки дольше %(minutes)s минут: возможно, не запущен обработчик "
            "очереди. Сообщите администратору.",
            minutes,
        ) % {"minutes": minutes}
    return _("Файл читается…")


@login_required
@never_cache
def group_statistics_preview(request, pk: int, token: str):
    structure = permissions.group_for(request.user, pk, to="enter")
    upload = _pending(request, structure, token)
    if upload is None:
        return _stale(request, structure)
    if upload.status != StatisticsImport.Status.STAGED:
        return render(
            request,
            "mentoring/groups/reading.html",
            _context(structure, upload=upload, token=token, message=_reading_message(upload)),
        )
    plan = statistics_import_plan(structure, statistics_imports.statistics_import_rows(upload))
    errors = sorted(
        [LineError(line, reason) for line, reason in upload.errors] + plan.conflicts,
        key=lambda e: e.line,
    )
    return render(
        request,
        "mentoring/groups/preview.html",
        _context(structure, name=upload.filename, token=token, plan=plan, errors=errors),
    )


@login_required
@require_GET
@never_cache
def group_statistics_import_status(request, pk: int, token: str):
    """What the reading page polls; `finished` once the worker has read the file (or failed)."""
    structure = permissions.group_for(request.user, pk, to="enter")
    upload = _pending(request, structure, token)
    if upload is None:
        raise Http404
    return JsonResponse(
        {
            "status": upload.status,
            "label": upload.get_status_display(),
            "percent": None,
            "writing": False,
            "finished": upload.status != StatisticsImport.Status.READING,
            "message": _reading_message(upload),
        }
    )


@login_required
@require_POST
def group_statistics_confirm(request, pk: int, token: str):
    structure = permissions.group_for(request.user, pk, to="enter")
    upload = _pending(request, structure, token)
    if upload is None or upload.status != StatisticsImport.Status.STAGED:
        return _stale(request, structure)
    upload.structure = structure  # keeps the access found on it
    try:
        outcome = statistics_imports.statistics_import_confirm(
            statistics_import=upload, by=request.user
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect("mentoring:group_statistics_preview", pk=structure.pk, token=token)
    if outcome is None:
        return _stale(request, structure)
    messages.success(
        request,
        _(
            "Файл «%(name)s» загружен: добавлено периодов — %(created)s, обновлено — "
            "%(updated)s, без изменений — %(same)s."
        )
        % {
            "name": upload.filename,
            "created": outcome.created,
            "updated": outcome.updated,
            "same": outcome.unchanged,
        },
    )
    if outcome.skipped:
        messages.warning(
            request,
            _(
                "Строк не загружено из-за пересечения с уже внесёнными периодами: %(n)s. "
                "Исправьте их и загрузите снова."
            )
            % {"n": outcome.skipped},
        )
    return redirect("mentoring:group_statistics", pk=structure.pk)


# --- The region's groups ------------------------------------------------------------------------


@login_required
def group_overview(request, region_pk: int):
    region = get_object_or_404(Region, pk=region_pk)
    if not permissions.can_see_territory_groups(request.user, region):
        raise Http404
    return render(
        request,
        "mentoring/groups/overview.html",
        {"region": region, "groups": territory_groups(request.user, region)},
    )


urlpatterns = [
    path("groups/<int:pk>/statistics/", group_statistics, name="group_statistics"),
    path("groups/<int:pk>/statistics/add/", group_statistics_add, name="group_statistics_add"),
    path(
        "groups/<int:pk>/statistics/<int:statistics_pk>/edit/",
        group_statistics_edit,
        name="group_statistics_edit",
    ),
    path(
        "groups/<int:pk>/statistics/import/",
        group_statistics_import,
        name="group_statistics_import",
    ),
    path(
        "groups/<int:pk>/statistics/import/<str:token>/",
        group_statistics_preview,
        name="group_statistics_preview",
    ),
    path(
        "groups/<int:pk>/statistics/import/<str:token>/status/",
        group_statistics_import_status,
        name="group_statistics_import_status",
    ),
    path(
        "groups/<int:pk>/statistics/import/<str:token>/confirm/",
        group_statistics_confirm,
        name="group_statistics_confirm",
    ),
    path("groups/region/<int:region_pk>/", group_overview, name="group_overview"),
]
