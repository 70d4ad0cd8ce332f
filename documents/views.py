"""A region's document templates (issue 18): the list of the kinds with what the region uses (its
own template or the default), the upload of its own, the default to download and edit, and its own
switched off and on."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import permissions, services
from .forms import TemplateUploadForm
from .models import DocumentKind, DocumentTemplate
from .rendering import DOCX_CONTENT_TYPE, default_path, has_default
from .samples import SAMPLES

app_name = "documents"


def _back(region_id: int):
    return redirect(f"{reverse('documents:templates')}?region={region_id}")


def _page(request, region, form=None, status=200):
    templates = list(
        DocumentTemplate.objects.filter(region=region)
        .select_related("uploaded_by")
        .order_by("kind", "-uploaded_at", "-pk")
    )
    kinds = []
    for kind in DocumentKind:
        if kind.value not in SAMPLES:
            continue
        own = [t for t in templates if t.kind == kind.value]
        kinds.append(
            {
                "kind": kind,
                "active": next((t for t in own if t.is_active), None),
                "history": own,
                "has_default": has_default(kind.value),
            }
        )
    can_keep = permissions.can_keep_templates(request.user, region.pk)
    return render(
        request,
        "documents/templates.html",
        {
            "region": region,
            "regions": list(permissions.regions_read(request.user).order_by("name")[:100]),
            "kinds": kinds,
            "can_keep": can_keep,
            "form": form or (TemplateUploadForm() if can_keep else None),
        },
        status=status,
    )


@login_required
def templates(request):
    region = permissions.region_for(request.user, request.GET.get("region"))
    return _page(request, region)


@login_required
@require_POST
def template_upload(request):
    region = permissions.region_to_keep(request.user, request.POST.get("region"))
    form = TemplateUploadForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            template = services.template_upload(
                region=region,
                kind=form.cleaned_data["kind"],
                file=form.cleaned_data["file"],
                by=request.user,
            )
        except ValidationError as error:
            for name, errors in error.message_dict.items():
                form.add_error(name if name in form.fields else None, errors)
        else:
            messages.success(
                request,
                _("Шаблон «%(kind)s» проверен и теперь используется для документов региона.")
                % {"kind": template.get_kind_display()},
            )
            return _back(region.pk)
    return _page(request, region, form, status=400)


@login_required
def default_download(request, kind: str):
    if not permissions.can_read_templates(request.user):
        raise PermissionDenied
    if kind not in SAMPLES or not has_default(kind):
        raise Http404
    name = f"Шаблон_{DocumentKind(kind).label.replace(' ', '_')}_по_умолчанию.docx"
    return FileResponse(
        default_path(kind).open("rb"),
        as_attachment=True,
        filename=name,
        content_type=DOCX_CONTENT_TYPE,
    )


@login_required
def template_file(request, pk: int):
    template = permissions.template_for(request.user, pk)
    return FileResponse(
        template.file.open("rb"),
        as_attachment=True,
        filename=template.original_name or f"{template.kind}.docx",
        content_type=DOCX_CONTENT_TYPE,
    )


@login_required
@require_POST
def template_switch(request, pk: int):
    template = permissions.template_for(request.user, pk, keep=True)
    active = request.POST.get("active") == "1"
    services.template_switch(template=template, active=active, by=request.user)
    if active:
        messages.success(request, _("Шаблон региона снова используется."))
    else:
        messages.success(
            request, _("Шаблон региона отключён: документы формируются по шаблону по умолчанию.")
        )
    return _back(template.region_id)


urlpatterns = [
    path("documents/templates/", templates, name="templates"),
    path("documents/templates/upload/", template_upload, name="template_upload"),
    path("documents/templates/default/<str:kind>/", default_download, name="default_download"),
    path("documents/templates/<int:pk>/file/", template_file, name="template_file"),
    path("documents/templates/<int:pk>/active/", template_switch, name="template_switch"),
]
