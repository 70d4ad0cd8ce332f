"""A structure's public page (issue 16; communities/public/): read without signing in, only while
the coordinator has it on, with names only of people who consented to show them (152-ФЗ
ст. 10.1), cacheable over HTTP (Cache-Control, ETag, 304, no Vary: Cookie), in a pinned number of
queries. The switch's permission table is tests/communities/test_permission_table_public.py."""

from __future__ import annotations

import copy
import datetime as dt
import re

import pytest
import time_machine
from django.core.files.base import ContentFile
from django.urls import reverse

from communities.models import Plan
from networks.account.services import consent_give, consent_withdraw
from networks.models import ClosingReason, ConsentKind, Role
from networks.schoolyear import SchoolYear
from networks.services import structure_close
from tests.factories import (
    EventFactory,
    MembershipFactory,
    OrderFactory,
    PlanFactory,
    PlanItemFactory,
    RegionFactory,
    StructureFactory,
    UserFactory,
    kind,
)
from tests.helpers import rolled_back_at_the_end

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 11, 20, 10, 0, tzinfo=dt.UTC)
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def _now():
    with time_machine.travel(NOW, tick=True):
        yield


def consenting(**extra):
    """Consented to both: to show the name to members and on the public pages (152-ФЗ ст. 10.1)."""
    return UserFactory(show_name_consent_at=NOW, public_name_consent_at=NOW, **extra)


@pytest.fixture(scope="module")
def _built_community(django_db_setup, django_db_blocker):
    """The community built once per test module inside a transaction rolled back at the module's
    end; each test changes it in a savepoint of its own. Built at NOW, as the tests run (the plan's
    school year is today's); its two files stay in the suite's in-memory storage
    (config/settings/test.py), which a test's MEDIA_ROOT does not replace."""
    with rolled_back_at_the_end(django_db_blocker):
        with time_machine.travel(NOW, tick=True):
            structure = build_community()
        yield structure


@pytest.fixture
def community(_built_community, db):
    """An open S1 community, public, with its files, a coordinator who consented to show the name,
    an approved plan of the year and events of every status."""
    return copy.deepcopy(_built_community)


def build_community():
    region = RegionFactory(code="34", name="Волгоградская область")
    order = OrderFactory(
        issuer__region=region,
        issuer__municipality__region=region,
        number="129",
        date=dt.date(2021, 5, 29),
        title="О создании профессионального сообщества",
    )
    order.file.save("prikaz-129.pdf", ContentFile(PDF), save=True)
    structure = StructureFactory(
        kind=kind("S1"),
        name="Мастерская управления",
        founding_order=order,
        host__region=region,
        host__municipality__region=region,
        host__full_name="ГАУ ДПО «Волгоградская государственная академия последипломного образования»",
        regulation_title="Положение о сообществе",
        public_page=True,
    )
    structure.regulation_file.save("polozhenie.docx", ContentFile(b"PK\x03\x04 docx"), save=True)
    MembershipFactory(
        structure=structure,
        role=Role.COORDINATOR,
        user=consenting(last_name="Голованова", first_name="Светлана", patronymic="Викторовна"),
        since=dt.date(2021, 5, 29),
    )
    MembershipFactory(
        structure=structure,
        role=Role.MEMBER,
        user=UserFactory(last_name="Колесников", show_name_consent_at=None),
    )
    year = SchoolYear.current().start
    plan = PlanFactory(structure=structure, school_year=year, status=Plan.Status.APPROVED)
    PlanItemFactory(plan=plan, title="Стратегическая сессия управленческих команд")
    PlanItemFactory(plan=plan, title="Семинар о профилактике рисков")
    draft = PlanFactory(structure=structure, school_year=year, version=2, previous=plan)
    PlanItemFactory(plan=draft, title="Пункт черновика, ещё не утверждённый")
    soon = NOW + dt.timedelta(days=5)
    EventFactory(structure=structure, title="Заседание о планах", starts_at=soon)
    EventFactory(
        structure=structure, title="Отменённый семинар", starts_at=soon, status="cancelled"
    )
    EventFactory(structure=structure, title="Предложение школы", starts_at=soon, status="proposed")
    EventFactory(
        structure=structure,
        title="Прошедшее заседание",
        starts_at=NOW - dt.timedelta(days=3),
        status="held",
    )
    return structure


def page(client, structure, **headers):
    return client.get(reverse("public:structure", args=[structure.pk]), **headers)


# --- What anybody reads ---------------------------------------------------------------------------


def test_anonymous_reads_the_public_page_with_order_plan_events_and_join_button(client, community):
    response = page(client, community)
    assert response.status_code == 200
    text = response.content.decode()
    assert "Мастерская управления" in text
    assert (
        "№ 129" in text
        and "29.05.2021" in text
        and "О создании профессионального сообщества" in text
    )
    assert "Положение о сообществе" in text
    assert reverse("public:order_file", args=[community.pk]) in text
    assert reverse("public:regulation_file", args=[community.pk]) in text
    assert "Волгоградская государственная академия" in text
    assert "Стратегическая сессия управленческих команд" in text
    assert "Пункт черновика" not in text
    assert "Заседание о планах" in text
    for hidden in ("Отменённый семинар", "Предложение школы", "Прошедшее заседание"):
        assert hidden not in text
    assert "Зарегистрироваться и вступить" in text
    join = reverse("communities:join", args=[community.pk])
    assert f"{reverse('account_signup')}?next={join.replace('/', '%2F')}" in text


def test_the_join_link_takes_a_signed_in_visitor_straight_to_the_join_page(client, community):
    """The page does not know who reads it: allauth sends a signed-in visitor of the sign-up page
    on to `next`."""
    client.force_login(UserFactory())
    join = reverse("communities:join", args=[community.pk])
    response = client.get(reverse("account_signup"), {"next": join})
    assert response.status_code == 302
    assert response["Location"] == join


def test_anonymous_downloads_the_order_and_the_regulation_while_the_page_is_on(client, community):
    order = client.get(reverse("public:order_file", args=[community.pk]))
    assert order.status_code == 200
    assert b"".join(order.streaming_content) == PDF
    assert order["Content-Type"] == "application/pdf"
    assert order["Content-Disposition"].startswith("inline")
    regulation = client.get(reverse("public:regulation_file", args=[community.pk]))
    assert regulation.status_code == 200
    assert regulation["Content-Disposition"].startswith("attachment")
    assert "Cookie" not in regulation.get("Vary", "")


def test_a_page_that_is_off_and_its_files_are_404(client, community):
    community.public_page = False
    community.save()
    for name in ("public:structure", "public:order_file", "public:regulation_file"):
        assert client.get(reverse(name, args=[community.pk])).status_code == 404
    assert client.get(reverse("public:structure", args=[community.pk + 1000])).status_code == 404


def test_a_missing_file_is_404(client, community):
    community.regulation_file = ""
    community.save()
    assert client.get(reverse("public:regulation_file", args=[community.pk])).status_code == 404


def test_a_person_without_consent_is_never_named(client, community):
    coordinator = community.memberships.get(role=Role.COORDINATOR).user
    coordinator.show_name_consent_at = coordinator.public_name_consent_at = None
    coordinator.save()
    text = page(client, community).content.decode()
    assert "Голованова" not in text
    assert "Колесников" not in text  # a member: never on the page
    assert "Координатор" in text and "через базовую организацию" in text


def test_the_consent_to_show_the_name_to_members_does_not_name_anyone_publicly(client, community):
    """152-ФЗ ст. 10.1: the open web needs its own consent; «показывать другим участникам
    структур» does not cover it."""
    coordinator = community.memberships.get(role=Role.COORDINATOR).user
    coordinator.public_name_consent_at = None
    coordinator.save()
    assert coordinator.shows_name
    text = page(client, community).content.decode()
    assert "Голованова" not in text
    assert "Координатор" in text and "через базовую организацию" in text


def test_a_person_with_the_public_consent_is_named_as_the_contact(client, community):
    coordinator = community.memberships.get(role=Role.COORDINATOR).user
    text = page(client, community).content.decode()
    assert "Голованова Светлана Викторовна" in text
    assert str(coordinator.organisation) in text
    assert "Колесников" not in text


def test_giving_and_withdrawing_the_public_consent_in_the_profile_changes_the_page_and_etag(
    client, community
):
    coordinator = community.memberships.get(role=Role.COORDINATOR).user
    consent_withdraw(user=coordinator, kind=ConsentKind.PUBLIC_NAME)
    hidden = page(client, community)
    assert "Голованова" not in hidden.content.decode()

    consent_give(user=coordinator, kind=ConsentKind.PUBLIC_NAME)
    named = page(client, community, HTTP_IF_NONE_MATCH=hidden["ETag"])
    assert named.status_code == 200 and named["ETag"] != hidden["ETag"]
    assert "Голованова Светлана Викторовна" in named.content.decode()

    consent_withdraw(user=coordinator, kind=ConsentKind.PUBLIC_NAME)
    withdrawn = page(client, community, HTTP_IF_NONE_MATCH=named["ETag"])
    assert withdrawn.status_code == 200 and withdrawn["ETag"] != named["ETag"]
    assert "Голованова" not in withdrawn.content.decode()


def test_a_deleted_account_is_never_named_whatever_it_consented_to(client, community):
    coordinator = community.memberships.get(role=Role.COORDINATOR).user
    coordinator.anonymised_at = NOW
    coordinator.save()
    assert "Голованова" not in page(client, community).content.decode()


def test_a_closed_structure_says_since_when_and_offers_no_button(client, community):
    structure_close(structure=community, on=dt.date(2026, 6, 30), reason=ClosingReason.TERM_ENDED)
    text = page(client, community).content.decode()
    assert "прекратила деятельность 30.06.2026" in text
    assert "Зарегистрироваться и вступить" not in text


def test_a_kind_without_open_membership_offers_no_join_button(client):
    council = StructureFactory(kind=kind("S2"), public_page=True)
    text = page(client, council).content.decode()
    assert "Зарегистрироваться и вступить" not in text
    assert "заявку на вступление подать нельзя" in text


# --- HTTP caching ---------------------------------------------------------------------------------


def test_the_page_is_public_for_five_minutes_with_an_etag_and_no_vary_cookie(client, community):
    response = page(client, community)
    control = {part.strip() for part in response["Cache-Control"].split(",")}
    assert control == {"public", "max-age=300"}
    assert re.fullmatch(r'"[0-9a-f]{32}"', response["ETag"])
    assert "Cookie" not in response.get("Vary", "")
    assert "Set-Cookie" not in response.headers
    assert not response.cookies


def test_a_signed_in_visitor_gets_the_same_page_without_vary_cookie(client, community):
    etag = page(client, community)["ETag"]
    client.force_login(UserFactory())
    client.cookies["django_language"] = "en"
    response = page(client, community)
    assert response["ETag"] == etag
    assert "Cookie" not in response.get("Vary", "")
    assert not response.cookies


def test_if_none_match_answers_304_until_something_shown_changes(client, community):
    etag = page(client, community)["ETag"]
    not_modified = page(client, community, HTTP_IF_NONE_MATCH=etag)
    assert not_modified.status_code == 304
    assert not_modified["ETag"] == etag
    assert "max-age=300" in not_modified["Cache-Control"]
    assert not not_modified.content

    EventFactory(structure=community, title="Новый вебинар", starts_at=NOW + dt.timedelta(days=9))
    changed = page(client, community, HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200
    assert changed["ETag"] != etag
    assert "Новый вебинар" in changed.content.decode()


def test_the_etag_follows_the_structure_the_plan_and_the_day(client, community):
    first = page(client, community)["ETag"]
    community.name = "Мастерская управления «Траектория»"
    community.save()
    renamed = page(client, community)["ETag"]
    assert renamed != first
    Plan.objects.filter(structure=community, version=2).get().delete()
    assert page(client, community)["ETag"] != renamed
    before = page(client, community)["ETag"]
    with time_machine.travel(NOW + dt.timedelta(days=1)):
        assert page(client, community)["ETag"] != before


def test_the_region_lists_answer_304_and_change_when_a_page_is_switched(client, community):
    for url in (reverse("public:regions"), reverse("public:region", args=["34"])):
        response = client.get(url)
        assert response.status_code == 200
        assert "Cookie" not in response.get("Vary", "")
        assert client.get(url, HTTP_IF_NONE_MATCH=response["ETag"]).status_code == 304
        community.public_page = False
        community.save()
        assert client.get(url, HTTP_IF_NONE_MATCH=response["ETag"]).status_code == 200
        community.public_page = True
        community.save()


# --- The lists ------------------------------------------------------------------------------------


def test_the_regions_list_links_the_regions_with_public_pages(client, community):
    StructureFactory(name="Закрытая от глаз структура")  # another region, page off
    text = client.get(reverse("public:regions")).content.decode()
    assert "Сетевые сообщества открыты для всех" in text
    assert reverse("public:region", args=["34"]) in text
    assert "Волгоградская область" in text
    assert re.findall(r'href="(/p/\w+/)"', text) == [reverse("public:region", args=["34"])]


def test_the_region_lists_its_public_structures_grouped_by_kind(client, community):
    region = community.region
    council = StructureFactory(
        kind=kind("S2"),
        name="Совет региона",
        public_page=True,
        host__region=region,
        host__municipality__region=region,
    )
    StructureFactory(
        kind=kind("S5"),
        name="Объединение без открытой страницы",
        host__region=region,
        host__municipality__region=region,
    )
    response = client.get(reverse("public:region", args=[region.code]))
    text = response.content.decode()
    assert reverse("public:structure", args=[community.pk]) in text
    assert reverse("public:structure", args=[council.pk]) in text
    assert "Объединение без открытой страницы" not in text
    headings = re.findall(r'<h2 class="h5" id="kind-\d+">(.+?)</h2>', text)
    assert headings == [
        k.name_plural[0].upper() + k.name_plural[1:] for k in (kind("S1"), kind("S2"))
    ]


def test_an_unknown_region_is_404(client):
    # Letters: RegionFactory's codes are 100–999, and "999" existed after enough regions.
    assert client.get(reverse("public:region", args=["ZZ9"])).status_code == 404


def test_the_sign_in_page_links_the_public_pages(client):
    text = client.get(reverse("account_login")).content.decode()
    assert "Сетевые сообщества открыты для всех" in text
    assert f'href="{reverse("public:regions")}"' in text
    # What / shows an anonymous visitor: the sign-in page.
    assert client.get("/", follow=True).content.decode().count(reverse("public:regions")) >= 1


# --- Queries --------------------------------------------------------------------------------------


def _more_of_everything(structure, n):
    for i in range(n):
        MembershipFactory(structure=structure, role=Role.MEMBER)
        EventFactory(
            structure=structure, title=f"Семинар {i}", starts_at=NOW + dt.timedelta(days=i + 1)
        )
    plan = Plan.objects.get(structure=structure, status=Plan.Status.APPROVED)
    PlanItemFactory.create_batch(n, plan=plan)


def test_the_structure_page_runs_a_fixed_number_of_queries(
    client, community, django_assert_num_queries, django_assert_max_num_queries
):
    page(client, community)  # warm-up: kinds, templates
    with django_assert_max_num_queries(10) as small:
        page(client, community)
    _more_of_everything(community, 10)
    with django_assert_num_queries(len(small.captured_queries)):
        page(client, community)


def test_the_region_lists_run_a_fixed_number_of_queries(
    client, community, django_assert_num_queries, django_assert_max_num_queries
):
    url = reverse("public:region", args=[community.region.code])
    client.get(url)
    with django_assert_max_num_queries(10) as small:
        client.get(url)
    with django_assert_max_num_queries(10):
        client.get(reverse("public:regions"))
    for _ in range(10):
        StructureFactory(
            public_page=True,
            host__region=community.region,
            host__municipality__region=community.region,
        )
    with django_assert_num_queries(len(small.captured_queries)):
        client.get(url)


def test_a_304_runs_only_the_etag_queries(client, community, django_assert_max_num_queries):
    etag = page(client, community)["ETag"]
    with django_assert_max_num_queries(2):
        assert page(client, community, HTTP_IF_NONE_MATCH=etag).status_code == 304


# --- The switch on the structure's own page -------------------------------------------------------


def test_the_territory_coordinator_sees_the_switch_and_the_public_address(client, community):
    from networks.models import TerritoryRole
    from tests.factories import TerritoryRoleFactory

    coordinator = TerritoryRoleFactory(
        role=TerritoryRole.Role.COORDINATOR, region=community.region
    ).user
    client.force_login(coordinator)
    text = client.get(reverse("networks:structure_detail", args=[community.pk])).content.decode()
    assert "Выключить открытую страницу" in text
    assert f"http://testserver{reverse('public:structure', args=[community.pk])}" in text

    response = client.post(reverse("public:switch", args=[community.pk]), {"public_page": "0"})
    assert response.status_code == 302
    community.refresh_from_db()
    assert not community.public_page
    text = client.get(reverse("networks:structure_detail", args=[community.pk])).content.decode()
    assert "Включить открытую страницу" in text


# --- The demo -------------------------------------------------------------------------------------


def test_head_is_answered_like_get(client, community):
    response = client.head(reverse("public:structure", args=[community.pk]))
    assert response.status_code == 200
    assert response["ETag"] == page(client, community)["ETag"]
