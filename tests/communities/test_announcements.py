"""Announcements (issue 17): a structure's coordinator, chair, head, administrator or moderator, or
the territory's coordinator, posts an announcement to the structure's members or to one
sub-community; each person of the audience gets a notice and a mail (through the outbox, with
absolute links) once; a long list is the worker's, sent once however often the task runs; the
structure page and the announcements pages list them, in a fixed number of queries.

Mail goes through the outbox as in production.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from communities import tasks
from communities.models import Announcement
from communities.services import announcements as services
from communities.services import event_invitations
from networks.models import Role, TerritoryRole
from outbox.models import OutboundMail
from reporting.models import Notice
from tests.factories import (
    EventFactory,
    MembershipFactory,
    OrganisationFactory,
    StructureFactory,
    TerritoryRoleFactory,
    UserFactory,
    kind,
)

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\n%%EOF\n"


@pytest.fixture(autouse=True)
def outbox_on(settings, tmp_path):
    """Production's mail path: every mail is an OutboundMail row written with the announcement."""
    settings.EMAIL_BACKEND = "outbox.backends.OutboxBackend"
    settings.OUTBOX_DELIVERY_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.SITE_URL = "https://portal.example.ru"
    settings.MEDIA_ROOT = tmp_path


class Community:
    """An S8 network community with two sub-communities: its coordinator, administrator and
    moderator, three plain members, a member of a sub-community who is also in the community,
    two people only in the sub-communities, the territory's coordinator and methodist, a
    stranger."""

    def __init__(self):
        self.host = OrganisationFactory()
        self.structure = StructureFactory(
            kind=kind("S8"), name="Сетевое сообщество учителей физики", host=self.host
        )
        self.north = StructureFactory(
            kind=kind("S8"), name="Северный куст", host=self.host, parent=self.structure
        )
        self.south = StructureFactory(
            kind=kind("S8"), name="Южный куст", host=self.host, parent=self.structure
        )

        self.coordinator = self.member(self.structure, Role.COORDINATOR, first_name="Вера")
        self.administrator = self.member(self.structure, Role.ADMINISTRATOR)
        self.moderator = self.member(self.structure, Role.MODERATOR)
        self.members = [self.member(self.structure, Role.MEMBER) for _ in range(3)]
        both = self.members[0]
        MembershipFactory(structure=self.north, role=Role.MEMBER, user=both)
        self.north_only = self.member(self.north, Role.MEMBER, first_name="Пётр")
        self.south_only = self.member(self.south, Role.MEMBER)
        self.former = self.member(self.structure, Role.MEMBER)
        self.former.memberships.update(until="2026-01-01")
        region = self.structure.region
        self.territory_coordinator = TerritoryRoleFactory(
            role=TerritoryRole.Role.COORDINATOR, region=region
        ).user
        self.methodist = TerritoryRoleFactory(role=TerritoryRole.Role.METHODIST, region=region).user
        self.stranger = UserFactory()

    def member(self, structure, role, **kwargs):
        user = UserFactory(organisation=self.host, **kwargs)
        MembershipFactory(structure=structure, role=role, user=user)
        return user

    @property
    def everyone(self):
        """The whole structure's audience: its members and its sub-communities' members."""
        return [
            self.coordinator,
            self.administrator,
            self.moderator,
            *self.members,
            self.north_only,
            self.south_only,
        ]


@pytest.fixture
def community():
    return Community()


def create_url(structure):
    return reverse("communities:announcement_create", args=[structure.pk])


def post(client, community, by=None, **data):
    client.force_login(by or community.coordinator)
    data.setdefault("title", "Семинар по ЕГЭ переносится")
    data.setdefault("text", "Коллеги, семинар пройдёт в четверг.\nПодробности в файле.")
    return client.post(create_url(community.structure), data)


def mails(**filters):
    return list(OutboundMail.objects.filter(**filters).order_by("pk"))


def html(mail):
    (alternative,) = mail.alternatives
    assert alternative["mimetype"] == "text/html"
    return alternative["content"]


# --- Who may post -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "role", ["coordinator", "chair", "head", "administrator", "moderator", "territory_coordinator"]
)
def test_each_leading_role_and_the_territory_coordinator_may_post(client, cast, role):
    structure = cast.structure_of(role)
    client.force_login(cast.people[role])
    response = client.post(create_url(structure), {"title": "Объявление", "text": "Текст"})
    assert response.status_code == 302
    announcement = Announcement.objects.get(structure=structure)
    assert response["Location"] == reverse(
        "communities:announcement_detail", args=[structure.pk, announcement.pk]
    )
    assert announcement.author == cast.people[role]


def test_a_plain_member_gets_403_a_stranger_404_and_an_anonymous_visitor_the_sign_in(
    client, community
):
    for person, status in ((community.members[1], 403), (community.stranger, 404)):
        client.force_login(person)
        assert client.get(create_url(community.structure)).status_code == status
        assert post(client, community, by=person).status_code == status
    client.logout()
    response = client.post(create_url(community.structure), {"title": "x", "text": "y"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert not Announcement.objects.exists()


def test_the_service_refuses_a_plain_member_and_a_closed_structure(community):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="Объявления публикуют"):
        services.announcement_post(
            structure=community.structure, by=community.members[1], title="Т", text="Т"
        )
    community.structure.closed_on = dt.date(2026, 1, 1)
    community.structure.closing_reason = "term_ended"
    community.structure.save()
    with pytest.raises(ValidationError):
        services.announcement_post(
            structure=community.structure, by=community.coordinator, title="Т", text="Т"
        )
    assert not Announcement.objects.exists()


# --- Who is told -----------------------------------------------------------------------------------


def test_the_whole_structure_and_its_sub_communities_are_told_each_person_once(
    client, community, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = post(client, community)
    assert response.status_code == 302
    announcement = Announcement.objects.get()
    assert announcement.sent_at is not None
    assert announcement.recipient_count == len(community.everyone) == 8

    sent = mails()
    assert sorted(m.to[0] for m in sent) == sorted(u.email for u in community.everyone)
    notices = Notice.objects.all()
    assert sorted(n.user_id for n in notices) == sorted(u.pk for u in community.everyone)
    # Not the former member, the territory's people or the stranger.
    told = {m.to[0] for m in sent}
    for person in (community.former, community.territory_coordinator, community.stranger):
        assert person.email not in told

    page = (
        f"https://portal.example.ru/structures/{community.structure.pk}"
        f"/announcements/{announcement.pk}/"
    )
    mail = next(m for m in sent if m.to[0] == community.north_only.email)
    assert mail.subject.endswith("Объявление: Семинар по ЕГЭ переносится")
    assert "Здравствуйте, Пётр!" in mail.body
    assert "Коллеги, семинар пройдёт в четверг." in mail.body
    assert page in mail.body and f'href="{page}"' in html(mail)
    assert {n.url for n in notices} == {page.removeprefix("https://portal.example.ru")}

    # The success message counts with the right plural.
    page_after = client.get(response["Location"]).content.decode()
    assert "Объявление опубликовано и отправлено 8 участникам." in page_after


def test_the_same_announcement_posted_twice_is_sent_once(client, community):
    first = post(client, community)
    second = post(client, community)
    assert second.status_code == 302 and second["Location"] == first["Location"]
    assert Announcement.objects.count() == 1
    assert len(mails()) == Notice.objects.count() == len(community.everyone)
    assert "уже опубликовано" in client.get(second["Location"]).content.decode()
    # Another text is another announcement.
    post(client, community, text="Семинар переносится ещё раз.")
    assert Announcement.objects.count() == 2


def test_a_sub_community_audience_is_told_and_nobody_else(client, community):
    response = post(client, community, audience=community.north.pk)
    assert response.status_code == 302
    (announcement,) = Announcement.objects.all()
    assert announcement.audience == community.north
    expected = [community.members[0], community.north_only]
    assert sorted(m.to[0] for m in mails()) == sorted(u.email for u in expected)
    assert sorted(Notice.objects.values_list("user_id", flat=True)) == sorted(
        u.pk for u in expected
    )
    assert "«Северный куст»" in mails()[0].body


def test_a_person_of_the_sub_community_only_reads_what_was_addressed_to_them(client, community):
    client.force_login(community.coordinator)
    to_all = services.announcement_post(
        structure=community.structure, by=community.coordinator, title="Всем", text="Всем."
    )
    to_south = services.announcement_post(
        structure=community.structure,
        by=community.coordinator,
        title="Южному кусту",
        text="Только югу.",
        audience=community.south,
    )
    client.force_login(community.north_only)

    def status(announcement):
        url = reverse(
            "communities:announcement_detail", args=[community.structure.pk, announcement.pk]
        )
        return client.get(url).status_code

    assert status(to_all) == 200
    assert status(to_south) == 404
    # The parent's announcement to everybody shows on the sub-community's own list.
    listing = client.get(
        reverse("communities:announcement_list", args=[community.north.pk])
    ).content.decode()
    assert "Всем" in listing and "Южному кусту" not in listing


def test_an_audience_of_another_structure_is_refused(client, community):
    elsewhere = StructureFactory(kind=kind("S8"))
    with pytest.raises(Exception, match="подсообщество"):
        services.announcement_post(
            structure=community.structure,
            by=community.coordinator,
            title="Т",
            text="Т",
            audience=elsewhere,
        )


def test_an_event_and_a_file_are_linked_from_the_mail_and_the_file_is_served_to_readers_only(
    client, community
):
    event = EventFactory(
        structure=community.structure,
        title="Семинар «Физика без формул»",
        starts_at=timezone.now() + dt.timedelta(days=7),
    )
    client.force_login(community.coordinator)
    form = client.get(create_url(community.structure)).content.decode()
    tz = community.structure.region.timezone
    assert "Семинар «Физика без формул» — " in form and f"({tz})</option>" in form
    response = post(
        client,
        community,
        event=event.pk,
        file=SimpleUploadedFile("Программа семинара.pdf", PDF, content_type="application/pdf"),
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    announcement = Announcement.objects.get()
    assert announcement.event == event
    file_url = reverse(
        "communities:announcement_file", args=[community.structure.pk, announcement.pk]
    )
    mail = mails()[0]
    assert f"https://portal.example.ru{file_url}" in mail.body
    # The stored name is the person's own (spaces become «_»; the model keeps no other name).
    assert "Программа_семинара.pdf" in mail.body
    event_page = f"/structures/{community.structure.pk}/events/{event.pk}/"
    assert f"https://portal.example.ru{event_page}" in mail.body

    client.force_login(community.members[2])
    download = client.get(file_url)
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF
    assert download["Content-Type"] == "application/pdf"
    assert "utf-8''" in download["Content-Disposition"]
    client.force_login(community.stranger)
    assert client.get(file_url).status_code == 404


def test_a_bad_file_is_refused_with_the_reason_and_the_typed_text_is_kept(client, community):
    response = post(
        client,
        community,
        title="Расписание <консультаций>",
        text="Текст, который жалко набирать заново.",
        file=SimpleUploadedFile("расписание.pdf", b"MZ\x90\x00 not a pdf at all"),
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "не принят: по содержимому это не" in page
    assert 'id="id_file_error"' in page and "id_file_error" in page.split('name="file"')[1][:400]
    assert "Расписание &lt;консультаций&gt;" in page
    assert "Текст, который жалко набирать заново." in page
    assert not Announcement.objects.exists() and not mails() and not Notice.objects.exists()


# --- The long list: the worker's, once --------------------------------------------------------------


def test_a_long_list_is_queued_by_the_page_and_sent_once_by_the_worker(
    client, community, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(event_invitations, "INLINE_LIMIT", 3)
    monkeypatch.setattr(services, "BATCH_SIZE", 3)  # three batches for eight people
    queued = []
    monkeypatch.setattr(tasks.send_announcement, "delay", queued.append)

    with django_capture_on_commit_callbacks(execute=True):
        response = post(client, community)

    assert response.status_code == 302
    announcement = Announcement.objects.get()
    assert queued == [announcement.pk]
    assert announcement.sent_at is None and announcement.recipient_count == 0
    assert not mails() and not Notice.objects.exists()  # the page only stored and queued
    assert "рассылаются в фоне" in client.get(response["Location"]).content.decode()

    assert tasks.send_announcement(announcement.pk) == 8
    assert tasks.send_announcement(announcement.pk) == 0  # a retry, a second worker
    assert tasks.announcements_sweep() == 0
    announcement.refresh_from_db()
    assert announcement.sent_at is not None and announcement.recipient_count == 8
    assert sorted(m.to[0] for m in mails()) == sorted(u.email for u in community.everyone)
    assert Notice.objects.count() == 8


def test_the_sweep_sends_an_announcement_whose_task_never_reached_the_broker(
    client, community, monkeypatch
):
    import time_machine

    monkeypatch.setattr(event_invitations, "INLINE_LIMIT", 3)
    monkeypatch.setattr(tasks.send_announcement, "delay", lambda pk: None)  # lost
    post(client, community)
    assert tasks.announcements_sweep() == 0  # too fresh: its task may still come
    with time_machine.travel(dt.timedelta(minutes=3)):
        assert tasks.announcements_sweep() == 8
        assert tasks.announcements_sweep() == 0
    assert len(mails()) == 8


# --- Reading: the panel, the list, the page ---------------------------------------------------------


def test_members_and_the_territory_read_strangers_get_404_anonymous_the_sign_in(client, community):
    announcement = services.announcement_post(
        structure=community.structure, by=community.coordinator, title="Новости", text="Текст"
    )
    urls = [
        reverse("communities:announcement_list", args=[community.structure.pk]),
        reverse("communities:announcement_detail", args=[community.structure.pk, announcement.pk]),
    ]
    for person, status in (
        (community.members[1], 200),
        (community.methodist, 200),
        (community.territory_coordinator, 200),
        (community.stranger, 404),
    ):
        client.force_login(person)
        assert [client.get(url).status_code for url in urls] == [status, status]
    client.logout()
    for url in urls:
        assert client.get(url)["Location"].startswith(reverse("account_login"))


def test_the_structure_page_lists_the_latest_announcements(client, community):
    services.announcement_post(
        structure=community.structure, by=community.coordinator, title="Первое", text="Текст"
    )
    client.force_login(community.members[1])
    page = client.get(reverse("networks:structure_detail", args=[community.structure.pk]))
    content = page.content.decode()
    assert "Объявления" in content and "Первое" in content
    assert "Написать объявление" not in content
    client.force_login(community.moderator)
    content = client.get(
        reverse("networks:structure_detail", args=[community.structure.pk])
    ).content.decode()
    assert "Написать объявление" in content


def _list_queries(client, structure) -> int:
    url = reverse("communities:announcement_list", args=[structure.pk])
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_the_list_runs_as_many_queries_for_three_announcements_as_for_a_full_page(
    client, community
):
    def add(n):
        for i in range(n):
            author = UserFactory(organisation=community.host)
            MembershipFactory(structure=community.structure, role=Role.MODERATOR, user=author)
            Announcement.objects.create(
                structure=community.structure,
                author=author,
                title=f"Объявление {i}",
                text="Текст",
                audience=community.north if i % 2 else None,
                event=EventFactory(structure=community.structure) if i % 3 == 0 else None,
            )

    client.force_login(community.members[1])
    add(3)
    small = _list_queries(client, community.structure)
    add(40)
    large = _list_queries(client, community.structure)
    assert small == large
    assert large <= 10


def test_the_structure_page_panel_runs_as_many_queries_for_one_announcement_as_for_twenty(
    client, community
):
    page = reverse("networks:structure_detail", args=[community.structure.pk])

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(page).status_code == 200
        return len(captured)

    client.force_login(community.members[1])
    Announcement.objects.create(structure=community.structure, title="Одно", text="Текст")
    small = queries()
    for i in range(20):
        Announcement.objects.create(
            structure=community.structure,
            author=community.moderator,
            audience=community.south if i % 2 else None,
            title=f"Объявление {i}",
            text="Текст",
        )
    assert queries() == small
