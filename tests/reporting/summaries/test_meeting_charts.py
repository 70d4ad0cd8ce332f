"""The methodist's summary draws two charts (issue 20), each an SVG image with its numbers in a
table: meetings held against the yearly minimum per kind (R-TUL-A4-4.3: 4 a year for S5), and
every deadline of the territory in the year by what became of it. The territory of conftest:
two S5 associations, 3 and 1 meetings held, none at its minimum yet."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from networks.schoolyear import SchoolYear
from reporting import counters
from reporting.summaries import selectors
from reporting.summaries.charts import COLOURS, WIDTH, meetings_chart, states_chart
from tests.helpers import mentoring_limits_kept

from .conftest import grow, held_meeting

pytestmark = pytest.mark.django_db
SUMMARY = reverse("reporting:summary")


def text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def scope_of(territory, **narrowed) -> selectors.SummaryScope:
    return selectors.SummaryScope(year=SchoolYear(2020), region=territory.region, **narrowed)


def test_r_tul_a4_4_3_meetings_per_kind_sum_held_and_four_a_year_per_s5(territory):
    (s5,) = selectors.meetings_by_kind(scope_of(territory))
    assert (s5.code, s5.structures, s5.held, s5.required, s5.met) == ("S5", 2, 4, 8, 0)


def test_meetings_per_kind_agree_with_the_summarys_totals(territory):
    scope = scope_of(territory)
    _rows, totals = selectors.summary_page(scope)
    kinds = selectors.meetings_by_kind(scope)
    assert sum(k.structures for k in kinds) == totals.with_requirement
    assert sum(k.required for k in kinds) == totals.meetings_required
    assert sum(k.met for k in kinds) == totals.requirement_met


def test_meetings_per_kind_keep_to_the_municipality(territory):
    (s5,) = selectors.meetings_by_kind(scope_of(territory, municipality=territory.a))
    assert (s5.structures, s5.held, s5.required) == (1, 3, 4)


def test_a_structure_at_its_minimum_counts_as_met(territory):
    for day in (1, 2, 3):
        held_meeting(territory.assoc_b, dt.date(2021, 3, day))
    counters.recount([SchoolYear(2020)])
    (s5,) = selectors.meetings_by_kind(scope_of(territory))
    assert (s5.held, s5.met) == (7, 1)


def test_the_meetings_chart_bars_held_against_required_in_the_palette(territory):
    (s5,) = selectors.meetings_by_kind(scope_of(territory))
    chart = meetings_chart(s5, year_label="2020/2021")
    assert [(b.label, b.value, b.colour) for b in chart.bars] == [
        ("Проведено", 4, COLOURS["held"]),
        ("Требуется, не меньше", 8, COLOURS["required"]),
    ]
    assert chart.bars[0].width * 2 == chart.bars[1].width
    assert chart.description == "Проведено: 4; Требуется, не меньше: 8"
    assert chart.title.startswith("Межшкольные профессиональные объединения")


def test_the_deadlines_chart_counts_every_deadline_of_the_year_by_state(territory):
    _rows, totals = selectors.summary_page(scope_of(territory))
    chart = states_chart(totals.state_rows(), year_label="2020/2021")
    assert chart.description == (
        "сдан в срок: 0; сдан с опозданием: 2; принят: 1; возвращён на доработку: 1; "
        "не сдан, срок прошёл: 4; срок не наступил: 0"
    )
    assert chart.title == "Все сроки отчётности территории за 2020/2021 год"


def test_the_summary_page_shows_both_charts_as_images_with_their_tables(client, territory):
    client.force_login(territory.people["methodist"])
    html = text(client.get(SUMMARY, {"year": "2020"}))

    assert '<svg class="bar-chart" role="img" aria-labelledby="meetings-chart-S5-title"' in html
    assert '<desc id="meetings-chart-S5-desc">Проведено: 4; Требуется, не меньше: 8</desc>' in html
    assert (
        '<tr><th scope="row" class="fw-normal">Межшкольное профессиональное объединение '
        'руководящих работников</th><td class="text-end">2</td><td class="text-end">4</td>'
        '<td class="text-end">8</td><td class="text-end">0</td></tr>' in html
    )
    assert '<svg class="bar-chart" role="img" aria-labelledby="states-chart-title"' in html
    assert "<caption>Все сроки отчётности за 2020/2021 учебный год: 8</caption>" in html
    assert (
        '<tr><th scope="row" class="fw-normal">не сдан, срок прошёл</th>'
        '<td class="text-end">4</td></tr>' in html
    )
    # Drawn in a viewBox, so the page's CSS (.bar-chart: max-width 100 %) fits it to a phone.
    assert f'viewBox="0 0 {WIDTH} ' in html and WIDTH <= 480


def test_a_year_without_structures_draws_no_chart(client, territory):
    client.force_login(territory.people["methodist"])
    html = text(client.get(SUMMARY, {"year": "2016"}))
    assert "<svg" not in html
    assert "нет сроков отчётности" in html


def test_the_charts_cost_one_query_however_many_structures(client, territory):
    mentoring_limits_kept()  # read once, as on every page after the first (mentoring.limits)
    client.force_login(territory.people["methodist"])

    def queries() -> int:
        with CaptureQueriesContext(connection) as context:
            assert client.get(SUMMARY, {"year": "2020"}).status_code == 200
        return len(context.captured_queries)

    small = queries()
    grow(territory, 10)
    assert queries() == small <= 15


@pytest.mark.parametrize("role", ["outsider", "head", "methodist_elsewhere"])
def test_people_outside_the_territory_get_404_not_its_charts(client, territory, role):
    client.force_login(territory.people[role])
    response = client.get(SUMMARY, {"year": "2020", "region": territory.region.pk})
    assert response.status_code == 404


def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.get(SUMMARY, {"year": "2020"})
    assert response.status_code == 302 and "login" in response.url
