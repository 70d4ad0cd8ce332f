"""Polls: a moderator asks, each member votes once — the PollVoter claim under its unique
constraint is what holds, on SQLite and on PostgreSQL alike; results in counts and percentages."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from communities import selectors, services
from communities.models import Poll, PollVote, PollVoter
from networks.models import Role
from tests.factories import (
    DiscussionFactory,
    MembershipFactory,
    PollFactory,
    PollOptionFactory,
    StructureFactory,
    UserFactory,
    kind,
)

from .conftest import build_community, messages_of, url

pytestmark = pytest.mark.django_db

ALREADY = "Вы уже голосовали в этом опросе"


@pytest.fixture
def community(db):
    """Built for each test here, not once for the module as elsewhere in this folder: the module
    holds a transactional test, whose rows other connections must see, so no module transaction
    may be open when it runs."""
    return build_community()


def make_poll(community, *, multiple=False, **kwargs) -> Poll:
    return services.poll_create(
        structure=community.structure,
        question="Когда удобнее проводить вебинары?",
        options=["Вторник, 15:00", "Четверг, 15:00", "Пятница, 14:00"],
        multiple=multiple,
        by=community.moderator,
        **kwargs,
    )


def option_ids(poll, *positions) -> list[int]:
    options = {o.position: o.pk for o in poll.options.all()}
    return [options[p] for p in positions]


def test_a_moderator_creates_a_poll_inside_a_discussion(client, community):
    discussion = DiscussionFactory(structure=community.structure, title="Расписание вебинаров")
    client.force_login(community.moderator)
    form = client.get(url("poll_create", community.structure) + f"?discussion={discussion.pk}")
    assert form.status_code == 200
    response = client.post(
        url("poll_create", community.structure),
        {
            "question": "Когда удобнее?",
            "options": "Вторник\n\nЧетверг\n",
            "discussion": discussion.pk,
        },
    )
    poll = Poll.objects.get()
    assert response["Location"] == url("poll_detail", community.structure, poll)
    assert poll.discussion == discussion and not poll.multiple
    assert [o.text for o in poll.options.all()] == ["Вторник", "Четверг"]
    page = client.get(url("discussion_detail", community.structure, discussion)).text
    assert "Когда удобнее?" in page


def test_a_poll_needs_two_different_options_and_keeps_what_was_typed(client, community):
    client.force_login(community.moderator)
    response = client.post(
        url("poll_create", community.structure),
        {"question": "Нужен ли семинар?", "options": "Да\nДа"},
    )
    assert response.status_code == 200
    assert "Нужно не меньше двух разных вариантов ответа" in response.text
    assert 'value="Нужен ли семинар?"' in response.text
    assert not Poll.objects.exists()


def test_a_closing_time_in_the_past_is_refused(community):
    with pytest.raises(ValidationError) as error:
        make_poll(community, closes_at=timezone.now() - dt.timedelta(hours=1))
    assert "в будущем" in str(error.value)


def test_a_member_does_not_create_polls(client, community):
    client.force_login(community.member)
    response = client.post(
        url("poll_create", community.structure), {"question": "?", "options": "а\nб"}
    )
    assert response.status_code == 403 and not Poll.objects.exists()


# --- One vote per person -----------------------------------------------------------------------


def test_the_service_called_twice_counts_one_vote(community):
    poll = make_poll(community)
    services.poll_vote(poll=poll, option_ids=option_ids(poll, 1), by=community.member)
    with pytest.raises(ValidationError) as error:
        services.poll_vote(poll=poll, option_ids=option_ids(poll, 2), by=community.member)
    assert ALREADY in error.value.messages[0]
    assert PollVoter.objects.filter(poll=poll).count() == 1
    assert list(PollVote.objects.values_list("option__position", flat=True)) == [1]


def test_two_quick_submits_count_once_and_the_second_says_so(client, community):
    poll = make_poll(community)
    client.force_login(community.member)
    vote = url("poll_vote", community.structure, poll)
    first = client.post(vote, {"options": option_ids(poll, 1)[0]})
    second = client.post(vote, {"options": option_ids(poll, 2)[0]})
    assert "Ваш голос учтён." in messages_of(first)
    assert any(ALREADY in m for m in messages_of(second))
    results = selectors.poll_results(poll)
    assert results.voters == 1
    assert [o.votes for o in results.options] == [1, 0, 0]


def test_the_database_refuses_a_second_claim_whatever_the_code_above_it(community):
    """The constraint itself, without the service: what holds when two workers race."""
    poll = make_poll(community)
    PollVoter.objects.create(poll=poll, user=community.member)
    with pytest.raises(IntegrityError), transaction.atomic():
        PollVoter.objects.create(poll=poll, user=community.member)


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent writers: PostgreSQL")
def test_on_postgresql_two_simultaneous_votes_count_once():
    """Two connections vote at the same moment: the second waits on the unique index, then fails
    with «вы уже голосовали»; one PollVoter row, one vote."""
    from django.db import connections

    from networks.kinds import sync_kinds
    from networks.models import StructureKind

    sync_kinds(StructureKind)
    structure = StructureFactory(kind=kind("S8"))
    voter = MembershipFactory(structure=structure, role=Role.MEMBER).user
    poll = PollFactory(structure=structure)
    options = PollOptionFactory.create_batch(2, poll=poll)
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def vote(option):
        try:
            barrier.wait()
            services.poll_vote(poll=poll, option_ids=[option.pk], by=voter)
            outcomes.append("counted")
        except ValidationError as error:
            outcomes.append(error.messages[0])
        finally:
            connections.close_all()

    threads = [threading.Thread(target=vote, args=(o,)) for o in options]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes)[0] == "counted" and ALREADY in sorted(outcomes)[1]
    assert PollVoter.objects.filter(poll=poll).count() == 1
    assert PollVote.objects.filter(voter__poll=poll).count() == 1


def test_one_choice_only_unless_the_poll_allows_several(community):
    single = make_poll(community)
    with pytest.raises(ValidationError) as error:
        services.poll_vote(poll=single, option_ids=option_ids(single, 1, 2), by=community.member)
    assert "только один вариант" in str(error.value)
    assert not PollVoter.objects.exists()  # a refused vote claims nothing

    several = make_poll(community, multiple=True)
    services.poll_vote(poll=several, option_ids=option_ids(several, 1, 3), by=community.member)
    services.poll_vote(poll=several, option_ids=option_ids(several, 1), by=community.colleague)
    results = selectors.poll_results(several)
    assert results.voters == 2
    assert [(o.votes, o.percent) for o in results.options] == [(2, 100), (0, 0), (1, 50)]


def test_an_option_of_another_poll_is_refused(community):
    poll = make_poll(community)
    other = make_poll(community)
    with pytest.raises(ValidationError):
        services.poll_vote(poll=poll, option_ids=option_ids(other, 1), by=community.member)


def test_no_votes_after_the_closing_time_or_in_a_closed_discussion(community):
    late = make_poll(community, closes_at=timezone.now() + dt.timedelta(minutes=5))
    late.closes_at = timezone.now() - dt.timedelta(minutes=1)
    late.save()
    with pytest.raises(ValidationError) as error:
        services.poll_vote(poll=late, option_ids=option_ids(late, 1), by=community.member)
    assert "Голосование в этом опросе закончено." in error.value.messages

    discussion = DiscussionFactory(structure=community.structure)
    inside = make_poll(community, discussion=discussion)
    services.discussion_close(discussion=discussion, by=community.moderator)
    inside.refresh_from_db()
    assert not services.poll_accepts_votes(inside)


# --- Results -----------------------------------------------------------------------------------


def test_results_show_after_voting_and_to_moderators_not_before(client, community):
    poll = make_poll(community)
    services.poll_vote(poll=poll, option_ids=option_ids(poll, 2), by=community.colleague)
    client.force_login(community.member)
    before = client.get(url("poll_detail", community.structure, poll)).text
    assert "Проголосовать" in before and "Результаты" not in before

    client.post(url("poll_vote", community.structure, poll), {"options": option_ids(poll, 2)[0]})
    after = client.get(url("poll_detail", community.structure, poll)).text
    assert "Проголосовать" not in after
    assert "Результаты: 2 проголосовавших" in after and "100%" in after

    client.force_login(community.moderator)
    assert "Результаты" in client.get(url("poll_detail", community.structure, poll)).text


def test_voting_without_a_choice_says_why(client, community):
    poll = make_poll(community)
    client.force_login(community.member)
    response = client.post(url("poll_vote", community.structure, poll), {})
    assert response.status_code == 200 and "Обязательное поле." in response.text
    assert not PollVoter.objects.exists()


def test_a_methodist_sees_the_poll_but_does_not_vote(client, community):
    poll = make_poll(community)
    client.force_login(community.methodist)
    assert client.get(url("poll_detail", community.structure, poll)).status_code == 200
    response = client.post(
        url("poll_vote", community.structure, poll), {"options": option_ids(poll, 1)[0]}
    )
    assert response.status_code == 403


def test_script_in_a_poll_stays_text(client, community):
    poll = services.poll_create(
        structure=community.structure,
        question="<script>alert('q')</script>",
        options=["<script>alert('o')</script>", "Нет"],
        by=community.moderator,
    )
    client.force_login(community.member)
    for address in (
        url("poll_detail", community.structure, poll),
        url("discussion_list", community.structure),
    ):
        page = client.get(address).text
        assert "<script>alert(" not in page and "&lt;script&gt;alert(" in page


def test_the_poll_page_runs_the_same_queries_with_many_voters(client, community):
    poll = make_poll(community)

    def votes(n):
        for _ in range(n):
            services.poll_vote(poll=poll, option_ids=option_ids(poll, 1), by=UserFactory())

    client.force_login(community.moderator)
    address = url("poll_detail", community.structure, poll)
    votes(2)
    with CaptureQueriesContext(connection) as small:
        client.get(address)
    votes(20)
    with CaptureQueriesContext(connection) as large:
        client.get(address)
    assert len(large.captured_queries) == len(small.captured_queries)
