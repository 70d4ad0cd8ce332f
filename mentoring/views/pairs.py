"""Network pairs (S4), matching, contacts and tutoring. Thin views: each loads its object through
mentoring.permissions (404 to outsiders, 403 to insiders without the right), hands a change to one
service and redirects; a refused change shows the form again with what was typed."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.db.models.functions import TruncMonth
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from communities.forms import add_service_error
from networks.models import LEADING_POSTS, Programme, SchoolStatus, User
from networks.permissions import can_see_name, structure_for
from networks.schoolyear import SchoolYear

from .. import permissions
from ..forms.pairs import (
    CompetencesForm,
    ContactLogForm,
    PairCreateForm,
    TopicAddForm,
    TopicChangeForm,
    TutorAssignForm,
    matching_year_choices,
)
from ..group_chart import activity_charts, month_activity, months_between
from ..models import Competence, Contact, PairState, Topic
from ..selectors import pairs as selectors
from ..services import pairs as services

__all__ = [
    "catalogue",
    "catalogue_add",
    "catalogue_toggle",
    "catalogue_topic",
    "competences",
    "matching",
    "matching_mentee",
    "my_pairs",
    "pair_contact_add",
    "pair_create",
    "pair_detail",
    "tutoring_assign",
    "tutoring_detail",
    "tutoring_list",
    "tutoring_session_add",
]

PAGE_SIZE = 50
COMPETENCE_SIDES = (
    (
        "deficits",
        gettext_lazy("Мои управленческие дефициты и запросы"),
        gettext_lazy(
            "Если вы руководитель или заместитель руководителя ШНОР: в чём вам нужна помощь."
        ),
    ),
    (
        "strengths",
        gettext_lazy("Мои сильные стороны"),
        gettext_lazy(
            "Если вы готовы быть наставником: в чём ваш опыт управления может помочь ШНОР."
        ),
    ),
)
MENTEES_PAGE_SIZE = 25


def _query_without_page(request) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


def _bootstrap_classes(form):
    """The widget classes crispy's as_crispy_field gives (its CSS class of the widget, then
    form-select or form-control, is-invalid on an error), for mentoring/pairs/_field.html."""
    for name, field in form.fields.items():
        widget = field.widget
        css = widget.attrs.get("class", "")
        own = type(widget).__name__.lower()
        css = own if not css else css if own in css else f"{css} {own}"
        extra = "form-select" if isinstance(widget, forms.Select) else "form-control"
        if form.is_bound and form.errors.get(name):
            extra += " is-invalid"
        widget.attrs["class"] = f"{css} {extra}"
    return form


def _log_page(request, contacts, access, *, count: int | None = None):
    """A page of a log, each entry knowing whether the viewer may see who wrote it. `count`: the
    log's length when the caller knows it already (a query less)."""
    paginator = Paginator(contacts, PAGE_SIZE)
    if count is not None:
        paginator.count = count  # a cached_property: this value stands in for COUNT(*)
    page = paginator.get_page(request.GET.get("page"))
    page.object_list = list(page.object_list)
    for contact in page.object_list:
        contact.logger_shown = contact.logged_by_id is not None and can_see_name(
            access, request.user, contact.logged_by
        )
    return page


# --- Deficits and strengths -------------------------------------------------------------------


@login_required
def competences(request):
    stated = selectors.competence_topic_ids(request.user)
    form = CompetencesForm(
        request.POST or None,
        initial={
            "deficits": list(stated[Competence.Side.DEFICIT]),
            "strengths": list(stated[Competence.Side.STRENGTH]),
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.competences_save(
                user=request.user,
                deficits=form.cleaned_data["deficits"],
                strengths=form.cleaned_data["strengths"],
                by=request.user,
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("Дефициты и сильные стороны сохранены."))
            return redirect("mentoring:competences")
    areas = selectors.topics_by_area(Topic.objects.filter(is_active=True))
    sides = []
    for name, title, hint in COMPETENCE_SIDES:
        chosen = {str(v) for v in (form[name].value() or [])}
        sides.append(
            {
                "name": name,
                "title": title,
                "hint": hint,
                "errors": form.errors.get(name, []),
                "areas": [
                    (area, [(t, str(t.pk) in chosen) for t in topics]) for area, topics in areas
                ],
            }
        )
    return render(request, "mentoring/pairs/competences.html", {"form": form, "sides": sides})


# --- The catalogue ---------------------------------------------------------------------------


def _refuse_unless_catalogue_editor(user) -> None:
    if not permissions.can_edit_catalogue(user):
        raise PermissionDenied


def _render_catalogue(request, *, add_form=None, bound=None, status=200):
    topics = list(selectors.catalogue_topics())
    rows = [
        (t, bound[1] if bound and bound[0] == t.pk else TopicChangeForm(instance=t)) for t in topics
    ]
    by_area = {}
    for topic, form in rows:
        by_area.setdefault(topic.area, []).append((topic, form))
    areas = [(label, by_area[value]) for value, label in Topic.Area.choices if value in by_area]
    return render(
        request,
        "mentoring/pairs/catalogue.html",
        {"areas": areas, "add_form": add_form or TopicAddForm()},
        status=status,
    )


@login_required
def catalogue(request):
    _refuse_unless_catalogue_editor(request.user)
    return _render_catalogue(request)


@login_required
@require_POST
def catalogue_add(request):
    _refuse_unless_catalogue_editor(request.user)
    form = TopicAddForm(request.POST)
    if form.is_valid():
        try:
            topic = services.topic_add(**form.cleaned_data, by=request.user)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("Тема «%(name)s» добавлена.") % {"name": topic.name})
            return redirect("mentoring:catalogue")
    return _render_catalogue(request, add_form=form)


@login_required
@require_POST
def catalogue_topic(request, topic_pk: int):
    _refuse_unless_catalogue_editor(request.user)
    topic = get_object_or_404(Topic, pk=topic_pk)
    form = TopicChangeForm(request.POST, instance=Topic.objects.get(pk=topic.pk))
    if form.is_valid():
        try:
            services.topic_change(topic=topic, **form.cleaned_data, by=request.user)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("Тема «%(name)s» сохранена.") % {"name": topic.name})
            return redirect("mentoring:catalogue")
    return _render_catalogue(request, bound=(topic.pk, form))


@login_required
@require_POST
def catalogue_toggle(request, topic_pk: int):
    _refuse_unless_catalogue_editor(request.user)
    topic = get_object_or_404(Topic, pk=topic_pk)
    services.topic_set_active(topic=topic, active=not topic.is_active, by=request.user)
    if topic.is_active:
        messages.success(request, _("Тема «%(name)s» снова используется.") % {"name": topic.name})
    else:
        messages.success(
            request,
            _("Тема «%(name)s» больше не предлагается; указанное по ней сохранено.")
            % {"name": topic.name},
        )
    return redirect("mentoring:catalogue")


# --- Matching --------------------------------------------------------------------------------


def _matching_scope(user):
    scope = permissions.matching_scope(user)
    if not scope:
        raise PermissionDenied
    return scope


def _matching_year(request) -> SchoolYear:
    allowed = [start for start, _label in matching_year_choices()]
    year = SchoolYear.parse(request.GET.get("year") or request.POST.get("school_year"))
    return year if year and year.start in allowed else SchoolYear(allowed[0])


@login_required
def matching(request):
    scope = _matching_scope(request.user)
    year = _matching_year(request)
    mentees = selectors.matching_mentees(scope, year.start)
    page = Paginator(mentees, MENTEES_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "mentoring/pairs/matching.html",
        {
            "year": year,
            "years": matching_year_choices(),
            "page": page,
            "query": _query_without_page(request),
        },
    )


def _mentee(scope, user_pk: int, year: SchoolYear) -> User:
    """A head or deputy head of a ШНОР of the school year in the matcher's territory (R-TUL-A3-1.1);
    nobody else here."""
    mentee = get_object_or_404(
        User.objects.select_related(
            "organisation", "organisation__municipality", "organisation__region"
        ).filter(is_active=True, anonymised_at__isnull=True, post__in=LEADING_POSTS),
        pk=user_pk,
    )
    organisation = mentee.organisation
    if organisation is None or not scope.covers(organisation):
        raise Http404
    if not organisation.statuses.filter(school_year=year.start, status=SchoolStatus.SHNOR).exists():
        raise Http404
    return mentee


def _render_matching_mentee(request, mentee, year, *, form=None, status=200):
    region_id = mentee.organisation.region_id
    deficits = list(
        Topic.objects.filter(
            competences__user=mentee, competences__side=Competence.Side.DEFICIT
        ).order_by("area", "position", "name")
    )
    limits = selectors.mentoring_settings(region_id)
    candidates = selectors.rank_mentors(
        mentee=mentee,
        school_year=year.start,
        deficit_ids=[t.pk for t in deficits],
        max_pairs=limits.max_pairs_per_mentor,
    )
    curators = selectors.matching_curators(region_id, request.user)
    orders = selectors.matching_orders(region_id)
    if form is None:
        initial = {"school_year": year.start}
        if curators.filter(pk=request.user.pk, organisation__isnull=False).exists():
            initial["curator"] = request.user.pk
        first_order = orders.first()
        if first_order:
            initial["founding_order"] = first_order.pk
        form = PairCreateForm(curators=curators, orders=orders, initial=initial)
    current = list(
        selectors.pair_structures()
        .filter(memberships__user=mentee, memberships__role="mentee", memberships__until=None)
        .open()
        .order_by("name")
    )
    chosen = str(form["mentor"].value() or "")
    return render(
        request,
        "mentoring/pairs/matching_mentee.html",
        {
            "mentee": mentee,
            "year": year,
            "deficits": deficits,
            "candidates": candidates,
            "limits": limits,
            "form": form,
            "chosen": chosen,
            "current_pairs": current,
        },
        status=status,
    )


@login_required
def matching_mentee(request, user_pk: int):
    scope = _matching_scope(request.user)
    year = _matching_year(request)
    mentee = _mentee(scope, user_pk, year)
    return _render_matching_mentee(request, mentee, year)


@login_required
@require_POST
def pair_create(request, user_pk: int):
    scope = _matching_scope(request.user)
    year = _matching_year(request)
    mentee = _mentee(scope, user_pk, year)
    region_id = mentee.organisation.region_id
    form = PairCreateForm(
        request.POST,
        curators=selectors.matching_curators(region_id, request.user),
        orders=selectors.matching_orders(region_id),
    )
    if form.is_valid():
        data = form.cleaned_data
        try:
            pair = services.pair_create(
                mentee=mentee,
                mentor=data["mentor"],
                curator=data["curator"],
                school_year=data["school_year"],
                founding_order=data["founding_order"],
                by=request.user,
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("Сетевая пара создана: %(name)s.") % {"name": pair.name})
            return redirect("mentoring:pair_detail", pk=pair.pk)
    return _render_matching_mentee(request, mentee, year, form=form)


# --- Pairs: the curator's list and a pair's page ---------------------------------------------


def _contacts_per_month(contacts) -> dict[dt.date, tuple[int, int]]:
    """{first day of a month: (contacts, pairs with a contact)} for the contacts given: one
    grouped query whatever the number of pairs and months."""
    return {
        row["month"]: (row["contacts"], row["pairs"])
        for row in contacts.annotate(month=TruncMonth("date"))
        .values("month")
        .annotate(contacts=Count("pk"), pairs=Count("pair_id", distinct=True))
        .order_by("month")
    }


def _activity(counts, first: dt.date, last: dt.date, *, title: str, with_pairs: bool) -> dict:
    """The months from `first`'s to `last`'s, a month without contacts as zero, charted."""
    rows = month_activity(months_between(first, last), counts)
    return {
        "rows": rows,
        "charts": activity_charts(rows, title=title, with_pairs=with_pairs),
        "total": sum(r.contacts for r in rows),
        "with_pairs": with_pairs,
    }


@login_required
def my_pairs(request):
    today = timezone.localdate()
    queryset = selectors.curated_pairs(request.user)
    year = SchoolYear.of(today)
    activity = _activity(
        _contacts_per_month(
            Contact.objects.filter(pair__in=queryset, date__gte=year.first_day, date__lte=today)
        ),
        year.first_day,
        today,
        title=_("Контакты пар по месяцам за %(year)s год") % {"year": year.label},
        with_pairs=True,
    )
    page = Paginator(queryset.order_by(*selectors.PAIR_ORDER), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    rows = selectors.pair_rows(
        queryset.filter(pk__in=[p.pk for p in page.object_list]), today=today
    )
    return render(
        request,
        "mentoring/pairs/my_pairs.html",
        {
            "rows": rows,
            "page": page,
            "query": _query_without_page(request),
            "can_match": bool(permissions.matching_scope(request.user)),
            "activity": activity,
            "activity_year": year,
            # The programmes of these pairs, for their curators' year-end report (issue 18).
            "report_programmes": Programme.objects.filter(
                pk__in=queryset.filter(programme__isnull=False).values("programme_id")
            ).order_by("title")[:20],
        },
    )


def _render_pair(request, pair, *, form=None, status=200):
    access = pair.access
    today = timezone.localdate()
    contacts = selectors.pair_contacts(pair)
    # All the pair's months at once (a pair lasts a year or a few: a few dozen rows at most): the
    # chart takes its school year's, and their sum is the log's length, which the paginator
    # would otherwise count in a query of its own.
    counts = _contacts_per_month(Contact.objects.filter(pair=pair))
    page = _log_page(request, contacts, access, count=sum(c for c, _pairs in counts.values()))
    members = [
        (m, can_see_name(access, request.user, m.user)) for m in selectors.pair_members(pair)
    ]
    # The log is newest first: on its first page the newest contact is the first row (a query less).
    if page.number == 1:
        last_contact = page.object_list[0].date if page.object_list else None
    else:
        last_contact = contacts.values_list("date", flat=True).first()
    limits = selectors.mentoring_settings(pair.region_id)
    # The state is a row of its own that a pair may lack (one made in the admin).
    state = PairState.objects.filter(pair=pair).first()
    # The pair's months of the school year it works in (or stopped in): since it started.
    end = min(today, pair.closed_on) if pair.closed_on else today
    year = SchoolYear.of(end)
    start = max(year.first_day, pair.established_on or year.first_day)
    activity = _activity(
        counts,
        min(start, end),
        end,
        title=_("Контакты пары по месяцам за %(year)s год") % {"year": year.label},
        with_pairs=False,
    )
    can_log = permissions.can_log_pair_contact(access) and not pair.is_closed
    if can_log and form is None:
        form = ContactLogForm()
    if can_log:
        _bootstrap_classes(form)
    return render(
        request,
        "mentoring/pairs/pair_detail.html",
        {
            "pair": pair,
            "access": access,
            "members": members,
            "page": page,
            "last_contact": last_contact,
            "dormant": selectors.is_dormant(pair, last_contact, limits.dormant_after_days, today),
            "limits": limits,
            "state": state,
            "activity": activity,
            "activity_year": year,
            "form": form if can_log else None,
        },
        status=status,
    )


@login_required
def pair_detail(request, pk: int):
    return _render_pair(request, permissions.pair_for(request.user, pk, to="read"))


@login_required
@require_POST
def pair_contact_add(request, pk: int):
    pair = permissions.pair_for(request.user, pk, to="log")
    form = ContactLogForm(request.POST)
    if form.is_valid():
        try:
            services.contact_log(pair=pair, **form.cleaned_data, by=request.user)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("Контакт записан в журнал пары."))
            return redirect("mentoring:pair_detail", pk=pair.pk)
    return _render_pair(request, pair, form=form)


# --- Tutoring (S6, S8) -----------------------------------------------------------------------


def _tutoring_structure(request, pk: int, *, to: str):
    structure = structure_for(request.user, pk, to=to)
    if not structure.kind.allows_role("tutor"):
        raise Http404
    return structure


@login_required
def tutoring_list(request, pk: int):
    structure = _tutoring_structure(request, pk, to="see_inner")
    access = structure.access
    sees_all = permissions.can_see_all_tutoring(access)
    assignments = selectors.tutoring_assignments(structure, user=request.user, sees_all=sees_all)
    page = Paginator(assignments, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "mentoring/pairs/tutoring_list.html",
        {
            "structure": structure,
            "page": page,
            "sees_all": sees_all,
            "can_assign": permissions.can_assign_tutors(access) and not structure.is_closed,
        },
    )


@login_required
def tutoring_assign(request, pk: int):
    structure = _tutoring_structure(request, pk, to="manage")
    form = TutorAssignForm(request.POST or None, structure=structure)
    if request.method == "POST" and form.is_valid():
        try:
            assignment = services.tutoring_assign(
                structure=structure, **form.cleaned_data, by=request.user
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(
                request,
                _("Тьютор назначен: %(a)s.") % {"a": assignment},
            )
            return redirect("mentoring:tutoring_detail", assignment_pk=assignment.pk)
    return render(
        request, "mentoring/pairs/tutoring_assign.html", {"structure": structure, "form": form}
    )


def _render_tutoring(request, assignment, *, form=None):
    structure = assignment.structure
    access = structure.access
    can_log = (
        permissions.can_log_tutoring(access, request.user, assignment) and assignment.until is None
    )
    if can_log and form is None:
        form = ContactLogForm()
    if can_log:
        _bootstrap_classes(form)
    page = _log_page(request, selectors.tutoring_sessions(assignment), access)
    return render(
        request,
        "mentoring/pairs/tutoring_detail.html",
        {
            "structure": structure,
            "assignment": assignment,
            "page": page,
            "form": form if can_log else None,
        },
    )


@login_required
def tutoring_detail(request, assignment_pk: int):
    assignment = permissions.tutoring_for(request.user, assignment_pk, to="read")
    return _render_tutoring(request, assignment)


@login_required
@require_POST
def tutoring_session_add(request, assignment_pk: int):
    assignment = permissions.tutoring_for(request.user, assignment_pk, to="log")
    form = ContactLogForm(request.POST)
    if form.is_valid():
        try:
            services.tutoring_session_log(
                assignment=assignment, **form.cleaned_data, by=request.user
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("Занятие записано."))
            return redirect("mentoring:tutoring_detail", assignment_pk=assignment.pk)
    return _render_tutoring(request, assignment, form=form)


urlpatterns = [
    path("mentoring/competences/", competences, name="competences"),
    path("mentoring/catalogue/", catalogue, name="catalogue"),
    path("mentoring/catalogue/add/", catalogue_add, name="catalogue_add"),
    path("mentoring/catalogue/<int:topic_pk>/", catalogue_topic, name="catalogue_topic"),
    path("mentoring/catalogue/<int:topic_pk>/active/", catalogue_toggle, name="catalogue_toggle"),
    path("mentoring/matching/", matching, name="matching"),
    path("mentoring/matching/<int:user_pk>/", matching_mentee, name="matching_mentee"),
    path("mentoring/matching/<int:user_pk>/pair/", pair_create, name="pair_create"),
    path("mentoring/pairs/", my_pairs, name="my_pairs"),
    path("mentoring/pairs/<int:pk>/", pair_detail, name="pair_detail"),
    path("mentoring/pairs/<int:pk>/contacts/", pair_contact_add, name="pair_contact_add"),
    path("structures/<int:pk>/tutoring/", tutoring_list, name="tutoring_list"),
    path("structures/<int:pk>/tutoring/new/", tutoring_assign, name="tutoring_assign"),
    path("mentoring/tutoring/<int:assignment_pk>/", tutoring_detail, name="tutoring_detail"),
    path(
        "mentoring/tutoring/<int:assignment_pk>/sessions/",
        tutoring_session_add,
        name="tutoring_session_add",
    ),
]
