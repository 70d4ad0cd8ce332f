"""communities' sources for the search box (issue 20): materials — the shared database of teaching
materials across all structures (004 §2.2.5) —, events and discussions of the structures whose inner
life the person sees (networks.find.scope). Materials: the published ones, and the person's own
waiting for admission, as on a structure's materials page."""

from __future__ import annotations

from django.db.models import Q
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from networks.find import LIMIT, Hit, Section, indexes, register_source, section
from networks.find.scope import in_scope
from networks.find.text import matched
from networks.models import User

from .models import Discussion, Event, Material


def materials(user: User, query: str) -> Section:
    rows = matched(
        in_scope(Material.objects.select_related("structure"), user).filter(
            Q(status=Material.Status.PUBLISHED) | Q(author=user, status=Material.Status.PENDING)
        ),
        indexes.MATERIAL,
        query,
        LIMIT + 1,
    )

    def hit(material: Material) -> Hit:
        context = material.structure.name
        if material.subject:
            context = f"{material.subject} · {context}"
        if material.status == Material.Status.PENDING:
            context += " · " + _("ждёт проверки")
        return Hit(
            material.title,
            reverse("communities:material_detail", args=[material.structure_id, material.pk]),
            context,
        )

    return section(20, _("Материалы"), rows, hit)


def events(user: User, query: str) -> Section:
    rows = matched(
        in_scope(Event.objects.select_related("structure"), user), indexes.EVENT, query, LIMIT + 1
    )

    def hit(event: Event) -> Hit:
        when = formats.date_format(timezone.localtime(event.starts_at), "DATE_FORMAT")
        context = f"{when} · {event.get_status_display()} · {event.structure.name}"
        return Hit(
            event.title,
            reverse("communities:event_detail", args=[event.structure_id, event.pk]),
            context,
        )

    return section(30, _("Мероприятия"), rows, hit)


def discussions(user: User, query: str) -> Section:
    rows = matched(
        in_scope(Discussion.objects.select_related("structure"), user),
        indexes.DISCUSSION,
        query,
        LIMIT + 1,
    )

    def hit(discussion: Discussion) -> Hit:
        return Hit(
            discussion.title,
            reverse("communities:discussion_detail", args=[discussion.structure_id, discussion.pk]),
            discussion.structure.name,
        )

    return section(40, _("Обсуждения"), rows, hit)


def register() -> None:
    register_source(materials)
    register_source(events)
    register_source(discussions)
