"""The way of a plan through its services, kind by kind: who writes, agrees and approves comes
from the kinds table only; refusals say why in Russian; an approved plan is read-only; a new
version starts from a copy; a closed structure keeps its plans read-only."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from communities import services
from communities.models import Plan, PlanItem, PlanStep
from networks import services as network_services
from networks.models import ClosingReason
from networks.schoolyear import SchoolYear

from .conftest import ITEM, plan_with_items

pytestmark = pytest.mark.django_db
YEAR = SchoolYear.current().start


def draft(crew, author, *, items: int = 1) -> Plan:
    plan = services.plan_create(structure=crew.structure, school_year=YEAR, by=author)
    for n in range(items):
        services.plan_item_add(plan=plan, by=author, **{**ITEM, "title": f"Мероприятие {n + 1}"})
    return plan


def steps(plan: Plan) -> list[tuple[str, int]]:
    return list(plan.steps.order_by("pk").values_list("action", "by_id"))


def status(plan: Plan) -> str:
    plan.refresh_from_db()
    return plan.status


# --- Kind by kind --------------------------------------------------------------------------------


def test_r_vlg_order_2_s1_first_plan_drafted_by_the_coordinator_approved_by_the_territory(
    workshop,
):
    """000 order p. 2: the centre's coordinator drafts the community's first plan by 01.09; S1 has
    no approver role of its own, so the academy — the territory's coordinator — approves."""
    plan = draft(workshop, workshop.coordinator)
    services.plan_submit(plan=plan, by=workshop.coordinator)
    assert status(plan) == Plan.Status.SUBMITTED  # no agree step: straight to the approver
    for person in (workshop.coordinator, workshop.member, workshop.moderator):
        with pytest.raises(PermissionDenied):
            services.plan_approve(plan=plan, by=person)
    services.plan_approve(plan=plan, by=workshop.territory_coordinator)
    assert status(plan) == Plan.Status.APPROVED
    assert steps(plan) == [
        (PlanStep.Action.SUBMIT, workshop.coordinator.pk),
        (PlanStep.Action.APPROVE, workshop.territory_coordinator.pk),
    ]


def test_r_vlg_order_2_s1_plan_may_be_written_before_its_school_year_starts(workshop):
    coming = YEAR + 1
    plan = services.plan_create(
        structure=workshop.structure, school_year=coming, by=workshop.coordinator
    )
    assert plan.school_year_label == SchoolYear(coming).label


def test_r_tul_a4_4_5_s5_plan_written_by_the_head_approved_by_the_centre(association):
    plan = draft(association, association.head, items=3)
    with pytest.raises(PermissionDenied):
        services.plan_submit(plan=plan, by=association.member)
    services.plan_submit(plan=plan, by=association.head)
    with pytest.raises(PermissionDenied):
        services.plan_approve(plan=plan, by=association.head)  # the head does not approve
    with pytest.raises(PermissionDenied):
        services.plan_approve(plan=plan, by=association.territory_methodist)
    services.plan_approve(plan=plan, by=association.coordinator, comment="Утверждаю.")
    assert status(plan) == Plan.Status.APPROVED
    assert plan.steps.get(action=PlanStep.Action.APPROVE).comment == "Утверждаю."


def test_r_tul_a4_4_5_the_territory_coordinator_approves_as_the_centre(association):
    plan = draft(association, association.head)
    services.plan_submit(plan=plan, by=association.head)
    services.plan_approve(plan=plan, by=association.territory_coordinator)
    assert status(plan) == Plan.Status.APPROVED


def test_r_pri_3_4_s6_plan_agreed_with_the_methodical_department_then_approved(site):
    plan = draft(site, site.head)
    services.plan_submit(plan=plan, by=site.head)
    with pytest.raises(ValidationError, match="ещё не согласован"):
        services.plan_approve(plan=plan, by=site.head)
    for person in (site.tutor, site.member, site.head):
        with pytest.raises(PermissionDenied):
            services.plan_agree(plan=plan, by=person)
    services.plan_agree(plan=plan, by=site.coordinator, comment="Согласовано.")
    assert status(plan) == Plan.Status.AGREED  # one agreement suffices
    with pytest.raises(ValidationError, match="только представленный"):
        services.plan_agree(plan=plan, by=site.coordinator)
    services.plan_approve(plan=plan, by=site.head)
    assert status(plan) == Plan.Status.APPROVED
    assert [a for a, _by in steps(plan)] == ["submit", "agree", "approve"]


def test_r_pri_3_4_the_methodical_department_returns_the_plan_with_a_comment(site):
    plan = draft(site, site.head)
    services.plan_submit(plan=plan, by=site.head)
    services.plan_return(plan=plan, by=site.coordinator, comment="Добавьте мониторинг ШНОР.")
    assert status(plan) == Plan.Status.RETURNED
    assert plan.steps.last().comment == "Добавьте мониторинг ШНОР."
    # The author reworks and submits again.
    services.plan_item_add(plan=plan, by=site.head, **{**ITEM, "title": "Мониторинг ШНОР"})
    services.plan_submit(plan=plan, by=site.head)
    assert status(plan) == Plan.Status.SUBMITTED


def test_r_dmi_1_8_s7_plan_agreed_only_when_every_participant_school_agreed(centre):
    plan = draft(centre, centre.head)
    services.plan_submit(plan=plan, by=centre.head)
    services.plan_agree(plan=plan, by=centre.member1)
    assert status(plan) == Plan.Status.SUBMITTED
    with pytest.raises(ValidationError, match="уже согласовали"):
        services.plan_agree(plan=plan, by=centre.member1)
    with pytest.raises(ValidationError, match="ещё не согласован"):
        services.plan_approve(plan=plan, by=centre.head)
    with pytest.raises(PermissionDenied):
        services.plan_agree(plan=plan, by=centre.working_group)
    services.plan_agree(plan=plan, by=centre.member2)
    assert status(plan) == Plan.Status.SUBMITTED
    services.plan_agree(plan=plan, by=centre.member3)
    assert status(plan) == Plan.Status.AGREED
    services.plan_approve(plan=plan, by=centre.head)  # R-DMI-3.3: the host's director approves
    assert status(plan) == Plan.Status.APPROVED


def test_r_dmi_1_8_a_returned_plan_is_agreed_again_by_every_school(centre):
    plan = draft(centre, centre.head)
    services.plan_submit(plan=plan, by=centre.head)
    services.plan_agree(plan=plan, by=centre.member1)
    services.plan_agree(plan=plan, by=centre.member2)
    services.plan_return(plan=plan, by=centre.member3, comment="Нет мероприятий нашей школы.")
    assert status(plan) == Plan.Status.RETURNED
    services.plan_submit(plan=plan, by=centre.working_group)  # the working group writes too
    services.plan_agree(plan=plan, by=centre.member3)
    assert status(plan) == Plan.Status.SUBMITTED  # the earlier agreements were for the old text
    services.plan_agree(plan=plan, by=centre.member1)
    services.plan_agree(plan=plan, by=centre.member2)
    assert status(plan) == Plan.Status.AGREED


def test_r_dmi_1_8_a_school_that_left_the_centre_is_not_waited_for(centre):
    plan = draft(centre, centre.head)
    services.plan_submit(plan=plan, by=centre.head)
    left = centre.structure.memberships.get(user=centre.member3)
    network_services.membership_end(membership=left)
    services.plan_agree(plan=plan, by=centre.member1)
    services.plan_agree(plan=plan, by=centre.member2)
    assert status(plan) == Plan.Status.AGREED


def test_r_dmi_1_8_an_agreed_plan_is_returned_only_by_the_approver(centre):
    plan = draft(centre, centre.head)
    services.plan_submit(plan=plan, by=centre.head)
    for n in (1, 2, 3):
        services.plan_agree(plan=plan, by=getattr(centre, f"member{n}"))
    with pytest.raises(PermissionDenied):
        services.plan_return(plan=plan, by=centre.member1, comment="Передумали.")
    services.plan_return(plan=plan, by=centre.head, comment="Уточните сроки.")
    assert status(plan) == Plan.Status.RETURNED


def test_s8_plan_written_by_the_administrator_approved_by_the_coordinator(community):
    with pytest.raises(PermissionDenied):
        draft(community, community.moderator)
    plan = draft(community, community.administrator)
    services.plan_submit(plan=plan, by=community.administrator)
    with pytest.raises(PermissionDenied):
        services.plan_approve(plan=plan, by=community.administrator)
    services.plan_approve(plan=plan, by=community.coordinator)
    assert status(plan) == Plan.Status.APPROVED


# --- Refusals ------------------------------------------------------------------------------------


def test_a_member_without_a_writing_role_may_not_create_or_edit(association):
    with pytest.raises(PermissionDenied):
        draft(association, association.member)
    plan = draft(association, association.head)
    for person in (association.member, association.territory_methodist, association.outsider):
        with pytest.raises(PermissionDenied):
            services.plan_item_add(plan=plan, by=person, **ITEM)


def test_the_structure_coordinator_and_territory_coordinator_may_write_any_plan(association):
    plan = draft(association, association.coordinator)
    services.plan_item_add(plan=plan, by=association.territory_coordinator, **ITEM)
    assert plan.items.count() == 2


def test_a_second_plan_for_the_same_school_year_is_refused(association):
    draft(association, association.head)
    with pytest.raises(ValidationError) as error:
        services.plan_create(structure=association.structure, school_year=YEAR, by=association.head)
    assert "уже есть" in error.value.message_dict["school_year"][0]


def test_a_year_the_structure_does_not_work_in_is_refused(association):
    with pytest.raises(ValidationError) as error:
        services.plan_create(structure=association.structure, school_year=2015, by=association.head)
    assert "не работает в 2015/2016" in error.value.message_dict["school_year"][0]


def test_an_empty_plan_cannot_be_submitted(association):
    plan = services.plan_create(
        structure=association.structure, school_year=YEAR, by=association.head
    )
    with pytest.raises(ValidationError, match="нет ни одного пункта"):
        services.plan_submit(plan=plan, by=association.head)
    assert status(plan) == Plan.Status.DRAFT


def test_return_needs_a_comment(association):
    plan = draft(association, association.head)
    services.plan_submit(plan=plan, by=association.head)
    for comment in ("", "   "):
        with pytest.raises(ValidationError) as error:
            services.plan_return(plan=plan, by=association.coordinator, comment=comment)
        assert error.value.message_dict == {"comment": ["Напишите, что доработать."]}
    assert status(plan) == Plan.Status.SUBMITTED and not plan.steps.filter(action="return")


def test_a_draft_cannot_be_approved_or_returned(association):
    plan = draft(association, association.head)
    with pytest.raises(ValidationError, match="Черновик"):
        services.plan_approve(plan=plan, by=association.coordinator)
    with pytest.raises(ValidationError, match="Черновик"):
        services.plan_return(plan=plan, by=association.coordinator, comment="Почему?")


def test_an_approved_plan_is_read_only(association):
    plan = draft(association, association.head, items=2)
    services.plan_submit(plan=plan, by=association.head)
    services.plan_approve(plan=plan, by=association.coordinator)
    item = plan.items.first()
    head = association.head
    refusals = [
        lambda: services.plan_item_add(plan=plan, by=head, **ITEM),
        lambda: services.plan_item_update(item=item, by=head, **{**ITEM, "title": "Иное"}),
        lambda: services.plan_item_delete(item=item, by=head),
        lambda: services.plan_item_reorder(
            plan=plan, order=list(plan.items.values_list("pk", flat=True))[::-1], by=head
        ),
        lambda: services.plan_submit(plan=plan, by=head),
    ]
    for refuse in refusals:
        with pytest.raises(ValidationError, match="«Утверждён» не редактируется"):
            refuse()
    assert list(plan.items.values_list("title", flat=True)) == ["Мероприятие 1", "Мероприятие 2"]
    with pytest.raises(ValidationError):
        services.plan_approve(plan=plan, by=association.coordinator)


# --- Items ---------------------------------------------------------------------------------------


def test_an_item_takes_a_month_or_a_date_of_the_plans_school_year(association):
    plan = draft(association, association.head, items=0)
    head = association.head
    with pytest.raises(ValidationError) as error:
        services.plan_item_add(plan=plan, by=head, **{**ITEM, "month": None})
    assert error.value.message_dict["month"] == ["Укажите месяц или дату."]
    outside = dt.date(YEAR - 1, 10, 15)
    with pytest.raises(ValidationError) as error:
        services.plan_item_add(plan=plan, by=head, **{**ITEM, "month": None, "date": outside})
    assert "не входит в" in error.value.message_dict["date"][0]
    with pytest.raises(ValidationError) as error:
        services.plan_item_add(plan=plan, by=head, **{**ITEM, "date": dt.date(YEAR, 11, 5)})
    assert "не совпадает с датой (ноябрь)" in error.value.message_dict["month"][0]
    item = services.plan_item_add(
        plan=plan, by=head, **{**ITEM, "month": None, "date": dt.date(YEAR + 1, 3, 17)}
    )
    assert (item.position, item.date) == (1, dt.date(YEAR + 1, 3, 17))


def test_items_are_numbered_reordered_and_renumbered_after_deletion(association):
    plan = draft(association, association.head, items=3)
    first, second, third = plan.items.order_by("position")
    services.plan_item_reorder(
        plan=plan, order=[third.pk, first.pk, second.pk], by=association.head
    )
    assert list(plan.items.order_by("position").values_list("pk", flat=True)) == [
        third.pk,
        first.pk,
        second.pk,
    ]
    with pytest.raises(ValidationError, match="Список пунктов изменился"):
        services.plan_item_reorder(plan=plan, order=[first.pk], by=association.head)
    services.plan_item_delete(item=third, by=association.head)
    assert list(plan.items.order_by("position").values_list("position", "pk")) == [
        (1, first.pk),
        (2, second.pk),
    ]


def test_execution_is_marked_on_an_approved_plan_by_authors_and_managers(association):
    plan = draft(association, association.head, items=2)
    item = plan.items.first()
    with pytest.raises(ValidationError, match="в утверждённом плане"):
        services.plan_item_mark_done(item=item, by=association.head, done=True)
    services.plan_submit(plan=plan, by=association.head)
    services.plan_approve(plan=plan, by=association.coordinator)
    services.plan_item_mark_done(
        item=item, by=association.head, done=True, note="Проведён 15.10, протокол № 1"
    )
    services.plan_item_mark_done(
        item=plan.items.last(), by=association.territory_coordinator, done=True
    )
    with pytest.raises(PermissionDenied):
        services.plan_item_mark_done(item=item, by=association.member, done=False)
    item.refresh_from_db()
    assert (item.done, item.done_note) == (True, "Проведён 15.10, протокол № 1")


# --- Versions ------------------------------------------------------------------------------------


def test_a_new_version_starts_from_a_copy_and_the_approved_one_stays(association):
    plan = draft(association, association.head, items=2)
    services.plan_submit(plan=plan, by=association.head)
    services.plan_approve(plan=plan, by=association.coordinator)
    services.plan_item_mark_done(item=plan.items.first(), by=association.head, done=True)

    copy = services.plan_new_version(plan=plan, by=association.head)
    assert (copy.version, copy.previous, copy.status) == (2, plan, Plan.Status.DRAFT)
    assert list(copy.items.values_list("position", "title", "done")) == list(
        plan.items.values_list("position", "title", "done")
    )
    assert status(plan) == Plan.Status.APPROVED
    assert list(Plan.objects.latest_versions().filter(structure=association.structure)) == [copy]

    # The copy is edited; the approved version keeps its items.
    services.plan_item_add(plan=copy, by=association.head, **ITEM)
    assert (plan.items.count(), copy.items.count()) == (2, 3)
    with pytest.raises(ValidationError, match="более новая версия"):
        services.plan_new_version(plan=plan, by=association.head)
    with pytest.raises(ValidationError, match="утверждённого"):
        services.plan_new_version(plan=copy, by=association.head)
    with pytest.raises(PermissionDenied):
        services.plan_new_version(plan=plan, by=association.member)


def test_a_second_version_goes_the_same_way(association):
    plan = plan_with_items(association.structure, school_year=YEAR, status=Plan.Status.APPROVED)
    copy = services.plan_new_version(plan=plan, by=association.head)
    services.plan_submit(plan=copy, by=association.head)
    services.plan_approve(plan=copy, by=association.coordinator)
    assert status(copy) == Plan.Status.APPROVED and status(plan) == Plan.Status.APPROVED


# --- A closed structure --------------------------------------------------------------------------


def test_r_pri_4_4_a_closed_structure_takes_no_plan_and_keeps_its_plans_read_only(site):
    draft_plan = draft(site, site.head)
    approved = plan_with_items(site.structure, school_year=YEAR - 1, status="approved")
    item = approved.items.first()
    network_services.structure_close(
        structure=site.structure, on=dt.date(2026, 11, 1), reason=ClosingReason.TERM_ENDED
    )
    site.structure.refresh_from_db()
    draft_plan.refresh_from_db()
    head = site.head  # membership ended by the closing; the territory's coordinator still acts
    tc = site.territory_coordinator
    refusals = [
        lambda: services.plan_create(structure=site.structure, school_year=YEAR + 1, by=tc),
        lambda: services.plan_item_add(plan=draft_plan, by=tc, **ITEM),
        lambda: services.plan_submit(plan=draft_plan, by=tc),
        lambda: services.plan_item_mark_done(item=item, by=tc, done=True),
        lambda: services.plan_new_version(plan=approved, by=tc),
    ]
    for refuse in refusals:
        with pytest.raises(ValidationError, match="только для чтения"):
            refuse()
    with pytest.raises(PermissionDenied):
        services.plan_item_add(plan=draft_plan, by=head, **ITEM)
    assert Plan.objects.filter(structure=site.structure).count() == 2
    assert not PlanItem.objects.filter(plan=approved, done=True).exists()


def test_a_plan_under_agreement_cannot_move_once_the_structure_is_closed(site):
    plan = draft(site, site.head)
    services.plan_submit(plan=plan, by=site.head)
    network_services.structure_close(
        structure=site.structure, on=dt.date(2026, 11, 1), reason=ClosingReason.TERM_ENDED
    )
    plan.structure.refresh_from_db()
    with pytest.raises(ValidationError, match="только для чтения"):
        services.plan_approve(plan=plan, by=site.territory_coordinator)
    with pytest.raises(ValidationError, match="только для чтения"):
        services.plan_return(plan=plan, by=site.territory_coordinator, comment="Поздно.")
