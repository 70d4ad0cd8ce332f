"""Factories of the schools app (issue 21); the rest come from tests/factories.py."""

import factory
from factory.django import DjangoModelFactory

from networks.schoolyear import SchoolYear
from schools.models import DevelopmentDocument, RiskFactor, SchoolCurator, SchoolRisk
from tests.factories import OrganisationFactory, UserFactory


class RiskFactorFactory(DjangoModelFactory):
    class Meta:
        model = RiskFactor
        django_get_or_create = ["school_year", "code"]

    school_year = factory.LazyFunction(lambda: SchoolYear.current().start)
    code = factory.Sequence(lambda n: f"factor{n}")
    name = factory.Sequence(lambda n: f"Фактор риска № {n}")
    ordering = factory.Sequence(lambda n: n)


class SchoolRiskFactory(DjangoModelFactory):
    class Meta:
        model = SchoolRisk

    organisation = factory.SubFactory(OrganisationFactory)
    factor = factory.SubFactory(RiskFactorFactory)
    level = "high"


class SchoolCuratorFactory(DjangoModelFactory):
    class Meta:
        model = SchoolCurator

    organisation = factory.SubFactory(OrganisationFactory)
    user = factory.SubFactory(UserFactory, position="Методист", organisation=None)


class DevelopmentDocumentFactory(DjangoModelFactory):
    class Meta:
        model = DevelopmentDocument

    organisation = factory.SubFactory(OrganisationFactory)
    kind = "concept"
    school_year = factory.LazyFunction(lambda: SchoolYear.current().start)
    file = factory.django.FileField(filename="концепция.pdf", data=b"%PDF-1.4 test")
    filename = "концепция.pdf"
