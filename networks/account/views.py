"""The person's own pages. Every view acts on request.user only: there is no id in any URL here, so
nobody can reach another person's profile, export or deletion."""

from __future__ import annotations

from allauth.account import app_settings as allauth_settings
from allauth.account.models import EmailAddress, EmailConfirmation
from allauth.account.views import ConfirmEmailView as AllauthConfirmEmailView
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.db.models import Q
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from ..coverage import covered_by
from ..models import ConsentKind, ConsentText, TerritoryRole
from ..permissions import territory_roles
from . import selectors, services
from .consents import PAGES
from .exports import EXPORTERS
from .forms import DeleteAccountForm, ProfileForm
from .vision import COOKIE, COOKIE_MAX_AGE, vision_of

MIN_QUERY_LENGTH = 2


def consent(request, version: int | None = None, kind: str = ConsentKind.PERSONAL_DATA):
    """The text of a consent: the one a person accepts at sign-up, or the one to be named on the
    public pages (152-ФЗ, ст. 10.1); open to everyone, before signing in. Without a version it is
    the current text, rendered from the template (translated); an earlier version is shown as it
    was stored, in Russian, the words that person agreed to."""
    current = ConsentText.objects.current(kind)
    text = current
    if version is not None and version != current.version:
        text = get_object_or_404(ConsentText, kind=kind, version=version)
    return render(
        request,
        "legal/consent.html",
        {
            "text": text,
            "is_current": text.pk == current.pk,
            "body": PAGES[kind],
            "public_name": kind == ConsentKind.PUBLIC_NAME,
        },
    )


def _search_scope(request):
    """`?scope=territory`: the organisations of the territories the person coordinates (the
    structure form's host picker); the whole registry otherwise."""
    if request.GET.get("scope") != "territory" or not request.user.is_authenticated:
        return None
    if request.user.is_superuser:
        return None
    coordinated = [
        r for r in territory_roles(request.user) if r.role == TerritoryRole.Role.COORDINATOR
    ]
    return covered_by(coordinated) or Q(pk__in=[])


@require_GET
def organisation_search(request):
    """Matches for the picker, also for the anonymous visitor on the sign-up page: the registry
    of schools is public, and only names, municipalities and regions are returned."""
    query = request.GET.get("q", "").strip()[:200]
    if len(query) < MIN_QUERY_LENGTH:
        return JsonResponse({"results": [], "more": False, "message": ""})
    matches, more = selectors.organisation_matches(query, within=_search_scope(request))
    return JsonResponse(
        {
            "results": [
                {
                    "id": m.organisation.pk,
                    "label": m.label,
                    "short_name": str(m.organisation),
                    "municipality": m.organisation.municipality.name
                    if m.organisation.municipality_id
                    else "",
                    "region": m.organisation.region.name,
                }
                for m in matches
            ],
            "more": more,
            "message": selectors.matches_message(len(matches), more),
        }
    )


@login_required
def profile(request):
    form = ProfileForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Профиль сохранён."))
        if form.organisation_request is not None:
            messages.info(
                request,
                _("Заявка на добавление организации отправлена координатору вашего региона."),
            )
        return redirect("people:profile")
    return render(
        request,
        "account/profile.html",
        {
            "form": form,
            "organisation_requests": selectors.pending_organisation_requests(request.user),
            "consents": selectors.current_consents(request.user),
        },
    )


@login_required
@require_GET
def export(request, fmt: str):
    exporter = EXPORTERS.get(fmt)
    if exporter is None:
        raise Http404
    filename, content_type, content = exporter.render(request.user)
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
@never_cache
def delete_account(request):
    form = DeleteAccountForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        services.user_anonymise(user=request.user)
        logout(request)
        messages.success(
            request,
            _("Учётная запись удалена, ваши персональные данные стёрты. Спасибо за участие."),
        )
        return redirect("account_login")
    return render(request, "account/delete.html", {"form": form})


def confirmation_link_state(key: str) -> str:
    """Why a confirmation link no longer works: «used» (the address is already confirmed),
    «expired», or «invalid» — so the page can say which, in Russian."""
    max_age = 60 * 60 * 24 * allauth_settings.EMAIL_CONFIRMATION_EXPIRE_DAYS
    try:
        pk = signing.loads(key, salt=allauth_settings.SALT)
    except signing.BadSignature:
        confirmation = (
            EmailConfirmation.objects.filter(key=key.lower())
            .select_related("email_address")
            .first()
        )
        if confirmation is None:
            return "invalid"
        if confirmation.email_address.verified:
            return "used"
        return "expired" if confirmation.key_expired() else "invalid"
    if EmailAddress.objects.filter(pk=pk, verified=True).exists():
        return "used"
    try:
        signing.loads(key, salt=allauth_settings.SALT, max_age=max_age)
    except signing.SignatureExpired:
        return "expired"
    return "invalid"


class ConfirmEmailView(AllauthConfirmEmailView):
    """allauth's confirmation page, telling a used link from an expired one. A second press of
    «Подтвердить» on a used link gets the same explanation instead of a bare 404."""

    def post(self, *args, **kwargs):
        try:
            return super().post(*args, **kwargs)
        except Http404:
            self.object = None
            return self.render_to_response(self.get_context_data())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if not context.get("confirmation"):
            context["link_state"] = confirmation_link_state(self.kwargs["key"])
        return context


def _back_to(request, target: str) -> str:
    """`target` when it is a page of this site, else the home page."""
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return "/"
    return target


@require_GET
def vision_settings(request):
    """The version for the visually impaired from a public page (issue 20): those pages are the
    same for every visitor and cached, so they have no form of their own (communities.public.http);
    their header links here, where the switch and the settings are, and back."""
    return render(
        request,
        "account/vision_settings.html",
        {"back": _back_to(request, request.GET.get("next", ""))},
    )


@require_POST
def vision_update(request):
    """The version for the visually impaired switched or changed (issue 20): kept in a cookie and,
    for a signed-in person, in the profile; back to the page the person was on."""
    chosen = vision_of(request).changed(request.POST)
    if request.user.is_authenticated and request.user.vision != chosen.dump():
        request.user.vision = chosen.dump()
        request.user.save(update_fields=["vision"])
    response = redirect(_back_to(request, request.POST.get("next", "")))
    if chosen.on:
        response.set_cookie(
            COOKIE,
            chosen.dump(),
            max_age=COOKIE_MAX_AGE,
            samesite="Lax",
            # Read by the public pages' script (static/js/public-vision.js): a choice of letters
            # and colours, nothing a script on the page could misuse.
            httponly=False,
            secure=request.is_secure(),
        )
    else:
        response.delete_cookie(COOKIE, samesite="Lax")
    return response
