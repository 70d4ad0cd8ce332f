"""The plans pages in the browser's terms: what each person sees and may press, forms that keep
what was typed, typed text shown escaped, the structure panel and the home blocks, and the query
counts of the lists."""

from __future__ import annotations

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from communities import services
from communities.models import Plan, PlanStep
from networks.schoolyear import SchoolYear
from tests.factories import MembershipFactory, PlanItemFactory

from .conftest import ITEM, PlanStepFactory, crew_of, plan_with_items

pytestmark = pytest.mark.django_db
YEAR = SchoolYear.current().start
LABEL = SchoolYear.current().label
SCRIPT = "<script>alert('план')</script>"


def url(name, structure, *args):
    return reverse(f"communities:{name}", args=[structure.pk, *[a.pk for a in args]])


def detail(structure):
    return reverse("networks:structure_detail", args=[structure.pk])


def messages_of(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


def count_queries(client, path):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(path)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def item_data(**overrides):
    data = {**ITEM, **overrides}
    return {f"item-{k}": "" if v is None else v for k, v in data.items()}


def submitted(crew, author, **kwargs) -> Plan:
    plan = plan_with_items(crew.structure, school_year=YEAR, created_by=author, **kwargs)
    services.plan_submit(plan=plan, by=author)
    return plan


# --- Creating and writing ------------------------------------------------------------------------


def test_r_tul_a4_4_5_the_head_creates_the_plan_from_the_panel_and_adds_an_item(
    client, association
):
    client.force_login(association.head)
    page = client.get(detail(association.structure)).content.decode()
    assert f"Создать план на {LABEL} учебный год" in page
    response = client.post(url("plan_create", association.structure), {"plan-school_year": YEAR})
    plan = Plan.objects.get(structure=association.structure)
    assert response["Location"] == url("plan_detail", association.structure, plan)
    assert "создан" in messages_of(response)[0]

    response = client.post(url("plan_item_add", association.structure, plan), item_data(month="10"))
    assert response.status_code == 302
    html = client.get(url("plan_detail", association.structure, plan)).content.decode()
    assert "Анализ результатов ВПР в ШНОР" in html
    assert f"октябрь {YEAR}" in html  # the month with its calendar year
    assert "Семинар" in html and "Представить на согласование" in html


def test_an_item_without_month_or_date_keeps_what_was_typed(client, association):
    plan = plan_with_items(association.structure, n=0, school_year=YEAR)
    client.force_login(association.head)
    response = client.post(
        url("plan_item_add", association.structure, plan),
        item_data(title="Круглый стол «Наставничество»", month=None),
    )
    assert response.status_code == 200
    assert response.context["form"].errors["month"] == ["Укажите месяц или дату."]
    assert "Круглый стол «Наставничество»" in response.content.decode()
    assert not plan.items.exists()


def test_a_date_outside_the_school_year_is_refused_by_its_field(client, association):
    plan = plan_with_items(association.structure, n=0, school_year=YEAR)
    client.force_login(association.head)
    response = client.post(
        url("plan_item_add", association.structure, plan),
        item_data(month=None, date=f"{YEAR - 1}-10-01"),
    )
    assert response.status_code == 200
    assert "не входит в" in response.context["form"].errors["date"][0]


def test_the_month_select_speaks_russian_from_september(client, association):
    plan = plan_with_items(association.structure, n=0, school_year=YEAR)
    client.force_login(association.head)
    html = client.get(url("plan_item_add", association.structure, plan)).content.decode()
    assert html.index(">Сентябрь<") < html.index(">Январь<") < html.index(">Август<")


def test_an_item_is_edited_moved_and_deleted(client, association):
    plan = plan_with_items(association.structure, n=2, school_year=YEAR)
    first, second = plan.items.order_by("position")
    client.force_login(association.head)
    page = client.get(url("plan_item_edit", association.structure, plan, first))
    assert page.context["form"]["title"].value() == first.title
    client.post(
        url("plan_item_edit", association.structure, plan, first),
        item_data(title="Обмен опытом школ-лидеров", month="", date=f"{YEAR}-12-10"),
    )
    first.refresh_from_db()
    assert (first.title, first.month, first.date.day) == ("Обмен опытом школ-лидеров", None, 10)
    client.post(url("plan_item_move", association.structure, plan, second), {"direction": "up"})
    assert list(plan.items.order_by("position").values_list("pk", flat=True)) == [
        second.pk,
        first.pk,
    ]
    client.post(url("plan_item_delete", association.structure, plan, second))
    assert list(plan.items.values_list("pk", "position")) == [(first.pk, 1)]


def test_submitting_an_empty_plan_says_why(client, association):
    plan = plan_with_items(association.structure, n=0, school_year=YEAR)
    client.force_login(association.head)
    response = client.post(url("plan_submit", association.structure, plan))
    assert response.status_code == 302
    assert messages_of(response) == ["В плане нет ни одного пункта: добавьте мероприятия."]
    plan.refresh_from_db()
    assert plan.status == Plan.Status.DRAFT


def test_a_second_plan_for_the_year_is_refused_on_the_plans_page(client, association):
    plan_with_items(association.structure, school_year=YEAR)
    client.force_login(association.head)
    response = client.post(url("plan_create", association.structure), {"plan-school_year": YEAR})
    assert response.status_code == 200
    assert "уже есть" in response.context["create_form"].errors["school_year"][0]
    assert Plan.objects.filter(structure=association.structure).count() == 1


# --- Deciding ------------------------------------------------------------------------------------


def test_r_tul_a4_4_5_the_centre_sees_the_plan_on_its_home_page_and_approves(client, association):
    plan = submitted(association, association.head)
    client.force_login(association.coordinator)
    home = client.get(reverse("home")).content.decode()
    assert "Планы, ожидающие моего решения" in home and str(plan) in home
    page = client.get(url("plan_detail", association.structure, plan)).content.decode()
    assert "Утвердить" in page and "Вернуть на доработку" in page
    assert "Представить на согласование" not in page and "Добавить пункт" not in page
    response = client.post(
        url("plan_approve", association.structure, plan), {"approve-comment": ""}
    )
    assert messages_of(response) == ["План утверждён."]
    plan.refresh_from_db()
    assert plan.status == Plan.Status.APPROVED
    assert "Планы, ожидающие моего решения" not in client.get(reverse("home")).content.decode()


def test_a_member_sees_the_plan_without_any_button(client, association):
    plan = submitted(association, association.head)
    client.force_login(association.member)
    page = client.get(url("plan_detail", association.structure, plan)).content.decode()
    for button in ("Утвердить", "Вернуть на доработку", "Добавить пункт", "Согласовать"):
        assert button not in page
    assert "Планы, ожидающие моего решения" not in client.get(reverse("home")).content.decode()


def test_return_without_a_comment_keeps_the_page_and_says_why(client, association):
    plan = submitted(association, association.head)
    client.force_login(association.coordinator)
    response = client.post(url("plan_return", association.structure, plan), {"return-comment": ""})
    assert response.status_code == 200
    assert response.context["return_form"].errors["comment"] == ["Напишите, что доработать."]
    plan.refresh_from_db()
    assert plan.status == Plan.Status.SUBMITTED


def test_the_author_sees_the_return_comment_on_the_plan_and_at_home(client, association):
    plan = submitted(association, association.head)
    client.force_login(association.coordinator)
    client.post(
        url("plan_return", association.structure, plan),
        {"return-comment": "Добавьте заседание в марте."},
    )
    client.force_login(association.head)
    page = client.get(url("plan_detail", association.structure, plan)).content.decode()
    assert "Что доработать:" in page and "Добавьте заседание в марте." in page
    assert "Добавить пункт" in page  # a returned plan is edited again
    home = client.get(reverse("home")).content.decode()
    assert "Планы, возвращённые на доработку" in home and "Добавьте заседание в марте." in home


def test_r_dmi_1_8_each_school_sees_the_plan_at_home_until_it_agrees(client, centre):
    plan = submitted(centre, centre.head)
    client.force_login(centre.member1)
    assert str(plan) in client.get(reverse("home")).content.decode()
    page = client.get(url("plan_detail", centre.structure, plan)).content.decode()
    assert "Согласовали 0 из 3" in page
    client.post(url("plan_agree", centre.structure, plan), {"agree-comment": "Согласовано."})
    page = client.get(url("plan_detail", centre.structure, plan)).content.decode()
    assert "Согласовали 1 из 3" in page and "Вы уже согласовали этот план." in page
    assert ">Согласовать<" not in page
    assert "Планы, ожидающие моего решения" not in client.get(reverse("home")).content.decode()
    client.force_login(centre.head)  # the approver waits for the agreement
    assert "Планы, ожидающие моего решения" not in client.get(reverse("home")).content.decode()


def test_r_pri_3_4_the_head_approves_after_the_methodical_department_agreed(client, site):
    plan = submitted(site, site.head)
    client.force_login(site.head)
    assert "Утвердить" not in client.get(url("plan_detail", site.structure, plan)).content.decode()
    client.force_login(site.coordinator)
    client.post(url("plan_agree", site.structure, plan), {"agree-comment": ""})
    client.force_login(site.head)
    assert str(plan) in client.get(reverse("home")).content.decode()
    client.post(url("plan_approve", site.structure, plan), {"approve-comment": ""})
    plan.refresh_from_db()
    assert plan.status == Plan.Status.APPROVED


def test_approving_too_early_says_why(client, site):
    plan = submitted(site, site.head)
    client.force_login(site.head)
    response = client.post(url("plan_approve", site.structure, plan), {"approve-comment": ""})
    assert response.status_code == 302
    assert messages_of(response) == [
        "План ещё не согласован: утвердить его можно после согласования."
    ]


# --- An approved plan ----------------------------------------------------------------------------


def test_an_approved_plan_offers_marks_and_a_new_version_but_no_editing(client, association):
    plan = plan_with_items(association.structure, n=2, school_year=YEAR, status="approved")
    item = plan.items.first()
    client.force_login(association.head)
    page = client.get(url("plan_detail", association.structure, plan)).content.decode()
    assert "Начать новую версию" in page and "Добавить пункт" not in page
    assert f'href="{url("plan_item_edit", association.structure, plan, item)}"' not in page
    response = client.get(url("plan_item_add", association.structure, plan))
    assert response.status_code == 302 and "не редактируется" in messages_of(response)[0]

    client.post(
        url("plan_item_done", association.structure, plan, item),
        {f"done-{item.pk}-done": "on", f"done-{item.pk}-note": "Проведено 15.10"},
    )
    item.refresh_from_db()
    assert item.done and item.done_note == "Проведено 15.10"

    response = client.post(url("plan_new_version", association.structure, plan))
    copy = Plan.objects.get(previous=plan)
    assert response["Location"] == url("plan_detail", association.structure, copy)
    page = client.get(url("plan_detail", association.structure, plan)).content.decode()
    assert "Это прежняя версия плана; действующая — версия 2." in page


def test_a_too_long_done_note_keeps_the_row_and_says_why(client, association):
    plan = plan_with_items(association.structure, n=1, school_year=YEAR, status="approved")
    item = plan.items.get()
    client.force_login(association.head)
    response = client.post(
        url("plan_item_done", association.structure, plan, item),
        {f"done-{item.pk}-done": "on", f"done-{item.pk}-note": "я" * 501},
    )
    assert response.status_code == 200
    assert "я" * 501 in response.content.decode()
    item.refresh_from_db()
    assert not item.done


# --- The plans page ------------------------------------------------------------------------------


def test_the_plans_page_shows_each_year_with_its_current_version_and_history(client, association):
    old = plan_with_items(association.structure, school_year=YEAR - 1, status="approved")
    PlanStepFactory(plan=old, action="approve", by=association.coordinator)
    first = plan_with_items(association.structure, school_year=YEAR, status="approved")
    services.plan_new_version(plan=first, by=association.head)
    client.force_login(association.member)
    response = client.get(url("plans", association.structure))
    years = response.context["years"]
    assert [(y.year.start, y.current.version, [p.version for p in y.older]) for y in years] == [
        (YEAR, 2, [1]),
        (YEAR - 1, 1, []),
    ]
    html = response.content.decode()
    assert f"{LABEL} учебный год" in html and "Прежние версии" in html
    assert "Утверждён" in html and association.coordinator.full_name not in html  # no consent
    client.force_login(association.territory_methodist)  # reads the territory, names included
    html = client.get(url("plans", association.structure)).content.decode()
    assert association.coordinator.full_name in html
    assert "Новый план" not in html


def test_typed_text_stays_text(client, association):
    plan = plan_with_items(association.structure, n=0, school_year=YEAR)
    PlanItemFactory(
        plan=plan, title=SCRIPT, responsible=SCRIPT, audience=SCRIPT, expected_result=SCRIPT
    )
    plan.status = Plan.Status.RETURNED
    plan.title = SCRIPT
    plan.save()
    PlanStepFactory(plan=plan, action="return", by=association.coordinator, comment=SCRIPT)
    client.force_login(association.head)
    for path in (
        url("plan_detail", association.structure, plan),
        url("plans", association.structure),
        reverse("home"),
        detail(association.structure),
    ):
        html = client.get(path).content.decode()
        assert SCRIPT not in html, path
        assert "&lt;script&gt;" in html, path


# --- The structure panel -------------------------------------------------------------------------


def test_the_panel_shows_this_years_plan_and_how_much_is_done(client, association):
    plan = plan_with_items(association.structure, n=0, school_year=YEAR, status="approved")
    PlanItemFactory.create_batch(3, plan=plan, done=True)
    PlanItemFactory.create_batch(5, plan=plan)
    client.force_login(association.member)
    html = client.get(detail(association.structure)).content.decode()
    assert f'id="panel-plan">План работы на {LABEL}</h2>' in html
    assert "Выполнено пунктов плана: 3 из 8" in html and "Утверждён" in html
    assert "Создать план" not in html and "Прекратить деятельность" not in html


def test_the_panel_offers_closing_to_the_coordinator_only(client, association):
    client.force_login(association.coordinator)
    html = client.get(detail(association.structure)).content.decode()
    assert url("structure_close", association.structure) in html
    client.force_login(association.head)
    assert (
        url("structure_close", association.structure)
        not in client.get(detail(association.structure)).content.decode()
    )


def test_outsiders_see_no_plan_panel(client, association):
    client.force_login(association.outsider)
    assert "План работы на" not in client.get(detail(association.structure)).content.decode()


# --- Query counts --------------------------------------------------------------------------------


def grow(crew, n):
    """n more years of plans, each with items and steps, and n more plans waiting elsewhere."""
    oldest = Plan.objects.filter(structure=crew.structure).order_by("school_year").first()
    for k in range(n):
        year = (oldest.school_year if oldest else YEAR) - 1 - k
        plan = plan_with_items(crew.structure, n=3, school_year=year, status="approved")
        PlanStepFactory(plan=plan, action="submit", by=crew.head)
        PlanStepFactory(plan=plan, action="approve", by=crew.coordinator)
        PlanItemFactory(plan=plan, done=True)
        other = crew_of("S5", "coordinator")
        MembershipFactory(structure=other.structure, user=crew.coordinator, role="coordinator")
        waiting = plan_with_items(other.structure, school_year=YEAR, status="submitted")
        returned = plan_with_items(other.structure, school_year=YEAR - 1, status="returned")
        PlanStepFactory(plan=returned, action="return", by=crew.coordinator, comment=f"№ {k}")
        assert waiting


@pytest.fixture
def busy(association):
    current = plan_with_items(association.structure, n=3, school_year=YEAR, status="approved")
    services.plan_new_version(plan=current, by=association.head)
    grow(association, 1)
    return association


@pytest.mark.parametrize("page", ["plans", "detail", "plan_detail", "home"])
def test_pages_pin_their_query_count(client, busy, page):
    current = Plan.objects.latest_versions().get(structure=busy.structure, school_year=YEAR)
    paths = {
        "plans": url("plans", busy.structure),
        "detail": detail(busy.structure),
        "plan_detail": url("plan_detail", busy.structure, current),
        "home": reverse("home"),
    }
    client.force_login(busy.coordinator)
    small = count_queries(client, paths[page])
    grow(busy, 10)
    PlanItemFactory.create_batch(10, plan=current)
    assert count_queries(client, paths[page]) == small


def test_home_blocks_pin_their_query_count_for_an_agreeing_school(client, centre):
    submitted(centre, centre.head)
    client.force_login(centre.member1)
    small = count_queries(client, reverse("home"))
    for _ in range(10):
        other = crew_of("S7", "head")
        MembershipFactory(structure=other.structure, user=centre.member1, role="member")
        submitted(other, other.head)
    assert len(client.get(reverse("home")).context["blocks"]) >= 1
    assert count_queries(client, reverse("home")) == small


def test_home_block_lists_plans_for_the_territory_coordinator(client, association, workshop):
    waiting = submitted(workshop, workshop.coordinator)
    client.force_login(workshop.territory_coordinator)
    blocks = {b["template"]: b for b in client.get(reverse("home")).context["blocks"]}
    assert list(blocks["communities/plans/home_awaiting.html"]["plans"]) == [waiting]
    assert PlanStep.objects.filter(plan=waiting).count() == 1


def test_r_dmi_1_8_a_resubmitted_plan_waits_again_for_the_school_that_agreed(client, centre):
    plan = submitted(centre, centre.head)
    services.plan_agree(plan=plan, by=centre.member1)
    services.plan_return(plan=plan, by=centre.head, comment="Уточните сроки.")
    services.plan_submit(plan=plan, by=centre.head)
    client.force_login(centre.member1)
    home = client.get(reverse("home")).content.decode()
    assert "Планы, ожидающие моего решения" in home and str(plan) in home


def test_a_plan_or_item_of_another_structure_does_not_exist_here(client, association):
    elsewhere = crew_of("S5", "head")
    foreign = plan_with_items(elsewhere.structure, school_year=YEAR)
    own = plan_with_items(association.structure, school_year=YEAR)
    client.force_login(association.head)
    assert client.get(url("plan_detail", association.structure, foreign)).status_code == 404
    foreign_item = foreign.items.first()
    response = client.post(url("plan_item_delete", association.structure, own, foreign_item))
    assert response.status_code == 404
    assert foreign.items.filter(pk=foreign_item.pk).exists()
