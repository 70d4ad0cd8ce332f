"""`Authorization: Bearer <secret>`: the only way into the API. Sessions do not authenticate it,
so a signed-in browser gets no data through it and there is nothing for CSRF to protect."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.permissions import BasePermission

from .models import ApiToken, secret_hash
from .services import api_token_used

KEYWORD = b"bearer"


class BearerTokenAuthentication(BaseAuthentication):
    def authenticate(self, request):
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() != KEYWORD:
            return None  # no token: the permission below answers 401
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed(
                _("Заголовок Authorization должен иметь вид «Bearer <ключ>».")
            )
        try:
            secret = parts[1].decode("ascii")
        except UnicodeDecodeError:
            raise exceptions.AuthenticationFailed(_("Неверный ключ доступа.")) from None
        token = (
            ApiToken.objects.filter(secret_hash=secret_hash(secret))
            .only("pk", "region_id", "municipality_id", "revoked_at", "last_used_at")
            .first()
        )
        if token is None:
            raise exceptions.AuthenticationFailed(_("Неверный ключ доступа."))
        if token.is_revoked:
            raise exceptions.AuthenticationFailed(_("Ключ доступа отозван."))
        api_token_used(token=token)
        return AnonymousUser(), token

    def authenticate_header(self, request) -> str:
        # A 401 needs a WWW-Authenticate header; without one DRF would answer 403.
        return 'Bearer realm="api"'


class HasApiToken(BasePermission):
    message = _("Нужен ключ доступа: заголовок «Authorization: Bearer <ключ>».")

    def has_permission(self, request, view) -> bool:
        return isinstance(request.auth, ApiToken)
