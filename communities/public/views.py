"""The public pages (no sign-in, no session; communities/public/http.py) and the coordinator's
switch (signed in, POST only).

Queries: the list of regions 2 (the ETag's aggregate, the list), a region 2 (the region with its
ETag marks, its structures), a structure 5 at most (the structure with its ETag marks, the
contacts, the approved plan and its items, the events); a 304 stops after the ETag's queries.
Measured in docs/PERFORMANCE.md («Открытые страницы структур»).
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import condition, require_POST, require_safe

from networks.permissions import structure_for
from networks.schoolyear import SchoolYear

from . import permissions, selectors, services
from .http import public_answer, render_public

# --- Public: the regions, a region, a structure, its files ------------------------------------


def _regions_etag(request) -> str:
    return selectors.regions_etag()


@require_safe
@public_answer
@condition(etag_func=_regions_etag)
def regions(request):
    return render_public(
        "communities/public/regions.html", {"regions": selectors.regions_with_public_pages()}
    )


def _region_etag(request, code: str) -> str:
    request.public_region = selectors.public_region(code)
    return selectors.region_etag(request.public_region)


@require_safe
@public_answer
@condition(etag_func=_region_etag)
def region(request, code: str):
    found = request.public_region
    return render_public(
        "communities/public/region.html",
        {"region": found, "structures": list(selectors.region_structures(found))},
    )


def _structure_etag(request, pk: int) -> str:
    # Loaded once: the ETag needs the structure and the contacts as shown, and so does the page.
    structure = selectors.public_structure(pk)
    contacts = selectors.public_contacts(structure)
    today = selectors.today()
    request.public_page = (structure, contacts, today)
    return selectors.structure_etag(structure, contacts, today)


def join_url(structure) -> str:
    """Sign-up, then the structure's join page. A signed-in visitor who follows it is sent on to
    the join page at once (allauth redirects an authenticated visitor of the sign-up page to
    `next`), so the page itself need not know who reads it."""
    join = reverse("communities:join", args=[structure.pk])
    return f"{reverse('account_signup')}?{urlencode({'next': join})}"


@require_safe
@public_answer
@condition(etag_func=_structure_etag)
def structure(request, pk: int):
    found, contacts, today = request.public_page
    year = SchoolYear.of(today)
    is_open = not found.is_closed
    return render_public(
        "communities/public/structure.html",
        {
            "structure": found,
            "contacts": contacts,
            "year": year,
            "plan": selectors.approved_plan(found, year) if is_open else None,
            "events": selectors.upcoming_open_events(found, today) if is_open else [],
            "may_join": is_open and found.kind.open_membership,
            "join_url": join_url(found),
            "sign_in_url": (
                f"{reverse('account_login')}?"
                f"{urlencode({'next': reverse('communities:join', args=[found.pk])})}"
            ),
        },
    )


def _file_etag(request, pk: int, which: str) -> str:
    found = selectors.public_structure(pk)
    request.public_file = selectors.public_file(found, which)
    return selectors.file_etag(pk, which, request.public_file)


def _file_view(which: str):
    @require_safe
    @public_answer
    @condition(etag_func=lambda request, pk: _file_etag(request, pk, which))
    def serve(request, pk: int):
        """The file while the page is public (media is not public otherwise). PDF opens in the
        browser; any other type is a download, so no uploaded file is ever shown as a page."""
        field = request.public_file
        name = field.name.rsplit("/", 1)[-1]
        inline = name.lower().endswith(".pdf")
        response = FileResponse(field.open("rb"), as_attachment=not inline, filename=name)
        if not inline and name.lower().rsplit(".", 1)[-1] not in ("docx", "odt", "doc", "rtf"):
            response.headers["Content-Type"] = "application/octet-stream"
        return response

    serve.__name__ = f"{which}_file"
    return serve


order_file = _file_view("order")
regulation_file = _file_view("regulation")


# --- Signed in: the switch ---------------------------------------------------------------------


@login_required
@require_POST
def switch(request, pk: int):
    """POST public_page=1 switches the page on, 0 off (the same value twice changes nothing)."""
    found = structure_for(request.user, pk, to="see_inner")
    if not permissions.can_publish_structure_page(found.access):
        raise PermissionDenied
    on = request.POST.get("public_page") == "1"
    try:
        services.structure_public_page_set(structure=found, on=on, by=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        if on:
            messages.success(request, _("Открытая страница включена: её видят все, без входа."))
        else:
            messages.success(request, _("Открытая страница выключена."))
    return redirect("networks:structure_detail", pk=found.pk)
