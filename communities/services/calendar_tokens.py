"""The secrets of calendar feeds (communities.models.CalendarToken): issued, replaced, revoked.

A person's own feed (`structure=None`) and one per structure they are a current member of. Issuing
again replaces the token: the old address stops answering (404) at once, as after a revocation."""

from __future__ import annotations

import secrets

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from networks.models import Structure, User

from ..models import CalendarToken

__all__ = ["calendar_token_issue", "calendar_token_revoke"]

TOKEN_BYTES = 32  # 43 characters of URL-safe base64: not guessable, short enough for a URL


def _refuse_unless_member(user: User, structure: Structure | None) -> None:
    if structure is not None and not structure.memberships.current().filter(user=user).exists():
        raise ValidationError(_("Календарь структуры доступен только её участникам."))


@transaction.atomic
def calendar_token_issue(*, user: User, structure: Structure | None = None) -> CalendarToken:
    """A new secret address for the feed; the previous one (if any) stops working."""
    _refuse_unless_member(user, structure)
    CalendarToken.objects.filter(user=user, structure=structure).delete()
    return CalendarToken.objects.create(
        user=user, structure=structure, token=secrets.token_urlsafe(TOKEN_BYTES)
    )


@transaction.atomic
def calendar_token_revoke(*, user: User, structure: Structure | None = None) -> int:
    """The address stops working; how many were revoked (0 or 1)."""
    deleted, _rows = CalendarToken.objects.filter(user=user, structure=structure).delete()
    return deleted
