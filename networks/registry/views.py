"""Registry import pages: the region's imports, the upload form, the file being read by the worker,
the preview with its confirmation, and the progress and result (polled through a small JSON status by static/js/progress.js,
with a plain «Обновить» link without JavaScript).

Every view loads through networks.registry.permissions: 403 for a person who may import for no
region, 404 for an import of a region that is not theirs."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from ..models import RegistryImport
from . import selectors, services
from .forms import RegistryUploadForm
from .parser import FileRefused
from .permissions import import_regions, registry_import_for

PAGE_SIZE = 25


@login_required
@require_GET
def import_list(request):
    regions = import_regions(request.user)
    page = Paginator(selectors.registry_imports(regions), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "networks/registry/list.html", {"page": page})


def _add_service_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for name, errors in error.message_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


@login_required
def import_upload(request):
    regions = import_regions(request.user)
    form = RegistryUploadForm(request.POST or None, request.FILES or None, regions=regions)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            # Cheap checks only; the worker reads the lines (issue 15).
            registry_import = services.registry_import_upload(
                region=form.cleaned_data["region"],
                data=upload.read(),
                filename=upload.name or "",
                by=request.user,
                options=form.options,
            )
        except FileRefused as error:
            form.add_error(
                "file",
                _("Файл «%(name)s» не принят: %(reason)s")
                % {"name": upload.name, "reason": str(error)},
            )
        except ValidationError as error:
            _add_service_errors(form, error)
        else:
            return redirect("registry:detail", pk=registry_import.pk)
    return render(request, "networks/registry/upload.html", {"form": form})


def progress_message(registry_import: RegistryImport) -> str:
    if registry_import.status == RegistryImport.Status.APPLIED:
        return _("Загрузка завершена.")
    if registry_import.status == RegistryImport.Status.FAILED:
        return registry_import.error or _("Загрузка не удалась.")
    if registry_import.status == RegistryImport.Status.STAGED:
        return _("Файл проверен и ждёт подтверждения.")
    if registry_import.status == RegistryImport.Status.READING:
        return _reading_message(registry_import)
    if registry_import.progress == 0:
        minutes = settings.QUEUE_WAIT_WARNING_MINUTES
        confirmed_at = registry_import.confirmed_at
        if confirmed_at and timezone.now() - confirmed_at > dt.timedelta(minutes=minutes):
            # Nobody has taken it: the worker (or the beat and broker with it) is not running.
            return ngettext(
                "Загрузка ждёт дольше %(minutes)s минуты: возможно, не запущен обработчик "
                "очереди. Сообщите администратору.",
                "Загрузка ждёт дольше %(minutes)s минут: возможно, не запущен обработчик "
                "очереди. Сообщите администратору.",
                minutes,
            ) % {"minutes": minutes}
        return _("Загрузка поставлена в очередь и скоро начнётся.")
    if registry_import.progress < registry_import.total:
        return _("Файл перечитывается и сверяется с реестром: строк %(done)s из %(total)s.") % {
            "done": registry_import.progress,
            "total": registry_import.total,
        }
    return _(
        "Строки сверены с реестром; изменения записываются в базу одной транзакцией. "
        "Это последний шаг."
    )


def _reading_message(registry_import: RegistryImport) -> str:
    if registry_import.progress:
        return _("Файл читается: прочитано строк — %(lines)s.") % {
            "lines": registry_import.progress
        }
    minutes = settings.QUEUE_WAIT_WARNING_MINUTES
    if timezone.now() - registry_import.created_at > dt.timedelta(minutes=minutes):
        return ngettext(
            "Файл ждёт проверки дольше %(minutes)s минуты: возможно, не запущен обработчик "
            "очереди. Сообщите администратору.",
            "Файл ждёт проверки дольше %(minutes)s минут: возможно, не запущен обработчик "
            "очереди. Сообщите администратору.",
            minutes,
        ) % {"minutes": minutes}
    return _("Файл читается…")


@login_required
@require_GET
@never_cache
def import_detail(request, pk: int):
    registry_import = registry_import_for(request.user, pk)
    staged = registry_import.status == RegistryImport.Status.STAGED
    return render(
        request,
        "networks/registry/preview.html" if staged else "networks/registry/progress.html",
        {
            "registry_import": registry_import,
            "summary": registry_import.summary,
            "counts": registry_import.summary.get("counts", {}),
            "message": progress_message(registry_import),
            "keep_until": registry_import.created_at
            + dt.timedelta(days=settings.REGISTRY_STAGED_KEEP_DAYS),
        },
    )


@login_required
@require_POST
def import_confirm(request, pk: int):
    registry_import = registry_import_for(request.user, pk)
    registry_import = services.registry_import_confirm(
        registry_import=registry_import, by=request.user
    )
    return redirect("registry:detail", pk=registry_import.pk)


@login_required
@require_POST
def import_discard(request, pk: int):
    registry_import = registry_import_for(request.user, pk)
    try:
        services.registry_import_discard(registry_import=registry_import)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("registry:detail", pk=registry_import.pk)
    messages.info(
        request,
        _("Загрузка файла «%(name)s» отменена; ничего не сохранено.")
        % {"name": registry_import.filename},
    )
    return redirect("registry:list")


@login_required
@require_GET
@never_cache
def import_status(request, pk: int):
    registry_import = registry_import_for(request.user, pk)
    reading = registry_import.status == RegistryImport.Status.READING
    return JsonResponse(
        {
            "status": registry_import.status,
            "label": registry_import.get_status_display(),
            "progress": registry_import.progress,
            "total": registry_import.total,
            # While the file is read its length is unknown: no percent, a moving bar.
            "percent": None if reading else registry_import.percent,
            "writing": bool(registry_import.is_writing),
            # The page reloads once the worker is done with the file: its preview, or the error.
            "finished": registry_import.status
            not in (RegistryImport.Status.READING, RegistryImport.Status.APPLYING),
            "message": progress_message(registry_import),
        }
    )
