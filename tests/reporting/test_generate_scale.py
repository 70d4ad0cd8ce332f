"""`manage.py generate_scale` at a tiny scale: every kind is there, the rows pass the models' own
validation (R-TUL-A3-1.1 for the pairs included). The same seed giving the same data, the refusal
of a non-empty database and the membership rules' stop are in test_generate_scale_runs.py."""

from __future__ import annotations

import copy
import datetime as dt
import hashlib
import re

import pytest
from allauth.account.models import EmailAddress
from django.db import models

from communities.models import (
    Attendance,
    Discussion,
    Event,
    JoinRequest,
    Material,
    Minutes,
    MinutesItem,
    Plan,
    PlanItem,
    PlanStep,
    Post,
)
from devdata import scale
from devdata.scale import data, generator
from mentoring.models import (
    Competence,
    Contact,
    GroupStatistics,
    HelpRequest,
    MentoringSettings,
    PairState,
    Question,
    Questionnaire,
    Response,
    Round,
    TutorAssignment,
)
from networks.models import (
    Membership,
    Municipality,
    Order,
    Organisation,
    OrganisationRequest,
    OrganisationStatus,
    Programme,
    Region,
    Role,
    SchoolStatus,
    Structure,
    StructureKind,
    TerritoryRole,
    User,
)
from networks.schoolyear import SchoolYear
from networks.search import fold
from reporting.models import Deadline, Report
from reporting.reminders import deadlines_instantiate
from schools.factors import DEFAULT_FACTORS
from schools.models import (
    DevelopmentDocument,
    DocumentKind,
    DocumentStatus,
    DocumentStatusChange,
    RiskFactor,
    SchoolCurator,
    SchoolRisk,
)
from tests.helpers import rolled_back_at_the_end

pytestmark = pytest.mark.django_db

TINY = 0.002
AS_OF = dt.date(2026, 11, 23)  # pinned: the data depend on «today» (school years, what is past)
YEAR = SchoolYear.of(AS_OF)

# Every model the generator fills; each is sampled and full_clean()ed.
GENERATED = [
    Region, Municipality, Organisation, OrganisationStatus, Order, Programme, User, TerritoryRole,
    Structure, Membership, OrganisationRequest, Plan, PlanItem, PlanStep, Event, Attendance,
    Minutes, MinutesItem, Material, Discussion, Post, JoinRequest, Competence, MentoringSettings,
    PairState, Contact, Questionnaire, Question, Round, Response, TutorAssignment,
    GroupStatistics, HelpRequest, Deadline, Report, EmailAddress, RiskFactor, SchoolRisk,
    SchoolCurator, DevelopmentDocument, DocumentStatusChange,
]  # fmt: skip


def generate(seed: int = scale.DEFAULT_SEED) -> scale.Result:
    return scale.generate(scale=TINY, seed=seed, as_of=AS_OF, log=lambda line: None)


def sample(model: type[models.Model], n: int = 40) -> list[models.Model]:
    """The first rows and a stride through the rest."""
    pks = list(model.objects.order_by("pk").values_list("pk", flat=True))
    step = max(1, len(pks) // n)
    chosen = set(pks[:10] + pks[::step])
    return list(model.objects.filter(pk__in=chosen))


def fingerprint() -> str:
    """The data without their ids: names, people, roles, dates, counts."""
    parts = [
        [(m.__name__, m.objects.count()) for m in GENERATED],
        list(Region.objects.order_by("code").values_list("code", "name", "timezone")),
        list(Organisation.objects.order_by("inn").values_list("inn", "short_name", "address")),
        list(User.objects.order_by("email").values_list("email", "last_name", "position")),
        list(
            Structure.objects.order_by(
                "kind__code", "name", "established_on", "host__inn"
            ).values_list("kind__code", "name", "established_on", "host__inn", "closed_on")
        ),
        Membership.objects.values_list("structure__name", "user__email", "role", "since", "until"),
        Event.objects.values_list("structure__name", "title", "starts_at", "status"),
        Attendance.objects.values_list("event__title", "user__email", "guest_name", "attended"),
        SchoolRisk.objects.values_list(
            "organisation__inn", "factor__code", "factor__school_year", "level", "source"
        ),
        SchoolCurator.objects.values_list("organisation__inn", "user__email", "since", "until"),
        DevelopmentDocument.objects.values_list(
            "organisation__inn", "kind", "school_year", "factor__code", "status", "created_at"
        ),
        DocumentStatusChange.objects.values_list(
            "document__organisation__inn", "document__kind", "status", "by__email", "at"
        ),
    ]
    parts = [sorted(map(repr, part)) for part in parts]
    return hashlib.sha256(repr(parts).encode()).hexdigest()


@pytest.fixture(scope="module")
def _built_generated(django_db_setup, django_db_blocker) -> scale.Result:
    """Generated once for the module's tests, which only read (≈ 1.3 s a generation); the runs
    that need an empty database are in test_generate_scale_runs.py."""
    with rolled_back_at_the_end(django_db_blocker):
        yield generate()


@pytest.fixture
def generated(_built_generated, db) -> scale.Result:
    return copy.deepcopy(_built_generated)


def test_every_kind_s1_to_s8_has_structures_and_members(generated):
    codes = list(StructureKind.objects.order_by("code").values_list("code", flat=True))
    assert codes[:8] == [f"S{i}" for i in range(1, 9)]
    for code in codes[:8]:
        structures = Structure.objects.filter(kind__code=code)
        assert structures.exists(), code
        assert not structures.filter(memberships__isnull=True).exists(), code
    # R-PAV-1.7: subject sub-communities; the «Вжурнале»-like groups of S3 likewise.
    for code in ("S3", "S8"):
        assert Structure.objects.filter(kind__code=code, parent__isnull=False).exists()
    # R-TUL-A4-4.3/4.4: the association meets and files signed minutes with items.
    s5_minutes = Minutes.objects.filter(event__structure__kind__code="S5", status="signed")
    assert s5_minutes.exists()
    assert MinutesItem.objects.filter(minutes__in=s5_minutes).exists()


def test_r_tul_a3_1_1_pairs_are_a_shnor_mentee_and_a_partner_mentor(generated):
    pairs = Structure.objects.filter(kind__code="S4")
    assert pairs.exists()
    for pair in pairs:
        sides = list(pair.memberships.filter(role__in=[Role.MENTOR, Role.MENTEE]))
        assert sorted(m.role for m in sides) == [Role.MENTEE, Role.MENTOR]
        assert pair.memberships.filter(role=Role.CURATOR).exists()
        for membership in sides:
            membership.full_clean()  # Membership.clean checks R-TUL-A3-1.1
            assert membership.user.leads, membership.user.position  # a head or deputy head
            is_shnor = OrganisationStatus.objects.filter(
                organisation_id=membership.user.organisation_id,
                school_year=membership.school_year.start,
                status=SchoolStatus.SHNOR,
            ).exists()
            assert is_shnor == (membership.role == Role.MENTEE)


def test_generated_rows_pass_the_models_validation(generated):
    for model in GENERATED:
        rows = sample(model)
        assert rows, model.__name__
        for obj in rows:
            try:
                obj.full_clean()
            except Exception as exc:  # name the row in the failure
                raise AssertionError(f"{model.__name__} {obj.pk}: {exc}") from exc
    # bulk_create skips save(): the folded search text is computed as save() computes it.
    for org in sample(Organisation):
        place = org.municipality.name if org.municipality_id else ""
        assert org.search_text == fold(" ".join([org.short_name, org.full_name, place, org.inn]))
    for s in sample(Structure):
        assert s.search_text == fold(" ".join([s.name, s.topic, s.participant_category]))
    for m in sample(Material):
        assert m.search_text == fold(" ".join([m.title, m.subject, m.description]))


def test_statuses_deadlines_and_the_fixed_accounts(generated):
    for year in (YEAR.start - 2, YEAR.start - 1, YEAR.start):
        statuses = set(
            OrganisationStatus.objects.filter(school_year=year).values_list("status", flat=True)
        )
        assert statuses == {SchoolStatus.SHNOR, SchoolStatus.SSSU, SchoolStatus.LEADER}
    # Deadlines of the current school year exist; instantiating again adds nothing.
    assert Deadline.objects.filter(school_year=YEAR.start).exists()
    assert deadlines_instantiate(year=YEAR) == 0
    assert Report.objects.filter(status=Report.Status.ACCEPTED).exists()
    # The fixed accounts sign in: verified address; the director is a mentee of an open pair.
    emails = [account[0] for account in scale.FIXED_ACCOUNTS.values()]
    assert EmailAddress.objects.filter(email__in=emails, verified=True).count() == len(emails)
    director = User.objects.get(email=scale.FIXED_ACCOUNTS["director"][0])
    assert director.memberships.filter(
        role=Role.MENTEE, until__isnull=True, structure__closed_on__isnull=True
    ).exists()
    assert director.check_password(scale.SCALE_PASSWORD)
    # The curator of many pairs curates the director's pair too: one pair page for both.
    curator = User.objects.get(email=scale.FIXED_ACCOUNTS["curator"][0])
    assert curator.memberships.filter(
        role=Role.CURATOR, structure__memberships__user=director
    ).exists()
    for key, role in (("coordinator", "coordinator"), ("methodist", "methodist")):
        user = User.objects.get(email=scale.FIXED_ACCOUNTS[key][0])
        assert TerritoryRole.objects.filter(user=user, role=role, municipality=None).exists()


def test_every_shnor_has_a_risk_profile_of_one_to_four_factors_of_its_year(generated):
    for year in (YEAR.start - 2, YEAR.start - 1, YEAR.start):
        # The «500+» factors of every generated year, as schools.factors defines them.
        codes = set(RiskFactor.objects.filter(school_year=year).values_list("code", flat=True))
        assert codes == {code for code, _name in DEFAULT_FACTORS}
        shnor = set(
            OrganisationStatus.objects.filter(
                school_year=year, status=SchoolStatus.SHNOR
            ).values_list("organisation_id", flat=True)
        )
        per_school = dict(
            SchoolRisk.objects.filter(factor__school_year=year)
            .values("organisation_id")
            .annotate(n=models.Count("pk"))
            .values_list("organisation_id", "n")
        )
        assert shnor <= set(per_school)
        assert all(1 <= per_school[o] <= 4 for o in shnor)
        assert {per_school[o] for o in shnor} > {1}
    assert set(SchoolRisk.objects.values_list("level", flat=True)) == {"high", "medium", "low"}
    assert set(SchoolRisk.objects.values_list("source", flat=True)) == set(SchoolRisk.Source.values)


def test_documents_of_every_kind_and_status_with_their_history(generated):
    assert set(DevelopmentDocument.objects.values_list("kind", flat=True)) == set(
        DocumentKind.values
    )
    current = DevelopmentDocument.objects.filter(school_year=YEAR.start)
    assert set(current.values_list("status", flat=True)) == set(DocumentStatus.values)
    # An antirisk programme answers a risk of the school in the same year.
    antirisk = DevelopmentDocument.objects.filter(kind=DocumentKind.ANTIRISK)
    assert antirisk.exists()
    assert not antirisk.exclude(factor__school_year=models.F("school_year")).exists()
    risk = SchoolRisk.objects.filter(
        organisation=models.OuterRef("organisation"), factor=models.OuterRef("factor")
    )
    assert not antirisk.exclude(models.Exists(risk)).exists()
    # The history starts with the draft and ends with the document's status, in time order.
    for document in sample(DevelopmentDocument):
        changes = list(document.changes.order_by("at", "pk"))
        assert changes[0].status == DocumentStatus.DRAFT
        assert changes[-1].status == document.status
        assert [c.at for c in changes] == sorted(c.at for c in changes)
        if document.status == DocumentStatus.RETURNED:
            assert document.comment and changes[-1].comment == document.comment


def test_curators_curate_several_schools_and_the_fixed_curator_the_directors(generated):
    current = SchoolCurator.objects.current()
    assert current.values("organisation").distinct().count() == current.count()
    busiest = current.values("user").annotate(n=models.Count("pk")).order_by("-n").first()
    assert busiest["n"] > 1
    assert SchoolCurator.objects.filter(until__isnull=False).exists()
    director = User.objects.get(email=scale.FIXED_ACCOUNTS["director"][0])
    curator = current.get(organisation_id=director.organisation_id).user
    assert curator.email == scale.FIXED_ACCOUNTS["curator"][0]


def per_kind_names(module) -> list[str]:
    """Functions and methods of a module whose names end with a kind code (`_plan_S5`)."""
    per_kind = re.compile(r"_S\d+$")
    classes = [c for c in vars(module).values() if getattr(c, "__module__", "") == module.__name__]
    owners = [module, *(c for c in classes if isinstance(c, type))]
    return [f"{o.__name__}.{name}" for o in owners for name in vars(o) if per_kind.search(name)]


def test_no_generator_method_is_named_after_a_kind():
    """A kind's data come from the kinds table and data.PLANS, not from one method per kind."""
    assert per_kind_names(generator) == []
    # Every kind with a plan is in the kinds table, and its plan asks only what its row allows.
    for code, plan in data.PLANS.items():
        generator.check_plan(StructureKind.objects.get(code=code), plan)
