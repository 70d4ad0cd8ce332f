"""Reads for the account pages: the organisation picker's matches, a person's pending requests."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ..models import Consent, Organisation, OrganisationRequest, User
from ..search import fold, search, tokens

MATCH_LIMIT = 20
# The folded text is compared with LIKE; rank a bounded number of candidates in Python.
CANDIDATE_LIMIT = 300

# People type the abbreviations the schools are known by; the registry often spells them out.
ABBREVIATIONS = {
    "сош": "средняя общеобразовательная школа",
    "оош": "основная общеобразовательная школа",
    "нош": "начальная общеобразовательная школа",
    "цо": "центр образования",
    "дод": "дополнительного образования",
}
_SHORT_NUMBER = re.compile(r"^№?\d{1,4}$")


@dataclass(frozen=True)
class OrganisationMatch:
    organisation: Organisation
    label: str


def organisation_label(organisation: Organisation) -> str:
    """«МОУ «СОШ № 4» — Дмитриевский район, Курская область»: enough to tell namesakes apart."""
    place = [organisation.municipality.name] if organisation.municipality_id else []
    place.append(organisation.region.name)
    return f"{organisation} — {', '.join(place)}"


def _token_condition(token: str) -> Q:
    if token in ABBREVIATIONS:
        return Q(search_text__contains=token) | Q(search_text__contains=fold(ABBREVIATIONS[token]))
    if _SHORT_NUMBER.match(token):
        # «4» or «№ 4» is a school's number, not a digit somewhere inside an ИНН.
        number = token.lstrip("№")
        return (
            Q(search_text__contains=f"№{number}")
            | Q(search_text__contains=f" {number} ")
            | Q(search_text__startswith=f"{number} ")
            | Q(search_text__endswith=f" {number}")
        )
    return Q()


def _number_matches_exactly(token: str, text: str) -> bool:
    number = token.lstrip("№")
    return re.search(rf"(?:^|[\s№]){number}(?!\d)", text) is not None


def organisation_matches(
    query: str, *, limit: int = MATCH_LIMIT, within: Q | None = None
) -> tuple[list[OrganisationMatch], bool]:
    """Organisations whose folded text holds every word of the query («СОШ 2 Дмитриев»), at most
    `limit` of them, and whether there were more. Current organisations only: a reorganised one
    has a successor to pick instead."""
    words = tokens(query)
    if not words:
        return [], False
    plain = [w for w in words if w not in ABBREVIATIONS and not _SHORT_NUMBER.match(w)]
    queryset = search(Organisation.objects.filter(successor__isnull=True), " ".join(plain))
    if within is not None:
        queryset = queryset.filter(within)
    for word in words:
        queryset = queryset.filter(_token_condition(word))
    numbers = [w for w in words if _SHORT_NUMBER.match(w)]
    candidates = list(
        queryset.select_related("municipality", "region").order_by("short_name", "full_name")[
            :CANDIDATE_LIMIT
        ]
    )
    # «№ 4» must not list «№ 40» … «№ 49»; those are dropped, not merely ranked lower.
    found = [
        o for o in candidates if all(_number_matches_exactly(n, o.search_text) for n in numbers)
    ]
    matches = [OrganisationMatch(o, organisation_label(o)) for o in found[:limit]]
    return matches, len(found) > limit or len(candidates) == CANDIDATE_LIMIT


def matches_message(count: int, more: bool) -> str:
    """For the picker's live region. Worded so that one form fits every number."""
    if more:
        return ngettext(
            "Показано первое %(count)d совпадение — уточните запрос.",
            "Показаны первые %(count)d совпадений — уточните запрос.",
            count,
        ) % {"count": count}
    if count == 0:
        return _("Ничего не найдено. Уточните запрос или сообщите, что организации нет в реестре.")
    return _("Найдено организаций: %(count)d.") % {"count": count}


def pending_organisation_requests(user: User) -> QuerySet[OrganisationRequest]:
    return user.organisation_requests.select_related("region", "resolved_organisation").order_by(
        "-created_at"
    )


def current_consents(user: User) -> dict[str, Consent]:
    """The consents the person has given and not withdrawn, by kind, with the text's version.
    One query."""
    consents = Consent.objects.filter(user=user, withdrawn_at__isnull=True).select_related("text")
    return {c.text.kind: c for c in consents}
