"""Issue 21: a school's page on a 390 px phone — its risk profile, documents, support and
curators — passes axe-core and does not scroll sideways."""

import pytest

from tests.browser.conftest import assert_accessible, sign_in
from tests.factories import OrganisationFactory, OrganisationStatusFactory, UserFactory
from tests.schools.factories import (
    DevelopmentDocumentFactory,
    SchoolCuratorFactory,
    SchoolRiskFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_directors_school_page_is_accessible_on_a_phone(page, live_server):
    school = OrganisationFactory(short_name="МБОУ «Центр образования № 12»")
    OrganisationStatusFactory(organisation=school)
    SchoolRiskFactory(organisation=school, factor__name="Дефицит педагогических кадров")
    DevelopmentDocumentFactory(organisation=school, status="returned", comment="Добавьте сроки")
    SchoolCuratorFactory(organisation=school)
    UserFactory(
        email="direktor@school.example",
        password="pass-Word-2026",
        organisation=school,
        position="Директор",
    )
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, live_server, "direktor@school.example", "pass-Word-2026", home=False)
    page.goto(f"{live_server.url}/schools/{school.pk}/")
    page.get_by_role("heading", name="Профиль рисков").wait_for()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert_accessible(page)
