"""The permission table of plans and of closing a structure: every role of conftest.Cast against
every structure-scoped view of communities/views/plans.py.

Each role acts on its own structure (conftest.Cast.structure_of): the chair on the S2 council (the
chair writes and approves, StructureKind S2), the head on the S5 association (the head writes, the
centre approves, R-TUL-A4-4.5), everybody else on the S8 community (the administrator and the
coordinator write, the coordinator approves). None of these kinds has an agree step, so agreeing
is refused to all (the agree step is tested with S6 and S7 in tests/communities/plans/).
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from communities.models import Plan, PlanItem, PlanStep
from documents.models import SignedScan
from documents.selectors import signed_scans_of
from networks.models import ClosingReason, Structure
from networks.schoolyear import SchoolYear
from tests.factories import PlanFactory, PlanItemFactory

from .permission_table import (
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
YEAR = SchoolYear.current().start


@dataclass
class Scene:
    structure: Structure
    draft: Plan  # with two items
    first: PlanItem
    second: PlanItem
    submitted: Plan
    approved: Plan
    approved_item: PlanItem
    scan: SignedScan  # of the approved plan (issue 18)


PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def scene_in(structure: Structure) -> Scene:
    draft = PlanFactory(structure=structure, school_year=2021, created_by=None)
    first, second = PlanItemFactory.create_batch(2, plan=draft)
    submitted = PlanFactory(
        structure=structure, school_year=2022, status=Plan.Status.SUBMITTED, created_by=None
    )
    PlanItemFactory(plan=submitted)
    PlanStep.objects.create(plan=submitted, action=PlanStep.Action.SUBMIT, by=None)
    approved = PlanFactory(
        structure=structure, school_year=2023, status=Plan.Status.APPROVED, created_by=None
    )
    scan = SignedScan.objects.create(
        record=approved,
        file=ContentFile(PDF, name="plan.pdf"),
        file_kind="pdf",
        original_name="План, подписанный.pdf",
    )
    return Scene(
        structure=structure,
        draft=draft,
        first=first,
        second=second,
        submitted=submitted,
        approved=approved,
        approved_item=PlanItemFactory(plan=approved),
        scan=scan,
    )


def _url(name, *parts):
    def build(s: Scene) -> str:
        return reverse(f"communities:{name}", args=[getattr(s, p).pk for p in parts])

    return build


ITEM = {
    "item-title": "Семинар «Адресные консультации»",
    "item-form": "seminar",
    "item-month": "11",
    "item-date": "",
    "item-responsible": "Руководитель",
    "item-audience": "",
    "item-expected_result": "",
}

VIEWS: dict[str, View] = {
    "plans": View(_url("plans", "structure")),
    "plan_detail": View(_url("plan_detail", "structure", "draft")),
    "plan_docx": View(_url("plan_docx", "structure", "draft")),
    "plan_create": View(
        _url("plan_create", "structure"),
        post={"plan-school_year": YEAR},
        done=lambda s: s.structure.plans.filter(school_year=YEAR).exists(),
    ),
    "plan_item_add": View(
        _url("plan_item_add", "structure", "draft"),
        post=ITEM,
        done=lambda s: s.draft.items.count() == 3,
    ),
    "plan_item_edit": View(
        _url("plan_item_edit", "structure", "draft", "first"),
        post={**ITEM, "item-title": "Изменённый пункт"},
        done=lambda s: refreshed(s.first).title == "Изменённый пункт",
    ),
    "plan_item_delete": View(
        _url("plan_item_delete", "structure", "draft", "second"),
        post={},
        done=lambda s: not PlanItem.objects.filter(pk=s.second.pk).exists(),
    ),
    "plan_item_move": View(
        _url("plan_item_move", "structure", "draft", "second"),
        post={"direction": "up"},
        done=lambda s: refreshed(s.second).position == 1,
    ),
    "plan_item_done": View(
        _url("plan_item_done", "structure", "approved", "approved_item"),
        post=lambda s: {f"done-{s.approved_item.pk}-done": "on"},
        done=lambda s: refreshed(s.approved_item).done,
    ),
    "plan_submit": View(
        _url("plan_submit", "structure", "draft"),
        post={},
        done=lambda s: refreshed(s.draft).status == Plan.Status.SUBMITTED,
    ),
    "plan_agree": View(
        _url("plan_agree", "structure", "submitted"),
        post={"agree-comment": ""},
        done=lambda s: s.submitted.steps.filter(action=PlanStep.Action.AGREE).exists(),
    ),
    "plan_approve": View(
        _url("plan_approve", "structure", "submitted"),
        post={"approve-comment": ""},
        done=lambda s: refreshed(s.submitted).status == Plan.Status.APPROVED,
    ),
    "plan_return": View(
        _url("plan_return", "structure", "submitted"),
        post={"return-comment": "Добавьте заседания."},
        done=lambda s: refreshed(s.submitted).status == Plan.Status.RETURNED,
    ),
    "plan_new_version": View(
        _url("plan_new_version", "structure", "approved"),
        post={},
        done=lambda s: Plan.objects.filter(previous=s.approved).exists(),
    ),
    "structure_close": View(
        _url("structure_close", "structure"),
        post=lambda s: {
            "close-on": timezone.localdate().isoformat(),
            "close-reason": ClosingReason.TERM_ENDED,
            "close-order_kind": "prikaz",
        },
        done=lambda s: refreshed(s.structure).is_closed,
    ),
    # Issue 18: the signed scan of the approved plan, attached by those who approve or agree it.
    "plan_scan_attach": View(
        _url("plan_scan_attach", "structure", "approved"),
        post=lambda s: {"scan-file": SimpleUploadedFile("Утверждённый план.pdf", PDF)},
        done=lambda s: len(signed_scans_of(s.approved)) == 2,
    ),
    "plan_scan": View(_url("plan_scan", "structure", "approved", "scan")),
}

COLUMNS = list(VIEWS)
F, N, S = FORBIDDEN, NOT_FOUND, SIGN_IN
# fmt: off
TABLE: dict[str, list] = {
    #                         plans detail docx create add edit del move done submit agree approve return version close scan  file
    "coordinator":           [OK,   OK, OK,    OK,    OK, OK,  OK, OK,  OK,  OK,    F,    OK,     OK,    OK,     OK, OK,     OK],
    # S2: the chair writes and approves; closing is a coordinator's.
    "chair":                 [OK,   OK, OK,    OK,    OK, OK,  OK, OK,  OK,  OK,    F,    OK,     OK,    OK,     F, OK,     OK],
    # S5: the head writes, the centre approves (R-TUL-A4-4.5).
    "head":                  [OK,   OK, OK,    OK,    OK, OK,  OK, OK,  OK,  OK,    F,    F,      F,     OK,     F, F,      OK],
    "territory_coordinator": [OK,   OK, OK,    OK,    OK, OK,  OK, OK,  OK,  OK,    F,    OK,     OK,    OK,     OK, OK,     OK],
    # S8: the administrator writes the plan with the coordinator, who approves it.
    "administrator":         [OK,   OK, OK,    OK,    OK, OK,  OK, OK,  OK,  OK,    F,    F,      F,     OK,     F, F,      OK],
    "moderator":             [OK,   OK, OK,    F,     F,  F,   F,  F,   F,   F,     F,    F,      F,     F,      F, F,      OK],
    "member":                [OK,   OK, OK,    F,     F,  F,   F,  F,   F,   F,     F,    F,      F,     F,      F, F,      OK],
    # Reads everything in the territory, changes nothing.
    "methodist":             [OK,   OK, OK,    F,     F,  F,   F,  F,   F,   F,     F,    F,      F,     F,      F, F,      OK],
    "member_elsewhere":      [N,    N, N,     N,     N,  N,   N,  N,   N,   N,     N,    N,      N,     N,      N, N,      N],
    "methodist_elsewhere":   [N,    N, N,     N,     N,  N,   N,  N,   N,   N,     N,    N,      N,     N,      N, N,      N],
    "outsider":              [N,    N, N,     N,     N,  N,   N,  N,   N,   N,     N,    N,      N,     N,      N, N,      N],
    "anonymous":             [S,    S, S,     S,     S,  S,   S,  S,   S,   S,     S,    S,      S,     S,      S, S,      S],
}
# fmt: on

CASES = cases(TABLE, COLUMNS)


def test_every_role_of_the_cast_is_a_row(table_cast):
    assert set(TABLE) == set(table_cast.people)


scenes = scenes_once(scene_in)


@pytest.mark.parametrize(("role", "view_name", "expected"), CASES)
def test_permission_table_plans(
    db, client, table_cast, scenes, django_capture_on_commit_callbacks, role, view_name, expected
):
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
