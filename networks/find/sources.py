"""networks' sources for the search box: structures (every signed-in person browses the list of
structures, so every structure) and people who consented to show their name, among the members of
the structures whose inner life the person sees."""

from __future__ import annotations

from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils.translation import gettext as _

from ..models import Membership, Structure, User
from . import LIMIT, Hit, Section, indexes, register_source, section
from .scope import in_scope
from .text import matched


def structures(user: User, query: str) -> Section:
    rows = matched(
        Structure.objects.select_related("kind", "region"),
        indexes.STRUCTURE,
        query,
        LIMIT + 1,
    )

    def hit(structure: Structure) -> Hit:
        context = f"{structure.kind.name} · {structure.region.name}"
        if structure.is_closed:
            context += " · " + _("прекратила работу")
        return Hit(
            structure.name,
            reverse("networks:structure_detail", args=[structure.pk]),
            context,
        )

    return section(10, _("Сетевые структуры"), rows, hit)


def people(user: User, query: str) -> Section:
    members = in_scope(Membership.objects.current(), user)
    rows = matched(
        User.objects.filter(
            is_active=True,
            anonymised_at__isnull=True,
            show_name_consent_at__isnull=False,
        )
        # EXISTS, not IN: the few people the name index finds are checked one by one, instead of
        # hashing every membership of a region's structures first (140 ms for a coordinator).
        .filter(Exists(members.filter(user_id=OuterRef("pk"))))
        .select_related("organisation"),
        indexes.PERSON,
        query,
        LIMIT + 1,
    )

    def hit(person: User) -> Hit:
        organisation = str(person.organisation) if person.organisation else ""
        return Hit(person.full_name, "", organisation)

    return section(50, _("Люди"), rows, hit)


def register() -> None:
    register_source(structures)
    register_source(people)
