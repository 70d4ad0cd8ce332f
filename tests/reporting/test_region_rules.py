"""A region's deadline rules in the browser instead of the Django admin (issue 16,
reporting/deadline_rules/): the national rules from the orders are shown read-only as the
operators'; the region's coordinator adds, changes and switches off the region's own rules, which
give deadlines to the region's structures at once and every year after
(reporting.reminders.deadlines_instantiate), beside the national ones or instead of one of them."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from networks.models import Role, TerritoryRole
from networks.schoolyear import SchoolYear
from reporting.models import Deadline, DeadlineRule, Report
from reporting.reminders import deadlines_instantiate
from tests.communities.permission_table import (
    FORBIDDEN,
    NOT_FOUND,
    OK,
    SIGN_IN,
    View,
    cases,
    check,
)
from tests.factories import (
    MembershipFactory,
    MunicipalityFactory,
    OrganisationFactory,
    ProgrammeFactory,
    RegionFactory,
    StructureFactory,
    TerritoryRoleFactory,
    UserFactory,
    kind,
)

pytestmark = pytest.mark.django_db

TODAY = dt.datetime(2026, 10, 1, 12, tzinfo=dt.UTC)
YEAR = SchoolYear(2026)


@pytest.fixture(autouse=True)
def in_october_2026():
    with time_machine.travel(TODAY, tick=False):
        yield


def person_with(role, region, municipality=None):
    user = UserFactory()
    TerritoryRoleFactory(user=user, role=role, region=region, municipality=municipality)
    return user


def analysis() -> DeadlineRule:
    """S5's analysis of the year by 15 July (R-TUL-A4-4.6): a national rule from the orders."""
    return DeadlineRule.objects.get(rule_ref="R-TUL-A4-4.6")


class Scene:
    def __init__(self):
        self.region = RegionFactory(name="Тульская область")
        self.municipality = MunicipalityFactory(region=self.region)
        host = OrganisationFactory(municipality=self.municipality)
        self.structure = StructureFactory(kind=kind("S5"), host=host, name="Объединение Тулы")
        other_host = OrganisationFactory()
        self.other_region = other_host.region
        self.elsewhere = StructureFactory(kind=kind("S5"), host=other_host, name="Чужое")
        self.rule = DeadlineRule.objects.create(
            title="Методический отчёт объединения",
            deliverable="report",
            kind=kind("S5"),
            region=self.region,
            due_month=5,
            due_day=20,
            deliverer_role=Role.HEAD,
            recipient="ЦНППМ",
        )
        self.national = analysis()
        C, M = TerritoryRole.Role.COORDINATOR, TerritoryRole.Role.METHODIST
        self.people = {
            "coordinator": person_with(C, self.region),
            "municipal_coordinator": person_with(C, self.region, self.municipality),
            "other_coordinator": person_with(C, self.other_region),
            "methodist": person_with(M, self.region),
            "member": MembershipFactory(structure=self.structure, role=Role.HEAD).user,
            "anonymous": None,
        }


def new_rule(scene, **changes) -> dict:
    data = {
        "region": scene.region.pk,
        "title": "Отчёт о наставничестве",
        "deliverable": "report",
        "kind": kind("S5").pk,
        "due_day": "10",
        "due_month": "6",
        "deliverer_role": Role.HEAD,
        "recipient": "Министерство образования Тульской области",
        "mandatory": "on",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def _made(scene) -> bool:
    return DeadlineRule.objects.filter(title="Отчёт о наставничестве").exists()


def _edit(scene) -> dict:
    return new_rule(scene, title="Методический отчёт", due_day="25")


def _edited(scene) -> bool:
    return DeadlineRule.objects.filter(pk=scene.rule.pk, title="Методический отчёт").exists()


def _switched(scene) -> bool:
    return not DeadlineRule.objects.get(pk=scene.rule.pk).is_active


def at(name, *attrs, query=""):
    def build(scene):
        return reverse(name, args=[getattr(scene, a).pk for a in attrs]) + query

    return build


VIEWS = {
    "list": View(at("reporting:rule_list")),
    "list of the region": View(lambda s: reverse("reporting:rule_list") + f"?region={s.region.pk}"),
    "create": View(at("reporting:rule_create")),
    "create (post)": View(at("reporting:rule_create"), post=new_rule, done=_made),
    "edit": View(at("reporting:rule_edit", "rule")),
    "edit (post)": View(at("reporting:rule_edit", "rule"), post=_edit, done=_edited),
    "switch (post)": View(
        at("reporting:rule_switch", "rule"), post={"active": "0"}, done=_switched
    ),
    "edit a national rule": View(at("reporting:rule_edit", "national")),
    "switch a national rule": View(at("reporting:rule_switch", "national"), post={"active": "0"}),
}
COLUMNS = list(VIEWS)
F, N, S = FORBIDDEN, NOT_FOUND, SIGN_IN
# A municipality's coordinator reads the region's rules: a municipality does not set the whole
# region's deadlines. Another region's coordinator opens the form for his own region; what he
# sends for this one is refused at the region field (400).
TABLE = {
    #                        list  region new  post edit post switch nat.edit nat.switch
    "coordinator": [OK, OK, OK, OK, OK, OK, OK, F, F],
    "municipal_coordinator": [OK, OK, F, F, F, F, F, F, F],
    "other_coordinator": [OK, N, OK, 400, N, N, N, F, F],
    "methodist": [OK, OK, F, F, F, F, F, F, F],
    "member": [F, F, F, F, N, N, N, N, N],
    "anonymous": [S, S, S, S, S, S, S, S, S],
}


@pytest.mark.parametrize(("role", "view", "expected"), cases(TABLE, COLUMNS))
def test_who_keeps_the_regions_deadline_rules(
    client, django_capture_on_commit_callbacks, role, view, expected
):
    scene = Scene()
    check(
        client, scene.people[role], VIEWS[view], scene, expected, django_capture_on_commit_callbacks
    )


# --- The list -------------------------------------------------------------------------------------


def test_the_list_shows_national_rules_as_the_operators_and_the_regions_own(client):
    scene = Scene()
    client.force_login(scene.people["methodist"])

    html = client.get(reverse("reporting:rule_list")).content.decode()

    assert "Анализ работы межшкольного объединения за учебный год" in html
    assert "общее, задано операторами портала" in html
    assert "Методический отчёт объединения" in html and "правило региона" in html
    assert "R-TUL" not in html  # the code's rule ids are not shown
    # The basis is cited by the order (name, date, number, clause), not the seeds' «001 приказ п. 2.2».
    assert "приказ от 16.09.2020 № 83-а, п. 2.2" in html and "001 приказ" not in html
    assert reverse("reporting:rule_edit", args=[scene.rule.pk]) not in html  # reads only


def test_the_list_pins_its_query_count(client, django_assert_max_num_queries):
    scene = Scene()
    client.force_login(scene.people["coordinator"])
    page = reverse("reporting:rule_list")
    client.get(page)
    with django_assert_max_num_queries(9) as few:
        client.get(page)
    for n in range(30):
        DeadlineRule.objects.create(
            title=f"Правило {n}",
            deliverable="plan",
            kind=kind("S5"),
            programme=ProgrammeFactory(region=scene.region),
            region=scene.region,
            due_month=9,
            due_day=n % 28 + 1,
            deliverer_role=Role.HEAD,
            recipient="ЦНППМ",
            replaces=scene.national if n == 0 else None,
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert "Правило 29" in client.get(page).content.decode()


# --- A region's rule gives deadlines --------------------------------------------------------------


def test_a_regions_rule_gives_deadlines_to_the_regions_structures_at_once_and_every_year(client):
    scene = Scene()
    client.force_login(scene.people["coordinator"])

    response = client.post(reverse("reporting:rule_create"), new_rule(scene))

    assert response.status_code == 302
    rule = DeadlineRule.objects.get(title="Отчёт о наставничестве")
    assert rule.region == scene.region and rule.is_active
    deadline = Deadline.objects.get(rule=rule)
    assert deadline.structure == scene.structure
    assert (deadline.school_year, deadline.due_on) == (2026, dt.date(2027, 6, 10))
    # The periodic instantiation uses it too, next year as well, and in its region only.
    deadlines_instantiate(year=SchoolYear(2027))
    assert set(Deadline.objects.filter(rule=rule).values_list("structure", "due_on")) == {
        (scene.structure.pk, dt.date(2027, 6, 10)),
        (scene.structure.pk, dt.date(2028, 6, 10)),
    }


def test_a_regions_rule_instead_of_a_national_one_takes_its_place_in_the_region_only(client):
    scene = Scene()
    deadlines_instantiate(year=YEAR)
    national = Deadline.objects.filter(rule=scene.national, school_year=2026)
    assert set(national.values_list("structure", flat=True)) >= {
        scene.structure.pk,
        scene.elsewhere.pk,
    }
    client.force_login(scene.people["coordinator"])

    data = new_rule(scene, title="Анализ работы за год (Тула)", kind="", replaces=scene.national.pk)
    assert client.post(reverse("reporting:rule_create"), data).status_code == 302

    own = DeadlineRule.objects.get(title="Анализ работы за год (Тула)")
    assert own.kind == kind("S5")  # taken from the national rule
    assert not national.filter(structure=scene.structure).exists()
    assert national.filter(structure=scene.elsewhere).exists()
    assert Deadline.objects.get(rule=own).due_on == dt.date(2027, 6, 10)
    deadlines_instantiate(year=YEAR)
    assert not national.filter(structure=scene.structure).exists()
    html = client.get(reverse("reporting:rule_list")).content.decode()
    assert "заменено правилом региона" in html and "вместо общего «Анализ работы" in html

    # Switched off, the region's rule withdraws its deadline and the national one applies again.
    client.post(reverse("reporting:rule_switch", args=[own.pk]), {"active": "0"})
    assert not Deadline.objects.filter(rule=own).exists()
    assert national.filter(structure=scene.structure).exists()


def test_a_changed_date_moves_the_deadlines_not_yet_handed_in(client):
    scene = Scene()
    deadlines_instantiate(year=YEAR)
    pending = Deadline.objects.get(rule=scene.rule, structure=scene.structure)
    delivered_host = OrganisationFactory(municipality=scene.municipality)
    handed = Deadline.objects.create(
        rule=scene.rule,
        structure=StructureFactory(kind=kind("S5"), host=delivered_host),
        school_year=2026,
        due_on=dt.date(2027, 5, 20),
        delivered_at=TODAY,
    )
    client.force_login(scene.people["coordinator"])

    response = client.post(reverse("reporting:rule_edit", args=[scene.rule.pk]), _edit(scene))

    assert response.status_code == 302
    pending.refresh_from_db()
    handed.refresh_from_db()
    assert pending.due_on == dt.date(2027, 6, 25)
    assert handed.due_on == dt.date(2027, 5, 20)


def test_switching_off_keeps_a_deadline_with_a_report_started(client):
    scene = Scene()
    deadlines_instantiate(year=YEAR)
    deadline = Deadline.objects.get(rule=scene.rule, structure=scene.structure)
    Report.objects.create(
        structure=scene.structure, school_year=2026, deadline=deadline, title="Отчёт"
    )
    client.force_login(scene.people["coordinator"])

    client.post(reverse("reporting:rule_switch", args=[scene.rule.pk]), {"active": "0"})

    assert Deadline.objects.filter(pk=deadline.pk).exists()
    scene.rule.refresh_from_db()
    assert not scene.rule.is_active
    client.post(reverse("reporting:rule_switch", args=[scene.rule.pk]), {"active": "1"})
    scene.rule.refresh_from_db()
    assert scene.rule.is_active


# --- Bad input, field by field --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"due_day": "31", "due_month": "2"}, "due_day", "В этом месяце 28 дней"),
        ({"due_day": "31", "due_month": "4"}, "due_day", "от 1 до 30"),
        ({"due_day": "29", "due_month": "2"}, "due_day", "29 февраля бывает не каждый год"),
        ({"due_day": "0"}, "due_day", "от 1 до 30"),
        ({"due_day": ""}, "due_day", "Укажите день срока."),
        ({"due_month": "13"}, "due_month", "Выберите корректный вариант"),
        ({"kind": ""}, "kind", "Укажите вид структуры или программу."),
        ({"deliverer_role": Role.CURATOR}, "deliverer_role", "нет роли «Куратор»"),
        ({"title": "  "}, "title", "Напишите, что сдаётся."),
        ({"recipient": ""}, "recipient", "Укажите, кому сдаётся."),
        ({"kind": "S1"}, "replaces", "выберите тот же вид структуры"),
    ],
)
def test_bad_input_is_named_at_its_field_and_the_rest_is_kept(client, changes, field, words):
    scene = Scene()
    client.force_login(scene.people["coordinator"])
    if changes.get("kind") == "S1":
        changes = {"kind": kind("S1").pk, "deliverer_role": Role.COORDINATOR}
        changes["replaces"] = scene.national.pk

    response = client.post(reverse("reporting:rule_create"), new_rule(scene, **changes))

    assert response.status_code == 400
    errors = response.context["form"].errors
    assert words in " ".join(errors[field]), errors
    kept = "Министерство образования Тульской области" if field != "recipient" else "наставничестве"
    assert kept in response.content.decode()
    assert not _made(scene)


def test_a_programme_of_another_region_is_refused(client):
    scene = Scene()
    foreign = ProgrammeFactory(region=scene.other_region)
    client.force_login(scene.people["coordinator"])

    response = client.post(
        reverse("reporting:rule_create"), new_rule(scene, kind="", programme=foreign.pk)
    )

    assert response.status_code == 400
    assert "programme" in response.context["form"].errors


def test_one_national_rule_is_replaced_once_in_a_region(client):
    scene = Scene()
    client.force_login(scene.people["coordinator"])
    data = new_rule(scene, replaces=scene.national.pk)
    assert client.post(reverse("reporting:rule_create"), data).status_code == 302

    data["title"] = "Ещё одна замена"
    response = client.post(reverse("reporting:rule_create"), data)

    assert response.status_code == 400
    assert (
        "уже заменено правилом «Отчёт о наставничестве»"
        in response.context["form"].errors["replaces"][0]
    )


def test_a_regions_rule_names_deliverers_in_its_region_only():
    """A member is shown the reports of his structure when a rule names his role as deliverer;
    another region's own rule does not."""
    from networks.permissions import access_to
    from reporting.permissions import can_read_reports

    scene = Scene()
    member = MembershipFactory(structure=scene.elsewhere, role=Role.MEMBER).user
    DeadlineRule.objects.create(
        title="Отчёт участника",
        deliverable="report",
        kind=kind("S5"),
        region=scene.region,
        due_month=6,
        due_day=1,
        deliverer_role=Role.MEMBER,
        recipient="ЦНППМ",
    )

    assert not can_read_reports(access_to(member, scene.elsewhere), scene.elsewhere)
    local = MembershipFactory(structure=scene.structure, role=Role.MEMBER).user
    assert can_read_reports(access_to(local, scene.structure), scene.structure)


def test_the_summary_by_deadline_offers_the_regions_own_rules_not_another_regions(client):
    scene = Scene()
    client.force_login(scene.people["methodist"])
    page = reverse("reporting:summary_deadline")

    html = client.get(page, {"region": scene.region.pk}).content.decode()
    assert "Методический отчёт объединения" in html

    client.force_login(scene.people["other_coordinator"])
    html = client.get(page, {"region": scene.other_region.pk}).content.decode()
    assert "Методический отчёт объединения" not in html
    assert "Анализ работы межшкольного объединения" in html
