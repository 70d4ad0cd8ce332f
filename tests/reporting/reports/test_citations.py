"""No internal identifiers in what people read (issue 18): a deadline's basis is cited by its
order — name, date, number, clause — on the pages and in the documents, never as the code's rule
id (R-TUL-A4-4.6) or the seeds' short name («001 приказ п. 2.2»)."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from docx import Document

from reporting.citations import cite
from reporting.models import DeadlineRule
from reporting.reports import services

pytestmark = pytest.mark.django_db

TULA = "приказ от 16.09.2020 № 83-а"


@pytest.mark.parametrize(
    ("ref", "cited"),
    [
        ("R-TUL-A4-4.6", f"{TULA}, приложение 4, п. 4.6"),
        ("R-TUL-A3-5.4", f"{TULA}, приложение 3, п. 5.4"),
        ("001 приказ п. 2.2", f"{TULA}, п. 2.2"),
        ("000 приказ п. 2", "приказ от 29.05.2021 № 129, п. 2"),
        ("R-VLG-order-2", "приказ от 29.05.2021 № 129, п. 2"),
        ("R-DMI-order-3", "приказ от 22.05.2017 № 1-139/1, п. 3"),
        (
            "R-PRI-3.5.2",
            "положение о муниципальной стажировочной площадке, утверждённое распоряжением от "
            "11.03.2021 № 364-р, п. 3.5.2",
        ),
        (
            "R-DMI-4.2",
            "положение о центре сетевого взаимодействия, утверждённое приказом от 22.05.2017 "
            "№ 1-139/1, п. 4.2",
        ),
        ("приказ от 01.09.2025 № 12, п. 3", "приказ от 01.09.2025 № 12, п. 3"),
        ("R-XYZ-1.1", ""),
        ("", ""),
    ],
)
def test_a_rule_is_cited_by_its_order(ref, cited):
    assert cite(ref) == cited


def test_every_national_deadline_rule_has_a_basis_without_an_id():
    rules = DeadlineRule.objects.filter(region__isnull=True).exclude(rule_ref="")
    assert rules.exists()
    for rule in rules:
        assert rule.basis, rule.rule_ref
        assert "R-" not in rule.basis and "001 " not in rule.basis and "000 " not in rule.basis


def test_the_annual_analysis_names_its_basis_by_the_order(client, association):
    report = services.report_start(
        structure=association.structure,
        by=association.head,
        deadline=association.deadline,
        narrative={"analysis": "Анализ."},
    )
    client.force_login(association.head)
    page = client.get(
        reverse("reporting:report_detail", args=[association.structure.pk, report.pk])
    )
    html = page.content.decode()
    assert f"{TULA}, приложение 4, п. 4.6" in html and "R-TUL" not in html
    response = client.get(
        reverse("reporting:report_download", args=[association.structure.pk, report.pk, "docx"])
    )
    doc = Document(io.BytesIO(b"".join(response.streaming_content)))
    lines = [p.text for p in doc.paragraphs]
    assert f"Основание: {TULA}, приложение 4, п. 4.6" in lines
    assert not any("R-" in line for line in lines)
