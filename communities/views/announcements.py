"""Announcements of a structure (issue 17): the list, the form, the announcement and its file.

The structure is loaded through communities.permissions (404 to outsiders, 403 to insiders who may
not post); an announcement's page and file also open to the people it was addressed to (a
sub-community's members). A refused form comes back with what was typed; the file is served only
by `announcement_file`, after the same checks as the page.
"""

from __future__ import annotations

from pathlib import PurePath

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from networks.permissions import can_see_name
from networks.uploads import content_type_of

from .. import permissions
from ..forms.announcements import AnnouncementForm
from ..forms.membership import add_service_error
from ..selectors.announcements import announcements_of
from ..services.announcements import announcement_post

__all__ = [
    "ANNOUNCEMENTS_PAGE_SIZE",
    "announcement_create",
    "announcement_detail",
    "announcement_file",
    "announcement_list",
]

ANNOUNCEMENTS_PAGE_SIZE = 20


def _with_author_names(request, access, announcements) -> list:
    """The author's name where the viewer may see it (networks.permissions.can_see_name)."""
    announcements = list(announcements)
    for announcement in announcements:
        author = announcement.author
        announcement.author_name = (
            author.full_name if author and can_see_name(access, request.user, author) else ""
        )
    return announcements


@login_required
def announcement_list(request, pk: int):
    structure = permissions.structure_for_announcements(request.user, pk)
    page = Paginator(announcements_of(structure), ANNOUNCEMENTS_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    page.object_list = _with_author_names(request, structure.access, page.object_list)
    return render(
        request,
        "communities/announcements/list.html",
        {
            "structure": structure,
            "page": page,
            "may_post": permissions.can_post_announcement(structure.access, structure),
        },
    )


@login_required
def announcement_create(request, pk: int):
    structure = permissions.structure_for_announcements(request.user, pk, need="post")
    if request.method == "POST":
        form = AnnouncementForm(request.POST, request.FILES, structure=structure)
    else:
        form = AnnouncementForm(structure=structure)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            announcement = announcement_post(
                structure=structure,
                by=request.user,
                title=data["title"],
                text=data["text"],
                audience=data.get("audience"),
                event=data["event"],
                file=data["file"],
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            if getattr(announcement, "repeated", False):
                messages.info(
                    request,
                    _("Это объявление уже опубликовано; повторно оно не рассылалось."),
                )
            elif announcement.sent_at is None:
                messages.success(
                    request,
                    _(
                        "Объявление опубликовано. Письма и уведомления рассылаются в фоне; "
                        "число получателей появится на странице объявления."
                    ),
                )
            else:
                count = announcement.recipient_count
                messages.success(
                    request,
                    ngettext(
                        "Объявление опубликовано и отправлено %(count)d участнику.",
                        "Объявление опубликовано и отправлено участникам: %(count)d.",
                        count,
                    )
                    % {"count": count},
                )
            return redirect(
                "communities:announcement_detail", pk=structure.pk, announcement_pk=announcement.pk
            )
    return render(
        request,
        "communities/announcements/form.html",
        {"structure": structure, "form": form},
    )


@login_required
def announcement_detail(request, pk: int, announcement_pk: int):
    structure, announcement = permissions.visible_announcement(request.user, pk, announcement_pk)
    (announcement,) = _with_author_names(request, structure.access, [announcement])
    return render(
        request,
        "communities/announcements/detail.html",
        {
            "structure": structure,
            "announcement": announcement,
            "file_name": PurePath(announcement.file.name).name if announcement.file else "",
            "may_list": permissions.can_read_announcements(structure.access),
        },
    )


@login_required
def announcement_file(request, pk: int, announcement_pk: int):
    _structure, announcement = permissions.visible_announcement(request.user, pk, announcement_pk)
    if not announcement.file:
        raise Http404
    try:
        handle = announcement.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    name = PurePath(announcement.file.name).name
    # Django writes the Cyrillic name in Content-Disposition per RFC 6266 (filename*=utf-8'').
    return FileResponse(
        handle, as_attachment=True, filename=name, content_type=content_type_of(name)
    )


S = "structures/<int:pk>/announcements"

urlpatterns = [
    path(f"{S}/", announcement_list, name="announcement_list"),
    path(f"{S}/new/", announcement_create, name="announcement_create"),
    path(f"{S}/<int:announcement_pk>/", announcement_detail, name="announcement_detail"),
    path(f"{S}/<int:announcement_pk>/file/", announcement_file, name="announcement_file"),
]
