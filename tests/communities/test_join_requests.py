"""Join requests: open kinds take them, a coordinator or an administrator decides."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from communities import services
from communities.models import JoinRequest, MembershipBlock
from networks.models import Membership, Role
from tests.factories import (
    JoinRequestFactory,
    MembershipBlockFactory,
    MembershipFactory,
    StructureFactory,
    UserFactory,
    kind,
)

pytestmark = pytest.mark.django_db

REASON = "Заместитель директора, курирую ШНОР в районе."


@pytest.fixture
def workshop():
    return StructureFactory(
        kind=kind("S1"), name="Мастерская управления «Траектория развития школы»"
    )


@pytest.fixture
def director():
    return UserFactory(position="Директор")


def test_r_vlg_5_1_a_manager_registers_in_the_open_community(workshop, director):
    join_request = services.join_request_file(structure=workshop, user=director, reason=REASON)
    assert join_request.status == JoinRequest.Status.PENDING
    assert join_request.reason == REASON
    assert join_request.history.first().history_user == director


@pytest.mark.parametrize("code", ["S3", "S8"])
def test_other_open_kinds_take_requests_too(code, director):
    structure = StructureFactory(kind=kind(code))
    assert services.join_request_file(structure=structure, user=director, reason=REASON).pk


@pytest.mark.parametrize("code", ["S2", "S4", "S5", "S6", "S7"])
def test_closed_kinds_refuse_requests(code, director):
    structure = StructureFactory(
        kind=kind(code), term_start=dt.date(2021, 1, 1), term_end=dt.date(2030, 5, 31), topic="Т"
    )
    with pytest.raises(ValidationError, match="не вступают по заявке"):
        services.join_request_file(structure=structure, user=director, reason=REASON)
    assert not JoinRequest.objects.exists()


def test_a_closed_structure_refuses_requests(director):
    structure = StructureFactory(
        kind=kind("S1"), closed_on=dt.date(2023, 5, 31), closing_reason="reorganised"
    )
    with pytest.raises(ValidationError, match=r"прекратила деятельность 31\.05\.2023"):
        services.join_request_file(structure=structure, user=director, reason=REASON)


def test_a_current_member_cannot_ask_again(workshop, director):
    MembershipFactory(structure=workshop, user=director)
    with pytest.raises(ValidationError, match="уже участвуете"):
        services.join_request_file(structure=workshop, user=director, reason=REASON)


def test_a_former_member_can_ask_again(workshop, director):
    MembershipFactory(structure=workshop, user=director, until=dt.date(2021, 6, 1))
    assert services.join_request_file(structure=workshop, user=director, reason=REASON).pk


def test_a_blocked_person_cannot_ask(workshop, director):
    MembershipBlockFactory(structure=workshop, user=director)
    with pytest.raises(ValidationError, match="закрыл для вас возможность"):
        services.join_request_file(structure=workshop, user=director, reason=REASON)


def test_one_pending_request_per_person_and_structure(workshop, director):
    services.join_request_file(structure=workshop, user=director, reason=REASON)
    with pytest.raises(ValidationError, match="уже есть заявка"):
        services.join_request_file(structure=workshop, user=director, reason=REASON)


def test_the_database_keeps_one_pending_request_even_past_the_service(workshop, director):
    JoinRequestFactory(structure=workshop, user=director)
    with pytest.raises(IntegrityError):
        JoinRequest.objects.create(structure=workshop, user=director, reason="ещё раз")


def test_after_a_rejection_the_person_may_ask_again(workshop, director):
    first = JoinRequestFactory(structure=workshop, user=director)
    services.join_request_reject(join_request=first, by=UserFactory(), reason="Нет мест.")
    assert services.join_request_file(structure=workshop, user=director, reason=REASON).pk


def test_a_request_needs_a_reason(workshop, director):
    with pytest.raises(ValidationError) as error:
        services.join_request_file(structure=workshop, user=director, reason="   ")
    assert "reason" in error.value.message_dict


# --- Decisions -------------------------------------------------------------------------------


def test_r_pav_6_1_approval_makes_the_person_a_member(director):
    community = StructureFactory(kind=kind("S8"))
    administrator = MembershipFactory(structure=community, role=Role.ADMINISTRATOR).user
    join_request = JoinRequestFactory(structure=community, user=director)

    membership = services.join_request_approve(join_request=join_request, by=administrator)

    assert (membership.structure, membership.user, membership.role) == (
        community,
        director,
        Role.MEMBER,
    )
    join_request.refresh_from_db()
    assert join_request.status == JoinRequest.Status.APPROVED
    assert join_request.decided_by == administrator and join_request.decided_at
    # The structure's history says who let the person in, even outside a request.
    assert membership.history.first().history_user == administrator


def test_a_decided_request_cannot_be_decided_again(workshop, director):
    join_request = JoinRequestFactory(structure=workshop, user=director)
    coordinator = UserFactory()
    services.join_request_approve(join_request=join_request, by=coordinator)
    with pytest.raises(ValidationError, match="уже есть решение: одобрена"):
        services.join_request_approve(join_request=join_request, by=coordinator)
    with pytest.raises(ValidationError, match="уже есть решение"):
        services.join_request_reject(join_request=join_request, by=coordinator, reason="Нет.")
    assert Membership.objects.filter(user=director).count() == 1


def test_approval_of_a_person_who_became_a_member_meanwhile_is_refused(workshop, director):
    join_request = JoinRequestFactory(structure=workshop, user=director)
    MembershipFactory(structure=workshop, user=director)
    with pytest.raises(ValidationError, match="уже участвует"):
        services.join_request_approve(join_request=join_request, by=UserFactory())
    join_request.refresh_from_db()
    assert join_request.is_pending


def test_rejection_keeps_the_reason_the_person_sees(workshop, director):
    join_request = JoinRequestFactory(structure=workshop, user=director)
    coordinator = UserFactory()
    services.join_request_reject(
        join_request=join_request, by=coordinator, reason="Сообщество для Волгоградской области."
    )
    join_request.refresh_from_db()
    assert join_request.status == JoinRequest.Status.REJECTED
    assert join_request.decision_reason == "Сообщество для Волгоградской области."
    assert not MembershipBlock.objects.exists()


def test_rejection_without_a_reason_is_refused(workshop, director):
    join_request = JoinRequestFactory(structure=workshop, user=director)
    with pytest.raises(ValidationError) as error:
        services.join_request_reject(join_request=join_request, by=UserFactory(), reason=" ")
    assert error.value.message_dict["reason"] == ["Напишите причину отказа: её увидит заявитель."]


def test_rejection_can_block_further_requests(workshop, director):
    join_request = JoinRequestFactory(structure=workshop, user=director)
    coordinator = UserFactory()
    services.join_request_reject(
        join_request=join_request, by=coordinator, reason="Повторные заявки.", block=True
    )
    block = MembershipBlock.objects.get()
    assert (block.user, block.blocked_by, block.reason) == (
        director,
        coordinator,
        "Повторные заявки.",
    )


def test_the_person_withdraws_their_own_request_only(workshop, director):
    join_request = JoinRequestFactory(structure=workshop, user=director)
    with pytest.raises(ValidationError, match="только тот, кто её подал"):
        services.join_request_withdraw(join_request=join_request, by=UserFactory())
    services.join_request_withdraw(join_request=join_request, by=director)
    join_request.refresh_from_db()
    assert join_request.status == JoinRequest.Status.WITHDRAWN
    with pytest.raises(ValidationError, match="уже есть решение: отозвана"):
        services.join_request_withdraw(join_request=join_request, by=director)
