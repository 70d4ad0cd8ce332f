"""Materials, discussions and polls of a structure (R-PAV-6.1, R-PAV-6.2).

Every view loads the structure through networks.permissions.structure_for (404 to outsiders, 403 to
insiders without the right) and asks communities.permissions about the rest; changes are POST
only, go through one service each, and a refused form comes back with what was typed. Files are
served only by `material_download`, after the same checks as the material's page.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from networks.permissions import can_see_name, structure_for
from networks.uploads import content_type

from .. import permissions, selectors, services
from ..forms import (
    DiscussionForm,
    MaterialFilterForm,
    MaterialForm,
    MaterialRemoveForm,
    PollForm,
    PostForm,
    VoteForm,
    add_service_error,
)
from ..models import Material

MATERIALS_PAGE_SIZE = 20
DISCUSSIONS_PAGE_SIZE = 20
POSTS_PAGE_SIZE = 30


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def _show_names(request, access, items, attribute: str) -> list:
    """Names of authors only where the person agreed to show theirs (networks.permissions)."""
    items = list(items)
    for item in items:
        person = getattr(item, attribute)
        item.shown_name = (
            person.full_name if person and can_see_name(access, request.user, person) else ""
        )
    return items


def _errors_to_messages(request, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


# --- Materials -------------------------------------------------------------------------------


@login_required
def material_list(request, pk: int):
    structure = structure_for(request.user, pk, to="see_years")
    access = structure.access
    may_admit = permissions.can_admit_material(access)
    form = MaterialFilterForm(
        request.GET,
        subjects=selectors.material_subjects(structure),
        with_status=may_admit,
    )
    form.is_valid()  # an unknown subject or kind is reported by its field; the rest still filters
    filters = {k: v for k, v in form.cleaned_data.items() if v}
    materials = selectors.material_list(
        structure,
        request.user,
        access,
        query=filters.get("q", ""),
        subject=filters.get("subject", ""),
        kind=filters.get("kind", ""),
        status=filters.get("status", ""),
    )
    page = Paginator(materials, MATERIALS_PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = _show_names(request, access, page.object_list, "author")
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "communities/materials/list.html",
        {
            "structure": structure,
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "searching": bool(filters),
            "may_add": permissions.can_add_material(access) and not structure.is_closed,
            "may_admit": may_admit,
            "pending_count": structure.materials.pending().count() if may_admit else None,
        },
    )


@login_required
def material_add(request, pk: int):
    structure = structure_for(request.user, pk, to="see_inner")
    access = structure.access
    _require(permissions.can_add_material(access))
    form = MaterialForm(request.POST, request.FILES) if request.method == "POST" else MaterialForm()
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            material = services.material_add(
                structure=structure,
                title=data["title"],
                kind=data["kind"],
                subject=data["subject"],
                description=data["description"],
                file=data["file"],
                link=data["link"],
                by=request.user,
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            if material.status == Material.Status.PENDING:
                messages.success(
                    request,
                    _(
                        "Материал отправлен администратору сообщества. Участники увидят его, "
                        "когда администратор его допустит."
                    ),
                )
            else:
                messages.success(request, _("Материал опубликован."))
            return redirect("communities:material_detail", pk=structure.pk, material_pk=material.pk)
    return render(
        request,
        "communities/materials/form.html",
        {
            "structure": structure,
            "form": form,
            "waits": not permissions.can_publish_at_once(access, structure),
        },
    )


def _render_material(request, structure, material, *, remove_form=None, status=200):
    access = structure.access
    _show_names(request, access, [material], "author")
    may_remove = (
        permissions.can_remove_material(access) and material.status != Material.Status.REMOVED
    )
    return render(
        request,
        "communities/materials/detail.html",
        {
            "structure": structure,
            "material": material,
            "may_download": permissions.can_download_material(access, material, request.user),
            "may_admit": permissions.can_admit_material(access)
            and material.status == Material.Status.PENDING
            and not structure.is_closed,
            "may_withdraw": permissions.can_withdraw_material(request.user, material),
            "remove_form": (remove_form or MaterialRemoveForm(prefix=f"remove-{material.pk}"))
            if may_remove
            else None,
        },
        status=status,
    )


@login_required
def material_detail(request, pk: int, material_pk: int):
    structure = structure_for(request.user, pk, to="see_years")
    material = permissions.visible_material(structure, request.user, material_pk)
    return _render_material(request, structure, material)


@login_required
def material_download(request, pk: int, material_pk: int):
    structure = structure_for(request.user, pk, to="see_years")
    material = permissions.visible_material(structure, request.user, material_pk)
    if not permissions.can_download_material(structure.access, material, request.user):
        raise Http404
    try:
        handle = material.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    # Django writes the Cyrillic name in Content-Disposition per RFC 6266 (filename*=utf-8'').
    return FileResponse(
        handle,
        as_attachment=True,
        filename=material.original_name or material.file.name.rsplit("/", 1)[-1],
        content_type=content_type(material.file_kind) if material.file_kind else None,
    )


def _render_queue(request, structure, *, bound=None, status=200):
    pending = _show_names(
        request, structure.access, selectors.pending_materials(structure), "author"
    )
    rows = [
        (
            m,
            bound[1] if bound and bound[0] == m.pk else MaterialRemoveForm(prefix=f"remove-{m.pk}"),
        )
        for m in pending
    ]
    return render(
        request,
        "communities/materials/queue.html",
        {"structure": structure, "rows": rows},
        status=status,
    )


@login_required
def material_queue(request, pk: int):
    structure = structure_for(request.user, pk, to="admit")
    return _render_queue(request, structure)


@login_required
@require_POST
def material_admit(request, pk: int, material_pk: int):
    structure = structure_for(request.user, pk, to="admit")
    material = get_object_or_404(structure.materials, pk=material_pk)
    try:
        services.material_admit(material=material, by=request.user)
    except ValidationError as error:
        _errors_to_messages(request, error)
    else:
        messages.success(
            request, _("Материал «%(title)s» допущен: участники его видят.") % {"title": material}
        )
    return redirect("communities:material_queue", pk=structure.pk)


@login_required
@require_POST
def material_remove(request, pk: int, material_pk: int):
    structure = structure_for(request.user, pk, to="admit")
    material = get_object_or_404(
        structure.materials.select_related("author", "admitted_by", "removed_by"), pk=material_pk
    )
    from_queue = request.POST.get("back") == "queue"
    back = "communities:material_queue" if from_queue else "communities:material_list"
    form = MaterialRemoveForm(request.POST, prefix=f"remove-{material.pk}")
    if form.is_valid():
        try:
            services.material_remove(
                material=material, reason=form.cleaned_data["reason"], by=request.user
            )
        except ValidationError as error:
            if not hasattr(error, "error_dict"):  # already removed: nothing left to correct
                _errors_to_messages(request, error)
                return redirect(back, pk=structure.pk)
            add_service_error(form, error)
        else:
            messages.success(
                request,
                _("Материал «%(title)s» удалён; автор увидит причину.") % {"title": material},
            )
            return redirect(back, pk=structure.pk)
    if from_queue:
        return _render_queue(request, structure, bound=(material.pk, form))
    return _render_material(request, structure, material, remove_form=form)


@login_required
@require_POST
def material_withdraw(request, pk: int, material_pk: int):
    structure = structure_for(request.user, pk, to="see_inner")
    material = permissions.visible_material(structure, request.user, material_pk)
    _require(permissions.can_withdraw_material(request.user, material))
    try:
        services.material_withdraw(material=material, by=request.user)
    except ValidationError as error:
        _errors_to_messages(request, error)
        return redirect("communities:material_detail", pk=structure.pk, material_pk=material.pk)
    messages.success(request, _("Материал отозван."))
    return redirect("communities:material_list", pk=structure.pk)


# --- Discussions (R-PAV-6.2) -----------------------------------------------------------------


@login_required
def discussion_list(request, pk: int):
    structure = structure_for(request.user, pk, to="see_inner")
    access = structure.access
    page = Paginator(selectors.discussions(structure), DISCUSSIONS_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    page.object_list = _show_names(request, access, page.object_list, "opened_by")
    polls = list(selectors.structure_polls(structure)[:DISCUSSIONS_PAGE_SIZE])
    return render(
        request,
        "communities/materials/discussion_list.html",
        {
            "structure": structure,
            "page": page,
            "polls": _poll_rows(request, polls),
            "may_open": permissions.can_open_discussion(access) and not structure.is_closed,
        },
    )


@login_required
def discussion_open(request, pk: int):
    structure = structure_for(request.user, pk, to="moderate")
    form = DiscussionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            discussion = services.discussion_open(
                structure=structure,
                title=form.cleaned_data["title"],
                body=form.cleaned_data["body"],
                by=request.user,
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("Обсуждение открыто: участники могут отвечать."))
            return redirect(
                "communities:discussion_detail", pk=structure.pk, discussion_pk=discussion.pk
            )
    return render(
        request,
        "communities/materials/discussion_form.html",
        {"structure": structure, "form": form},
    )


def _discussion(structure, discussion_pk: int):
    return get_object_or_404(
        structure.discussions.select_related("opened_by", "structure"), pk=discussion_pk
    )


def _poll_rows(request, polls) -> list[tuple]:
    """Each poll with whether the person voted and whether it still takes votes."""
    voted = selectors.voted_polls(polls, request.user)
    return [(p, p.pk in voted, services.poll_accepts_votes(p)) for p in polls]


def _render_discussion(request, structure, discussion, *, page_number=None, form=None, status=200):
    access = structure.access
    paginator = Paginator(selectors.discussion_posts(discussion), POSTS_PAGE_SIZE)
    if page_number == "last":
        page_number = paginator.num_pages
    page = paginator.get_page(page_number or request.GET.get("page"))
    page.object_list = _show_names(request, access, page.object_list, "author")
    _show_names(request, access, [discussion], "opened_by")
    is_open = discussion.closed_at is None and not structure.is_closed
    may_reply = permissions.can_take_part(access) and is_open
    return render(
        request,
        "communities/materials/discussion_detail.html",
        {
            "structure": structure,
            "discussion": discussion,
            "page": page,
            "query": "",
            "polls": _poll_rows(request, list(selectors.discussion_polls(discussion))),
            "form": (form or PostForm()) if may_reply else None,
            "may_moderate": permissions.can_moderate_discussion(access),
            "is_open": is_open,
        },
        status=status,
    )


@login_required
def discussion_detail(request, pk: int, discussion_pk: int):
    structure = structure_for(request.user, pk, to="see_inner")
    return _render_discussion(request, structure, _discussion(structure, discussion_pk))


def _post_url(structure, discussion, post) -> str:
    position = discussion.posts.filter(
        Q(created_at__lt=post.created_at) | Q(created_at=post.created_at, pk__lte=post.pk)
    ).count()
    page = (position - 1) // POSTS_PAGE_SIZE + 1
    address = reverse("communities:discussion_detail", args=[structure.pk, discussion.pk])
    return f"{address}?page={page}#post-{post.pk}"


@login_required
@require_POST
def post_reply(request, pk: int, discussion_pk: int):
    structure = structure_for(request.user, pk, to="see_inner")
    _require(permissions.can_take_part(structure.access))
    discussion = _discussion(structure, discussion_pk)
    form = PostForm(request.POST)
    if form.is_valid():
        try:
            post = services.post_add(
                discussion=discussion, body=form.cleaned_data["body"], by=request.user
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("Сообщение опубликовано."))
            return redirect(_post_url(structure, discussion, post))
    return _render_discussion(request, structure, discussion, page_number="last", form=form)


@login_required
@require_POST
def post_hide(request, pk: int, discussion_pk: int, post_pk: int):
    structure = structure_for(request.user, pk, to="moderate")
    discussion = _discussion(structure, discussion_pk)
    post = get_object_or_404(discussion.posts, pk=post_pk)
    services.post_hide(post=post, by=request.user)
    messages.success(request, _("Сообщение скрыто."))
    return redirect(_post_url(structure, discussion, post))


@login_required
@require_POST
def discussion_close(request, pk: int, discussion_pk: int):
    structure = structure_for(request.user, pk, to="moderate")
    discussion = _discussion(structure, discussion_pk)
    try:
        services.discussion_close(discussion=discussion, by=request.user)
    except ValidationError as error:
        _errors_to_messages(request, error)
    else:
        messages.success(request, _("Обсуждение закрыто; сообщения сохранены."))
    return redirect("communities:discussion_detail", pk=structure.pk, discussion_pk=discussion.pk)


# --- Polls -----------------------------------------------------------------------------------


@login_required
def poll_create(request, pk: int):
    structure = structure_for(request.user, pk, to="moderate")
    if request.method == "POST":
        form = PollForm(request.POST, structure=structure)
    else:
        form = PollForm(structure=structure, initial={"discussion": request.GET.get("discussion")})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            poll = services.poll_create(
                structure=structure,
                question=data["question"],
                options=data["options"],
                multiple=data["multiple"],
                closes_at=data["closes_at"],
                discussion=data["discussion"],
                by=request.user,
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("Опрос создан."))
            return redirect("communities:poll_detail", pk=structure.pk, poll_pk=poll.pk)
    return render(
        request, "communities/materials/poll_form.html", {"structure": structure, "form": form}
    )


def _poll(structure, poll_pk: int):
    return get_object_or_404(structure.polls.select_related("structure", "discussion"), pk=poll_pk)


def _render_poll(request, structure, poll, *, form=None, status=200):
    access = structure.access
    voted = selectors.has_voted(poll, request.user)
    accepts = services.poll_accepts_votes(poll)
    results = selectors.poll_results(poll)
    can_vote = permissions.can_vote(access) and accepts and not voted
    return render(
        request,
        "communities/materials/poll_detail.html",
        {
            "structure": structure,
            "poll": poll,
            "voted": voted,
            "accepts": accepts,
            "form": (form or VoteForm(poll=poll, options=results.options)) if can_vote else None,
            "results": results
            if permissions.can_see_poll_results(access, voted=voted, accepts_votes=accepts)
            else None,
        },
        status=status,
    )


@login_required
def poll_detail(request, pk: int, poll_pk: int):
    structure = structure_for(request.user, pk, to="see_inner")
    return _render_poll(request, structure, _poll(structure, poll_pk))


@login_required
@require_POST
def poll_vote(request, pk: int, poll_pk: int):
    structure = structure_for(request.user, pk, to="see_inner")
    _require(permissions.can_vote(structure.access))
    poll = _poll(structure, poll_pk)
    form = VoteForm(request.POST, poll=poll, options=poll.options.all())
    if form.is_valid():
        try:
            services.poll_vote(poll=poll, option_ids=form.chosen(), by=request.user)
        except ValidationError as error:
            if getattr(error, "code", None) not in ("already_voted", "closed"):
                add_service_error(form, error)
                return _render_poll(request, structure, poll, form=form)
            _errors_to_messages(request, error)
        else:
            messages.success(request, _("Ваш голос учтён."))
        return redirect("communities:poll_detail", pk=structure.pk, poll_pk=poll.pk)
    return _render_poll(request, structure, poll, form=form)


S = "structures/<int:pk>"
urlpatterns = [
    path(f"{S}/materials/", material_list, name="material_list"),
    path(f"{S}/materials/add/", material_add, name="material_add"),
    path(f"{S}/materials/pending/", material_queue, name="material_queue"),
    path(f"{S}/materials/<int:material_pk>/", material_detail, name="material_detail"),
    path(f"{S}/materials/<int:material_pk>/download/", material_download, name="material_download"),
    path(f"{S}/materials/<int:material_pk>/admit/", material_admit, name="material_admit"),
    path(f"{S}/materials/<int:material_pk>/remove/", material_remove, name="material_remove"),
    path(f"{S}/materials/<int:material_pk>/withdraw/", material_withdraw, name="material_withdraw"),
    path(f"{S}/discussions/", discussion_list, name="discussion_list"),
    path(f"{S}/discussions/open/", discussion_open, name="discussion_open"),
    path(f"{S}/discussions/<int:discussion_pk>/", discussion_detail, name="discussion_detail"),
    path(f"{S}/discussions/<int:discussion_pk>/reply/", post_reply, name="post_reply"),
    path(
        f"{S}/discussions/<int:discussion_pk>/posts/<int:post_pk>/hide/",
        post_hide,
        name="post_hide",
    ),
    path(f"{S}/discussions/<int:discussion_pk>/close/", discussion_close, name="discussion_close"),
    path(f"{S}/polls/new/", poll_create, name="poll_create"),
    path(f"{S}/polls/<int:poll_pk>/", poll_detail, name="poll_detail"),
    path(f"{S}/polls/<int:poll_pk>/vote/", poll_vote, name="poll_vote"),
]

__all__ = [
    "DISCUSSIONS_PAGE_SIZE",
    "MATERIALS_PAGE_SIZE",
    "POSTS_PAGE_SIZE",
    "discussion_close",
    "discussion_detail",
    "discussion_list",
    "discussion_open",
    "material_add",
    "material_admit",
    "material_detail",
    "material_download",
    "material_list",
    "material_queue",
    "material_remove",
    "material_withdraw",
    "poll_create",
    "poll_detail",
    "poll_vote",
    "post_hide",
    "post_reply",
]
