"""Issue 20, quality bar: the main pages of each role at 360 and 390 px (phones) and 1,280 px (a
laptop), in the ordinary version and in the version for the visually impaired (white on black at
the largest font; the other roles' pages in the other two schemes at the large font): the page
itself never scrolls sideways (a wide table scrolls inside its frame, which is then focusable),
buttons and fields are at least 44 px high on a phone, table cells keep their words whole, and
axe-core finds nothing serious or critical. The roles: a director, a methodist, a territory
coordinator, a pair's curator and mentor, an ordinary member and a visitor; each page is loaded
once per version and axe runs once per version (about a second of CPU a visit)."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from communities.models import Material
from networks.account.vision import Vision
from networks.models import Role, TerritoryRole
from networks.schoolyear import SchoolYear
from reporting.reminders import deadlines_instantiate
from tests.browser.conftest import assert_accessible, sign_in
from tests.factories import (
    EventFactory,
    MaterialFactory,
    MembershipFactory,
    MinutesFactory,
    MinutesItemFactory,
    OrganisationFactory,
    OrganisationStatusFactory,
    StructureFactory,
    TerritoryRoleFactory,
    UserFactory,
    kind,
    make_pair,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "pass-Word-2026"
WIDTHS = (360, 390, 1280)
WIDE = """() => [...document.querySelectorAll('body *')]
    .filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1
                 && !e.closest('.table-responsive'))
    .slice(0, 5)
    .map(e => e.tagName + '.' + e.className + ' ' + (e.textContent || '').trim().slice(0, 40))"""


# A table's frame that scrolls must be focusable, so that a keyboard scrolls it (axe
# scrollable-region-focusable; static/js/scroll-frames.js marks it once the frame's width changes).
UNREACHABLE = """() => [...document.querySelectorAll('.table-responsive')]
    .filter(f => f.scrollWidth > f.clientWidth + 1 && f.tabIndex < 0)
    .map(f => (f.querySelector('caption') || f).textContent.trim().slice(0, 40))"""
# Words split across two lines inside a table cell («Посет|ители»): a word's range then has a box
# on each line. Hyphenated words may break at their hyphen.
BROKEN_WORDS = """() => {
    const broken = [];
    for (const cell of document.querySelectorAll('main th, main td')) {
        const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
            for (const m of node.textContent.matchAll(/[^\\s\\-\u2010-\u2014\\/]+/g)) {
                const range = document.createRange();
                range.setStart(node, m.index);
                range.setEnd(node, m.index + m[0].length);
                const lines = new Set([...range.getClientRects()].map(r => Math.round(r.top)));
                if (lines.size > 1) broken.push(m[0]);
            }
        }
    }
    return broken.slice(0, 5);
}"""


# Buttons and form fields a finger must hit on a phone, lower than 44 px (issue 20; portal.css gives
# them min-height below 576 px). Only the visible ones: a folded section's are not drawn.
SMALL_TARGETS = """() => [...document.querySelectorAll('.btn, .form-control, .form-select')]
    .filter(e => { const r = e.getBoundingClientRect(); return r.height > 0 && r.height < 43.5; })
    .slice(0, 5)
    .map(e => e.tagName + ' «' + (e.textContent || e.name || '').trim().slice(0, 30) + '» '
              + Math.round(e.getBoundingClientRect().height) + ' px')"""


def fits(page, width: int) -> None:
    page.set_viewport_size({"width": width, "height": 900})
    page.locator("main h1").first.wait_for()
    assert page.evaluate(
        "document.scrollingElement.scrollWidth <= document.documentElement.clientWidth"
    ), f"{page.url} at {width} px is wider than the screen: {page.evaluate(WIDE)}"
    page.wait_for_function(f"() => ({UNREACHABLE})().length === 0")
    if width < 576:
        assert not page.evaluate(SMALL_TARGETS), (
            f"{page.url} at {width} px: buttons under 44 px: {page.evaluate(SMALL_TARGETS)}"
        )


def fits_in_large_letters(page) -> None:
    """The version for the visually impaired at 390 px: the page fits, table cells keep their
    words whole (the frame scrolls instead), axe finds nothing serious; then 1,280 px fits too."""
    fits(page, 390)
    assert not page.evaluate(BROKEN_WORDS), (
        f"{page.url}: words broken: {page.evaluate(BROKEN_WORDS)}"
    )
    assert_accessible(page)
    fits(page, 1280)


# Between the toggler's width (992 px) and 1,280 px the header's items once overflowed the page and
# squeezed the search box to 18 px: the header is every page's, so each sweep's first page is
# measured there too.
HEADER_WIDTH = 1024
# The sweeps' own roles see white on black at the largest font, letters spaced wide.
LARGEST_WB = "font=larger;scheme=wb;spacing=wide;images=on"


def sweep(page, live_server, paths: list[str]) -> None:
    for n, path in enumerate(paths):
        page.goto(live_server.url + path)
        for width in WIDTHS if n else (HEADER_WIDTH, *WIDTHS):
            fits(page, width)
        if not n and page.locator("#site-search").count():
            assert page.locator("#site-search").bounding_box()["width"] >= 150
        assert_accessible(page)  # at 1,280 px; the phone's layout is checked by width above


def sweep_in_large_letters(page, live_server, person, vision: str, paths: list[str]) -> None:
    """`person` chooses the version for the visually impaired `vision` (kept in the profile);
    each page shows it (the <html> classes) and fits in it."""
    person.vision = vision
    person.save(update_fields=["vision"])
    for path in paths:
        page.goto(live_server.url + path)
        expect(page.locator("html")).to_have_class(Vision.parse(vision).classes)
        fits_in_large_letters(page)


@pytest.fixture
def region_data():
    year = (
        timezone.localdate().year
        if timezone.localdate().month >= 9
        else timezone.localdate().year - 1
    )
    school = OrganisationFactory(
        short_name="МБОУ «Средняя общеобразовательная школа № 12 с углублённым изучением предметов»"
    )
    OrganisationStatusFactory(organisation=school, school_year=year, status="shnor")
    director = UserFactory(
        email="director@school.example",
        password=PASSWORD,
        organisation=school,
        position="Директор",
        last_name="Константинопольская",
    )
    association = StructureFactory(
        kind=kind("S5"),
        name="Межшкольное профессиональное объединение руководящих работников образовательных организаций",
        region=school.region,
        municipality=school.municipality,
        established_on=dt.date(year, 9, 10),
    )
    MembershipFactory(
        structure=association, user=director, role=Role.HEAD, since=dt.date(year, 9, 10)
    )
    for _n in range(6):
        MembershipFactory(structure=association, since=dt.date(year, 9, 10))
    event = EventFactory(
        structure=association,
        title="Заседание: анализ результатов всероссийских проверочных работ",
        starts_at=timezone.make_aware(dt.datetime(year, 10, 15, 15)),
        status="held",
    )
    minutes = MinutesFactory(event=event, date=dt.date(year, 10, 15))
    MinutesItemFactory(minutes=minutes)
    MaterialFactory(
        structure=association,
        title="Методические рекомендации по наставничеству",
        status=Material.Status.PUBLISHED,
    )
    pair = make_pair(
        year=year, mentee=director, region=school.region, municipality=school.municipality
    )
    methodist = UserFactory(email="methodist@school.example", password=PASSWORD)
    TerritoryRoleFactory(user=methodist, role=TerritoryRole.Role.METHODIST, region=school.region)
    coordinator = UserFactory(
        email="coordinator@region.example", password=PASSWORD, last_name="Верхнеднепровская"
    )
    TerritoryRoleFactory(
        user=coordinator, role=TerritoryRole.Role.COORDINATOR, region=school.region
    )
    # The year's deadlines: the summary names each in a visually hidden text, which once escaped
    # the table's frame and made the page 1,478 px wide at 390 px.
    deadlines_instantiate(year=SchoolYear(year))
    return {
        "director": director,
        "methodist": methodist,
        "coordinator": coordinator,
        "association": association,
        "event": event,
        "minutes": minutes,
        "pair": pair,
    }


def test_a_directors_pages_fit_a_phone_and_a_laptop_in_both_versions(
    page, live_server, region_data
):
    association, pair = region_data["association"], region_data["pair"]
    paths = [
        reverse("home"),
        reverse("networks:structure_list"),
        reverse("networks:structure_detail", args=[association.pk]),
        reverse("communities:event_detail", args=[association.pk, region_data["event"].pk]),
        reverse("communities:minutes_detail", args=[association.pk, region_data["minutes"].pk]),
        reverse("mentoring:pair_detail", args=[pair.pk]),
        reverse("reporting:deadlines"),
        reverse("find:search") + "?q=наставничеству",
    ]
    sign_in(page, live_server, "director@school.example", PASSWORD, home=False)
    sweep(page, live_server, paths)

    sweep_in_large_letters(
        page, live_server, region_data["director"], LARGEST_WB, paths[:3] + paths[5:6]
    )


def test_a_methodists_pages_fit_a_phone_and_a_laptop_in_both_versions(
    page, live_server, region_data
):
    paths = [
        reverse("home"),
        reverse("reporting:summary"),
        reverse("networks:structure_detail", args=[region_data["association"].pk]),
    ]
    sign_in(page, live_server, "methodist@school.example", PASSWORD, home=False)
    sweep(page, live_server, paths)

    sweep_in_large_letters(page, live_server, region_data["methodist"], LARGEST_WB, paths[:2])


def test_a_coordinators_pages_fit_a_phone_and_a_laptop_in_both_versions(
    page, live_server, region_data
):
    association = region_data["association"]
    paths = [
        reverse("home"),
        reverse("networks:structure_list"),
        reverse("networks:structure_detail", args=[association.pk]),
        reverse("networks:manage:structure_create"),
        reverse("networks:orders:order_list"),
        # The territory's summary is the methodist's page, same view and data: checked above.
        reverse("reporting:summary_deadline"),
    ]
    sign_in(page, live_server, "coordinator@region.example", PASSWORD, home=False)
    sweep(page, live_server, paths)

    sweep_in_large_letters(
        page, live_server, region_data["coordinator"], LARGEST_WB, paths[:1] + paths[3:]
    )


def test_the_other_roles_and_the_coordinators_other_pages_fit_in_both_versions(
    page, live_server, region_data
):
    """The pages the three sweeps above leave out: the pair's curator and mentor, an ordinary
    member, a visitor who is not signed in (the public pages), and the coordinator's programmes,
    deadline rules, mentoring settings and registry import. Their version for the visually
    impaired takes the two other schemes (dark blue on light blue, black on white) at the large
    font, as the sweeps above take white on black at the largest."""
    association, pair = region_data["association"], region_data["pair"]
    association.public_page = True
    association.save(update_fields=["public_page"])
    # Made by the factories, whose password is PASSWORD.
    people = {m.role: m.user for m in pair.memberships.select_related("user")}
    member = association.memberships.exclude(role=Role.HEAD).select_related("user").first().user

    # A visitor: the front page, the regions' list and the association's public page.
    public = [
        reverse("home"),
        reverse("public:regions"),
        reverse("public:structure", args=[association.pk]),
    ]
    sweep(page, live_server, public)
    # The public page is the same for every visitor (cached): its header leads to the switch and
    # back, and its script applies the choice kept in the cookie.
    page.get_by_role("link", name="Версия для слабовидящих").click()
    page.get_by_role("button", name="Версия для слабовидящих").click()
    page.get_by_role("button", name="Тёмно-синим по голубому").click()
    expect(page.get_by_role("button", name="Тёмно-синим по голубому")).to_have_attribute(
        "aria-pressed", "true"
    )
    page.get_by_role("link", name="Вернуться на страницу").click()
    page.wait_for_url(live_server.url + public[2])
    expect(page.locator("html")).to_have_class(re.compile(r"\bvi-scheme-blue\b"))
    fits_in_large_letters(page)
    page.context.clear_cookies()

    sign_in(page, live_server, people["curator"].email, PASSWORD, home=False)
    sweep(page, live_server, [reverse("home"), reverse("mentoring:my_pairs")])
    sign_in(page, live_server, people["mentor"].email, PASSWORD, home=False)
    sweep(page, live_server, [reverse("mentoring:pair_detail", args=[pair.pk])])
    member_pages = [
        reverse("home"),
        reverse("networks:structure_detail", args=[association.pk]),
    ]
    sign_in(page, live_server, member.email, PASSWORD, home=False)
    sweep(page, live_server, member_pages)
    sweep_in_large_letters(
        page, live_server, member, "font=large;scheme=bw;spacing=normal;images=on", member_pages[1:]
    )

    coordinator_pages = [
        reverse("networks:orders:programme_list"),
        reverse("reporting:rule_list"),
        reverse("mentoring:settings"),
        reverse("registry:list"),
    ]
    sign_in(page, live_server, "coordinator@region.example", PASSWORD, home=False)
    sweep(page, live_server, coordinator_pages)
    sweep_in_large_letters(
        page,
        live_server,
        region_data["coordinator"],
        "font=large;scheme=blue;spacing=normal;images=on",
        coordinator_pages[:2],
    )
