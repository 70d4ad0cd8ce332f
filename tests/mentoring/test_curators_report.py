"""The curators' year-end report on a programme's network pairs (issue 18; 001 appendix 3, p. 5.4):
one DOCX per programme and school year covering every pair, in the ГОСТ Р 7.0.97-2016 form of the
other documents, from the region's own template or the shipped default; who downloads it; its
queries flat in the number of pairs. And the pairs' own results by 25 December (001 order p. 2.2)."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from urllib.parse import unquote
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.files.base import ContentFile
from django.db import connection, transaction
from django.db.models import Model
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from documents import rendering
from documents.formatting import signature_name
from documents.models import DocumentKind, DocumentTemplate
from documents.samples import SAMPLES
from mentoring.curators_report import curators_report
from mentoring.models import PairState, Response
from networks.models import Role, Structure, TerritoryRole
from networks.schoolyear import SchoolYear
from reporting.models import Deadline, Report
from reporting.reminders import deadlines_instantiate
from tests.documents.docx_checks import (
    all_text,
    assert_fixed_widths,
    assert_gost_page,
    assert_russian_properties,
    header_rows_repeat,
    opened,
)
from tests.documents.test_documents import _shape
from tests.documents.test_region_templates import MARK, person_with, template_with, upload
from tests.factories import (
    CompetenceFactory,
    ContactFactory,
    MunicipalityFactory,
    OrganisationFactory,
    OrganisationStatusFactory,
    ProgrammeFactory,
    RegionFactory,
    RoundFactory,
    UserFactory,
    make_pair,
    topic,
)
from tests.helpers import mentoring_limits_kept

pytestmark = pytest.mark.django_db
MSK = ZoneInfo("Europe/Moscow")
YEAR = SchoolYear(2020)
C, M = TerritoryRole.Role.COORDINATOR, TerritoryRole.Role.METHODIST


def on(day: dt.date):
    return time_machine.travel(dt.datetime.combine(day, dt.time(12), tzinfo=MSK), tick=False)


class Scene:
    """A municipal programme of Tula with three pairs in 2020/2021: one working (contacts,
    deficits, strengths, a questionnaire answered by both sides), one without contacts, one
    closed in March; and a pair of another programme."""

    def __init__(self):
        self.region = RegionFactory(name="Тульская область")
        self.municipality = MunicipalityFactory(region=self.region, name="г. Тула")
        self.owner = OrganisationFactory(
            region=self.region,
            municipality=self.municipality,
            full_name="МКУ «ЦНППМ г. Тулы»",
        )
        self.programme = ProgrammeFactory(
            region=self.region,
            municipality=self.municipality,
            owner=self.owner,
            title="Муниципальная программа сопровождения ШНОР на 2020–2021 годы",
        )
        self.curator = UserFactory(first_name="Ольга", patronymic="Ивановна", last_name="Смирнова")
        self.working = self.pair(curator=self.curator)
        self.quiet = self.pair()
        self.closed = self.pair()
        Structure.objects.filter(pk=self.closed.pk).update(
            closed_on=dt.date(2021, 3, 1), closing_reason="other"
        )
        self.mentee, self.mentor = (
            self.working.memberships.get(role=role).user for role in (Role.MENTEE, Role.MENTOR)
        )
        ContactFactory(pair=self.working, date=dt.date(2020, 11, 10))
        ContactFactory(pair=self.working, date=dt.date(2021, 2, 3))
        ContactFactory(pair=self.working, date=dt.date(2021, 6, 1))
        ContactFactory(pair=self.working, date=dt.date(2019, 5, 3))  # another school year
        CompetenceFactory(user=self.mentee, topic=topic("ОГЭ"), side="deficit")
        CompetenceFactory(user=self.mentor, topic=topic("ВПР"), side="strength")
        round_ = RoundFactory(questionnaire__region=self.region, title="Декабрь")
        for user, side in ((self.mentee, "mentee"), (self.mentor, "mentor")):
            Response.objects.create(
                round=round_,
                respondent=user,
                pair=self.working,
                side=side,
                submitted_at=dt.datetime(2020, 12, 10, 12, tzinfo=MSK),
            )
        self.other_programme = ProgrammeFactory(region=self.region, title="Другая программа")
        self.other_curator = UserFactory()
        self.other_pair = self.pair(self.other_programme, curator=self.other_curator)

    def pair(self, programme=None, **people):
        host = OrganisationFactory(region=self.region, municipality=self.municipality)
        return make_pair(programme=programme or self.programme, host=host, **people)


@pytest.fixture(scope="module")
def _built_scene(django_db_setup, django_db_blocker):
    """Built once per module (and xdist worker), inside a transaction rolled back at the end; each
    test runs in its own savepoint within it, as test_demo's loaded demo does. Four pairs made
    through the services took a second per test."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield Scene()
        transaction.set_rollback(True)


@pytest.fixture
def scene(_built_scene, db):
    """The module's scene with its rows read again: what a test changed in memory before its
    savepoint was rolled back does not reach the next test."""
    for value in vars(_built_scene).values():
        if isinstance(value, Model):
            value.refresh_from_db()
            value._state.fields_cache.clear()
    return _built_scene


BLANK = "_" * 60


def download(client, scene, year: int | str = 2020):
    url = reverse("mentoring:curators_report", args=[scene.programme.pk])
    return client.get(url, {"year": year})


def report_text(scene) -> str:
    with on(dt.date(2021, 6, 20)):
        return all_text(opened(curators_report(scene.programme, YEAR).render()))


def test_the_report_covers_every_pair_of_the_programme_with_its_people_and_work(scene):
    text = report_text(scene)

    working, mentee, mentor = scene.working, scene.mentee, scene.mentor
    for pair in (scene.working, scene.quiet, scene.closed):
        assert pair.name in text
    assert scene.other_pair.name not in text
    assert mentee.organisation.full_name in text and mentor.organisation.full_name in text
    assert signature_name(scene.curator) == "О.И. Смирнова"
    assert "Куратор: О.И. Смирнова" in text
    assert f"Дефициты (запросы) наставляемого: {topic('ОГЭ').name}" in text
    assert f"Сильные стороны наставника: {topic('ВПР').name}" in text
    assert "Контакты: 3, последний 01.06.2021" in text  # the contact of 2019 is another year's
    assert "Анкетирование: Декабрь: наставляемый, наставник" in text
    assert working.name in text
    # The state of each pair: working, no contacts for the region's limit, closed in March.
    assert text.count("Состояние: действует") == 1
    assert text.count("Состояние: без контактов") == 1
    assert text.count("Состояние: закрыта") == 1
    assert "Сетевых пар за учебный год: 3, из них действуют 1, без контактов 1, закрыты 1" in text
    # The curator's conclusions from what was recorded (the contacts' results, the closure); a
    # line to fill in by hand only for the pair with nothing recorded.
    assert text.count("Выводы куратора:") == 3
    assert "Результаты контактов: 10.11.2020 — Составили план работы" in text
    assert "Следующий шаг (контакт 01.06.2021): Встреча в школе-партнёре в декабре." in text
    assert "Пара закрыта 01.03.2021, основание: Иное решение органа" in text
    assert text.count(BLANK) == 2  # the quiet pair's two lines
    assert "3. Выводы и предложения кураторов" in text
    assert "Основание: приказ от 16.09.2020 № 83-а, приложение 3, п. 5.3–5.4" in text
    assert "R-" not in text


def test_r_tul_a3_5_4_the_curators_conclusions_are_what_the_portal_recorded_about_each_pair(
    scene,
):
    """The pair's own report of the year (its curator's analysis, problems, plans), the results and
    the next step of its contacts, a mentee's request for a new mentor: each its own paragraph of
    «Выводы куратора»; the programme's conclusions name the pairs that ask for a decision. Lines
    to fill in are left only where nothing was recorded."""
    Report.objects.create(
        structure=scene.working,
        school_year=YEAR.start,
        title="Отчёт о результатах деятельности сетевой пары",
        status=Report.Status.SUBMITTED,
        submitted_at=dt.datetime(2020, 12, 20, 12, tzinfo=MSK),
        analysis="Наставляемый освоил анализ результатов ВПР.",
        plans="Продолжить работу по подготовке к ОГЭ.",
    )
    Report.objects.create(  # a draft is not yet what the curator concluded
        structure=scene.quiet, school_year=YEAR.start, title="Черновик", analysis="Не сдан."
    )
    # The year's last contact agreed no next step: the one of 01.06 was overtaken.
    ContactFactory(
        pair=scene.working, date=dt.date(2021, 6, 15), outcome="Подвели итоги года.", next_step=""
    )
    PairState.objects.create(
        pair=scene.working,
        needs_rematch=True,
        rematch_reason="Наставляемый ответил «не подходит».",
        flagged_at=dt.datetime(2021, 5, 1, 12, tzinfo=MSK),
    )

    with on(dt.date(2021, 6, 20)):
        report = curators_report(scene.programme, YEAR)
        document = opened(report.render())
    paragraphs = [p.text for p in document.paragraphs]

    start = paragraphs.index("Выводы куратора:")
    assert paragraphs[start + 1 : start + 7] == [
        "Из отчёта «Отчёт о результатах деятельности сетевой пары» от 20.12.2020:",
        "Анализ работы: Наставляемый освоил анализ результатов ВПР.",
        "Планы на следующий учебный год: Продолжить работу по подготовке к ОГЭ.",
        "Результаты контактов: 10.11.2020 — Составили план работы с учителями математики; "
        "03.02.2021 — Составили план работы с учителями математики; "
        "01.06.2021 — Составили план работы с учителями математики; "
        "15.06.2021 — Подвели итоги года.",
        "Нужен новый наставник: Наставляемый ответил «не подходит».",
        "",  # and no more: the empty paragraph before the next pair
    ]
    assert "Не сдан." not in all_text(document)
    section = paragraphs.index("3. Выводы и предложения кураторов")
    assert paragraphs[section + 1 : section + 3] == [
        f"Нужен новый наставник: {scene.working.name}.",
        f"Нет контактов дольше установленного срока: {scene.quiet.name}.",
    ]
    assert paragraphs.count(BLANK) == 2  # only the quiet pair, which recorded nothing


def test_the_report_is_an_a4_document_after_gost_with_a_repeated_header_and_signatures(scene):
    with on(dt.date(2021, 6, 20)):
        report = curators_report(scene.programme, YEAR)
        document = opened(report.render())

    assert_gost_page(document)
    assert_russian_properties(document, title_has="Отчёт кураторов", author="МКУ «ЦНППМ г. Тулы»")
    pairs_table, signatures = document.tables
    assert header_rows_repeat(pairs_table)
    assert_fixed_widths(pairs_table)
    assert [c.text for c in pairs_table.rows[0].cells][:3] == [
        "№",
        "ШНОР (наставляемый)",
        "Партнёр (наставник)",
    ]
    assert len(pairs_table.rows) == 4  # the header and the three pairs
    assert document.styles["Normal"].font.name == "Times New Roman"
    # «подпись  И.О. Фамилия» of each curator of the programme's pairs.
    names = [row.cells[2].text for row in signatures.rows]
    assert "О.И. Смирнова" in names
    assert all(row.cells[1].text == "____________" for row in signatures.rows)
    assert len(report.filename) < 100
    assert report.filename.startswith("Отчёт кураторов за 2020-2021 — ")
    assert report.filename.endswith("20.06.2021.docx")


def test_a_programme_without_pairs_gets_the_report_with_the_places_to_fill_in(scene):
    empty = ProgrammeFactory(region=scene.region, title="Программа без пар")
    text = all_text(opened(curators_report(empty, YEAR).render()))
    assert "Сетевых пар программы в учебном году нет." in text
    assert "Куратор" in text


def test_the_sample_data_have_the_fields_of_the_real_report_and_the_default_renders_it(scene):
    real = curators_report(scene.programme, YEAR).context
    assert _shape(real) == _shape(SAMPLES[DocumentKind.CURATORS_REPORT]())
    rendering.check_template(
        rendering.default_path("curators_report").read_bytes(), "curators_report"
    )


def test_the_regions_own_template_is_used_for_its_programmes_only(scene):
    DocumentTemplate.objects.create(
        region=scene.region,
        kind=DocumentKind.CURATORS_REPORT,
        file=ContentFile(template_with(MARK, kind="curators_report"), name="curators.docx"),
        original_name="Отчёт кураторов Тулы.docx",
    )
    assert MARK in report_text(scene)

    elsewhere = ProgrammeFactory(title="Программа другого региона")
    assert elsewhere.region_id != scene.region.pk
    assert MARK not in all_text(opened(curators_report(elsewhere, YEAR).render()))


def test_a_regions_coordinator_uploads_the_curators_template_and_the_download_follows_it(
    client, scene
):
    coordinator = person_with(C, scene.region)
    client.force_login(coordinator)
    response = client.post(
        reverse("documents:template_upload"),
        {
            "region": scene.region.pk,
            "kind": "curators_report",
            "file": upload(template_with(MARK, kind="curators_report"), "Отчёт кураторов.docx"),
        },
    )
    assert response.status_code == 302
    assert DocumentTemplate.objects.get(region=scene.region).kind == "curators_report"

    content = b"".join(download(client, scene).streaming_content)
    assert MARK in all_text(opened(content))


# --- Who downloads it -------------------------------------------------------------------------------

PEOPLE = {
    "coordinator": lambda s: person_with(C, s.region),
    "municipal_coordinator": lambda s: person_with(C, s.region, s.municipality),
    "methodist": lambda s: person_with(M, s.region),
    "curator_of_a_pair": lambda s: s.curator,
    "mentor_of_a_pair": lambda s: s.mentor,
    "mentee_of_a_pair": lambda s: s.mentee,
    "curator_of_another_programme": lambda s: s.other_curator,
    "methodist_of_another_region": lambda s: person_with(M, RegionFactory()),
    "stranger": lambda s: UserFactory(),
    "anonymous": lambda s: None,
}
ANSWERS = {
    "coordinator": 200,
    "municipal_coordinator": 200,
    "methodist": 200,
    "curator_of_a_pair": 200,
    "mentor_of_a_pair": 403,
    "mentee_of_a_pair": 403,
    "curator_of_another_programme": 404,
    "methodist_of_another_region": 404,
    "stranger": 404,
    "anonymous": "sign-in",
}


@pytest.mark.parametrize("who", list(PEOPLE))
def test_who_downloads_the_curators_report(client, scene, who):
    person = PEOPLE[who](scene)
    if person is not None:
        client.force_login(person)

    response = download(client, scene)

    expected = ANSWERS[who]
    if expected == "sign-in":
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login") + "?next=")
        return
    assert response.status_code == expected
    if expected == 200:
        assert response["Content-Type"] == rendering.DOCX_CONTENT_TYPE
        disposition = unquote(response["Content-Disposition"])
        assert "Отчёт кураторов за 2020-2021" in disposition
        assert scene.working.name in all_text(opened(b"".join(response.streaming_content)))


def test_a_bad_year_or_an_unknown_programme_is_not_found(client, scene):
    client.force_login(person_with(C, scene.region))
    assert download(client, scene, year="двадцатый").status_code == 404
    missing = reverse("mentoring:curators_report", args=[scene.programme.pk + 1000])
    assert client.get(missing).status_code == 404


def test_without_a_year_the_programmes_last_school_year_is_reported(client, scene):
    client.force_login(person_with(C, scene.region))
    url = reverse("mentoring:curators_report", args=[scene.programme.pk])
    with on(dt.date(2026, 12, 6)):  # the programme ended on 31.08.2021
        response = client.get(url)
    assert "Отчёт кураторов за 2020-2021" in unquote(response["Content-Disposition"])


def test_the_programmes_register_links_the_curators_report(client, scene):
    client.force_login(person_with(C, scene.region))
    html = client.get(reverse("networks:orders:programme_list")).content.decode()
    assert "Отчёт кураторов за год" in html
    assert reverse("mentoring:curators_report", args=[scene.programme.pk]) in html


def test_a_curator_finds_the_report_of_their_pairs_programme_under_my_pairs(client, scene):
    client.force_login(scene.curator)
    html = client.get(reverse("mentoring:my_pairs")).content.decode()
    assert "Отчёт кураторов за год по программе:" in html
    assert reverse("mentoring:curators_report", args=[scene.programme.pk]) in html
    pdf = reverse("reporting:curators_report_pdf", args=[scene.programme.pk])
    assert f'action="{pdf}"' in html  # its «PDF» beside the DOCX link
    assert reverse("mentoring:curators_report", args=[scene.other_programme.pk]) not in html


# --- Speed ----------------------------------------------------------------------------------------


def _queries(programme) -> int:
    with CaptureQueriesContext(connection) as captured:
        curators_report(programme, YEAR).render()
    return len(captured)


def test_the_reports_queries_do_not_grow_with_the_number_of_pairs(scene):
    mentoring_limits_kept()  # read once, as on every page after the first (mentoring.limits)
    five, twenty = (ProgrammeFactory(region=scene.region, title=f"Программа {n}") for n in (5, 20))
    for programme, count in ((five, 5), (twenty, 20)):
        for _ in range(count):
            pair = scene.pair(programme)
            ContactFactory(pair=pair, date=dt.date(2020, 12, 1))
            mentee = pair.memberships.get(role=Role.MENTEE).user
            CompetenceFactory(user=mentee, topic=topic("ОГЭ"), side="deficit")

    assert _queries(five) == _queries(twenty) <= 8
    assert len(curators_report(twenty, YEAR).context["pairs"]) == 20


# --- The pairs' results by 25 December (001 order p. 2.2) -------------------------------------------


def test_r_tul_order_2_2_a_network_pair_reports_its_results_by_25_december(client, scene):
    deadlines_instantiate(year=YEAR)

    deadline = Deadline.objects.select_related("rule").get(
        structure=scene.working, rule__due_month=12, rule__due_day=25
    )
    assert deadline.due_on == dt.date(2020, 12, 25)
    assert deadline.rule.deliverer_role == Role.CURATOR
    assert deadline.rule.basis == "приказ от 16.09.2020 № 83-а, п. 2.2"
    assert "R-" not in deadline.rule.basis
    # The pair's curator sees it among the reports to write; its figures are the pair's.
    client.force_login(scene.curator)
    with on(dt.date(2020, 12, 1)):
        html = client.get(reverse("home")).content.decode()
    assert "Отчёты к сдаче" in html and "срок 25.12.2020" in html
    assert "Отчёт о результатах деятельности сетевой пары" in html


def test_the_pairs_curator_writes_the_25_december_report_with_the_pairs_figures(client, scene):
    from reporting.models import Report

    deadlines_instantiate(year=YEAR)
    deadline = Deadline.objects.get(structure=scene.working, rule__due_month=12)
    client.force_login(scene.curator)
    with on(dt.date(2020, 12, 20)):
        response = client.post(
            reverse("reporting:report_start", args=[scene.working.pk]),
            {"deadline": deadline.pk, "report-analysis": "Пара работает.", "action": "submit"},
        )
    assert response.status_code == 302, response.content.decode()[-3000:]
    report = Report.objects.get(structure=scene.working)
    assert report.deadline == deadline and report.status == Report.Status.SUBMITTED
    # Frozen at submission: the contact of November, not those of 2021.
    assert report.figures["pairs"]["contacts"] == 1
    assert report.figures["pairs"]["responses_submitted"] == 2


def test_the_pairs_results_report_holds_its_contacts_and_questionnaires(scene):
    from reporting.reports.figures import structure_figures

    with on(dt.date(2020, 12, 20)):
        figures = structure_figures(scene.working, YEAR)

    pairs = figures["pairs"]
    assert pairs["count"] == 1 and pairs["contacts"] == 3  # of the school year, 2019's left out
    assert pairs["responses_submitted"] == 2
    assert pairs["list"][0]["mentee"] == str(scene.mentee.organisation)


# --- As LibreOffice prints it -----------------------------------------------------------------------

LONGEST = (
    "Муниципальное бюджетное общеобразовательное учреждение «Центр образования № 52 имени "
    "Героя Советского Союза Д.М. Карбышева»"
)


@pytest.mark.skipif(
    not (shutil.which("soffice") and shutil.which("pdftotext") and shutil.which("pdfinfo")),
    reason="LibreOffice (soffice) or poppler-utils (pdftotext, pdfinfo) is not installed",
)
def test_the_report_converts_to_an_a4_pdf_with_the_header_repeated_and_no_word_broken(
    scene, tmp_path
):
    for _ in range(12):  # the table of pairs runs onto page 2
        school = OrganisationFactory(region=scene.region, full_name=LONGEST)
        OrganisationStatusFactory(organisation=school, school_year=2020, status="shnor")
        scene.pair(mentee=UserFactory(organisation=school, position="Директор"))
    source = tmp_path / "curators.docx"
    with on(dt.date(2021, 6, 20)):
        source.write_bytes(curators_report(scene.programme, YEAR).render())
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation=file://{tmp_path}/profile",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )

    pdf = tmp_path / "curators.pdf"
    info = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True).stdout
    size = next(line for line in info.splitlines() if line.startswith("Page size:"))
    width, height = (float(v) for v in size.split(":")[1].split("pts")[0].split(" x "))
    assert abs(width - 595.3) < 1 and abs(height - 841.9) < 1
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    assert "ОТЧЁТ КУРАТОРОВ О ДЕЯТЕЛЬНОСТИ СЕТЕВЫХ ПАР" in text
    assert "за 2020/2021 учебный год" in text
    assert "О.И. Смирнова" in text and "____________" in text
    assert "R-" not in text
    # The headers' words and the organisations' longest word are whole in their cells.
    for word in ("(наставляемый)", "(наставник)", "Контактов", "Последний", "Состояние"):
        assert word in text
    assert "общеобразовательное" in text and "общеобразовательно\n" not in text
    first, second = (
        subprocess.run(
            ["pdftotext", "-f", str(n), "-l", str(n), str(pdf), "-"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        for n in (1, 2)
    )
    # The page number from page 2 on, none on page 1; the table's header repeated on page 2.
    assert second.lstrip().startswith("2") and not first.lstrip().startswith("1")
    assert "(наставляемый)" in first and "(наставляемый)" in second


# --- Its PDF: the same DOCX converted in the worker (reporting.summaries.document_pdfs) -------------


@pytest.mark.parametrize("who", list(PEOPLE))
def test_who_asks_for_the_curators_report_pdf(client, scene, who, monkeypatch):
    """The same answers as the DOCX; a job is queued only for those who may download it."""
    from documents import pdf
    from reporting.models import ExportJob

    monkeypatch.setattr(pdf, "pdf_available", lambda: True)
    person = PEOPLE[who](scene)
    if person is not None:
        client.force_login(person)

    url = reverse("reporting:curators_report_pdf", args=[scene.programme.pk])
    response = client.post(url, {"year": "2020"})

    expected = ANSWERS[who]
    if expected == "sign-in":
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login") + "?next=")
    elif expected == 200:
        job = ExportJob.objects.get()
        assert response.status_code == 302
        assert response["Location"] == reverse("reporting:summary_export_job", args=[job.pk])
        assert (job.exporter, job.requested_by) == ("curators_report_pdf", person)
        assert job.params["programme"] == scene.programme.pk and job.params["year"] == 2020
        # The job's page leads back to where the person found the report: a curator cannot read
        # the programmes register, their pairs' page is theirs.
        back = (
            "mentoring:my_pairs" if who == "curator_of_a_pair" else "networks:orders:programme_list"
        )
        assert job.params["page"] == reverse(back)
        return
    else:
        assert response.status_code == expected
    assert not ExportJob.objects.exists()


def test_a_bad_year_of_the_pdf_is_not_found_and_a_get_is_refused(client, scene):
    client.force_login(scene.curator)
    url = reverse("reporting:curators_report_pdf", args=[scene.programme.pk])
    assert client.post(url, {"year": "прошлый"}).status_code == 404
    assert client.get(url).status_code == 405


@pytest.mark.skipif(
    not (shutil.which("soffice") and shutil.which("pdftotext")),
    reason="LibreOffice (soffice) or poppler-utils (pdftotext) is not installed",
)
def test_the_curator_gets_the_report_as_a_pdf_from_the_programmes_register(client, scene):
    from reporting.models import ExportJob
    from reporting.summaries.tasks import summary_export

    client.force_login(person_with(C, scene.region))
    register = client.get(reverse("networks:orders:programme_list")).content.decode()
    url = reverse("reporting:curators_report_pdf", args=[scene.programme.pk])
    assert f'action="{url}"' in register  # the «PDF» button beside the DOCX link

    client.force_login(scene.curator)
    client.post(url, {"year": "2020"})
    job = ExportJob.objects.get()
    assert summary_export(job.pk) == "done", ExportJob.objects.get(pk=job.pk).error
    job.refresh_from_db()
    assert job.filename.endswith(".pdf") and "Отчёт кураторов" in job.filename
    with job.file.open("rb") as pdf_file:
        content = pdf_file.read()
    assert content.startswith(b"%PDF")
    text = subprocess.run(
        ["pdftotext", "-", "-"], input=content, capture_output=True, check=True
    ).stdout.decode()
    words = " ".join(text.split())
    assert scene.programme.title in words
    assert scene.mentee.organisation.full_name in words
