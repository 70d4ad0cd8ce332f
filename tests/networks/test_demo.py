"""`manage.py load_demo`: the structures of the five orders with their real names and orders, made-up
people, three demo logins, and a second run that changes nothing (`make run` runs it each time)."""

import datetime as dt
import re
from io import StringIO

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.db import transaction
from django.test import RequestFactory
from django.urls import reverse

from devdata.demo import DEMO_PASSWORD, load_demo
from networks.models import (
    ClosingReason,
    Membership,
    Municipality,
    Order,
    Organisation,
    OrganisationStatus,
    Programme,
    Region,
    Role,
    SchoolStatus,
    Structure,
    StructureKind,
    TerritoryRole,
    User,
)
from networks.schoolyear import SchoolYear
from networks.validators import inn_is_valid

# One worker for the module: its demo is loaded once per worker that runs a test of it (a module
# fixture), and a load takes ~5 s of CPU; spread over three workers it was loaded three times.
pytestmark = [pytest.mark.django_db, pytest.mark.xdist_group("demo")]

LOGINS = ["koordinator@demo.example.ru", "direktor@demo.example.ru", "metodist@demo.example.ru"]
COUNTED = [
    Region,
    Municipality,
    Organisation,
    OrganisationStatus,
    Order,
    Programme,
    Structure,
    Membership,
    User,
    TerritoryRole,
    EmailAddress,
]

# The twelve groups of the table in seed 001, Приложение 2: link → participant category.
VZHURNALE_LINKS = {
    "https://vk.com/club195082605": "Учителя математики, физики, астрономии, информатики и ИКТ",
    "https://vk.com/clubnobr71": "Учителя начальных классов",
    "https://vk.com/club195082240": "Старшие воспитатели, воспитатели, музыкальные руководители, "
    "инструкторы по физической культуре",
    "https://vk.com/club195082286": "Учителя иностранных языков, русского языка и литературы, "
    "истории и обществознания",
    "https://vk.com/club195082568": "Учителя химии, биологии, географии",
    "https://vk.com/club195082501": "Учителя основ мировых религиозных культур и основ "
    "духовно-нравственной культуры народов России, основ светской этики, основ православной "
    "культуры",
    "https://vk.com/club195082381": "Учителя изобразительного искусства, музыки, технологии",
    "https://vk.com/club195082418": "Учителя и преподаватели основ безопасности "
    "жизнедеятельности, учителя физической культуры, педагоги-психологи",
    "https://vk.com/club195082463": "Социальные педагоги, учителя-логопеды, учителя-дефектологи",
    "https://vk.com/club195082534": "Педагоги дополнительного образования",
    "https://vk.com/club198721238": "Классные руководители",
    "https://vk.com/club198721425": "Школьные библиотекари",
}


def run_command() -> str:
    out = StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


@pytest.fixture(scope="module")
def output(django_db_setup, django_db_blocker) -> str:
    """Loads once for the module (a load runs full_clean on some 300 rows), inside a transaction
    rolled back at the end; each test runs in its own savepoint within it, as usual."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield run_command()
        transaction.set_rollback(True)


def structure(code: str, name: str) -> Structure:
    return Structure.objects.get(kind__code=code, name=name)


def counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in COUNTED}


# First in the module, before the shared load of `output` below: this one needs an empty database.
def test_runs_in_the_founding_school_year_too():
    assert not Structure.objects.exists()
    # Should the current year be a founding year, the real list wins over the made-up one.
    load_demo(current_year=2020)
    before = counts()
    load_demo(current_year=2020)
    assert counts() == before
    assert set(
        OrganisationStatus.objects.filter(
            school_year=2020, organisation__region__code="71", status=SchoolStatus.SHNOR
        ).values_list("order__number", flat=True)
    ) == {"640"}


# --- What is loaded ---------------------------------------------------------------------------


def test_loads_structures_of_all_eight_kinds_each_with_members(output):
    codes = set(Structure.objects.values_list("kind__code", flat=True))
    assert codes == {"S1", "S2", "S3", "S4", "S5", "S6", "S7", "S8"}
    for s in Structure.objects.all():
        assert s.memberships.exists(), s.name
    assert structure("S1", 'Мастерская управления "Траектория развития школы"').platform_url == (
        "https://traektoriya34.ru/community/soobschestvo/"
    )
    assert structure("S2", "Консультационный совет «РОСТ»").host.short_name == "МКУ «ЦНППМ г. Тулы»"


@pytest.mark.parametrize(
    ("issuer", "kind", "number", "date", "title_start"),
    [
        ("ГАУ ДПО «ВГАПО»", Order.Kind.PRIKAZ, "129", dt.date(2021, 5, 29), "О создании"),
        ("МКУ «ЦНППМ г. Тулы»", Order.Kind.PRIKAZ, "83-а", dt.date(2020, 9, 16), "Об утверждении"),
        (
            "Комитет образования администрации Приозерского муниципального района",
            Order.Kind.RASPORYAZHENIE,
            "364-р",
            dt.date(2021, 3, 11),
            "Об организации деятельности стажировочной площадки",
        ),
        (
            "Управление образования, опеки и попечительства Администрации Дмитриевского района",
            Order.Kind.PRIKAZ,
            "1-139/1",
            dt.date(2017, 5, 22),
            "О создании муниципального центра",
        ),
        (
            "Управление образованием администрации МО Павловский район",
            Order.Kind.PRIKAZ,
            "79",
            dt.date(2022, 2, 11),
            "Об утверждении положения о сетевом сообществе",
        ),
    ],
)
def test_founding_orders_have_the_seed_numbers_and_dates(
    output, issuer, kind, number, date, title_start
):
    order = Order.objects.get(issuer__short_name=issuer, number=number)
    assert (order.kind, order.date) == (kind, date)
    assert order.title.startswith(title_start)
    assert order.founded_structures.exists()


def test_r_tul_a2_twelve_vzhurnale_groups_with_links_and_categories(output):
    umbrella = structure("S3", "Сетевые профессиональные группы Vk «Вжурнале»")
    groups = umbrella.children.all()
    assert {g.platform_url: g.participant_category for g in groups} == VZHURNALE_LINKS
    assert all(g.kind.code == "S3" and g.name.startswith("Вжурнале / ") for g in groups)
    physics = groups.get(platform_url="https://vk.com/club195082605")
    assert physics.name == "Вжурнале / дисциплины физико-математического цикла"
    admins = physics.memberships.filter(role=Role.ADMINISTRATOR).order_by("user__last_name")
    assert [(m.user.short_name, m.user.phone) for m in admins] == [
        ("Разаренова А.В.", "8-920-743-61-05"),
        ("Стародубцева А.В.", "8-910-555-74-40"),
    ]


def test_r_tul_a2_one_person_administers_several_groups_as_one_user(output):
    pudova = User.objects.get(last_name="Пудова")
    groups = pudova.memberships.filter(role=Role.ADMINISTRATOR).values_list(
        "structure__platform_url", flat=True
    )
    assert set(groups) == {"https://vk.com/clubnobr71", "https://vk.com/club195082240"}
    assert (pudova.position, pudova.organisation.short_name) == (
        "Главный специалист",
        "МКУ «ЦНППМ г. Тулы»",
    )


def test_r_pri_4_1_and_4_4_internship_site_has_term_and_topic_and_closed_at_term_end(output):
    site = Structure.objects.get(kind__code="S6")
    assert (site.term_start, site.term_end) == (dt.date(2021, 1, 1), dt.date(2023, 5, 31))
    assert "Сетевое наставничество" in site.topic
    assert site.host.short_name == "МОУ «СОШ № 4»"
    assert site.programme.period_label == "01.01.2021 – 31.05.2023"
    assert (site.closed_on, site.closing_reason) == (dt.date(2023, 5, 31), ClosingReason.TERM_ENDED)
    # Closing ended every membership on the same day; the members stay for past years' reports.
    assert set(site.memberships.values_list("until", flat=True)) == {dt.date(2023, 5, 31)}
    assert site.memberships.filter(role=Role.HEAD).count() == 1


def test_r_tul_a3_1_1_pairs_join_a_shnor_of_2020_21_and_a_partner(output):
    pairs = Structure.objects.filter(kind__code="S4")
    assert pairs.count() == 3
    list_640 = Order.objects.get(number="640", date=dt.date(2020, 5, 28))
    for pair in pairs:
        roles = dict(pair.memberships.values_list("role", "user__organisation"))
        assert set(roles) == {Role.CURATOR, Role.MENTOR, Role.MENTEE}
        mentee_status = OrganisationStatus.objects.get(
            organisation=roles[Role.MENTEE], school_year=2020, status=SchoolStatus.SHNOR
        )
        assert mentee_status.order == list_640
        assert not OrganisationStatus.objects.filter(
            organisation=roles[Role.MENTOR], school_year=2020, status=SchoolStatus.SHNOR
        ).exists()
        assert pair.name.startswith("Сетевая пара: ")


def test_r_tul_a4_4_1_association_head_is_elected(output):
    association = Structure.objects.get(kind__code="S5")
    head = association.memberships.get(role=Role.HEAD)
    assert head.elected_on is not None
    assert association.memberships.filter(role=Role.MEMBER).count() >= 4


def test_r_pav_1_9_subject_communities_are_moderated_by_tutors_of_leader_schools(output):
    community = Structure.objects.get(kind__code="S8", parent__isnull=True)
    subjects = community.children.all()
    assert subjects.count() >= 3
    for subject in subjects:
        moderator = subject.memberships.get(role=Role.MODERATOR)
        year = SchoolYear.of(moderator.since).start
        assert moderator.user.organisation.statuses.filter(
            school_year=year, status=SchoolStatus.LEADER
        ).exists()
        assert subject.memberships.filter(role=Role.MEMBER).exists()


def test_r_dmi_1_3_centre_is_a_unit_of_its_host_school_run_by_its_director(output):
    centre = Structure.objects.get(kind__code="S7")
    assert centre.host.short_name == "МКОУ «СОШ № 2 г. Дмитриева»"
    assert centre.memberships.get(role=Role.HEAD).user.short_name == "Крюкова В.И."
    assert centre.memberships.filter(role=Role.WORKING_GROUP).exists()


def test_statuses_cite_their_list_and_never_mix_leader_with_shnor(output):
    tula_2020 = OrganisationStatus.objects.filter(
        school_year=2020, organisation__region__code="71", status=SchoolStatus.SHNOR
    )
    assert tula_2020.exists()
    assert set(tula_2020.values_list("order__number", flat=True)) == {"640"}
    assert not OrganisationStatus.objects.filter(order__isnull=True).exists()
    current = SchoolYear.current().start
    assert OrganisationStatus.objects.filter(school_year=current).exists()
    for status in OrganisationStatus.objects.all():
        status.full_clean()  # OrganisationStatus.clean refuses a leader that is also ШНОР/ШССУ


def test_every_school_year_from_the_founding_list_to_now_has_its_statuses(output):
    # Issue 18: the demo's story shows last year's reports; a year without lists counted no
    # ШНОР, ШССУ or leader at all.
    current = SchoolYear.current().start
    founding = {"34": 2020, "71": 2020, "47": 2020, "46": 2016, "23": 2021}
    for region, first in founding.items():
        for year in range(first, current + 1):
            found = set(
                OrganisationStatus.objects.filter(
                    school_year=year, organisation__region__code=region
                ).values_list("status", flat=True)
            )
            assert found, (region, year)
    tula_last = OrganisationStatus.objects.filter(
        school_year=current - 1, organisation__region__code="71"
    )
    assert {SchoolStatus.SHNOR, SchoolStatus.SSSU, SchoolStatus.LEADER} <= set(
        tula_last.values_list("status", flat=True)
    )
    assert {s.order.date for s in tula_last.select_related("order")} == {
        dt.date(current - 1, 8, 25)
    }


def test_every_loaded_structure_and_membership_passes_full_clean(output):
    for s in Structure.objects.all():
        s.full_clean()
    for m in Membership.objects.select_related("structure__kind", "user__organisation"):
        m.full_clean()


def test_organisations_have_valid_inn_and_regions_their_time_zones(output):
    inns = list(Organisation.objects.values_list("inn", flat=True))
    assert inns and all(inn_is_valid(inn) for inn in inns)
    assert Region.objects.get(code="34").timezone == "Europe/Volgograd"
    assert Region.objects.get(code="23").name == "Краснодарский край"


# --- Idempotency ------------------------------------------------------------------------------


def test_second_run_creates_and_changes_nothing(output):
    """Nor the kinds table, though networks/kinds.py's S3 row names `event_plan_roles`, which is
    no column yet (communities' permissions read it from the data): sync_kinds skips it, so no
    kind is rewritten on a start."""
    assert not hasattr(StructureKind.objects.get(code="S3"), "event_plan_roles")
    before = counts()
    stamps = dict(Structure.objects.values_list("pk", "updated_at"))
    history = Structure.history.count() + Membership.history.count()
    kinds_history = StructureKind.history.count()
    again = run_command()
    assert counts() == before
    assert dict(Structure.objects.values_list("pk", "updated_at")) == stamps
    assert Structure.history.count() + Membership.history.count() == history
    assert StructureKind.history.count() == kinds_history
    assert "Создано: ничего." in again
    assert "Изменено: ничего." in again


# --- The demo logins --------------------------------------------------------------------------


def test_demo_logins_authenticate_with_the_printed_password(output):
    request = RequestFactory().post(reverse("account_login"))
    for email in LOGINS:
        assert email in output
        user = authenticate(request, email=email, password=DEMO_PASSWORD)
        assert user is not None and user.email == email
        assert user.pd_consent_at is not None
    assert f"пароль у всех один: {DEMO_PASSWORD}" in output
    assert output.rstrip().splitlines()[-1] == "Портал: http://127.0.0.1:8000"


def test_demo_login_signs_in_through_the_login_page(client, output):
    # ACCOUNT_EMAIL_VERIFICATION is mandatory: the demo addresses must be confirmed already.
    response = client.post(
        reverse("account_login"), {"login": LOGINS[1], "password": DEMO_PASSWORD}
    )
    assert response.status_code == 302
    assert response.url == reverse("home")


def test_rerun_restores_the_printed_password(output):
    user = User.objects.get(email=LOGINS[0])
    user.set_password("changed-Password-1")
    user.save()
    run_command()
    assert authenticate(RequestFactory().get("/"), email=LOGINS[0], password=DEMO_PASSWORD)


def test_coordinator_runs_the_tula_structures_on_the_portal_without_the_admin(client, output):
    # Issue 15: a staff coordinator with the networks permissions could make himself superuser in
    # the admin; now nobody in the demo is staff and the admin is for superusers only.
    coordinator = User.objects.get(email=LOGINS[0])
    assert not coordinator.is_staff and not coordinator.is_superuser
    assert coordinator.get_all_permissions() == set()
    assert not User.objects.filter(is_staff=True).exists()
    assert coordinator.territory_roles.filter(
        role=TerritoryRole.Role.COORDINATOR, region__code="71", municipality__name="город Тула"
    ).exists()
    roles = set(coordinator.memberships.values_list("structure__kind__code", "role"))
    assert {("S2", Role.CHAIR), ("S3", Role.ADMINISTRATOR), ("S4", Role.CURATOR)} <= roles
    assert ("S5", Role.COORDINATOR) in roles
    client.force_login(coordinator)
    assert client.get(reverse("networks:structure_list")).status_code == 200
    admin_page = client.get(reverse("admin:networks_structure_changelist"))
    assert admin_page.status_code == 302
    assert admin_page.url.startswith(reverse("admin:login"))
    assert "доступ к администрированию" not in output
    assert "только для суперпользователя: .venv/bin/python manage.py createsuperuser" in output


def test_director_leads_a_shnor_and_is_mentee_and_association_member(output):
    director = User.objects.get(email=LOGINS[1])
    assert director.position == "Директор"
    assert director.organisation.statuses.filter(
        school_year=2020, status=SchoolStatus.SHNOR
    ).exists()
    roles = set(director.memberships.values_list("structure__kind__code", "role"))
    assert {("S4", Role.MENTEE), ("S5", Role.MEMBER)} <= roles


def test_methodist_reads_the_city_of_tula(output):
    methodist = User.objects.get(email=LOGINS[2])
    assert methodist.organisation.short_name == "МКУ «ЦНППМ г. Тулы»"
    assert methodist.territory_roles.filter(
        role=TerritoryRole.Role.METHODIST, municipality__name="город Тула"
    ).exists()


def test_every_page_renders_for_the_demo_logins(client, output):
    for email in LOGINS:
        client.force_login(User.objects.get(email=email))
        assert client.get(reverse("home")).status_code == 200
        assert client.get(reverse("networks:structure_list")).status_code == 200
    for pk in Structure.objects.values_list("pk", flat=True):
        response = client.get(reverse("networks:structure_detail", args=[pk]))
        assert response.status_code == 200


def test_each_demo_home_page_links_each_structure_once(client, output):
    # Issue 20: the coordinator's home listed the «Вжурнале» groups three times. A structure's
    # page is linked once per home page, whatever blocks it appears in.
    for email in LOGINS:
        client.force_login(User.objects.get(email=email))
        html = client.get(reverse("home")).content.decode()
        linked = re.findall(r'href="/structures/(\d+)/"', html)
        repeated = {pk: linked.count(pk) for pk in set(linked) if linked.count(pk) > 1}
        assert linked and not repeated, (email, repeated)
