"""A territory's data for the API's tests, tokens, and a check of a response against the
published OpenAPI document."""

from __future__ import annotations

import datetime as dt
import functools

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone
from openapi_schema_validator import OAS30Validator

from api.services import api_token_issue
from networks.models import OrganisationKind
from networks.schoolyear import SchoolYear
from reporting.models import Deadline, DeadlineRule, Report
from schools import services as schools
from schools.models import RiskFactor, SchoolRisk
from tests.factories import (
    EventFactory,
    MembershipFactory,
    MunicipalityFactory,
    OrderFactory,
    OrganisationFactory,
    OrganisationStatusFactory,
    RegionFactory,
    StructureFactory,
    UserFactory,
)

YEAR = 2020


def build_structure(municipality, *, n: int = 0):
    """A structure of the municipality with its school (a ШНОР with a risk, an antirisk programme
    submitted to its curator), order, chair, member, a held meeting, a submitted report and a
    deadline of the school year 2020/2021."""
    school = OrganisationFactory(municipality=municipality)
    OrganisationStatusFactory(organisation=school, school_year=YEAR)
    factor, _new = RiskFactor.objects.get_or_create(
        school_year=YEAR, code="staff", defaults={"name": "Дефицит педагогических кадров"}
    )
    SchoolRisk.objects.create(organisation=school, factor=factor, level="high")
    build_school_record(school, factor)
    structure = StructureFactory(
        host=OrganisationFactory(municipality=municipality, kind=OrganisationKind.METHODICAL),
        founding_order=OrderFactory(
            issuer=OrganisationFactory(municipality=municipality, kind=OrganisationKind.AUTHORITY)
        ),
    )
    chair = UserFactory(organisation=school, show_name_consent_at=timezone.now(), phone="+7 900")
    MembershipFactory(structure=structure, user=chair, role="head")
    MembershipFactory(structure=structure, user=UserFactory(organisation=school))
    EventFactory(structure=structure, status="held")
    rule = DeadlineRule.objects.filter(kind=structure.kind).first()
    deadline = Deadline.objects.create(
        rule=rule, structure=structure, school_year=YEAR, due_on=dt.date(2021, 7, 15)
    )
    Report.objects.create(
        structure=structure,
        school_year=YEAR,
        deadline=deadline,
        title="Анализ работы",
        status="submitted",
        submitted_at=timezone.now(),
        figures={"meetings_held": 1},
    )
    return structure


def build_school_record(school, factor) -> None:
    """The school's antirisk programme for the factor, submitted (its file named after a person,
    which the API must not show), and its curator, who consented to show their name."""
    curator = UserFactory(
        organisation=school, show_name_consent_at=timezone.now(), phone="+7 901 000-00-00"
    )
    schools.curator_assign(school=school, user=curator, by=None)
    document = schools.document_upload(
        school=school,
        kind="antirisk",
        year=SchoolYear(YEAR),
        factor=factor,
        file=SimpleUploadedFile("Программа_Петровой.pdf", b"%PDF-1.4 secret"),
        by=curator,
    )
    schools.document_submit(document=document, by=curator)


def build_territory(structures: int = 1) -> dict:
    """Two municipalities of a region, and another region, each with its structures."""
    region = RegionFactory(name="Тульская область", code="171")
    here = MunicipalityFactory(region=region, name="г. Тула")
    there = MunicipalityFactory(region=region, name="Алексинский район")
    elsewhere = MunicipalityFactory(region=RegionFactory(name="Курская область", code="146"))
    return {
        "region": region,
        "here": here,
        "there": there,
        "elsewhere": elsewhere,
        "structures": {
            place: [build_structure(m) for _ in range(structures)]
            for place, m in (("here", here), ("there", there), ("elsewhere", elsewhere))
        },
    }


def token_for(region, municipality=None) -> str:
    organisation = OrganisationFactory(
        municipality=municipality or MunicipalityFactory(region=region),
        kind=OrganisationKind.AUTHORITY,
    )
    _token, secret = api_token_issue(
        organisation=organisation, region=region, municipality=municipality, by=None
    )
    return secret


def api_client(secret: str | None) -> Client:
    headers = {"Authorization": f"Bearer {secret}"} if secret else {}
    return Client(headers=headers)


@functools.cache
def _document_cached() -> dict:
    return Client().get("/api/v1/schema/?format=json").json()


def document() -> dict:
    return _document_cached()


def _inline(node, components: dict):
    if isinstance(node, dict):
        if "$ref" in node:
            name = node["$ref"].rsplit("/", 1)[-1]
            return _inline(components[name], components)
        if node.get("nullable") and len(node.get("allOf", ())) == 1:
            # OpenAPI 3.0's nullable reference (drf-spectacular writes `allOf: [$ref]` with
            # `nullable: true`): the referenced schema, which may also be null.
            return {**_inline(node["allOf"][0], components), "nullable": True}
        return {key: _inline(value, components) for key, value in node.items()}
    if isinstance(node, list):
        return [_inline(value, components) for value in node]
    return node


def response_schema(path: str, status: int = 200) -> dict:
    spec = document()
    answer = spec["paths"][path]["get"]["responses"][str(status)]
    return _inline(answer["content"]["application/json"]["schema"], spec["components"]["schemas"])


def assert_matches_schema(body, path: str) -> None:
    """The body validates against the response schema the document gives for `path`."""
    errors = sorted(OAS30Validator(response_schema(path)).iter_errors(body), key=str)
    assert not errors, [f"{list(e.path)}: {e.message}" for e in errors[:5]]
