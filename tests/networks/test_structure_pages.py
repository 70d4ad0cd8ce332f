import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from networks.models import Role
from tests.factories import (
    MembershipFactory,
    MunicipalityFactory,
    OrderFactory,
    OrganisationFactory,
    OrganisationStatusFactory,
    ProgrammeFactory,
    RegionFactory,
    StructureFactory,
    TerritoryRoleFactory,
    UserFactory,
    kind,
)

pytestmark = pytest.mark.django_db

LIST = reverse("networks:structure_list")


@pytest.fixture
def reader(client):
    user = UserFactory(email="reader@school.example")
    client.force_login(user)
    return user


def detail_url(structure, **query):
    url = reverse("networks:structure_detail", args=[structure.pk])
    if query:
        url += "?" + "&".join(f"{k}={v}" for k, v in query.items())
    return url


def count_queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def make_structures(n, **kwargs):
    structures = StructureFactory.create_batch(n, **kwargs)
    for structure in structures:
        MembershipFactory.create_batch(3, structure=structure)
    return structures


# --- Anonymous visitors ---------------------------------------------------------------------


@pytest.mark.parametrize("name", ["home", "networks:structure_list"])
def test_anonymous_visitor_is_sent_to_sign_in(client, name):
    url = reverse(name)
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('account_login')}?next={url}"


def test_anonymous_visitor_is_sent_to_sign_in_from_a_structure(client):
    structure = StructureFactory()
    response = client.get(detail_url(structure))
    assert response.status_code == 302 and response["Location"].startswith(reverse("account_login"))


def test_sign_in_by_email_and_the_page_speaks_russian(client):
    UserFactory(email="direktor@school.example")
    page = client.get(reverse("account_login"))
    assert '<html lang="ru">' in page.content.decode()
    assert "Электронная почта" in page.content.decode()
    response = client.post(
        reverse("account_login"), {"login": "direktor@school.example", "password": "pass-Word-2026"}
    )
    assert response.status_code == 302 and response["Location"] == reverse("home")


def test_failed_sign_in_does_not_tell_whether_the_address_exists(client):
    UserFactory(email="direktor@school.example")
    known = client.post(
        reverse("account_login"), {"login": "direktor@school.example", "password": "x"}
    )
    unknown = client.post(
        reverse("account_login"), {"login": "nobody@school.example", "password": "x"}
    )
    assert known.status_code == unknown.status_code == 200
    assert known.context["form"].non_field_errors() == unknown.context["form"].non_field_errors()
    assert "nobody@school.example" in unknown.content.decode()  # what was typed is kept


# --- The list -------------------------------------------------------------------------------


def test_list_shows_structures_with_kind_territory_host_and_member_count(client, reader):
    structure = StructureFactory(name="Межшкольное объединение руководителей")
    MembershipFactory.create_batch(2, structure=structure)
    ended = MembershipFactory(structure=structure, until=dt.date(2021, 1, 1))
    assert ended.until
    response = client.get(LIST)
    html = response.content.decode()
    assert "Межшкольное объединение руководителей" in html
    assert structure.kind.name in html and structure.region.name in html
    assert response.context["page"].object_list[0].member_count == 2


def test_search_by_part_of_the_name_ignores_case_in_cyrillic(client, reader):
    StructureFactory(kind=kind("S1"), name="Мастерская управления «Траектория развития школы»")
    StructureFactory(name="Межшкольное объединение")
    response = client.get(LIST, {"q": "мастерская ТРАЕКТОРИЯ"})
    names = [s.name for s in response.context["page"].object_list]
    assert names == ["Мастерская управления «Траектория развития школы»"]


def test_filters_by_region_municipality_kind_and_host(client, reader):
    tula = MunicipalityFactory(name="город Тула")
    tula_host = OrganisationFactory(municipality=tula, short_name="ЦНППМ г. Тулы")
    in_tula = StructureFactory(kind=kind("S2"), host=tula_host, name="Совет «РОСТ»")
    elsewhere = StructureFactory(kind=kind("S5"))
    cases = [
        {"region": tula.region.pk},
        {"municipality": tula.pk},
        {"kind": kind("S2").pk},
        {"host": tula_host.pk},
    ]
    for query in cases:
        page = client.get(LIST, query).context["page"]
        assert [s.pk for s in page.object_list] == [in_tula.pk], query
    assert client.get(LIST, {"kind": kind("S5").pk}).context["page"].object_list[0] == elsewhere


def test_filter_by_school_year_keeps_structures_that_worked_in_it(client, reader):
    site = StructureFactory(
        kind=kind("S6"),
        name="Стажировочная площадка",
        term_start=dt.date(2021, 1, 1),
        term_end=dt.date(2023, 5, 31),
        topic="Наставничество",
    )
    later = StructureFactory(name="Новое объединение", established_on=dt.date(2024, 9, 1))

    def names(year):
        return [s.name for s in client.get(LIST, {"year": year}).context["page"].object_list]

    assert names(2020) == [site.name]
    assert names(2022) == [site.name]
    assert names(2024) == [later.name]


def test_bad_filter_value_says_so_and_keeps_the_rest(client, reader):
    response = client.get(LIST, {"region": "999999", "q": "совет"})
    form = response.context["filter"].form
    assert "region" in form.errors
    assert 'value="совет"' in response.content.decode()


def test_list_is_paginated(client, reader):
    StructureFactory.create_batch(30)
    first = client.get(LIST)
    second = client.get(LIST, {"page": 2})
    assert len(first.context["page"].object_list) == 25
    assert len(second.context["page"].object_list) == 5
    assert "Страница 1 из 2" in first.content.decode()


def test_list_query_count_does_not_grow_with_structures_or_members(client, reader):
    make_structures(3)
    small = count_queries(client, LIST)
    make_structures(30)
    large = count_queries(client, LIST)
    assert small == large
    assert large <= 10


def test_filtered_list_query_count_does_not_grow(client, reader):
    region = RegionFactory()
    make_structures(2, host=OrganisationFactory(municipality=MunicipalityFactory(region=region)))
    url = f"{LIST}?region={region.pk}&q=объединение&year=2020"
    small = count_queries(client, url)
    make_structures(20, host=OrganisationFactory(municipality=MunicipalityFactory(region=region)))
    assert count_queries(client, url) == small


# --- The structure page ---------------------------------------------------------------------


def test_detail_shows_founding_order_host_territory_programme_term_and_topic(client, reader):
    order = OrderFactory(
        kind="rasp",
        number="364-р",
        date=dt.date(2021, 3, 11),
        title="Об организации деятельности стажировочной площадки",
        issuer=OrganisationFactory(
            kind="authority", full_name="Комитет образования Приозерского района"
        ),
    )
    programme = ProgrammeFactory(
        title="Проект «Сетевое наставничество»",
        starts_on=dt.date(2021, 1, 1),
        ends_on=dt.date(2023, 5, 31),
    )
    site = StructureFactory(
        kind=kind("S6"),
        name="Муниципальная стажировочная площадка",
        founding_order=order,
        regulation_title="Положение о муниципальной стажировочной площадке",
        programme=programme,
        host=OrganisationFactory(full_name="МОУ «Средняя общеобразовательная школа № 4»"),
        term_start=dt.date(2021, 1, 1),
        term_end=dt.date(2023, 5, 31),
        topic="Повышение качества образования в ШНОР",
    )
    html = client.get(detail_url(site)).content.decode()
    for text in [
        "Распоряжение",
        "11.03.2021",
        "364-р",
        "Комитет образования Приозерского района",
        "«Об организации деятельности стажировочной площадки»",
        "Положение о муниципальной стажировочной площадке",
        "Проект «Сетевое наставничество», 01.01.2021 – 31.05.2023",
        "МОУ «Средняя общеобразовательная школа № 4»",
        site.region.name,
        "с 01.01.2021",
        "по 31.05.2023",
        "Повышение качества образования в ШНОР",
    ]:
        assert text in html, text


def test_detail_lists_members_with_role_organisation_and_its_status_that_year(client, reader):
    association = StructureFactory(kind=kind("S5"), established_on=dt.date(2020, 9, 16))
    school = OrganisationFactory(short_name="МБОУ «ЦО № 12»")
    OrganisationStatusFactory(organisation=school, school_year=2020, status="shnor")
    OrganisationStatusFactory(organisation=school, school_year=2020, status="sssu")
    OrganisationStatusFactory(organisation=school, school_year=2021, status="leader")
    head = UserFactory(
        last_name="Белова",
        first_name="Ирина",
        patronymic="Олеговна",
        organisation=school,
        show_name_consent_at=timezone.now(),
    )
    MembershipFactory(
        structure=association,
        user=head,
        role=Role.HEAD,
        since=dt.date(2020, 9, 20),
        elected_on=dt.date(2020, 9, 20),
    )
    response = client.get(detail_url(association, year=2020))
    html = response.content.decode()
    assert "Белова Ирина Олеговна" in html
    assert "Руководитель" in html and "избран(а) 20.09.2020" in html
    assert "МБОУ «ЦО № 12»" in html
    member, shows_name = response.context["members"][0]
    assert shows_name
    assert sorted(s.get_status_display() for s in member.user.organisation.year_statuses) == [
        "ШНОР",
        "ШССУ",
    ]
    next_year, _ = client.get(detail_url(association, year=2021)).context["members"][0]
    assert [s.get_status_display() for s in next_year.user.organisation.year_statuses] == [
        "Школа-лидер"
    ]


def test_detail_shows_members_of_the_chosen_year_only(client, reader):
    structure = StructureFactory(established_on=dt.date(2020, 9, 1))
    left = MembershipFactory(
        structure=structure, since=dt.date(2020, 9, 1), until=dt.date(2021, 6, 1)
    )
    joined = MembershipFactory(structure=structure, since=dt.date(2022, 9, 1))
    in_2020 = {m.pk for m, _ in client.get(detail_url(structure, year=2020)).context["members"]}
    in_2022 = {m.pk for m, _ in client.get(detail_url(structure, year=2022)).context["members"]}
    assert in_2020 == {left.pk} and in_2022 == {joined.pk}


def test_detail_shows_subcommunities_and_parent(client, reader):
    community = StructureFactory(kind=kind("S8"), name="Сетевое сообщество педагогов")
    maths = StructureFactory(kind=kind("S8"), parent=community, name="Учителя математики")
    assert "Учителя математики" in client.get(detail_url(community)).content.decode()
    parent_html = client.get(detail_url(maths)).content.decode()
    assert "Сетевое сообщество педагогов" in parent_html


def test_detail_of_a_closed_structure_says_when_and_why(client, reader):
    structure = StructureFactory(
        kind=kind("S6"),
        term_start=dt.date(2021, 1, 1),
        term_end=dt.date(2023, 5, 31),
        topic="Тема",
        closed_on=dt.date(2023, 5, 31),
        closing_reason="term_ended",
    )
    html = client.get(detail_url(structure)).content.decode()
    assert "Прекратила деятельность 31.05.2023" in html and "Истёк срок" in html


def test_unknown_structure_is_404(client, reader):
    assert client.get(reverse("networks:structure_detail", args=[987654])).status_code == 404


def test_detail_query_count_does_not_grow_with_members(client, reader):
    structure = StructureFactory(kind=kind("S8"), established_on=dt.date(2020, 9, 1))
    MembershipFactory.create_batch(2, structure=structure)
    StructureFactory(kind=kind("S8"), parent=structure)
    small = count_queries(client, detail_url(structure, year=2020))
    for membership in MembershipFactory.create_batch(20, structure=structure):
        OrganisationStatusFactory(organisation=membership.user.organisation, school_year=2020)
    StructureFactory.create_batch(5, kind=kind("S8"), parent=structure)
    large = count_queries(client, detail_url(structure, year=2020))
    assert small == large
    # The page gathers panels from every app (join requests, plans, events, materials, pairs,
    # statistics); what must hold is that the count does not grow with the data.
    assert large <= 20


# --- Names of members (the optional consent to show them) -----------------------------------


def test_members_see_each_other_only_with_consent_to_show_the_name(client, reader):
    structure = StructureFactory()
    hidden = MembershipFactory(structure=structure, user=UserFactory(last_name="Скрытова"))
    shown = MembershipFactory(
        structure=structure,
        user=UserFactory(last_name="Открытова", show_name_consent_at=timezone.now()),
    )
    MembershipFactory(structure=structure, user=reader)
    html = client.get(detail_url(structure)).content.decode()
    assert shown.user.full_name in html
    assert hidden.user.last_name not in html
    assert "Участник (имя скрыто)" in html
    assert hidden.user.organisation.short_name in html


def test_methodist_of_the_territory_sees_every_name(client):
    structure = StructureFactory()
    hidden = MembershipFactory(structure=structure, user=UserFactory(last_name="Скрытова"))
    methodist = TerritoryRoleFactory(region=structure.region).user
    client.force_login(methodist)
    assert hidden.user.full_name in client.get(detail_url(structure)).content.decode()


def test_a_person_sees_their_own_name(client):
    structure = StructureFactory()
    me = MembershipFactory(structure=structure, user=UserFactory(last_name="Самова")).user
    client.force_login(me)
    assert me.full_name in client.get(detail_url(structure)).content.decode()


def test_list_names_the_administrators_of_online_groups_without_more_queries_per_group(
    client, reader
):
    """Issue 16: a coordinator finds the groups an order founded in the list with their links and
    administrators: those the order names without an account, and members who agreed to show
    their name (a member without that consent stays unnamed)."""
    from networks.models import StructureContact

    def group(n):
        structure = StructureFactory(
            kind=kind("S3"), name=f"Группа {n}", platform_url=f"https://vk.com/group{n}"
        )
        StructureContact.objects.create(
            structure=structure, role=Role.ADMINISTRATOR, full_name=f"Разаренова{n} А.В."
        )
        shown = UserFactory(last_name=f"Открытова{n}", show_name_consent_at=timezone.now())
        hidden = UserFactory(last_name=f"Скрытова{n}", show_name_consent_at=None)
        MembershipFactory(structure=structure, user=shown, role=Role.ADMINISTRATOR)
        MembershipFactory(structure=structure, user=hidden, role=Role.ADMINISTRATOR)
        return structure

    group(1)
    small = count_queries(client, LIST)
    for n in range(2, 8):
        group(n)
    html = client.get(LIST).content.decode()
    assert "Разаренова1 А.В." in html and "Разаренова7 А.В." in html
    assert "Открытова1" in html
    assert "Скрытова1" not in html
    assert count_queries(client, LIST) == small
    assert small <= 12
