"""The methodists' pages in the test client: the summary with its filters, totals and downloads,
the deadline page with its chart, the home block; bad input; and query counts that do not grow
with ten times the structures."""

from __future__ import annotations

import io
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from reporting.models import DeadlineRule, ExportJob
from tests.helpers import kept_forgotten, mentoring_limits_kept

from .conftest import grow

pytestmark = pytest.mark.django_db
SUMMARY = reverse("reporting:summary")
DEADLINE = reverse("reporting:summary_deadline")
EXPORT = reverse("reporting:summary_export")


def text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def signed_in(client, territory, role):
    client.force_login(territory.people[role])
    return client


def test_the_regions_methodist_sees_every_structure_and_the_totals(client, territory):
    signed_in(client, territory, "methodist")
    response = client.get(SUMMARY, {"year": "2020"})
    assert response.status_code == 200
    html = text(response)
    assert "Тульская область, 2020/2021 учебный год" in html
    for structure in territory.structures:
        assert structure.name.replace("«", "&laquo;").replace("»", "&raquo;") in html or (
            structure.name in html
        )
    assert territory.elsewhere.name not in html
    assert "Итого по 5 структурам" in html
    assert "Участников (человек, без повторов): 11." in html
    assert '<th scope="col">' in html and "<caption>" in html


def test_the_municipal_methodist_sees_only_the_municipality(client, territory):
    signed_in(client, territory, "municipal_methodist")
    html = text(client.get(SUMMARY, {"year": "2020"}))
    assert "Тульская область, Алексинский район, 2020/2021 учебный год" in html
    assert territory.assoc_a.name in html and territory.assoc_b.name not in html
    assert territory.group.name not in html
    assert "Итого по 3 структурам" in html
    # The region as a whole, or the other municipality, is not theirs.
    assert client.get(SUMMARY, {"year": "2020", "region": territory.region.pk}).status_code == 404
    assert client.get(SUMMARY, {"municipality": territory.b.pk}).status_code == 404


def test_a_municipal_methodist_sees_a_regional_programme_in_their_municipality_only(
    client, territory
):
    from tests.factories import StructureFactory, kind

    StructureFactory(
        kind=kind("S1"),
        name="Сообщество программы в Белёвском районе",
        host=territory.group.host,
        programme=territory.programme,
    )
    signed_in(client, territory, "municipal_methodist")
    html = text(client.get(SUMMARY, {"year": "2020", "programme": territory.programme.pk}))
    assert "Итого по 1 структуре" in html and "Белёвском" not in html
    signed_in(client, territory, "methodist")
    html = text(client.get(SUMMARY, {"year": "2020", "programme": territory.programme.pk}))
    assert "Итого по 2 структурам" in html


def test_bad_input_is_404_or_falls_back_to_the_current_year(client, territory):
    signed_in(client, territory, "methodist")
    assert client.get(SUMMARY, {"region": "abc"}).status_code == 404
    assert client.get(SUMMARY, {"region": "999999"}).status_code == 404
    assert client.get(SUMMARY, {"year": "когда-нибудь"}).status_code == 200
    assert client.get(DEADLINE, {"rule": "999999"}).status_code == 404
    response = client.post(EXPORT, {"year": "2020", "format": "odt"})
    assert response.status_code == 400 and not ExportJob.objects.exists()
    assert client.get(EXPORT).status_code == 405


def test_a_small_territory_downloads_at_once(client, territory):
    signed_in(client, territory, "methodist")
    response = client.post(
        EXPORT, {"year": "2020", "region": territory.region.pk, "format": "xlsx"}
    )
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    assert "filename*=utf-8''" in response["Content-Disposition"]
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook["Итоги"]["B9"].value == 5
    assert not ExportJob.objects.exists()


def test_a_pdf_goes_to_the_worker_even_for_a_small_territory(client, territory):
    """The PDF is the DOCX converted by LibreOffice: seconds, so never inside the request."""
    signed_in(client, territory, "methodist")
    response = client.post(EXPORT, {"year": "2020", "region": territory.region.pk, "format": "pdf"})
    job = ExportJob.objects.get()
    assert (job.file_format, job.requested_by) == ("pdf", territory.people["methodist"])
    assert response.status_code == 302
    assert response["Location"] == reverse("reporting:summary_export_job", args=[job.pk])


def test_a_big_territory_goes_to_the_worker_and_its_page(
    client, territory, settings, django_capture_on_commit_callbacks
):
    settings.SUMMARY_EXPORT_DIRECT_LIMIT = 3
    signed_in(client, territory, "methodist")
    with django_capture_on_commit_callbacks() as callbacks:
        response = client.post(
            EXPORT, {"year": "2020", "region": territory.region.pk, "format": "docx"}
        )
    job = ExportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("reporting:summary_export_job", args=[job.pk])
    assert (job.status, job.file_format, job.total) == ("queued", "docx", 5)
    assert job.params == {
        "year": 2020,
        "region": territory.region.pk,
        "municipality": None,
        "programme": None,
    }
    assert len(callbacks) == 1
    html = text(client.get(response["Location"]))
    assert "Выгрузка поставлена в очередь" in html and "Обновить" in html
    assert "js/progress.js" in html


def test_the_deadline_page_counts_states_and_draws_them(client, territory):
    rule = DeadlineRule.objects.get(kind__code="S5", due_month=12)
    signed_in(client, territory, "methodist")
    response = client.get(DEADLINE, {"year": "2020", "rule": rule.pk})
    assert response.status_code == 200
    counts = {label: n for _state, label, n in response.context["counts"]}
    assert counts == {
        "сдан в срок": 0,
        "сдан с опозданием": 1,
        "принят": 1,
        "возвращён на доработку": 0,
        "не сдан, срок прошёл": 0,
        "срок не наступил": 0,
    }
    html = text(response)
    assert '<svg class="bar-chart" role="img"' in html
    assert '<title id="deadline-chart-title">' in html
    assert "срок 25.12.2020" in html
    assert territory.assoc_a.name in html and territory.assoc_b.name in html
    assert territory.group.name not in html  # another rule (S3's own)


def test_the_deadline_page_defaults_to_the_nearest_rule(client, territory):
    signed_in(client, territory, "municipal_methodist")
    response = client.get(DEADLINE, {"year": "2020"})
    assert response.status_code == 200 and response.context["rule"] is not None
    assert territory.assoc_b.name not in text(response)


def test_the_home_block_shows_the_nearest_deadlines_of_the_territory(client, territory):
    import time_machine

    signed_in(client, territory, "methodist")
    with time_machine.travel("2020-12-27 10:00 +0300", tick=False):
        html = text(client.get("/"))
    assert "Отчётность территории" in html
    assert "до 25.12.2020" in html
    # S5 and S3 share 25.12: S5's has one accepted and one late, S3's is missing.
    assert "сдано: 1; с опозданием: 1; не сдано: 0; срок не наступил: 0" in html
    assert "сдано: 0; с опозданием: 0; не сдано: 1; срок не наступил: 0" in html
    signed_in(client, territory, "head")
    assert "Отчётность территории" not in text(client.get("/"))


def queries(client, url, data=None) -> int:
    kept_forgotten()
    with CaptureQueriesContext(connection) as context:
        assert client.get(url, data or {}).status_code == 200
    return len(context.captured_queries)


def test_the_pages_run_the_same_queries_for_ten_times_the_structures(client, territory):
    mentoring_limits_kept()  # read once, as on every page after the first (mentoring.limits)
    rule = DeadlineRule.objects.get(kind__code="S5", due_month=12)
    signed_in(client, territory, "methodist")
    pages = [
        (SUMMARY, {"year": "2020"}),
        (DEADLINE, {"year": "2020", "rule": rule.pk}),
        ("/", None),
    ]
    small = [queries(client, url, data) for url, data in pages]
    grow(territory, 10)
    assert [queries(client, url, data) for url, data in pages] == small
