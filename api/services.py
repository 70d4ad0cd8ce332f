"""Issuing and revoking API tokens: the admin and tests call these."""

from __future__ import annotations

import secrets
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from networks.models import Municipality, Organisation, Region, User

from .models import ApiToken, secret_hash

# last_used_at is written at most this often per token: not a write on every request.
LAST_USED_PRECISION = timedelta(minutes=1)


def api_token_issue(
    *,
    organisation: Organisation,
    region: Region,
    municipality: Municipality | None = None,
    by: User | None,
    token: ApiToken | None = None,
) -> tuple[ApiToken, str]:
    """A new token and its secret, which is shown once and never stored. `token` is an unsaved
    instance with the fields already set (the admin's form)."""
    secret = secrets.token_urlsafe(32)
    token = token or ApiToken()
    token.organisation = organisation
    token.region = region
    token.municipality = municipality
    token.created_by = by
    token.prefix = secret[:8]
    token.secret_hash = secret_hash(secret)
    token.full_clean()
    with transaction.atomic():
        token.save()
    return token, secret


def api_token_revoke(*, token: ApiToken) -> bool:
    """Revokes the token at once; False when it was revoked already."""
    return bool(
        ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(
            revoked_at=timezone.now()
        )
    )


def api_token_used(*, token: ApiToken) -> None:
    """Records the moment of use, at most once a minute per token (a conditional UPDATE)."""
    now = timezone.now()
    if token.last_used_at and now - token.last_used_at < LAST_USED_PRECISION:
        return
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    token.last_used_at = now
