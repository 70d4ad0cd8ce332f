"""The permission table of structures' reports: every role of tests/communities/conftest.Cast
against every view of reporting/reports/urls.py.

Each role acts on its own structure (Cast.structure_of): the chair on the S2 council (the chair
delivers its results report, 001 order p. 2.2), the head on the S5 association (the annual analysis,
R-TUL-A4-4.6), everybody else on the S8 community. No order sets a report deadline for S8, so the
test gives the community a rule like S3's, delivered by its administrator: someone who delivers a
report without running the structure. Authors write (start, save, submit); the structure's
coordinator or curator and the territory's coordinator decide (accept, return); the territory's
methodists read; other members get 403, those outside 404, anonymous visitors the sign-in page.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from documents.models import SignedScan
from documents.selectors import signed_scans_of
from networks.models import Role, Structure
from networks.schoolyear import SchoolYear
from reporting.models import Deadline, DeadlineRule, ExportJob, Report
from reporting.reports.urls import urlpatterns
from tests.communities.conftest import table_cast  # noqa: F401  (the fixture)
from tests.communities.permission_table import (
    FORBIDDEN,
    NOT_FOUND,
    OK,
    SIGN_IN,
    View,
    cases,
    check,
    copies,
    refreshed,
    scenes_once,
)

pytestmark = pytest.mark.django_db


@dataclass
class Scene:
    structure: Structure
    deadline: Deadline  # not started yet
    draft: Report
    submitted: Report  # by nobody in the cast, so that anyone who decides may
    scan: SignedScan  # of the submitted report (issue 18)


PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def _rule(structure: Structure) -> DeadlineRule:
    if structure.kind.code == "S8":
        return DeadlineRule.objects.create(
            title="Отчёт сообщества о работе за учебный год",
            deliverable="report",
            kind=structure.kind,
            due_month=6,
            due_day=30,
            deliverer_role=Role.ADMINISTRATOR,
            recipient="Управление образованием",
        )
    return DeadlineRule.objects.filter(kind=structure.kind, deliverable="report").latest("pk")


def scene_in(structure: Structure) -> Scene:
    rule = _rule(structure)

    def deadline(year: int) -> Deadline:
        return Deadline.objects.create(
            rule=rule, structure=structure, school_year=year, due_on=rule.due_date(SchoolYear(year))
        )

    def report(year: int, status: str) -> Report:
        return Report.objects.create(
            structure=structure,
            school_year=year,
            deadline=deadline(year),
            title=rule.title,
            status=status,
            analysis="Анализ работы",
        )

    submitted = report(2022, Report.Status.SUBMITTED)
    return Scene(
        structure=structure,
        deadline=deadline(2020),
        draft=report(2021, Report.Status.DRAFT),
        submitted=submitted,
        scan=SignedScan.objects.create(
            record=submitted,
            file=ContentFile(PDF, name="report.pdf"),
            file_kind="pdf",
            original_name="Отчёт с подписью.pdf",
        ),
    )


def _url(name, *parts, tail=()):
    def build(s: Scene) -> str:
        return reverse(f"reporting:{name}", args=[*(getattr(s, p).pk for p in parts), *tail])

    return build


def _saved(status):
    return lambda s: refreshed(s.draft).status == status and s.draft.analysis == "Новый анализ"


VIEWS: dict[str, View] = {
    "report_list": View(_url("report_list", "structure")),
    "report_deadline": View(_url("report_deadline", "structure", "deadline")),
    "report_start": View(
        _url("report_start", "structure"),
        post=lambda s: {"deadline": s.deadline.pk, "report-analysis": "Начало", "action": "save"},
        done=lambda s: Report.objects.filter(deadline=s.deadline).exists(),
    ),
    "report_detail": View(_url("report_detail", "structure", "draft")),
    "report_save": View(
        _url("report_save", "structure", "draft"),
        post={"report-analysis": "Новый анализ", "action": "save"},
        done=_saved(Report.Status.DRAFT),
    ),
    "report_save:submit": View(
        _url("report_save", "structure", "draft"),
        post={"report-analysis": "Новый анализ", "action": "submit"},
        done=_saved(Report.Status.SUBMITTED),
    ),
    "report_accept": View(
        _url("report_accept", "structure", "submitted"),
        post={},
        done=lambda s: refreshed(s.submitted).status == Report.Status.ACCEPTED,
    ),
    "report_return": View(
        _url("report_return", "structure", "submitted"),
        post={"return-comment": "Добавьте выводы."},
        done=lambda s: refreshed(s.submitted).status == Report.Status.RETURNED,
    ),
    "report_download": View(_url("report_download", "structure", "submitted", tail=["docx"])),
    # Issue 18: the PDF (the DOCX converted in the worker) to those who may download the DOCX.
    "report_pdf": View(
        _url("report_pdf", "structure", "submitted"),
        post={},
        done=lambda s: ExportJob.objects.filter(
            exporter="report_pdf", params__report=s.submitted.pk
        ).exists(),
    ),
    # Issue 18: the signed scan of the handed-in report: its author's side and who decides on it.
    "report_scan_attach": View(
        _url("report_scan_attach", "structure", "submitted"),
        post=lambda s: {"scan-file": SimpleUploadedFile("Отчёт подписанный.pdf", PDF)},
        done=lambda s: len(signed_scans_of(s.submitted)) == 2,
    ),
    "report_scan": View(_url("report_scan", "structure", "submitted", "scan")),
}

COLUMNS = list(VIEWS)
F, N, S = FORBIDDEN, NOT_FOUND, SIGN_IN
# fmt: off
TABLE: dict[str, list] = {
    #                         list deadline start detail save submit accept return download pdf scan+ scan
    # Runs the S8 community: writes its report, and decides on reports others submitted.
    "coordinator":           [OK,  OK,      OK,   OK,    OK,  OK,    OK,    OK,    OK,  OK, OK,   OK],
    # S2 and S5: they deliver (001 order p. 2.2, R-TUL-A4-4.6); the centre decides.
    "chair":                 [OK,  OK,      OK,   OK,    OK,  OK,    F,     F,     OK,  OK, OK,   OK],
    "head":                  [OK,  OK,      OK,   OK,    OK,  OK,    F,     F,     OK,  OK, OK,   OK],
    # The centre receives and decides; it does not write the structure's report.
    "territory_coordinator": [OK,  OK,      F,    OK,    F,   F,     OK,    OK,    OK,  OK, OK,   OK],
    # Delivers the community's report by the rule, without running the community.
    "administrator":         [OK,  OK,      OK,   OK,    OK,  OK,    F,     F,     OK,  OK, OK,   OK],
    "moderator":             [F,   F,       F,    F,     F,   F,     F,     F,     F,  F, F,    F],
    "member":                [F,   F,       F,    F,     F,   F,     F,     F,     F,  F, F,    F],
    # Reads every report of the territory, changes nothing.
    "methodist":             [OK,  OK,      F,    OK,    F,   F,     F,     F,     OK,  OK, F,    OK],
    "member_elsewhere":      [N,   N,       N,    N,     N,   N,     N,     N,     N,  N, N,    N],
    "methodist_elsewhere":   [N,   N,       N,    N,     N,   N,     N,     N,     N,  N, N,    N],
    "outsider":              [N,   N,       N,    N,     N,   N,     N,     N,     N,  N, N,    N],
    "anonymous":             [S,   S,       S,    S,     S,   S,     S,     S,     S,  S, S,    S],
}
# fmt: on

CASES = cases(TABLE, COLUMNS)


def test_every_role_of_the_cast_is_a_row(table_cast):  # noqa: F811
    assert set(TABLE) == set(table_cast.people)


def test_every_report_url_is_a_column():
    assert {p.name for p in urlpatterns} == {name.split(":")[0] for name in VIEWS}


scenes = scenes_once(scene_in)


@pytest.mark.parametrize(("role", "view_name", "expected"), CASES)
def test_permission_table_reports(
    db,
    settings,
    client,
    table_cast,  # noqa: F811
    scenes,
    django_capture_on_commit_callbacks,
    role,
    view_name,
    expected,
):
    # «Скачать PDF» queues a job where LibreOffice is installed; any program stands in for it
    # here (the job is not run: no worker in the tests).
    settings.SOFFICE_PATH = shutil.which("true") or "/bin/true"
    cast, scenes = copies(table_cast, scenes)
    scene = scenes[cast.structure_name(role)]
    check(
        client,
        cast.people[role],
        VIEWS[view_name],
        scene,
        expected,
        django_capture_on_commit_callbacks,
    )
