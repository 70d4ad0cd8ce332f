"""R-TUL-A2-4.2.2 (001, прил. 2 п. 4.2.2): the administrator of an S3 subject group «Вжурнале»
informs the group's members of coming events. Through the existing pages the administrator plans a
webinar (every member gets an invitation with an `.ics`), moves it (the same UID, a higher
SEQUENCE) and cancels it (METHOD:CANCEL); the group's moderator may not. The clock is frozen on
01.03.2021 (conftest); mail goes through the outbox as in production."""

from __future__ import annotations

import icalendar
import pytest
from django.urls import reverse

from communities.models import Event
from networks.models import Role
from outbox.models import OutboundMail
from tests.factories import MembershipFactory, StructureFactory, UserFactory, kind

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def outbox_on(settings):
    settings.EMAIL_BACKEND = "outbox.backends.OutboxBackend"
    settings.OUTBOX_DELIVERY_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.SITE_URL = "https://portal.example.ru"


@pytest.fixture
def group():
    structure = StructureFactory(
        kind=kind("S3"), name="Вжурнале / дисциплины физико-математического цикла"
    )

    def member(role, name):
        user = UserFactory(organisation=structure.host, last_name=name)
        MembershipFactory(structure=structure, role=role, user=user)
        return user

    return {
        "structure": structure,
        "administrator": member(Role.ADMINISTRATOR, "Разаренова"),
        "moderator": member(Role.MODERATOR, "Стародубцева"),
        "members": [member(Role.MEMBER, name) for name in ("Андреева", "Волков")],
    }


def webinar(group, **changes) -> dict:
    data = {
        "event-title": "Вебинар: задачи с параметром в ОГЭ",
        "event-form": "webinar",
        "event-format": "remote",
        "event-starts_at": "2021-03-18T15:00",
        "event-link": "https://vk.com/call/join/abc",
        "event-invitees": [
            str(u.pk) for u in (group["administrator"], group["moderator"], *group["members"])
        ],
    }
    data.update(changes)
    return data


def calendar_entries(**filters) -> list[icalendar.Calendar]:
    entries = []
    for mail in OutboundMail.objects.filter(**filters).order_by("pk"):
        (attachment,) = [a for a in mail.attachments if a["filename"].endswith(".ics")]
        entries.append(icalendar.Calendar.from_ical(attachment["content"]))
    return entries


def test_r_tul_a2_4_2_2_the_group_administrator_plans_moves_and_cancels_an_event_and_members_hear(
    client, group
):
    structure, member = group["structure"], group["members"][0]
    client.force_login(group["administrator"])
    response = client.post(reverse("communities:event_create", args=[structure.pk]), webinar(group))
    event = Event.objects.get(structure=structure)
    assert response.status_code == 302
    assert event.status == Event.Status.SCHEDULED
    (invitation,) = calendar_entries(to=[member.email])
    (entry,) = invitation.walk("VEVENT")
    assert invitation["METHOD"] == "REQUEST" and entry["SEQUENCE"] == 0

    client.post(
        reverse("communities:event_edit", args=[structure.pk, event.pk]),
        webinar(group, **{"event-starts_at": "2021-03-19T16:00"}),
    )
    client.post(reverse("communities:event_cancel", args=[structure.pk, event.pk]))

    _invited, moved, cancelled = calendar_entries(to=[member.email])
    (moved_entry,) = moved.walk("VEVENT")
    (cancelled_entry,) = cancelled.walk("VEVENT")
    assert moved_entry["UID"] == cancelled_entry["UID"] == entry["UID"]
    assert moved["METHOD"] == "REQUEST" and moved_entry["SEQUENCE"] == 1
    assert cancelled["METHOD"] == "CANCEL" and cancelled_entry["SEQUENCE"] == 2
    event.refresh_from_db()
    assert event.status == Event.Status.CANCELLED


def test_the_group_page_offers_the_administrator_to_plan_an_event_and_the_moderator_not(
    client, group
):
    url = reverse("communities:events", args=[group["structure"].pk])
    client.force_login(group["administrator"])
    assert client.get(url).context["can_plan"] is True
    client.force_login(group["moderator"])
    assert client.get(url).context["can_plan"] is False


def test_the_group_moderator_may_not_plan_an_event_and_nothing_is_sent(client, group):
    client.force_login(group["moderator"])
    response = client.post(
        reverse("communities:event_create", args=[group["structure"].pk]), webinar(group)
    )
    assert response.status_code == 403
    assert not Event.objects.exists() and not OutboundMail.objects.exists()


def test_a_parent_group_administrator_does_not_plan_a_sub_group_s_events(client, group):
    """Only the role in the group itself counts, as for announcements."""
    sub = StructureFactory(
        kind=kind("S3"),
        name="Вжурнале / информатика",
        host=group["structure"].host,
        parent=group["structure"],
    )
    client.force_login(group["administrator"])
    response = client.get(reverse("communities:event_create", args=[sub.pk]))
    assert response.status_code == 403


def test_a_remote_event_without_a_link_is_refused_with_what_was_typed(client, group):
    client.force_login(group["administrator"])
    response = client.post(
        reverse("communities:event_create", args=[group["structure"].pk]),
        webinar(group, **{"event-link": ""}),
    )
    assert response.status_code == 200
    assert "Для дистанционного участия нужна ссылка" in response.content.decode()
    assert not Event.objects.exists() and not OutboundMail.objects.exists()
