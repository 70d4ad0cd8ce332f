"""Joining structures and running their membership. Every view loads the structure through
networks.permissions.structure_for (404 to outsiders, 403 to members without the right) and hands
the change to one service; a refused change shows the form again with what was typed."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from networks.models import leader_role_refusal
from networks.permissions import can_request_to_join, structure_for

from .. import permissions, selectors, services
from ..forms import (
    BlockForm,
    InvitationForm,
    JoinRequestForm,
    RejectForm,
    RemoveForm,
    RoleForm,
    add_service_error,
)
from ..models import Invitation

HISTORY_PAGE_SIZE = 50


def _errors_to_messages(request, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


# --- Joining ---------------------------------------------------------------------------------


@login_required
def join(request, pk: int):
    structure = structure_for(request.user, pk, to="view")
    form = JoinRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.join_request_file(
                structure=structure, user=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(
                request,
                _("Заявка подана. Координатор рассмотрит её; решение появится в «Моих заявках»."),
            )
            return redirect("networks:structure_detail", pk=structure.pk)
    return render(
        request,
        "communities/join.html",
        {
            "structure": structure,
            "form": form,
            "can_request": can_request_to_join(request.user, structure, structure.access),
            "latest": selectors.latest_request(structure, request.user),
        },
    )


@login_required
def my_requests(request):
    return render(
        request,
        "communities/my_requests.html",
        {"requests": selectors.my_requests(request.user)[:100]},
    )


@login_required
@require_POST
def withdraw(request, request_pk: int):
    join_request = permissions.own_join_request(request.user, request_pk)
    try:
        services.join_request_withdraw(join_request=join_request, by=request.user)
    except ValidationError as error:
        _errors_to_messages(request, error)
    else:
        messages.success(request, _("Заявка отозвана."))
    return redirect("communities:my_requests")


# --- The queue of requests -------------------------------------------------------------------


def _render_queue(request, structure, *, bound=None, status=200):
    pending = list(selectors.pending_requests(structure))
    rows = [
        (r, bound[1] if bound and bound[0] == r.pk else RejectForm(prefix=f"reject-{r.pk}"))
        for r in pending
    ]
    return render(
        request,
        "communities/queue.html",
        {"structure": structure, "rows": rows},
        status=status,
    )


@login_required
def queue(request, pk: int):
    structure = structure_for(request.user, pk, to="admit")
    return _render_queue(request, structure)


@login_required
@require_POST
def approve(request, pk: int, request_pk: int):
    structure = structure_for(request.user, pk, to="admit")
    join_request = get_object_or_404(structure.join_requests.select_related("user"), pk=request_pk)
    try:
        services.join_request_approve(join_request=join_request, by=request.user)
    except ValidationError as error:
        _errors_to_messages(request, error)
    else:
        messages.success(
            request,
            _("%(name)s принят(а) в структуру.") % {"name": join_request.user.full_name},
        )
    return redirect("communities:queue", pk=structure.pk)


@login_required
@require_POST
def reject(request, pk: int, request_pk: int):
    structure = structure_for(request.user, pk, to="admit")
    join_request = get_object_or_404(structure.join_requests.select_related("user"), pk=request_pk)
    form = RejectForm(request.POST, prefix=f"reject-{join_request.pk}")
    if form.is_valid():
        try:
            services.join_request_reject(
                join_request=join_request,
                by=request.user,
                reason=form.cleaned_data["reason"],
                block=form.cleaned_data["block"],
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("Заявка отклонена; заявитель увидит причину."))
            return redirect("communities:queue", pk=structure.pk)
    return _render_queue(request, structure, bound=(join_request.pk, form))


# --- Members ---------------------------------------------------------------------------------


def _render_members(request, structure, *, invite_form=None):
    return render(
        request,
        "communities/members.html",
        {
            "structure": structure,
            "current": list(selectors.current_members(structure)),
            "past": list(selectors.past_members(structure)),
            "blocks": list(selectors.structure_blocks(structure)),
            "invitations": list(selectors.open_invitations(structure)),
            "invite_form": invite_form or InvitationForm(structure=structure),
        },
    )


@login_required
def members(request, pk: int):
    structure = structure_for(request.user, pk, to="manage")
    return _render_members(request, structure)


def _membership(structure, membership_pk: int):
    return get_object_or_404(
        structure.memberships.select_related("user", "user__organisation"), pk=membership_pk
    )


def _render_member(request, structure, membership, **bound):
    blocked = structure.membership_blocks.filter(user=membership.user_id).exists()
    forms = {
        "role_form": RoleForm(
            structure=structure,
            membership=membership,
            initial={"role": membership.role, "elected_on": membership.elected_on},
        ),
        "remove_form": RemoveForm(structure=structure),
        "block_form": BlockForm(structure=structure),
    }
    forms.update(bound)
    return render(
        request,
        "communities/member.html",
        {"structure": structure, "membership": membership, "blocked": blocked, **forms},
    )


@login_required
def member(request, pk: int, membership_pk: int):
    structure = structure_for(request.user, pk, to="manage")
    return _render_member(request, structure, _membership(structure, membership_pk))


def _member_action(request, pk, membership_pk, *, form_class, form_name, act, success):
    """The three changes to one member share their shape: read the form, call the service,
    back to the members list; a refusal shows the member's page with the error by its field."""
    structure = structure_for(request.user, pk, to="manage")
    membership = _membership(structure, membership_pk)
    form = form_class(request.POST, structure=structure, membership=membership)
    if form.is_valid():
        try:
            act(structure, membership, form.cleaned_data)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, success % {"name": membership.user.full_name})
            return redirect("communities:members", pk=structure.pk)
    return _render_member(request, structure, membership, **{form_name: form})


@login_required
@require_POST
def role_change(request, pk: int, membership_pk: int):
    def act(structure, membership, data):
        services.role_assign(
            membership=membership,
            role=data["role"],
            elected_on=data.get("elected_on"),
            by=request.user,
        )

    return _member_action(
        request,
        pk,
        membership_pk,
        form_class=RoleForm,
        form_name="role_form",
        act=act,
        success=_("Роль участника %(name)s изменена."),
    )


@login_required
@require_POST
def remove(request, pk: int, membership_pk: int):
    def act(structure, membership, data):
        services.member_remove(
            membership=membership,
            on=data["on"],
            block=data["block"],
            reason=data["reason"],
            by=request.user,
        )

    return _member_action(
        request,
        pk,
        membership_pk,
        form_class=RemoveForm,
        form_name="remove_form",
        act=act,
        success=_("%(name)s исключён(а) из структуры; история участия сохранена."),
    )


@login_required
@require_POST
def block(request, pk: int, membership_pk: int):
    def act(structure, membership, data):
        services.member_block(
            structure=structure, user=membership.user, reason=data["reason"], by=request.user
        )

    return _member_action(
        request,
        pk,
        membership_pk,
        form_class=BlockForm,
        form_name="block_form",
        act=act,
        success=_("%(name)s больше не может подавать заявки в структуру."),
    )


@login_required
@require_POST
def unblock(request, pk: int, block_pk: int):
    structure = structure_for(request.user, pk, to="manage")
    membership_block = get_object_or_404(
        structure.membership_blocks.select_related("user"), pk=block_pk
    )
    services.member_unblock(block=membership_block, by=request.user)
    messages.success(
        request,
        _("%(name)s снова может подавать заявки.") % {"name": membership_block.user.full_name},
    )
    return redirect("communities:members", pk=structure.pk)


@login_required
@require_POST
def invite(request, pk: int):
    structure = structure_for(request.user, pk, to="manage")
    form = InvitationForm(request.POST, structure=structure)
    if form.is_valid():
        try:
            invitation = services.invitation_create(
                structure=structure,
                email=form.cleaned_data["email"],
                role=form.cleaned_data["role"],
                by=request.user,
                base_url=request.build_absolute_uri("/"),
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(
                request,
                _("Приглашение отправлено на %(email)s; ссылка действует до %(date)s.")
                % {
                    "email": invitation.email,
                    "date": f"{timezone.localtime(invitation.expires_at):%d.%m.%Y}",
                },
            )
            return redirect("communities:members", pk=structure.pk)
    return _render_members(request, structure, invite_form=form)


# --- Invitations -----------------------------------------------------------------------------


@login_required
def invitation(request, token: str):
    found = Invitation.objects.select_related("structure", "structure__kind").by_token(token)
    invitation = found.first()
    if invitation is None:
        raise Http404
    problem = None
    try:
        services.refuse_unusable_invitation(invitation, request.user)
    except ValidationError as error:
        problem = " ".join(error.messages)
    if request.method == "POST" and problem is None:
        try:
            services.invitation_accept(token=token, user=request.user)
        except ValidationError as error:
            problem = " ".join(error.messages)
        else:
            messages.success(
                request,
                _("Вы участник структуры «%(name)s».") % {"name": invitation.structure.name},
            )
            return redirect("networks:structure_detail", pk=invitation.structure_id)
    needs_post = leader_role_refusal(request.user, invitation.structure.kind, invitation.role)
    return render(
        request,
        "communities/invitation.html",
        {"invitation": invitation, "problem": problem, "needs_post": bool(needs_post)},
    )


# --- History ---------------------------------------------------------------------------------


@login_required
def history(request, pk: int):
    structure = permissions.structure_for_history(request.user, pk)
    entries = selectors.structure_history(structure)
    page = Paginator(entries, HISTORY_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "communities/history.html", {"structure": structure, "page": page})


urlpatterns = [
    path("structures/<int:pk>/join/", join, name="join"),
    path("structures/<int:pk>/requests/", queue, name="queue"),
    path("structures/<int:pk>/requests/<int:request_pk>/approve/", approve, name="approve"),
    path("structures/<int:pk>/requests/<int:request_pk>/reject/", reject, name="reject"),
    path("structures/<int:pk>/members/", members, name="members"),
    path("structures/<int:pk>/members/<int:membership_pk>/", member, name="member"),
    path(
        "structures/<int:pk>/members/<int:membership_pk>/role/",
        role_change,
        name="role_change",
    ),
    path("structures/<int:pk>/members/<int:membership_pk>/remove/", remove, name="remove"),
    path("structures/<int:pk>/members/<int:membership_pk>/block/", block, name="block"),
    path("structures/<int:pk>/blocks/<int:block_pk>/unblock/", unblock, name="unblock"),
    path("structures/<int:pk>/invitations/", invite, name="invite"),
    path("structures/<int:pk>/history/", history, name="history"),
    path("my/requests/", my_requests, name="my_requests"),
    path("my/requests/<int:request_pk>/withdraw/", withdraw, name="withdraw"),
    path("invitations/<str:token>/", invitation, name="invitation"),
]

__all__ = [
    "HISTORY_PAGE_SIZE",
    "approve",
    "block",
    "history",
    "invitation",
    "invite",
    "join",
    "member",
    "members",
    "my_requests",
    "queue",
    "reject",
    "remove",
    "role_change",
    "unblock",
    "withdraw",
]
