"""A structure's annual analysis and results report as DOCX (issue 18): rendered from the region's
template of the report's kind, else the shipped default after ГОСТ Р 7.0.97-2016, from the same
`document_data` / `tables` as the XLSX."""

from __future__ import annotations

import datetime as dt
import logging
import shutil
import subprocess
from urllib.parse import unquote
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.files.base import ContentFile
from django.urls import reverse

from documents import rendering
from documents.formatting import signature_name
from documents.models import DocumentKind, DocumentTemplate
from documents.samples import SAMPLES
from networks.models import TerritoryRole
from reporting.models import Deadline, Report
from reporting.reports import documents, services
from tests.factories import StructureFactory, kind
from tests.reporting.reports.conftest import (  # noqa: F401  (association and its builder)
    _built_association,
    add_members,
    association,
    make_association,
)

from .docx_checks import (
    all_text,
    assert_fixed_widths,
    assert_gost_page,
    assert_russian_properties,
    header_rows_repeat,
    opened,
)
from .test_documents import _shape
from .test_region_templates import MARK, person_with, template_with, upload

pytestmark = pytest.mark.django_db
MSK = ZoneInfo("Europe/Moscow")
TULA = "приказ от 16.09.2020 № 83-а"


def _submit(association, deadline, *, on=dt.datetime(2021, 7, 10, 12, tzinfo=MSK)) -> Report:  # noqa: F811
    report = services.report_start(
        structure=association.structure, by=association.head, deadline=deadline
    )
    services.report_save(
        report=report,
        by=association.head,
        narrative={
            "analysis": "Проведено 2 заседания из 4.\nПричина: карантин.",
            "problems": "Низкая явка",
            "plans": "Четыре заседания в 2021/2022 году",
        },
    )
    with time_machine.travel(on, tick=False):
        services.report_submit(report=report, by=association.head)
    return report


def analysis(association) -> Report:  # noqa: F811
    return _submit(association, association.deadline)


def results(association) -> Report:  # noqa: F811
    deadline = Deadline.objects.get(structure=association.structure, rule__due_month=12)
    return _submit(association, deadline, on=dt.datetime(2020, 12, 20, 12, tzinfo=MSK))


def docx_of(report: Report):
    name, _, content = documents.DocxExporter().render(documents.document_data(report))
    return name, opened(content)


def test_the_annual_analysis_is_an_a4_gost_document_with_requisites_and_a_signature(
    association,  # noqa: F811
):
    report = analysis(association)
    _, document = docx_of(report)

    assert_gost_page(document)
    assert_russian_properties(
        document, title_has=report.title, author=association.structure.host.full_name
    )
    lines = [p.text for p in document.paragraphs]
    assert lines[0] == association.structure.host.full_name
    assert "АНАЛИЗ РАБОТЫ МЕЖШКОЛЬНОГО ОБЪЕДИНЕНИЯ ЗА УЧЕБНЫЙ ГОД" in lines
    assert "10.07.2021\t" in lines  # the date at the left margin (ГОСТ Р 7.0.97-2016, п. 5.14)
    place = association.structure.municipality or association.structure.host.municipality
    assert (place.name if place else association.structure.region.name) in lines
    assert association.structure.name in lines and "за 2020/2021 учебный год" in lines
    assert f"Основание: {TULA}, приложение 4, п. 4.6" in lines
    # The signature: the head's post, the place to sign, «И.О. Фамилия».
    signature = [c.text for c in document.tables[-1].rows[0].cells]
    assert signature[1] == "____________"
    assert signature[2] == signature_name(association.head)
    assert "R-" not in all_text(document) + document.core_properties.title
    normal = document.styles["Normal"].font
    assert normal.name == "Times New Roman" and normal.size.pt == 14


def test_every_figures_table_repeats_its_header_and_sizes_its_columns(association):  # noqa: F811
    _, document = docx_of(analysis(association))

    figures_tables = document.tables[:-1]  # the last one is the signature
    assert len(figures_tables) >= 3
    for table in figures_tables:
        assert header_rows_repeat(table)
        assert_fixed_widths(table)
        sizes = {
            r.font.size.pt
            for row in table.rows
            for c in row.cells
            for p in c.paragraphs
            for r in p.runs
            if r.font.size
        }
        assert sizes == {12.0}
    figures = {row.cells[0].text: row.cells[1].text for row in document.tables[0].rows}
    assert figures["Проведено заседаний"] == "2"


def test_the_results_report_of_a_community_uses_the_report_template_and_cites_its_order(
    association,  # noqa: F811
):
    report = results(association)

    data = documents.document_data(report)
    assert data.document_kind == DocumentKind.REPORT
    assert documents.document_data(analysis(association)).document_kind == (
        DocumentKind.ANNUAL_ANALYSIS
    )
    name, document = docx_of(report)
    lines = [p.text for p in document.paragraphs]
    assert report.title.upper() in lines
    assert f"Основание: {TULA}, п. 2.2" in lines
    assert "R-" not in all_text(document)
    assert name.startswith(report.title) and name.endswith(" — 20.12.2020.docx")


def test_the_file_name_is_short_kind_structure_date():
    scene = make_association(
        "Межшкольное профессиональное объединение руководящих работников общеобразовательных "
        "организаций Пролетарского и Зареченского территориальных округов города Тулы"
    )
    report = _submit(scene, scene.deadline)

    name, _ = docx_of(report)

    assert len(name) < 100
    assert name.startswith("Анализ работы межшкольного объединения за учебный год — Межшкольное")
    assert name.endswith(" — 10.07.2021.docx")


def test_a_regions_template_is_used_for_its_regions_reports_of_that_kind_only(
    association,  # noqa: F811
):
    region = association.structure.region
    DocumentTemplate.objects.create(
        region=region,
        kind=DocumentKind.ANNUAL_ANALYSIS,
        file=ContentFile(template_with(MARK, kind="annual_analysis"), name="a.docx"),
    )
    report = analysis(association)

    assert MARK in all_text(docx_of(report)[1])
    # The region's results report keeps the default: the template is of another kind.
    assert MARK not in all_text(docx_of(results(association))[1])
    # A structure of another region keeps the default.
    elsewhere = StructureFactory(kind=kind("S5"))
    assert elsewhere.region_id != region.pk
    data = documents.document_data(report)
    data.region_id = elsewhere.region_id
    assert MARK not in all_text(opened(documents.DocxExporter().build(data)))


def test_a_regions_template_failing_on_real_data_falls_back_to_the_default(
    association,  # noqa: F811
    caplog,
):
    DocumentTemplate.objects.create(
        region=association.structure.region,
        kind=DocumentKind.ANNUAL_ANALYSIS,
        file=ContentFile(
            template_with("{{ tables.figures.rows[1000][0] }}", kind="annual_analysis"),
            name="broken.docx",
        ),
    )

    with caplog.at_level(logging.WARNING, logger="documents.rendering"):
        _, document = docx_of(analysis(association))

    assert_gost_page(document)
    assert association.structure.name in [p.text for p in document.paragraphs]
    assert "failed on real data" in caplog.text


def test_the_sample_data_have_the_fields_of_the_real_report(association):  # noqa: F811
    """A region's upload is checked against the samples with unknown fields refused: the samples
    hold every field the report gives, no more."""
    real = documents.docx_context(documents.document_data(analysis(association)))
    assert _shape(real) == _shape(SAMPLES[DocumentKind.ANNUAL_ANALYSIS]())
    assert _shape(real) == _shape(SAMPLES[DocumentKind.REPORT]())


def test_the_shipped_report_templates_render_their_samples():
    for kind_value in (DocumentKind.ANNUAL_ANALYSIS, DocumentKind.REPORT):
        rendering.check_template(rendering.default_path(kind_value).read_bytes(), kind_value)


def test_a_region_uploads_and_checks_its_report_templates_on_the_templates_page(
    client,
    association,  # noqa: F811
):
    region = association.structure.region
    client.force_login(person_with(TerritoryRole.Role.COORDINATOR, region))

    page = client.get(reverse("documents:templates") + f"?region={region.pk}").content.decode()
    for kind_value in (DocumentKind.ANNUAL_ANALYSIS, DocumentKind.REPORT):
        assert str(kind_value.label) in page
        default = reverse("documents:default_download", args=[kind_value.value])
        assert default in page
        response = client.get(default)
        assert response.status_code == 200
        assert unquote(response["Content-Disposition"]).endswith(".docx")

    response = client.post(
        reverse("documents:template_upload"),
        {
            "region": region.pk,
            "kind": "report",
            "file": upload(template_with(MARK, kind="report"), "Отчёт Тулы.docx"),
        },
    )
    assert response.status_code == 302
    assert DocumentTemplate.objects.get(region=region, kind="report").checked_at
    assert MARK in all_text(docx_of(results(association))[1])


def test_an_uploaded_report_template_with_an_unknown_field_is_refused_by_its_name(
    client,
    association,  # noqa: F811
):
    region = association.structure.region
    client.force_login(person_with(TerritoryRole.Role.COORDINATOR, region))

    response = client.post(
        reverse("documents:template_upload"),
        {
            "region": region.pk,
            "kind": "annual_analysis",
            "file": upload(template_with("{{ rule_id }}", kind="annual_analysis")),
        },
    )

    assert response.status_code == 400
    assert "rule_id" in response.content.decode()
    assert not DocumentTemplate.objects.filter(region=region).exists()


@pytest.mark.skipif(
    not (shutil.which("soffice") and shutil.which("pdftotext") and shutil.which("pdfinfo")),
    reason="LibreOffice (soffice) or poppler-utils (pdftotext, pdfinfo) is not installed",
)
@pytest.mark.parametrize("which", ["annual analysis", "results report"])
def test_the_annual_analysis_converts_to_an_a4_pdf_with_title_and_signature(
    association,  # noqa: F811
    tmp_path,
    which,
):
    """The annual analysis (its own template) and a community's results report (the report
    template, 004 p. 2.2) each converted by LibreOffice."""
    # Forty more members' schools: the table of members runs onto page 2.
    add_members(association.structure, 40)
    report = analysis(association) if which == "annual analysis" else results(association)
    source = tmp_path / "analysis.docx"
    source.write_bytes(documents.DocxExporter().build(documents.document_data(report)))

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

    pdf = tmp_path / "analysis.pdf"
    info = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True).stdout
    size = next(line for line in info.splitlines() if line.startswith("Page size:"))
    width, height = (float(v) for v in size.split(":")[1].split("pts")[0].split(" x "))
    assert abs(width - 595.3) < 1 and abs(height - 841.9) < 1
    pages = int(next(line for line in info.splitlines() if line.startswith("Pages:")).split()[1])
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    assert report.title.upper() in " ".join(text.split())
    assert "2020/2021 учебн" in text
    if which == "annual analysis":
        assert "АНАЛИЗ РАБОТЫ МЕЖШКОЛЬНОГО ОБЪЕДИНЕНИЯ" in text
        assert "за 2020/2021 учебный год" in text
    assert signature_name(association.head) in text and "____________" in text
    assert "R-" not in text
    # Each column is wide enough for its longest header word: none is broken inside its cell.
    for word in ("Присутствовало", "Ответственный", "Выполнено", "Мероприятие", "Муниципальное"):
        assert word in text
    assert pages > 1
    first, second = (
        subprocess.run(
            ["pdftotext", "-f", str(n), "-l", str(n), str(pdf), "-"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        for n in (1, 2)
    )
    # The page number from page 2 on, none on page 1; the members' header row repeated on page 2
    # («Категория» is in no other table).
    assert second.lstrip().startswith("2") and not first.lstrip().startswith("1")
    assert "Категория" in first and "Категория" in second
