"""The rules of each kind of structure, named after the points of the orders they come from."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from networks import services
from networks.models import ClosingReason, Membership, Role, Structure, StructureKind
from networks.validators import inn_is_valid
from tests.factories import (
    MembershipFactory,
    OrderFactory,
    OrganisationFactory,
    OrganisationStatusFactory,
    StructureFactory,
    UserFactory,
    kind,
)

pytestmark = pytest.mark.django_db

YEAR_2020 = 2020
IN_2020_21 = dt.date(2020, 10, 1)


def test_all_eight_kinds_are_rows_of_one_table():
    assert list(StructureKind.objects.values_list("code", flat=True)) == [
        "S1",
        "S2",
        "S3",
        "S4",
        "S5",
        "S6",
        "S7",
        "S8",
    ]


@pytest.mark.parametrize(
    ("code", "open_membership"),
    [
        ("S1", True),
        ("S2", False),
        ("S3", True),
        ("S5", False),
        ("S6", False),
        ("S7", False),
        ("S8", True),
    ],
)
def test_r_vlg_5_1_and_r_pav_1_8_open_or_closed_membership_per_kind(code, open_membership):
    assert kind(code).open_membership is open_membership


# --- Roles allowed by kind ------------------------------------------------------------------


def test_role_not_allowed_by_kind_is_refused_with_russian_message():
    structure = StructureFactory(kind=kind("S1"))
    membership = Membership(structure=structure, user=UserFactory(), role=Role.MENTOR)
    with pytest.raises(ValidationError) as error:
        membership.full_clean()
    assert "не предусмотрена" in str(error.value.message_dict["role"])


def test_r_tul_a1_3_1_1_council_has_one_chair_at_a_time():
    council = StructureFactory(kind=kind("S2"), name="Консультационный совет «РОСТ»")
    services.membership_add(structure=council, user=UserFactory(), role=Role.CHAIR)
    with pytest.raises(ValidationError) as error:
        services.membership_add(structure=council, user=UserFactory(), role=Role.CHAIR)
    assert "председатель" in str(error.value)


def test_one_chair_or_head_is_held_by_the_database_too():
    structure = StructureFactory(kind=kind("S5"))
    MembershipFactory(structure=structure, role=Role.HEAD)
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(structure=structure, user=UserFactory(), role=Role.HEAD)


def test_a_new_head_may_be_elected_once_the_previous_term_ended():
    structure = StructureFactory(kind=kind("S5"))
    first = services.membership_add(structure=structure, user=UserFactory(), role=Role.HEAD)
    services.membership_end(membership=first)
    second = services.membership_add(
        structure=structure, user=UserFactory(), role=Role.HEAD, elected_on=dt.date.today()
    )
    assert second.is_current and not Membership.objects.get(pk=first.pk).is_current


def test_r_tul_a4_4_1_election_date_belongs_to_the_head_only():
    structure = StructureFactory(kind=kind("S5"))
    membership = Membership(
        structure=structure, user=UserFactory(), role=Role.MEMBER, elected_on=dt.date.today()
    )
    with pytest.raises(ValidationError) as error:
        membership.full_clean()
    assert "elected_on" in error.value.message_dict


def test_a_person_holds_one_current_membership_per_structure():
    structure = StructureFactory(kind=kind("S5"))
    person = UserFactory()
    services.membership_add(structure=structure, user=person, role=Role.MEMBER)
    with pytest.raises(ValidationError):
        services.membership_add(structure=structure, user=person, role=Role.COORDINATOR)


def test_ended_membership_stays_in_history():
    structure = StructureFactory(kind=kind("S5"))
    membership = services.membership_add(
        structure=structure, user=UserFactory(), role=Role.MEMBER, since=dt.date(2020, 9, 20)
    )
    services.membership_end(membership=membership, on=dt.date(2021, 5, 1))
    assert Membership.objects.filter(pk=membership.pk, until=dt.date(2021, 5, 1)).exists()
    with pytest.raises(ValidationError):
        services.membership_end(membership=membership)


# --- S4: network pair of leaders ------------------------------------------------------------


def _pair():
    return StructureFactory(kind=kind("S4"), name="Сетевая пара")


def _head_of(status: str | None):
    school = OrganisationFactory()
    if status:
        OrganisationStatusFactory(organisation=school, school_year=YEAR_2020, status=status)
    return UserFactory(organisation=school, position="Директор")


def test_r_tul_a3_1_1_pair_joins_a_shnor_mentee_with_a_partner_mentor():
    pair = _pair()
    services.membership_add(
        structure=pair, user=_head_of("shnor"), role=Role.MENTEE, since=IN_2020_21
    )
    services.membership_add(
        structure=pair, user=_head_of("leader"), role=Role.MENTOR, since=IN_2020_21
    )
    assert pair.memberships.current().count() == 2


def test_r_tul_a3_1_1_mentee_must_lead_a_shnor_in_that_school_year():
    pair = _pair()
    with pytest.raises(ValidationError) as error:
        services.membership_add(
            structure=pair, user=_head_of("leader"), role=Role.MENTEE, since=IN_2020_21
        )
    assert "не в списке ШНОР на 2020/2021" in str(error.value)


def test_r_tul_a3_1_1_mentor_comes_from_a_partner_not_from_a_shnor():
    pair = _pair()
    with pytest.raises(ValidationError) as error:
        services.membership_add(
            structure=pair, user=_head_of("shnor"), role=Role.MENTOR, since=IN_2020_21
        )
    assert "организацию-партнёра" in str(error.value)


def test_r_tul_a3_1_1_partner_may_be_an_additional_education_organisation_without_status():
    pair = _pair()
    centre = OrganisationFactory(kind="additional", short_name="МБУДО «Центр ППСС»")
    mentor = UserFactory(organisation=centre)
    services.membership_add(structure=pair, user=mentor, role=Role.MENTOR, since=IN_2020_21)
    assert pair.memberships.get().user == mentor


def test_r_tul_a3_1_1_exactly_one_mentor_and_one_mentee():
    pair = _pair()
    services.membership_add(
        structure=pair, user=_head_of("shnor"), role=Role.MENTEE, since=IN_2020_21
    )
    with pytest.raises(ValidationError) as error:
        services.membership_add(
            structure=pair, user=_head_of("shnor"), role=Role.MENTEE, since=IN_2020_21
        )
    assert "один наставник и один наставляемый" in str(error.value)
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(
            structure=pair, user=_head_of("shnor"), role=Role.MENTEE, since=IN_2020_21
        )


def test_r_tul_a3_1_1_pair_has_no_plain_members():
    pair = _pair()
    with pytest.raises(ValidationError):
        services.membership_add(structure=pair, user=UserFactory(), role=Role.MEMBER)


# --- S5: interschool association ------------------------------------------------------------


def test_r_tul_a4_4_3_association_requires_four_meetings_a_year():
    assert kind("S5").min_meetings_per_year == 4


def test_r_tul_a4_4_1_only_the_association_elects_its_head():
    assert list(StructureKind.objects.filter(head_elected=True).values_list("code", flat=True)) == [
        "S5"
    ]


def test_r_tul_a1_3_1_2_only_the_council_is_consultative():
    assert list(StructureKind.objects.filter(consultative=True).values_list("code", flat=True)) == [
        "S2"
    ]


def test_deadline_rules_are_declared_with_their_kinds():
    """R-TUL-A4-4.6, R-TUL-A3-5.4, R-PRI-3.5.2, R-DMI-order-3, 000 order p. 2, 001 order p. 2.2."""
    from reporting.models import DeadlineRule

    rules = DeadlineRule.objects.values_list("kind__code", "due_day", "due_month", "deliverer_role")
    assert sorted(rules) == [
        ("S1", 1, 9, "coordinator"),
        ("S2", 25, 12, "chair"),
        ("S3", 25, 12, "administrator"),
        ("S4", 25, 12, "curator"),  # 001 order p. 2.2: pairs are appendix 3 (issue 18)
        ("S4", 30, 6, "curator"),
        ("S5", 15, 7, "head"),
        ("S5", 25, 12, "head"),
        ("S6", 15, 6, "head"),
        ("S7", 1, 9, "head"),
    ]


# --- S6: internship site --------------------------------------------------------------------


def _site(**kwargs):
    return Structure(
        kind=kind("S6"),
        name="Муниципальная стажировочная площадка",
        host=(host := OrganisationFactory()),
        region=host.region,
        municipality=host.municipality,
        founding_order=OrderFactory(),
        established_on=dt.date(2021, 3, 11),
        **kwargs,
    )


def test_r_pri_4_1_site_needs_a_term_and_a_topic():
    with pytest.raises(ValidationError) as error:
        _site().full_clean()
    assert {"term_start", "term_end", "topic"} <= set(error.value.message_dict)
    assert "по теме" in error.value.message_dict["topic"][0]


def test_r_pri_4_1_site_with_term_and_topic_is_valid():
    site = _site(
        term_start=dt.date(2021, 1, 1),
        term_end=dt.date(2023, 5, 31),
        topic="Сетевое наставничество во взаимодействии школ",
    )
    site.full_clean()
    site.save()
    assert site.school_years()[0].label == "2022/2023"
    assert site.school_years()[-1].label == "2020/2021"


def test_term_end_before_start_is_refused_by_form_and_database():
    site = _site(term_start=dt.date(2023, 1, 1), term_end=dt.date(2021, 1, 1), topic="Тема")
    with pytest.raises(ValidationError) as error:
        site.full_clean()
    assert "term_end" in error.value.message_dict
    with pytest.raises(IntegrityError), transaction.atomic():
        site.save()


def test_r_pri_4_4_site_closes_by_itself_when_the_term_is_over():
    site = _site(
        term_start=dt.date(2021, 1, 1), term_end=dt.date(2023, 5, 31), topic="Наставничество"
    )
    site.save()
    tutor = MembershipFactory(structure=site, role=Role.TUTOR, since=dt.date(2021, 2, 1))
    closed = services.structures_close_at_term_end(today=dt.date(2023, 6, 1))
    site.refresh_from_db()
    tutor.refresh_from_db()
    assert closed == [site]
    assert site.closed_on == dt.date(2023, 5, 31)
    assert site.closing_reason == ClosingReason.TERM_ENDED
    assert tutor.until == dt.date(2023, 5, 31)
    assert services.structures_close_at_term_end(today=dt.date(2023, 6, 2)) == []


def test_r_pri_4_4_site_still_in_term_stays_open():
    site = _site(
        term_start=dt.date(2021, 1, 1), term_end=dt.date(2023, 5, 31), topic="Наставничество"
    )
    site.save()
    assert services.structures_close_at_term_end(today=dt.date(2023, 5, 31)) == []


def test_r_pri_4_5_4_6_early_closing_needs_the_order():
    site = _site(
        term_start=dt.date(2021, 1, 1), term_end=dt.date(2023, 5, 31), topic="Наставничество"
    )
    site.save()
    with pytest.raises(ValidationError) as error:
        services.structure_close(
            structure=site, on=dt.date(2022, 6, 1), reason=ClosingReason.PROGRAMME_DONE
        )
    assert "Досрочное прекращение оформляется приказом" in str(error.value)
    order = OrderFactory(number="512-р", date=dt.date(2022, 6, 1))
    services.structure_close(
        structure=site, on=dt.date(2022, 6, 1), reason=ClosingReason.UNFORESEEN, order=order
    )
    site.refresh_from_db()
    assert site.is_closed and site.closing_order == order


def test_closed_structure_takes_no_new_members():
    structure = StructureFactory(kind=kind("S7"))
    services.structure_close(
        structure=structure,
        on=dt.date(2024, 1, 1),
        reason=ClosingReason.OTHER,
        order=OrderFactory(),
    )
    with pytest.raises(ValidationError) as error:
        services.membership_add(structure=structure, user=UserFactory(), role=Role.MEMBER)
    assert "прекратила деятельность 01.01.2024" in str(error.value)


def test_closed_state_carries_a_reason_in_the_database():
    structure = StructureFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Structure.objects.filter(pk=structure.pk).update(closed_on=dt.date(2024, 1, 1))


# --- S8 and S3: sub-communities -------------------------------------------------------------


def test_r_pav_1_7_community_has_subject_subcommunities():
    community = StructureFactory(kind=kind("S8"), name="Сетевое сообщество педагогов")
    maths = StructureFactory.build(
        kind=kind("S8"),
        name="Предметное сообщество учителей математики",
        parent=community,
        host=community.host,
        region=community.region,
        municipality=community.municipality,
        founding_order=community.founding_order,
    )
    maths.full_clean()
    maths.save()
    assert list(community.children.all()) == [maths]


def test_kinds_without_subcommunities_refuse_a_parent():
    association = StructureFactory(kind=kind("S5"))
    child = StructureFactory.build(
        kind=kind("S5"),
        parent=association,
        host=association.host,
        region=association.region,
        municipality=association.municipality,
        founding_order=association.founding_order,
    )
    with pytest.raises(ValidationError) as error:
        child.full_clean()
    assert "подсообщества не входят" in error.value.message_dict["parent"][0]


def test_subcommunity_has_the_kind_of_its_community_and_no_grandchildren():
    community = StructureFactory(kind=kind("S8"))
    sub = StructureFactory(kind=kind("S8"), parent=community)
    other_kind = StructureFactory.build(kind=kind("S3"), parent=community)
    with pytest.raises(ValidationError):
        other_kind.full_clean()
    grandchild = StructureFactory.build(kind=kind("S8"), parent=sub)
    with pytest.raises(ValidationError) as error:
        grandchild.full_clean()
    assert "своих подсообществ" in error.value.message_dict["parent"][0]


def test_r_pav_1_9_subcommunity_moderator_is_a_role_of_the_kind():
    assert kind("S8").allows_role(Role.MODERATOR)
    assert kind("S8").allows_role(Role.TUTOR)


# --- Organisations --------------------------------------------------------------------------


def test_school_cannot_be_leader_and_shnor_in_the_same_year():
    status = OrganisationStatusFactory(school_year=YEAR_2020, status="shnor")
    clash = OrganisationStatusFactory.build(
        organisation=status.organisation, school_year=YEAR_2020, status="leader"
    )
    with pytest.raises(ValidationError):
        clash.full_clean()
    next_year = OrganisationStatusFactory.build(
        organisation=status.organisation, school_year=YEAR_2020 + 1, status="leader"
    )
    next_year.full_clean()


def test_shnor_and_sssu_may_hold_together():
    status = OrganisationStatusFactory(school_year=YEAR_2020, status="shnor")
    OrganisationStatusFactory.build(
        organisation=status.organisation, school_year=YEAR_2020, status="sssu"
    ).full_clean()


@pytest.mark.parametrize(
    ("inn", "valid"),
    [("7707083893", True), ("7707083894", False), ("500100732259", True), ("12345", False)],
)
def test_inn_check_digits(inn, valid):
    assert inn_is_valid(inn) is valid


def test_bad_inn_gives_a_russian_error():
    organisation = OrganisationFactory.build(inn="7707083894")
    with pytest.raises(ValidationError) as error:
        organisation.full_clean()
    assert "контрольным числом" in error.value.message_dict["inn"][0]
