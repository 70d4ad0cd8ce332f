"""Running the membership: remove with a date, block, assign roles the kind allows."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from communities import services
from communities.models import JoinRequest, MembershipBlock
from communities.services import membership as membership_services
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
TODAY = timezone.localdate


@pytest.fixture
def coordinator():
    return UserFactory(last_name="Координаторова")


# --- Removal --------------------------------------------------------------------------------


def test_removal_ends_the_membership_on_the_date_and_keeps_the_row(coordinator):
    membership = MembershipFactory(since=dt.date(2020, 9, 16))
    services.member_remove(membership=membership, on=dt.date(2021, 5, 31), by=coordinator)
    membership.refresh_from_db()
    assert membership.until == dt.date(2021, 5, 31)
    assert membership.history.first().history_user == coordinator
    assert membership.history.count() == 2  # added, then ended: the history is kept


def test_removal_in_the_future_or_before_joining_is_refused(coordinator):
    membership = MembershipFactory(since=dt.date(2020, 9, 16))
    with pytest.raises(ValidationError) as future:
        services.member_remove(
            membership=membership, on=TODAY() + dt.timedelta(days=1), by=coordinator
        )
    assert future.value.message_dict["on"] == ["Дата исключения не может быть в будущем."]
    with pytest.raises(ValidationError) as early:
        services.member_remove(membership=membership, on=dt.date(2020, 1, 1), by=coordinator)
    assert "раньше начала участия (16.09.2020)" in early.value.message_dict["on"][0]


def test_a_removed_member_cannot_be_removed_again(coordinator):
    membership = MembershipFactory(until=dt.date(2021, 5, 31))
    with pytest.raises(ValidationError, match="уже завершено"):
        services.member_remove(membership=membership, on=TODAY(), by=coordinator)


def test_removal_with_a_block_needs_a_reason_and_stops_new_requests(coordinator):
    membership = MembershipFactory(structure=StructureFactory(kind=kind("S1")))
    with pytest.raises(ValidationError) as error:
        services.member_remove(membership=membership, on=TODAY(), by=coordinator, block=True)
    assert "reason" in error.value.message_dict
    services.member_remove(
        membership=membership, on=TODAY(), by=coordinator, block=True, reason="Реклама."
    )
    with pytest.raises(ValidationError, match="закрыл для вас возможность"):
        services.join_request_file(
            structure=membership.structure, user=membership.user, reason="Верните меня."
        )


# --- Blocks ---------------------------------------------------------------------------------


def test_blocking_a_former_applicant_rejects_their_pending_request(coordinator):
    join_request = JoinRequestFactory()
    block = services.member_block(
        structure=join_request.structure, user=join_request.user, by=coordinator, reason="Спам."
    )
    assert block.blocked_by == coordinator
    join_request.refresh_from_db()
    assert join_request.status == JoinRequest.Status.REJECTED
    assert join_request.decision_reason == "Спам."


def test_a_current_member_is_removed_before_being_blocked(coordinator):
    membership = MembershipFactory()
    with pytest.raises(ValidationError, match="сначала исключите"):
        services.member_block(
            structure=membership.structure, user=membership.user, by=coordinator, reason="Спам."
        )


def test_a_person_is_blocked_once_and_can_be_unblocked(coordinator):
    block = MembershipBlockFactory()
    with pytest.raises(ValidationError, match="уже запрещено"):
        services.member_block(
            structure=block.structure, user=block.user, by=coordinator, reason="Ещё раз."
        )
    services.member_unblock(block=block, by=coordinator)
    assert not MembershipBlock.objects.exists()


# --- Roles ----------------------------------------------------------------------------------


def test_the_coordinator_assigns_a_role_the_kind_allows(coordinator):
    membership = MembershipFactory(structure=StructureFactory(kind=kind("S8")))
    services.role_assign(membership=membership, role=Role.TUTOR, by=coordinator)
    membership.refresh_from_db()
    assert membership.role == Role.TUTOR
    record = membership.history.first()
    assert record.history_user == coordinator
    assert [c.field for c in record.diff_against(record.prev_record).changes] == ["role"]


def test_a_role_the_kind_does_not_allow_is_refused(coordinator):
    membership = MembershipFactory(structure=StructureFactory(kind=kind("S1")))
    with pytest.raises(ValidationError) as error:
        services.role_assign(membership=membership, role=Role.TUTOR, by=coordinator)
    assert error.value.message_dict["role"] == [
        "Роль «Тьютор» не предусмотрена для вида «Профессиональное сообщество управленческих "
        "работников»."
    ]


def test_r_dmi_3_3_working_group_members_in_the_centre(coordinator):
    centre = StructureFactory(kind=kind("S7"))
    membership = MembershipFactory(structure=centre)
    services.role_assign(membership=membership, role=Role.WORKING_GROUP, by=coordinator)
    assert membership.get_role_display() == "Член рабочей группы"


def test_r_tul_a4_4_1_the_head_is_elected_from_members_with_the_date(coordinator):
    association = StructureFactory(kind=kind("S5"))
    membership = MembershipFactory(structure=association)
    with pytest.raises(ValidationError) as error:
        services.role_assign(membership=membership, role=Role.HEAD, by=coordinator)
    assert "укажите дату избрания" in error.value.message_dict["elected_on"][0]
    services.role_assign(
        membership=membership, role=Role.HEAD, elected_on=dt.date(2020, 9, 20), by=coordinator
    )
    membership.refresh_from_db()
    assert (membership.role, membership.elected_on) == (Role.HEAD, dt.date(2020, 9, 20))


def test_r_tul_a4_4_1_an_election_date_in_the_future_is_refused(coordinator):
    membership = MembershipFactory(structure=StructureFactory(kind=kind("S5")))
    with pytest.raises(ValidationError, match="не может быть в будущем"):
        services.role_assign(
            membership=membership,
            role=Role.HEAD,
            elected_on=TODAY() + dt.timedelta(days=3),
            by=coordinator,
        )


def test_the_head_of_an_internship_site_is_appointed_without_an_election(coordinator):
    site = StructureFactory(
        kind=kind("S6"), term_start=dt.date(2021, 1, 1), term_end=dt.date(2030, 5, 31), topic="Т"
    )
    membership = MembershipFactory(structure=site)
    services.role_assign(membership=membership, role=Role.HEAD, by=coordinator)
    assert membership.elected_on is None


def test_leaving_the_head_role_clears_the_election_date(coordinator):
    membership = MembershipFactory(
        structure=StructureFactory(kind=kind("S5")), role=Role.HEAD, elected_on=dt.date(2020, 9, 20)
    )
    services.role_assign(membership=membership, role=Role.MEMBER, by=coordinator)
    assert membership.elected_on is None


def test_one_chair_at_a_time_in_russian(coordinator):
    council = StructureFactory(kind=kind("S2"))
    MembershipFactory(structure=council, role=Role.CHAIR)
    membership = MembershipFactory(structure=council)
    with pytest.raises(ValidationError, match="уже есть председатель"):
        services.role_assign(membership=membership, role=Role.CHAIR, by=coordinator)


def test_the_database_constraint_on_one_chair_becomes_a_russian_message(coordinator, monkeypatch):
    """Two coordinators at once: both pass the service's check, the database stops the second."""
    council = StructureFactory(kind=kind("S2"))
    MembershipFactory(structure=council, role=Role.CHAIR)
    membership = MembershipFactory(structure=council)
    monkeypatch.setattr(membership_services, "_refuse_second_lead", lambda *a, **k: None)
    checked = Membership.full_clean

    def full_clean_before_the_other_commit(self, *args, **kwargs):
        return checked(self, validate_constraints=False)

    monkeypatch.setattr(Membership, "full_clean", full_clean_before_the_other_commit)
    with pytest.raises(ValidationError, match="уже есть председатель"):
        services.role_assign(membership=membership, role=Role.CHAIR, by=coordinator)
    membership.refresh_from_db()
    assert membership.role == Role.MEMBER


def test_the_chair_may_be_given_the_same_role_again(coordinator):
    membership = MembershipFactory(structure=StructureFactory(kind=kind("S2")), role=Role.CHAIR)
    assert services.role_assign(membership=membership, role=Role.CHAIR, by=coordinator).pk


def test_a_former_member_gets_no_role(coordinator):
    membership = MembershipFactory(until=dt.date(2021, 5, 31))
    with pytest.raises(ValidationError, match="только текущим участникам"):
        services.role_assign(membership=membership, role=Role.COORDINATOR, by=coordinator)


def test_r_tul_a4_1_1_a_teacher_already_in_the_association_is_not_made_its_head(coordinator):
    association = StructureFactory(kind=kind("S5"))
    # Added before the rule was checked (factories do not validate).
    membership = MembershipFactory(
        structure=association, user=UserFactory(position="Учитель физики")
    )
    with pytest.raises(ValidationError) as error:
        services.role_assign(
            membership=membership, role=Role.HEAD, elected_on=dt.date(2020, 9, 20), by=coordinator
        )
    assert "для руководителей и заместителей" in error.value.message_dict["user"][0]
    membership.refresh_from_db()
    assert membership.role == Role.MEMBER
