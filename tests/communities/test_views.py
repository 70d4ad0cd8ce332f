"""The joining pages: happy paths, bad input that keeps what was typed, the panel on the structure
page, the home blocks, and the query counts of the lists."""

import datetime as dt

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from communities.models import Invitation, JoinRequest, MembershipBlock
from networks.models import Role
from tests.factories import (
    InvitationFactory,
    JoinRequestFactory,
    MembershipBlockFactory,
    MembershipFactory,
    StructureFactory,
    TerritoryRoleFactory,
    UserFactory,
    kind,
)

pytestmark = pytest.mark.django_db
WORKSHOP = "Мастерская управления «Траектория развития школы»"


@pytest.fixture
def workshop():
    return StructureFactory(kind=kind("S1"), name=WORKSHOP)


@pytest.fixture
def coordinator(workshop):
    return MembershipFactory(
        structure=workshop, role=Role.COORDINATOR, user=UserFactory(last_name="Коваленко")
    ).user


def detail(structure):
    return reverse("networks:structure_detail", args=[structure.pk])


def url(name, structure, *args):
    return reverse(f"communities:{name}", args=[structure.pk, *args])


def messages_of(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


def count_queries(client, path):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(path)
    assert response.status_code == 200
    return len(ctx.captured_queries)


# --- Asking to join -------------------------------------------------------------------------


def test_the_structure_page_offers_the_request_form_to_a_non_member(client, workshop):
    client.force_login(UserFactory())
    html = client.get(detail(workshop)).content.decode()
    assert "Подать заявку на вступление" in html
    assert 'action="' + url("join", workshop) + '"' in html
    assert "Участники и роли" not in html


def test_a_person_asks_to_join_and_sees_the_request(client, workshop):
    director = UserFactory()
    client.force_login(director)
    response = client.post(url("join", workshop), {"join-reason": "Курирую ШНОР."})
    assert response.status_code == 302 and response["Location"] == detail(workshop)
    assert "Заявка подана" in messages_of(response)[0]
    assert JoinRequest.objects.get().user == director
    html = client.get(detail(workshop)).content.decode()
    assert "ожидает решения координатора" in html and 'name="join-reason"' not in html


def test_an_empty_reason_is_refused_in_russian_and_the_page_keeps_the_form(client, workshop):
    client.force_login(UserFactory())
    response = client.post(url("join", workshop), {"join-reason": "   "})
    assert response.status_code == 200
    assert response.context["form"].errors["reason"] == ["Обязательное поле."]
    assert not JoinRequest.objects.exists()


def test_a_too_long_reason_keeps_what_was_typed(client, workshop):
    client.force_login(UserFactory())
    typed = "Очень длинное объяснение. " * 50
    response = client.post(url("join", workshop), {"join-reason": typed})
    assert response.status_code == 200
    assert "reason" in response.context["form"].errors
    assert "Очень длинное объяснение." in response.content.decode()


def test_a_refusal_of_the_service_is_shown_on_the_form(client, workshop):
    person = UserFactory()
    MembershipBlockFactory(structure=workshop, user=person)
    client.force_login(person)
    response = client.post(url("join", workshop), {"join-reason": "Пустите, пожалуйста."})
    assert response.status_code == 200
    assert "закрыл для вас возможность" in response.content.decode()
    assert "Пустите, пожалуйста." in response.content.decode()


def test_a_closed_kind_says_members_come_by_invitation(client):
    council = StructureFactory(kind=kind("S2"))
    client.force_login(UserFactory())
    assert "не вступают по заявке" in client.get(detail(council)).content.decode()
    response = client.post(url("join", council), {"join-reason": "Хочу в совет."})
    assert response.status_code == 200 and not JoinRequest.objects.exists()


def test_my_requests_show_the_status_and_the_reason_of_a_refusal(client, workshop):
    director = UserFactory()
    JoinRequestFactory(
        structure=workshop,
        user=director,
        status=JoinRequest.Status.REJECTED,
        decision_reason="Сообщество для Волгоградской области.",
        decided_at=timezone.now(),
    )
    client.force_login(director)
    html = client.get(reverse("communities:my_requests")).content.decode()
    assert WORKSHOP in html and "Отклонена" in html
    assert "Сообщество для Волгоградской области." in html


def test_a_person_withdraws_a_request_and_nobody_else_can(client, workshop):
    join_request = JoinRequestFactory(structure=workshop)
    withdraw = reverse("communities:withdraw", args=[join_request.pk])
    client.force_login(UserFactory())
    assert client.post(withdraw).status_code == 404
    client.force_login(join_request.user)
    response = client.post(withdraw)
    assert response["Location"] == reverse("communities:my_requests")
    join_request.refresh_from_db()
    assert join_request.status == JoinRequest.Status.WITHDRAWN


def test_changes_are_post_only(client, workshop, coordinator):
    join_request = JoinRequestFactory(structure=workshop)
    client.force_login(coordinator)
    assert client.get(url("approve", workshop, join_request.pk)).status_code == 405
    join_request.refresh_from_db()
    assert join_request.is_pending


# --- The queue -------------------------------------------------------------------------------


def test_the_coordinator_approves_from_the_queue(client, workshop, coordinator):
    join_request = JoinRequestFactory(structure=workshop, user=UserFactory(last_name="Белова"))
    client.force_login(coordinator)
    assert "Заявки (1)" in client.get(detail(workshop)).content.decode()
    assert "Белова" in client.get(url("queue", workshop)).content.decode()
    response = client.post(url("approve", workshop, join_request.pk))
    assert response["Location"] == url("queue", workshop)
    assert "принят(а) в структуру" in messages_of(response)[0]
    assert workshop.memberships.current().filter(user=join_request.user).exists()


def test_approving_twice_says_it_was_decided(client, workshop, coordinator):
    join_request = JoinRequestFactory(structure=workshop)
    client.force_login(coordinator)
    client.post(url("approve", workshop, join_request.pk))
    response = client.post(url("approve", workshop, join_request.pk))
    assert messages_of(response)[-1] == "По этой заявке уже есть решение: одобрена."


def test_a_rejection_needs_a_reason_and_keeps_the_checkbox(client, workshop, coordinator):
    join_request = JoinRequestFactory(structure=workshop)
    client.force_login(coordinator)
    prefix = f"reject-{join_request.pk}"
    response = client.post(
        url("reject", workshop, join_request.pk), {f"{prefix}-reason": "", f"{prefix}-block": "on"}
    )
    assert response.status_code == 200
    [(_, form)] = response.context["rows"]
    assert form.errors["reason"] and form["block"].value() is True
    response = client.post(
        url("reject", workshop, join_request.pk),
        {f"{prefix}-reason": "Только для управленцев.", f"{prefix}-block": "on"},
    )
    assert response.status_code == 302
    join_request.refresh_from_db()
    assert join_request.decision_reason == "Только для управленцев."
    assert MembershipBlock.objects.filter(user=join_request.user).exists()


def test_a_request_of_another_structure_is_404_in_this_queue(client, workshop, coordinator):
    foreign = JoinRequestFactory()
    client.force_login(coordinator)
    assert client.post(url("approve", workshop, foreign.pk)).status_code == 404
    foreign.refresh_from_db()
    assert foreign.is_pending


# --- Members ---------------------------------------------------------------------------------


def test_the_members_page_lists_current_and_past_members_with_roles_and_periods(
    client, workshop, coordinator
):
    MembershipFactory(structure=workshop, user=UserFactory(last_name="Сейчасова"))
    MembershipFactory(
        structure=workshop,
        user=UserFactory(last_name="Бывшева"),
        since=dt.date(2020, 9, 16),
        until=dt.date(2021, 5, 31),
    )
    client.force_login(coordinator)
    html = client.get(url("members", workshop)).content.decode()
    assert "Сейчасова" in html and "Бывшева" in html and "Коваленко" in html
    assert "16.09.2020 – 31.05.2021" in html and "Координатор" in html


def test_the_coordinator_changes_a_role(client, workshop, coordinator):
    membership = MembershipFactory(structure=workshop)
    client.force_login(coordinator)
    response = client.post(url("role_change", workshop, membership.pk), {"role-role": "moderator"})
    assert response["Location"] == url("members", workshop)
    membership.refresh_from_db()
    assert membership.role == Role.MODERATOR


def test_a_role_outside_the_kind_is_refused_by_the_form(client, workshop, coordinator):
    membership = MembershipFactory(structure=workshop)
    client.force_login(coordinator)
    response = client.post(url("role_change", workshop, membership.pk), {"role-role": "tutor"})
    assert response.status_code == 200
    assert "Выберите корректный вариант" in response.context["role_form"].errors["role"][0]


def test_r_tul_a4_4_1_the_head_form_asks_for_the_election_date(client):
    association = StructureFactory(kind=kind("S5"))
    coordinator = MembershipFactory(structure=association, role=Role.COORDINATOR).user
    membership = MembershipFactory(structure=association)
    client.force_login(coordinator)
    page = client.get(url("member", association, membership.pk)).content.decode()
    assert "Дата избрания" in page
    response = client.post(url("role_change", association, membership.pk), {"role-role": "head"})
    assert response.status_code == 200
    assert "укажите дату избрания" in response.context["role_form"].errors["elected_on"][0]
    response = client.post(
        url("role_change", association, membership.pk),
        {"role-role": "head", "role-elected_on": "20.09.2020"},
    )
    assert response.status_code == 302
    membership.refresh_from_db()
    assert membership.elected_on == dt.date(2020, 9, 20)


def test_a_second_chair_gets_a_russian_error_on_the_role_field(client):
    council = StructureFactory(kind=kind("S2"))
    MembershipFactory(structure=council, role=Role.CHAIR)
    manager = TerritoryRoleFactory(role="coordinator", region=council.region).user
    membership = MembershipFactory(structure=council)
    client.force_login(manager)
    response = client.post(url("role_change", council, membership.pk), {"role-role": "chair"})
    assert response.status_code == 200
    assert "уже есть председатель" in response.context["role_form"].errors["role"][0]


def test_the_coordinator_removes_a_member_with_a_date(client, workshop, coordinator):
    membership = MembershipFactory(structure=workshop, since=dt.date(2020, 9, 16))
    client.force_login(coordinator)
    response = client.post(url("remove", workshop, membership.pk), {"remove-on": "2021-05-31"})
    assert response.status_code == 302
    assert "история участия сохранена" in messages_of(response)[0]
    membership.refresh_from_db()
    assert membership.until == dt.date(2021, 5, 31)


def test_a_bad_removal_date_keeps_what_was_typed(client, workshop, coordinator):
    membership = MembershipFactory(structure=workshop, since=dt.date(2020, 9, 16))
    client.force_login(coordinator)
    response = client.post(
        url("remove", workshop, membership.pk),
        {"remove-on": "2019-01-01", "remove-block": "on", "remove-reason": "Спам в обсуждениях"},
    )
    assert response.status_code == 200
    form = response.context["remove_form"]
    assert "раньше начала участия" in form.errors["on"][0]
    assert "Спам в обсуждениях" in response.content.decode()
    membership.refresh_from_db()
    assert membership.until is None


def test_a_former_member_is_blocked_and_unblocked(client, workshop, coordinator):
    past = MembershipFactory(structure=workshop, until=dt.date(2021, 5, 31))
    client.force_login(coordinator)
    empty = client.post(url("block", workshop, past.pk), {"block-reason": ""})
    assert empty.status_code == 200 and empty.context["block_form"].errors["reason"]
    client.post(url("block", workshop, past.pk), {"block-reason": "Спам."})
    block = MembershipBlock.objects.get(user=past.user)
    assert "Спам." in client.get(url("members", workshop)).content.decode()
    client.post(url("unblock", workshop, block.pk))
    assert not MembershipBlock.objects.exists()


def test_the_coordinator_invites_by_email(
    client, workshop, coordinator, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url("invite", workshop),
            {"invite-email": "novyi@school.example", "invite-role": "moderator"},
        )
    assert response.status_code == 302
    assert "Приглашение отправлено на novyi@school.example" in messages_of(response)[0]
    assert Invitation.objects.get().role == Role.MODERATOR
    [letter] = mailoutbox
    assert "http://testserver/invitations/" in letter.body


def test_a_bad_invitation_keeps_what_was_typed(client, workshop, coordinator):
    MembershipFactory(structure=workshop, user=UserFactory(email="uzhe@school.example"))
    client.force_login(coordinator)
    bad = client.post(
        url("invite", workshop), {"invite-email": "не адрес", "invite-role": "member"}
    )
    assert bad.status_code == 200
    assert bad.context["invite_form"].errors["email"]
    assert 'value="не адрес"' in bad.content.decode()
    member = client.post(
        url("invite", workshop), {"invite-email": "uzhe@school.example", "invite-role": "member"}
    )
    assert member.context["invite_form"].errors["email"] == [
        "Человек с этим адресом уже участвует в структуре."
    ]
    assert not Invitation.objects.exists()


# --- Panel links by right --------------------------------------------------------------------


def test_the_administrator_sees_the_queue_link_only(client):
    community = StructureFactory(kind=kind("S8"))
    administrator = MembershipFactory(structure=community, role=Role.ADMINISTRATOR).user
    client.force_login(administrator)
    html = client.get(detail(community)).content.decode()
    assert "Заявки (0)" in html
    assert "Участники и роли" not in html and "История изменений" not in html


def test_the_methodist_sees_the_history_link_only(client, workshop):
    client.force_login(TerritoryRoleFactory(region=workshop.region).user)
    html = client.get(detail(workshop)).content.decode()
    assert "История изменений" in html
    assert "Участники и роли" not in html and "Заявки (" not in html


def test_a_plain_member_sees_no_panel(client, workshop):
    member = MembershipFactory(structure=workshop).user
    client.force_login(member)
    response = client.get(detail(workshop))
    # The membership panel (join, members, requests) is for those who may act; a plain member
    # still sees the year's panels (plans, events, materials).
    assert "communities/panels/structure.html" not in [
        p["template"] for p in response.context["panels"]
    ]


# --- Home blocks -----------------------------------------------------------------------------


def home_blocks(client):
    return {b["template"]: b for b in client.get(reverse("home")).context["blocks"]}


def test_the_coordinator_sees_requests_waiting_across_the_structures_they_admit_to(
    client, workshop, coordinator
):
    community = StructureFactory(kind=kind("S8"))
    MembershipFactory(structure=community, user=coordinator, role=Role.ADMINISTRATOR)
    mine = [JoinRequestFactory(structure=workshop), JoinRequestFactory(structure=community)]
    JoinRequestFactory()  # another coordinator's structure
    JoinRequestFactory(structure=workshop, status=JoinRequest.Status.WITHDRAWN)
    client.force_login(coordinator)
    block = home_blocks(client)["communities/home/awaiting.html"]
    assert [r.pk for r in block["requests"]] == [r.pk for r in mine]


def test_the_territory_coordinator_sees_the_requests_of_the_territory(client, workshop):
    join_request = JoinRequestFactory(structure=workshop)
    client.force_login(TerritoryRoleFactory(role="coordinator", region=workshop.region).user)
    block = home_blocks(client)["communities/home/awaiting.html"]
    assert list(block["requests"]) == [join_request]


def test_a_member_has_no_waiting_requests_block_but_sees_their_own(client, workshop):
    member = MembershipFactory(structure=workshop).user
    JoinRequestFactory(structure=workshop)
    mine = JoinRequestFactory(user=member)
    client.force_login(member)
    blocks = home_blocks(client)
    assert "communities/home/awaiting.html" not in blocks
    assert list(blocks["communities/home/my_requests.html"]["requests"]) == [mine]


# --- Query counts ----------------------------------------------------------------------------


def grow(structure, n):
    for _ in range(n):
        MembershipFactory(structure=structure)
        MembershipFactory(structure=structure, until=dt.date(2021, 5, 31))
        JoinRequestFactory(structure=structure)
        MembershipBlockFactory(structure=structure)
        InvitationFactory(structure=structure)


@pytest.mark.parametrize("page", ["members", "queue", "history"])
def test_list_pages_pin_their_query_count(client, workshop, coordinator, page):
    grow(workshop, 1)
    client.force_login(coordinator)
    small = count_queries(client, url(page, workshop))
    grow(workshop, 10)
    assert count_queries(client, url(page, workshop)) == small


def test_home_and_structure_page_keep_their_query_count_with_requests(
    client, workshop, coordinator
):
    grow(workshop, 1)
    JoinRequestFactory(user=coordinator)
    client.force_login(coordinator)
    home, page = count_queries(client, reverse("home")), count_queries(client, detail(workshop))
    grow(workshop, 10)
    for _ in range(10):
        structure = StructureFactory(kind=kind("S1"))
        MembershipFactory(structure=structure, user=coordinator, role=Role.COORDINATOR)
        JoinRequestFactory(structure=structure)
        JoinRequestFactory(user=coordinator)
    assert count_queries(client, reverse("home")) == home
    assert count_queries(client, detail(workshop)) == page


def test_my_requests_pin_their_query_count(client):
    person = UserFactory()
    JoinRequestFactory(user=person)
    client.force_login(person)
    small = count_queries(client, reverse("communities:my_requests"))
    JoinRequestFactory.create_batch(10, user=person)
    assert count_queries(client, reverse("communities:my_requests")) == small
