"""Invitations by e-mail: the way into closed kinds; the link works once and expires."""

import datetime as dt

import pytest
import time_machine
from allauth.account.models import EmailAddress
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from communities import services
from communities.models import Invitation, JoinRequest
from networks.models import Role
from outbox.models import OutboundMail
from tests.factories import (
    InvitationFactory,
    JoinRequestFactory,
    MembershipBlockFactory,
    MembershipFactory,
    StructureFactory,
    UserFactory,
    kind,
)

pytestmark = pytest.mark.django_db
BASE = "https://portal.example/"


@pytest.fixture
def council():
    return StructureFactory(kind=kind("S2"), name="Консультационный совет «РОСТ»")


@pytest.fixture
def chair(council):
    return MembershipFactory(
        structure=council, role=Role.CHAIR, user=UserFactory(last_name="Разаренова")
    ).user


def invite(structure, by, email="teacher@school.example", role=Role.MEMBER):
    return services.invitation_create(
        structure=structure, email=email, role=role, by=by, base_url=BASE
    )


def test_an_invitation_sends_a_russian_letter_with_a_link_once_committed(
    council, chair, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        invitation = invite(council, chair, email="Teacher@School.example")
    assert invitation.email == "teacher@school.example"
    assert invitation.expires_at.date() == (timezone.now() + dt.timedelta(days=14)).date()
    [letter] = mail.outbox
    assert letter.to == ["teacher@school.example"]
    assert letter.subject.endswith("Приглашение в «Консультационный совет «РОСТ»»")
    assert "Разаренова" in letter.body and "с ролью «Участник»" in letter.body
    link = next(line for line in letter.body.splitlines() if line.startswith(BASE))
    token = link.removeprefix(BASE.rstrip("/")).split("/")[2]
    # Only the hash is kept: the link is in the letter and nowhere else.
    assert token not in invitation.token_hash
    assert Invitation.objects.by_token(token).get() == invitation


def test_the_letter_is_written_with_the_invitation_and_leaves_only_when_it_commits(
    council, chair, settings, django_capture_on_commit_callbacks
):
    # The outbox (production's EMAIL_BACKEND): the letter is a row of the same transaction, and
    # the worker is asked to send it once that commits.
    settings.EMAIL_BACKEND = "outbox.backends.OutboxBackend"
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        invite(council, chair)
    assert len(callbacks) == 1 and mail.outbox == []
    assert OutboundMail.objects.get().to == ["teacher@school.example"]


@pytest.mark.parametrize(
    ("code", "role"),
    [("S2", Role.WORKING_GROUP), ("S5", Role.MEMBER), ("S6", Role.TUTOR), ("S7", Role.HEAD)],
)
def test_closed_kinds_take_members_by_invitation(code, role):
    structure = StructureFactory(
        kind=kind(code), term_start=dt.date(2021, 1, 1), term_end=dt.date(2030, 5, 31), topic="Т"
    )
    assert invite(structure, UserFactory(), role=role).role == role


def test_r_dmi_3_3_working_group_member_of_the_centre_joins_by_invitation():
    centre = StructureFactory(kind=kind("S7"), name="Центр сетевого взаимодействия")
    teacher = UserFactory(email="rabochaya.gruppa@school.example")
    InvitationFactory(structure=centre, email=teacher.email, role=Role.WORKING_GROUP, token="t1")
    membership = services.invitation_accept(token="t1", user=teacher)
    assert (membership.structure, membership.role) == (centre, Role.WORKING_GROUP)


def test_managers_may_invite_to_open_kinds_too():
    community = StructureFactory(kind=kind("S8"))
    assert invite(community, UserFactory(), role=Role.MODERATOR).pk


def test_the_role_must_be_allowed_by_the_kind(council, chair):
    with pytest.raises(ValidationError) as error:
        invite(council, chair, role=Role.MENTOR)
    assert "не предусмотрена" in error.value.message_dict["role"][0]


def test_a_second_chair_cannot_be_invited(council, chair):
    with pytest.raises(ValidationError, match="уже есть председатель"):
        invite(council, chair, role=Role.CHAIR)


def test_a_current_member_is_not_invited_again(council, chair):
    MembershipFactory(structure=council, user=UserFactory(email="teacher@school.example"))
    with pytest.raises(ValidationError, match="уже участвует"):
        invite(council, chair)


def test_a_blocked_person_is_not_invited_until_the_block_is_lifted(council, chair):
    MembershipBlockFactory(structure=council, user=UserFactory(email="teacher@school.example"))
    with pytest.raises(ValidationError, match="сначала снимите запрет"):
        invite(council, chair)


def test_a_closed_structure_invites_nobody(chair):
    structure = StructureFactory(closed_on=dt.date(2023, 5, 31), closing_reason="term_ended")
    with pytest.raises(ValidationError, match="прекратила деятельность"):
        invite(structure, chair)


# --- Accepting ------------------------------------------------------------------------------


def test_the_addressee_accepts_and_becomes_a_member_with_the_role(council):
    teacher = UserFactory(email="teacher@school.example")
    invitation = InvitationFactory(
        structure=council, email=teacher.email, role=Role.WORKING_GROUP, token="abc"
    )
    membership = services.invitation_accept(token="abc", user=teacher)
    assert (membership.structure, membership.user, membership.role) == (
        council,
        teacher,
        Role.WORKING_GROUP,
    )
    invitation.refresh_from_db()
    assert invitation.used_by == teacher and invitation.used_at


def test_an_invitation_works_once(council):
    teacher = UserFactory(email="teacher@school.example")
    InvitationFactory(structure=council, email=teacher.email, token="abc")
    services.invitation_accept(token="abc", user=teacher)
    with pytest.raises(ValidationError, match=r"уже использовано .*Ссылка действует один раз"):
        services.invitation_accept(token="abc", user=teacher)


def test_an_expired_invitation_says_so(council):
    teacher = UserFactory(email="teacher@school.example")
    InvitationFactory(structure=council, email=teacher.email, token="abc")
    later = timezone.now() + dt.timedelta(days=15)
    with (
        time_machine.travel(later),
        pytest.raises(ValidationError, match="Срок действия приглашения истёк"),
    ):
        services.invitation_accept(token="abc", user=teacher)


def test_a_forwarded_link_does_not_let_somebody_else_in(council):
    InvitationFactory(structure=council, email="teacher@school.example", token="abc")
    with pytest.raises(ValidationError, match="на другой адрес"):
        services.invitation_accept(token="abc", user=UserFactory(email="other@school.example"))
    assert not council.memberships.exists()


def test_a_confirmed_second_address_of_the_person_counts(council):
    teacher = UserFactory(email="personal@mail.example")
    EmailAddress.objects.create(user=teacher, email="teacher@school.example", verified=True)
    InvitationFactory(structure=council, email="teacher@school.example", token="abc")
    assert services.invitation_accept(token="abc", user=teacher).pk


def test_an_unknown_token_is_refused(council):
    with pytest.raises(ValidationError, match="не найдено"):
        services.invitation_accept(token="nope", user=UserFactory())


def test_accepting_closes_the_persons_pending_request():
    community = StructureFactory(kind=kind("S1"))
    person = UserFactory(email="teacher@school.example")
    join_request = JoinRequestFactory(structure=community, user=person)
    InvitationFactory(structure=community, email=person.email, token="abc")
    services.invitation_accept(token="abc", user=person)
    join_request.refresh_from_db()
    assert join_request.status == JoinRequest.Status.APPROVED


# --- The invitation page ---------------------------------------------------------------------


def invitation_url(token):
    return reverse("communities:invitation", args=[token])


def test_anonymous_holder_of_the_link_signs_in_first_and_comes_back(client, council):
    InvitationFactory(structure=council, token="abc")
    response = client.get(invitation_url("abc"))
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('account_login')}?next={invitation_url('abc')}"


def test_the_page_accepts_the_invitation(client, council):
    teacher = UserFactory(email="teacher@school.example")
    InvitationFactory(structure=council, email=teacher.email, token="abc")
    client.force_login(teacher)
    page = client.get(invitation_url("abc"))
    assert "Принять приглашение" in page.content.decode()
    response = client.post(invitation_url("abc"), follow=True)
    assert response.redirect_chain[-1][0] == reverse("networks:structure_detail", args=[council.pk])
    assert "Вы участник структуры «Консультационный совет «РОСТ»»" in response.content.decode()
    assert council.memberships.current().filter(user=teacher).exists()


def test_the_page_says_when_the_link_was_used_or_expired(client, council):
    teacher = UserFactory(email="teacher@school.example")
    client.force_login(teacher)
    InvitationFactory(structure=council, email=teacher.email, token="used", used_at=timezone.now())
    InvitationFactory(
        structure=council,
        email=teacher.email,
        token="old",
        expires_at=timezone.now() - dt.timedelta(days=1),
    )
    used = client.post(invitation_url("used"))
    assert used.status_code == 200
    assert "уже использовано" in used.content.decode()
    assert "Принять приглашение" not in used.content.decode()
    expired = client.get(invitation_url("old")).content.decode()
    assert "Срок действия приглашения истёк" in expired
    assert not council.memberships.exists()


def test_an_unknown_link_is_404(client):
    client.force_login(UserFactory())
    assert client.get(invitation_url("nope")).status_code == 404


# --- R-TUL-A4-1.1: the interschool association is for heads and deputy heads ----------------------


@pytest.fixture
def association():
    return StructureFactory(
        kind=kind("S5"), name="Межшкольное профессиональное объединение руководящих работников"
    )


def test_r_tul_a4_1_1_a_deputy_head_joins_the_association_by_invitation(association):
    deputy = UserFactory(email="deputy@school.example", position="Заместитель директора по УВР")
    InvitationFactory(structure=association, email=deputy.email, token="abc")

    membership = services.invitation_accept(token="abc", user=deputy)

    assert (membership.user, membership.role) == (deputy, Role.MEMBER)


def test_r_tul_a4_1_1_a_teacher_is_told_why_the_invitation_cannot_be_accepted(client, association):
    teacher = UserFactory(email="teacher@school.example", position="Учитель математики")
    invitation = InvitationFactory(structure=association, email=teacher.email, token="abc")
    client.force_login(teacher)

    page = client.get(invitation_url("abc")).content.decode()
    # Said before the button, which is not offered; the profile is one link away.
    assert "для руководителей и заместителей руководителя" in page
    assert "Педагогический работник" in page and "Принять приглашение" not in page
    assert f'href="{reverse("people:profile")}"' in page
    response = client.post(invitation_url("abc"))
    assert "для руководителей и заместителей руководителя" in response.content.decode()
    assert not association.memberships.exists()
    invitation.refresh_from_db()
    assert invitation.used_at is None  # still usable once the profile is corrected

    teacher.post = "deputy"
    teacher.save()
    assert "Принять приглашение" in client.get(invitation_url("abc")).content.decode()
    client.post(invitation_url("abc"))
    assert association.memberships.filter(user=teacher, role=Role.MEMBER).exists()


def test_r_tul_a4_1_1_the_associations_coordinator_need_not_lead_a_school(association):
    methodist = UserFactory(email="methodist@centre.example", position="Методист")
    InvitationFactory(
        structure=association, email=methodist.email, role=Role.COORDINATOR, token="abc"
    )

    membership = services.invitation_accept(token="abc", user=methodist)

    assert membership.role == Role.COORDINATOR


def test_other_kinds_take_teachers(council):
    teacher = UserFactory(email="teacher@school.example", position="Учитель математики")
    InvitationFactory(structure=council, email=teacher.email, token="abc")

    assert services.invitation_accept(token="abc", user=teacher).user == teacher
