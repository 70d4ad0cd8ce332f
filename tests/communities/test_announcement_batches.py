"""Announcements to long lists sent in batches (issue 17, «Scale»): a structure's announcement and an
event's queued invitations are written by the worker BATCH_SIZE people at a time, each batch
committed on its own with the progress marker of the announcement's row. Everyone is told exactly
once however the sending is cut: a failure in the third batch keeps the first two and the sweep
finishes the rest; two runs one after the other, or two workers at the same moment (PostgreSQL,
where the row lock is real), go on from each other's marker. The page that posts to a community of
10,000 teachers stores and queues only, in a fixed number of queries.

Mail goes through the outbox as in production.
"""

from __future__ import annotations

import datetime as dt
import os
import threading
import time
from collections import Counter

import pytest
import time_machine
from django.db import connection
from django.urls import reverse

from communities import services as community_services
from communities import tasks
from communities.models import Announcement, Event, EventAnnouncement
from communities.services import announcements as services
from communities.services import event_invitations
from networks.models import Membership, Role, User
from outbox import tasks as outbox_tasks
from outbox.models import OutboundMail
from reporting.models import Notice
from tests.factories import MembershipFactory, StructureFactory, UserFactory, kind

pytestmark = pytest.mark.django_db

MEMBERS = 30  # and the coordinator: 31 people, five batches of 7 (the last one of 3)
BATCH = 7


@pytest.fixture(autouse=True)
def outbox_on(settings, monkeypatch):
    """Production's mail path: every mail is an OutboundMail row written with its batch. The
    outbox's own delivery task is not queued (transactional tests commit, and it is measured by
    the outbox's tests)."""
    settings.EMAIL_BACKEND = "outbox.backends.OutboxBackend"
    settings.OUTBOX_DELIVERY_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.SITE_URL = "https://portal.example.ru"
    monkeypatch.setattr(outbox_tasks.send_outbound, "delay", lambda *args: None)


@pytest.fixture(autouse=True)
def small_batches(monkeypatch):
    """Lists longer than three people are the worker's, written seven people at a time."""
    monkeypatch.setattr(event_invitations, "INLINE_LIMIT", 3)
    monkeypatch.setattr(services, "BATCH_SIZE", BATCH)
    monkeypatch.setattr(event_invitations, "BATCH_SIZE", BATCH)
    queued = {"announcement": [], "event": []}
    monkeypatch.setattr(tasks.send_announcement, "delay", queued["announcement"].append)
    monkeypatch.setattr(tasks.send_event_announcement, "delay", queued["event"].append)
    return queued


class Community:
    """An S8 network community: its coordinator and MEMBERS teachers."""

    def __init__(self, members: int = MEMBERS):
        self.structure = StructureFactory(kind=kind("S8"), name="Сетевое сообщество учителей")
        self.coordinator = self.member(Role.COORDINATOR)
        self.members = [self.member(Role.MEMBER) for _ in range(members)]

    def member(self, role):
        user = UserFactory(organisation=self.structure.host)
        MembershipFactory(structure=self.structure, role=role, user=user)
        return user

    @property
    def everyone(self) -> list[User]:
        return sorted([self.coordinator, *self.members], key=lambda user: user.pk)


@pytest.fixture
def community():
    return Community()


def posted(community: Community) -> Announcement:
    """The coordinator posts; the page only stores and queues (the list is longer than three)."""
    announcement = services.announcement_post(
        structure=community.structure,
        by=community.coordinator,
        title="Семинар по ЕГЭ переносится",
        text="Коллеги, семинар пройдёт в четверг.",
    )
    assert announcement.sent_at is None and announcement.recipient_count == 0
    return announcement


def told() -> Counter:
    """How many notices and mails each address got: {email: (notices, mails)}."""
    notices = Counter(Notice.objects.values_list("user__email", flat=True))
    mails = Counter(address for mail in OutboundMail.objects.all() for address in mail.to)
    return Counter({email: (notices[email], mails[email]) for email in notices | mails})


def exactly_once(people) -> Counter:
    return Counter({person.email: (1, 1) for person in people})


def failing_in_batch(monkeypatch, module, name: str, number: int) -> list[list[int]]:
    """Makes `module.name` (the writer of one batch) fail on its `number`th call; the ids of the
    batches it wrote."""
    real = getattr(module, name)
    batches = []

    def writer(*args, **kwargs):
        if len(batches) + 1 == number:
            batches.append(None)
            raise RuntimeError("the mail server's templates are broken")
        ids = args[-1] if name == "_send_mails" else [person.pk for person in args[1]]
        batches.append(list(ids))
        return real(*args, **kwargs)

    monkeypatch.setattr(module, name, writer)
    return batches


# --- A structure's announcement ---------------------------------------------------------------------


def test_every_member_of_a_long_list_gets_one_notice_and_one_mail_in_batches(
    community, small_batches, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        announcement = posted(community)
    assert small_batches["announcement"] == [announcement.pk]
    assert not Notice.objects.exists() and not OutboundMail.objects.exists()

    assert tasks.send_announcement(announcement.pk) == MEMBERS + 1
    assert tasks.send_announcement(announcement.pk) == 0  # a retry, a second worker

    announcement.refresh_from_db()
    assert announcement.sent_at is not None
    assert announcement.recipient_count == MEMBERS + 1 == len(community.everyone)
    assert announcement.sent_through_user_id == community.everyone[-1].pk
    assert told() == exactly_once(community.everyone)


@pytest.mark.django_db(transaction=True)
def test_a_failure_in_the_third_batch_keeps_the_first_two_committed_and_the_sweep_finishes_once(
    community, monkeypatch
):
    announcement = posted(community)
    real = services._tell
    written = failing_in_batch(monkeypatch, services, "_tell", 3)

    with pytest.raises(RuntimeError):
        tasks.send_announcement(announcement.pk)

    # Two batches committed (no test transaction around them here), the third rolled back.
    first_two = community.everyone[: 2 * BATCH]
    assert written[:2] == [[p.pk for p in first_two[:BATCH]], [p.pk for p in first_two[BATCH:]]]
    announcement.refresh_from_db()
    assert announcement.sent_at is None
    assert announcement.sent_through_user_id == first_two[-1].pk
    assert announcement.recipient_count == 2 * BATCH
    assert told() == exactly_once(first_two)

    # The sweep finds the half-sent announcement and goes on from the marker.
    monkeypatch.setattr(services, "_tell", real)  # the templates mended
    assert services.announcements_due() == []  # too fresh: its task may still be running
    with time_machine.travel(dt.timedelta(minutes=3)):
        assert services.announcements_due() == [announcement.pk]
        assert tasks.announcements_sweep() == MEMBERS + 1 - 2 * BATCH
        assert tasks.announcements_sweep() == 0
    announcement.refresh_from_db()
    assert announcement.sent_at is not None and announcement.recipient_count == MEMBERS + 1
    assert told() == exactly_once(community.everyone)


def test_two_sends_one_batch_at_a_time_go_on_from_each_others_marker(community):
    announcement = posted(community)

    assert services.announcement_send(announcement_id=announcement.pk, batches=1) == BATCH
    assert services.announcement_send(announcement_id=announcement.pk, batches=1) == BATCH
    announcement.refresh_from_db()
    assert announcement.sent_through_user_id == community.everyone[2 * BATCH - 1].pk
    assert told() == exactly_once(community.everyone[: 2 * BATCH])

    assert tasks.send_announcement(announcement.pk) == MEMBERS + 1 - 2 * BATCH
    assert services.announcement_send(announcement_id=announcement.pk, batches=1) == 0
    assert told() == exactly_once(community.everyone)


def test_a_member_who_joins_while_it_is_sent_is_told_once_and_one_who_left_is_not(community):
    announcement = posted(community)
    services.announcement_send(announcement_id=announcement.pk, batches=1)
    newcomer = community.member(Role.MEMBER)  # a higher pk than anyone told yet
    leaver = community.everyone[-1]
    Membership.objects.filter(user=leaver).update(until=dt.date(2026, 1, 1))

    tasks.send_announcement(announcement.pk)

    audience = [p for p in community.everyone if p != leaver] + [newcomer]
    assert told() == exactly_once(audience)
    announcement.refresh_from_db()
    assert announcement.recipient_count == len(audience)


def test_a_short_list_is_still_sent_by_the_page_at_once(community, small_batches, monkeypatch):
    monkeypatch.setattr(event_invitations, "INLINE_LIMIT", 150)

    announcement = services.announcement_post(
        structure=community.structure,
        by=community.coordinator,
        title="Семинар",
        text="Коллеги, семинар в четверг.",
    )

    assert small_batches["announcement"] == []
    assert announcement.sent_at is not None
    assert announcement.recipient_count == MEMBERS + 1
    assert told() == exactly_once(community.everyone)


# --- Two workers at the same moment (PostgreSQL) ----------------------------------------------------


def needs_postgresql() -> None:
    if connection.vendor == "postgresql":
        return
    if os.environ.get("CI"):
        pytest.fail("CI must run this test on PostgreSQL (DATABASE_URL)")
    pytest.skip("the row lock is real on PostgreSQL only (DATABASE_URL)")


def waiting_for_a_lock(pid: int, *, within: float = 20.0) -> bool:
    """Whether the backend `pid` is seen waiting for a lock before `within` seconds pass."""
    deadline = time.monotonic() + within
    with connection.cursor() as cursor:
        while time.monotonic() < deadline:
            cursor.execute("SELECT wait_event_type FROM pg_stat_activity WHERE pid = %s", [pid])
            row = cursor.fetchone()
            if row and row[0] == "Lock":
                return True
            time.sleep(0.01)
    return False


def in_thread(function, results: dict, name: str, ready: threading.Event | None = None):
    def run():
        try:
            if ready is not None:
                with connection.cursor() as cursor:
                    cursor.execute("SELECT pg_backend_pid()")
                    results[f"{name}_pid"] = cursor.fetchone()[0]
                ready.set()
            results[name] = function()
        except Exception as error:  # reported by the test; a thread cannot fail it by itself
            results[f"{name}_error"] = error
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    return thread


@pytest.mark.django_db(transaction=True)
def test_a_second_worker_waits_for_the_batch_being_written_and_goes_on_after_it(
    community, monkeypatch
):
    needs_postgresql()
    announcement = posted(community)
    real = services._tell
    results: dict = {}
    batches: list[list[int]] = []
    second: list[threading.Thread] = []

    def tell(announcement, people):
        batches.append([person.pk for person in people])
        if len(second) == 0:
            # The first worker holds the row's lock: start the second one and let it reach the lock.
            ready = threading.Event()
            second.append(
                in_thread(
                    lambda: services.announcement_send(announcement_id=announcement.pk, batches=1),
                    results,
                    "second",
                    ready,
                )
            )
            assert ready.wait(20)
            assert waiting_for_a_lock(results["second_pid"])
        return real(announcement, people)

    monkeypatch.setattr(services, "_tell", tell)

    assert services.announcement_send(announcement_id=announcement.pk, batches=1) == BATCH
    second[0].join(30)

    assert "second_error" not in results
    assert results["second"] == BATCH
    everyone = [person.pk for person in community.everyone]
    assert batches == [everyone[:BATCH], everyone[BATCH : 2 * BATCH]]
    assert told() == exactly_once(community.everyone[: 2 * BATCH])


@pytest.mark.django_db(transaction=True)
def test_four_workers_started_together_tell_everyone_exactly_once(community):
    needs_postgresql()
    announcement = posted(community)
    start = threading.Barrier(4)
    results: dict = {}

    def work():
        start.wait(20)
        return tasks.send_announcement(announcement.pk)

    threads = [in_thread(work, results, f"worker{n}") for n in range(4)]
    for thread in threads:
        thread.join(60)

    assert not [key for key in results if key.endswith("_error")], results
    assert sum(results[f"worker{n}"] for n in range(4)) == MEMBERS + 1
    announcement.refresh_from_db()
    assert announcement.sent_at is not None and announcement.recipient_count == MEMBERS + 1
    assert told() == exactly_once(community.everyone)


# --- The page, for a community of 10,000 ------------------------------------------------------------


def test_posting_to_a_community_of_ten_thousand_only_stores_and_queues_in_a_few_queries(
    client,
    monkeypatch,
    small_batches,
    django_assert_max_num_queries,
    django_capture_on_commit_callbacks,
):
    monkeypatch.setattr(event_invitations, "INLINE_LIMIT", 150)
    monkeypatch.setattr(services, "BATCH_SIZE", 500)
    community = Community(members=0)
    teachers = User.objects.bulk_create(
        [
            User(
                email=f"teacher{n}@network.example",
                first_name="Анна",
                last_name=f"Учителева-{n}",
                organisation=community.structure.host,
            )
            for n in range(10_000)
        ],
        batch_size=1000,
    )
    if teachers[0].pk is None:  # a backend that returns no keys from bulk_create
        teachers = list(User.objects.filter(email__endswith="@network.example"))
    Membership.objects.bulk_create(
        [
            Membership(
                structure=community.structure,
                user=teacher,
                role=Role.MEMBER,
                since=dt.date(2025, 9, 1),
            )
            for teacher in teachers
        ],
        batch_size=1000,
    )
    if connection.vendor == "postgresql":
        # What autovacuum does after a bulk load: without fresh statistics (the suite's earlier
        # tests left these tables «small») the planner joined 10,000 × 10,000 rows in a nested
        # loop, and the audience's count took 30–40 s instead of milliseconds.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE networks_user, networks_membership, networks_structure")
    client.force_login(community.coordinator)
    address = reverse("communities:announcement_create", args=[community.structure.pk])
    data = {"title": "Семинар по ЕГЭ", "text": "Коллеги, семинар пройдёт в четверг."}

    # The page's speed is the bench's (devdata/bench/bench_announcement.py: ≈ 26 ms); here, what
    # makes it fast whatever the audience: a fixed number of queries, nothing sent in the request.
    with django_capture_on_commit_callbacks(execute=True), django_assert_max_num_queries(15):
        response = client.post(address, data)

    assert response.status_code == 302
    announcement = Announcement.objects.get()
    assert small_batches["announcement"] == [announcement.pk]
    assert not Notice.objects.exists() and not OutboundMail.objects.exists()

    # The worker: 21 batches of up to 500 by user pk, the count equal to the audience. Writing
    # 10,001 mails takes the worker about ten seconds, so the batches are recorded here instead.
    batches = []
    monkeypatch.setattr(services, "_tell", lambda a, people: batches.append(len(people)))
    assert tasks.send_announcement(announcement.pk) == 10_001
    announcement.refresh_from_db()
    audience = services.announcement_audience(community.structure).count()
    assert announcement.recipient_count == audience == 10_001
    assert announcement.sent_at is not None
    assert batches == [500] * 20 + [1]


# --- An event's invitations to a long list ----------------------------------------------------------


STARTS = dt.datetime(2026, 12, 10, 15, 0, tzinfo=dt.UTC)


@pytest.fixture
def frozen():
    with time_machine.travel(dt.datetime(2026, 12, 1, 10, 0, tzinfo=dt.UTC), tick=False) as clock:
        yield clock


def planned(community: Community) -> tuple[Event, EventAnnouncement]:
    """The coordinator plans a meeting for everyone: the page writes the notices and queues the
    mails."""
    event = community_services.event_create(
        structure=community.structure,
        by=community.coordinator,
        title="Вебинар сообщества",
        form="meeting",
        format="remote",
        place="",
        link="https://vk.com/call/join/abc",
        starts_at=STARTS,
    )
    (announcement,) = EventAnnouncement.objects.filter(event=event)
    assert announcement.status == EventAnnouncement.Status.QUEUED
    assert Notice.objects.count() == MEMBERS + 1 and not OutboundMail.objects.exists()
    return event, announcement


def invited() -> Counter:
    return Counter(address for mail in OutboundMail.objects.all() for address in mail.to)


def test_an_event_invitation_to_a_long_list_is_mailed_to_each_once_in_batches(
    community, frozen, small_batches, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _event, announcement = planned(community)
    assert small_batches["event"] == [announcement.pk]

    assert tasks.send_event_announcement(announcement.pk) == MEMBERS + 1
    assert tasks.send_event_announcement(announcement.pk) == 0

    announcement.refresh_from_db()
    assert announcement.status == EventAnnouncement.Status.SENT
    assert announcement.sent_through == len(announcement.user_ids) == MEMBERS + 1
    assert announcement.sent_count == MEMBERS + 1
    assert invited() == Counter({person.email: 1 for person in community.everyone})


@pytest.mark.django_db(transaction=True)
def test_an_event_invitation_failing_in_the_third_batch_is_finished_by_the_sweep_once(
    community, frozen, monkeypatch
):
    _event, announcement = planned(community)
    real = event_invitations._send_mails
    written = failing_in_batch(monkeypatch, event_invitations, "_send_mails", 3)

    with pytest.raises(RuntimeError):
        tasks.send_event_announcement(announcement.pk)

    ids = announcement.user_ids
    assert written[:2] == [ids[:BATCH], ids[BATCH : 2 * BATCH]]
    announcement.refresh_from_db()
    assert announcement.status == EventAnnouncement.Status.SENDING
    assert announcement.sent_through == announcement.sent_count == 2 * BATCH
    first_two = [person for person in community.everyone if person.pk in ids[: 2 * BATCH]]
    assert invited() == Counter({person.email: 1 for person in first_two})

    monkeypatch.setattr(event_invitations, "_send_mails", real)
    assert event_invitations.event_announcements_due() == []
    frozen.shift(dt.timedelta(minutes=3))
    assert event_invitations.event_announcements_due() == [announcement.pk]
    assert tasks.event_announcements_sweep() == MEMBERS + 1 - 2 * BATCH
    assert tasks.event_announcements_sweep() == 0
    announcement.refresh_from_db()
    assert announcement.status == EventAnnouncement.Status.SENT
    assert invited() == Counter({person.email: 1 for person in community.everyone})


def test_event_sends_one_batch_at_a_time_go_on_from_each_others_marker(community, frozen):
    _event, announcement = planned(community)

    send = event_invitations.event_announcement_send
    assert send(announcement_id=announcement.pk, batches=1) == BATCH
    assert send(announcement_id=announcement.pk, batches=1) == BATCH
    announcement.refresh_from_db()
    assert announcement.sent_through == 2 * BATCH
    assert announcement.status == EventAnnouncement.Status.SENDING
    assert sum(invited().values()) == len(set(invited())) == 2 * BATCH

    assert send(announcement_id=announcement.pk) == MEMBERS + 1 - 2 * BATCH
    assert send(announcement_id=announcement.pk, batches=1) == 0
    assert invited() == Counter({person.email: 1 for person in community.everyone})


def test_an_invitation_half_sent_when_the_event_is_cancelled_stops_and_the_rest_get_no_invitation(
    community, frozen
):
    event, announcement = planned(community)
    event_invitations.event_announcement_send(announcement_id=announcement.pk, batches=1)

    community_services.event_cancel(event=event, by=community.coordinator)
    event_invitations.event_announcement_send(announcement_id=announcement.pk)

    announcement.refresh_from_db()
    assert announcement.status == EventAnnouncement.Status.SKIPPED
    assert announcement.sent_through == announcement.sent_count == BATCH
    invitations = OutboundMail.objects.filter(subject__contains="Приглашение: ")
    assert invitations.count() == BATCH
    assert Event.objects.get(pk=event.pk).status == Event.Status.CANCELLED


@pytest.mark.django_db(transaction=True)
def test_four_workers_on_one_event_invitation_mail_everyone_exactly_once(community, frozen):
    needs_postgresql()
    _event, announcement = planned(community)
    start = threading.Barrier(4)
    results: dict = {}

    def work():
        start.wait(20)
        return tasks.send_event_announcement(announcement.pk)

    threads = [in_thread(work, results, f"worker{n}") for n in range(4)]
    for thread in threads:
        thread.join(60)

    assert not [key for key in results if key.endswith("_error")], results
    assert sum(results[f"worker{n}"] for n in range(4)) == MEMBERS + 1
    announcement.refresh_from_db()
    assert announcement.status == EventAnnouncement.Status.SENT
    assert invited() == Counter({person.email: 1 for person in community.everyone})
