"""The school's page and its change views (issue 21). Access through permissions.school_for: a
stranger gets 404, someone who sees without the right 403; anonymous people are sent to sign in."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from networks.schoolyear import SchoolYear
from networks.uploads import content_type_of

from . import selectors, services
from .forms import CuratorForm, DecisionForm, DocumentUploadForm, ReplaceFileForm, RiskProfileForm
from .models import DevelopmentDocument, DocumentStatus, SchoolCurator, SchoolRisk
from .permissions import school_for, shows_name

SUPPORT_PAGE = 25


def _year(request) -> SchoolYear:
    return SchoolYear.parse(request.GET.get("year")) or SchoolYear.current()


@login_required
def school_detail(request, pk: int):
    school = school_for(request.user, pk)
    access = school.access
    people = selectors.people(school)
    people_by_id = {p.pk: p for p in people}
    page = Paginator(selectors.support(school), SUPPORT_PAGE).get_page(request.GET.get("page"))
    shown = [p for p in people if shows_name(access, request.user, p)]
    return render(
        request,
        "schools/detail.html",
        {
            "school": school,
            "access": access,
            "statuses": selectors.statuses(school),
            "predecessors": selectors.predecessors(school),
            "risk_years": selectors.risk_profile(school),
            "documents": selectors.documents(school),
            "curators": selectors.curators(school),
            "page": page,
            "support": selectors.support_rows(page.object_list, people_by_id),
            "people_shown": shown,
            "shown_ids": {p.pk for p in shown},
            "people_hidden": len(people) - len(shown),
            "current_year": SchoolYear.current(),
        },
    )


@login_required
def risks_edit(request, pk: int):
    school = school_for(request.user, pk, to="edit_risks")
    year = _year(request)
    factors = list(selectors.factors_of(year))
    current = dict(
        SchoolRisk.objects.filter(organisation=school, factor__school_year=year.start).values_list(
            "factor_id", "level"
        )
    )
    form = RiskProfileForm(request.POST or None, factors=factors, current=current)
    if request.method == "POST" and form.is_valid():
        changed = services.risks_set(
            school=school, year=year, levels=form.levels(), by=request.user
        )
        messages.success(request, _("Профиль рисков сохранён (изменений: %(n)s).") % {"n": changed})
        return redirect("schools:detail", pk=school.pk)
    years = [SchoolYear.current(), SchoolYear(SchoolYear.current().start - 1)]
    return render(
        request,
        "schools/risks_edit.html",
        {"school": school, "form": form, "year": year, "years": years, "factors": factors},
    )


@login_required
def curator_add(request, pk: int):
    school = school_for(request.user, pk, to="assign_curators")
    form = CuratorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.curator_assign(school=school, user=form.cleaned_data["email"], by=request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Куратор назначен."))
            return redirect("schools:detail", pk=school.pk)
    return render(request, "schools/curator_add.html", {"school": school, "form": form})


@login_required
@require_POST
def curator_remove(request, pk: int, curator_pk: int):
    school = school_for(request.user, pk, to="assign_curators")
    curator = get_object_or_404(SchoolCurator.objects.current(), pk=curator_pk, organisation=school)
    services.curator_remove(curator=curator, by=request.user)
    messages.success(request, _("Куратор снят со школы."))
    return redirect("schools:detail", pk=school.pk)


@login_required
def document_upload(request, pk: int):
    school = school_for(request.user, pk, to="upload")
    form = DocumentUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        services.document_upload(
            school=school,
            kind=data["kind"],
            year=SchoolYear(data["school_year"]),
            factor=data["factor"],
            file=data["file"],
            by=request.user,
        )
        messages.success(request, _("Документ загружен. Отправьте его куратору, когда он готов."))
        return redirect("schools:detail", pk=school.pk)
    return render(request, "schools/document_upload.html", {"school": school, "form": form})


def _document(school, document_pk: int) -> DevelopmentDocument:
    return get_object_or_404(
        DevelopmentDocument.objects.select_related("factor"), pk=document_pk, organisation=school
    )


@login_required
@require_POST
def document_submit(request, pk: int, document_pk: int):
    school = school_for(request.user, pk, to="upload")
    document = _document(school, document_pk)
    try:
        services.document_submit(document=document, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Документ отправлен куратору."))
    return redirect("schools:detail", pk=school.pk)


@login_required
def document_replace(request, pk: int, document_pk: int):
    school = school_for(request.user, pk, to="upload")
    document = _document(school, document_pk)
    if document.status not in (DocumentStatus.DRAFT, DocumentStatus.RETURNED):
        raise Http404
    form = ReplaceFileForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        services.document_replace_file(
            document=document, file=form.cleaned_data["file"], by=request.user
        )
        messages.success(request, _("Файл заменён."))
        return redirect("schools:detail", pk=school.pk)
    return render(
        request,
        "schools/document_replace.html",
        {"school": school, "document": document, "form": form},
    )


@login_required
def document_decide(request, pk: int, document_pk: int):
    school = school_for(request.user, pk, to="decide")
    document = _document(school, document_pk)
    if document.status != DocumentStatus.SUBMITTED:
        raise Http404
    form = DecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        decide = (
            services.document_accept
            if form.cleaned_data["decision"] == "accept"
            else services.document_return
        )
        decide(document=document, by=request.user, comment=form.cleaned_data["comment"])
        messages.success(request, _("Решение по документу сохранено."))
        return redirect("schools:detail", pk=school.pk)
    return render(
        request,
        "schools/document_decide.html",
        {"school": school, "document": document, "form": form},
    )


@login_required
def document_file(request, pk: int, document_pk: int):
    school = school_for(request.user, pk)
    document = _document(school, document_pk)
    try:
        handle = document.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    return FileResponse(
        handle,
        as_attachment=True,
        filename=document.filename or document.file.name.rsplit("/", 1)[-1],
        content_type=content_type_of(document.file.name),
    )
