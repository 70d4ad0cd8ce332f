"""Order-document import pages: the upload form with the territory's recent uploads, the file
being read (polled through a small JSON status by static/js/progress.js, with a plain «Обновить»
link without JavaScript), the preview with its form, and the result.

Every view loads through communities.orderimport.permissions: 403 for a person who coordinates
no territory, 404 for an import of a territory that is not theirs."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from networks.coverage import covered_by
from networks.manage.permissions import coordinated_territories
from networks.models import OrderImport

from . import services
from .forms import OrderUploadForm, PreviewForm
from .parser import GROUPS, PAIRS, FileRefused
from .permissions import order_import_for, refuse_unless_imports

app_name = "orderimport"
RECENT = 20


def _recent(user):
    queryset = OrderImport.objects.select_related("region", "municipality", "created_by")
    if not user.is_superuser:
        condition = covered_by(coordinated_territories(user))
        queryset = queryset.filter(condition) if condition is not None else queryset.none()
    return queryset.order_by("-created_at")[:RECENT]


@login_required
def order_import_upload(request):
    refuse_unless_imports(request.user)
    form = OrderUploadForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            order_import, new = services.order_import_upload(
                data=upload.read(),
                filename=upload.name or "",
                region=form.cleaned_data["region"],
                municipality=form.cleaned_data["municipality"],
                host=form.cleaned_data.get("host"),
                by=request.user,
            )
        except FileRefused as error:
            form.add_error(
                "file",
                _("Файл «%(name)s» не принят: %(reason)s")
                % {"name": upload.name, "reason": str(error)},
            )
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            if not new:
                messages.info(
                    request,
                    _(
                        "Этот файл уже загружен %(date)s: открыта та загрузка. Повторная загрузка "
                        "того же файла ничего не меняет."
                    )
                    % {"date": f"{order_import.created_at:%d.%m.%Y %H:%M}"},
                )
            return redirect("orderimport:detail", pk=order_import.pk)
    return render(
        request,
        "communities/orderimport/upload.html",
        {"form": form, "imports": _recent(request.user)},
    )


def progress_message(order_import: OrderImport) -> str:
    status = OrderImport.Status
    if order_import.status == status.READING:
        if order_import.total:
            return _("Файл читается: %(done)s из %(total)s частей документа.") % {
                "done": order_import.progress,
                "total": order_import.total,
            }
        return _("Файл читается…")
    if order_import.status == status.APPLYING:
        return _("Структуры, участники и приглашения сохраняются.")
    if order_import.status == status.FAILED:
        return order_import.error or _("Загрузка не удалась.")
    if order_import.status == status.STAGED:
        return _("Файл прочитан и ждёт подтверждения.")
    return _("Сохранено.")


def _percent(order_import: OrderImport) -> int | None:
    if order_import.status == OrderImport.Status.READING and order_import.total:
        return min(100, order_import.progress * 100 // order_import.total)
    return None


def _rows(form: PreviewForm) -> list[dict]:
    """The proposal's sections with each unmatched person's e-mail field bound in."""
    proposal = form.proposal
    people = proposal.get("people", {})

    def person(key: str) -> dict:
        entry = dict(people[key], key=key)
        name = form.email_names.get(key)
        entry["field"] = form[name] if name else None
        return entry

    sections = []
    for index, section in enumerate(proposal.get("sections", [])):
        item = dict(section, index=index)
        if section["type"] in (GROUPS, PAIRS):
            item["structures"] = [
                dict(s, persons=[person(k) for k in s.get("people", [])])
                for s in section.get("structures", [])
            ]
            parent_field = f"parent_{index}"
            item["parent_field"] = form[parent_field] if parent_field in form.fields else None
        else:
            item["persons"] = [person(k) for k in section.get("people", [])]
            target = f"target_{index}"
            item["target_field"] = form[target] if target in form.fields else None
        sections.append(item)
    return sections


def _render_preview(request, order_import: OrderImport, form: PreviewForm, status: int = 200):
    proposal = order_import.proposal or {}
    counts = proposal.get("counts", {})
    return render(
        request,
        "communities/orderimport/preview.html",
        {
            "order_import": order_import,
            "proposal": proposal,
            "form": form,
            "sections": _rows(form),
            "counts": counts,
            "can_confirm": bool(counts.get("structures") or counts.get("people")),
        },
        status=status,
    )


@login_required
@require_GET
@never_cache
def order_import_detail(request, pk: int):
    order_import = order_import_for(request.user, pk)
    if order_import.status == OrderImport.Status.STAGED:
        return _render_preview(request, order_import, PreviewForm(order_import=order_import))
    return render(
        request,
        "communities/orderimport/progress.html",
        {
            "order_import": order_import,
            "message": progress_message(order_import),
            "percent": _percent(order_import),
            "result": order_import.result or {},
        },
    )


@login_required
@require_POST
def order_import_confirm(request, pk: int):
    order_import = order_import_for(request.user, pk)
    if order_import.status != OrderImport.Status.STAGED:
        return redirect("orderimport:detail", pk=order_import.pk)
    form = PreviewForm(request.POST, order_import=order_import)
    if not form.is_valid():
        return _render_preview(request, order_import, form, status=200)
    decisions = form.decisions
    decisions["base_url"] = request.build_absolute_uri("/")
    order_import = services.order_import_confirm(
        order_import=order_import, by=request.user, decisions=decisions
    )
    return redirect("orderimport:detail", pk=order_import.pk)


@login_required
@require_POST
def order_import_discard(request, pk: int):
    order_import = order_import_for(request.user, pk)
    try:
        services.order_import_discard(order_import=order_import)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("orderimport:detail", pk=order_import.pk)
    messages.info(
        request,
        _("Загрузка файла «%(name)s» отменена; ничего не сохранено.")
        % {"name": order_import.filename},
    )
    return redirect("orderimport:upload")


@login_required
@require_GET
@never_cache
def order_import_status(request, pk: int):
    order_import = order_import_for(request.user, pk)
    busy = (OrderImport.Status.READING, OrderImport.Status.APPLYING)
    return JsonResponse(
        {
            "status": order_import.status,
            "label": order_import.get_status_display(),
            "progress": order_import.progress,
            "total": order_import.total,
            "percent": _percent(order_import),
            "writing": order_import.status == OrderImport.Status.APPLYING,
            "finished": order_import.status not in busy,
            "message": progress_message(order_import),
        }
    )


urlpatterns = [
    path("orders/import/", order_import_upload, name="upload"),
    path("orders/import/<int:pk>/", order_import_detail, name="detail"),
    path("orders/import/<int:pk>/confirm/", order_import_confirm, name="confirm"),
    path("orders/import/<int:pk>/discard/", order_import_discard, name="discard"),
    path("orders/import/<int:pk>/status.json", order_import_status, name="status"),
]
