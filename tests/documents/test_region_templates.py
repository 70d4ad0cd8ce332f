"""A region's own document templates (issue 18, documents/): who uploads and switches them, that a
region's template is used for that region's documents only, and that a template that does not
render (a broken tag, an unknown field, an expression reaching Python's internals, not a DOCX) is
refused with the reason in Russian."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from docx import Document

from communities.services.documents import MinutesDocx
from documents import rendering
from documents.models import DocumentKind, DocumentTemplate
from networks.models import Role, TerritoryRole
from tests.communities.events.conftest import (  # noqa: F401
    _built_s5,
    file_minutes,
    hold,
    plan_meeting,
    s5,
)
from tests.communities.permission_table import (
    FORBIDDEN,
    NOT_FOUND,
    OK,
    SIGN_IN,
    View,
    cases,
    check,
)
from tests.factories import (
    MembershipFactory,
    MunicipalityFactory,
    OrganisationFactory,
    RegionFactory,
    StructureFactory,
    TerritoryRoleFactory,
    UserFactory,
    kind,
)

from .docx_checks import all_text, opened

pytestmark = pytest.mark.django_db

MARK = "Герб и бланк Тульской области"


def template_with(*lines: str, kind: str = "minutes") -> bytes:
    """The default template with paragraphs added at its start (as a region edits it in Word)."""
    document = Document(str(rendering.default_path(kind)))
    first = document.paragraphs[0]
    for line in lines:
        first.insert_paragraph_before(line)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def upload(data: bytes, name: str = "Протокол Тулы.docx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, rendering.DOCX_CONTENT_TYPE)


def person_with(role, region, municipality=None):
    user = UserFactory()
    TerritoryRoleFactory(user=user, role=role, region=region, municipality=municipality)
    return user


class Scene:
    def __init__(self):
        self.region = RegionFactory(name="Тульская область")
        self.municipality = MunicipalityFactory(region=self.region)
        host = OrganisationFactory(municipality=self.municipality)
        self.structure = StructureFactory(kind=kind("S5"), host=host)
        other_host = OrganisationFactory()
        self.other_region = other_host.region
        self.template = DocumentTemplate.objects.create(
            region=self.region,
            kind=DocumentKind.MINUTES,
            file=ContentFile(template_with(MARK), name="old.docx"),
            original_name="Прежний протокол.docx",
        )
        C, M = TerritoryRole.Role.COORDINATOR, TerritoryRole.Role.METHODIST
        self.people = {
            "coordinator": person_with(C, self.region),
            "municipal_coordinator": person_with(C, self.region, self.municipality),
            "other_coordinator": person_with(C, self.other_region),
            "methodist": person_with(M, self.region),
            "member": MembershipFactory(structure=self.structure, role=Role.HEAD).user,
            "anonymous": None,
        }


def _uploaded(scene) -> bool:
    return DocumentTemplate.objects.filter(
        region=scene.region, original_name="Протокол Тулы.docx", is_active=True
    ).exists()


def _switched_off(scene) -> bool:
    return not DocumentTemplate.objects.get(pk=scene.template.pk).is_active


VIEWS = {
    "list": View(lambda s: reverse("documents:templates")),
    "list of the region": View(lambda s: reverse("documents:templates") + f"?region={s.region.pk}"),
    "upload (post)": View(
        lambda s: reverse("documents:template_upload"),
        post=lambda s: {
            "region": s.region.pk,
            "kind": "minutes",
            "file": upload(template_with("Новый бланк")),
        },
        done=_uploaded,
    ),
    "default": View(lambda s: reverse("documents:default_download", args=["minutes"])),
    "file": View(lambda s: reverse("documents:template_file", args=[s.template.pk])),
    "switch off (post)": View(
        lambda s: reverse("documents:template_switch", args=[s.template.pk]),
        post={"active": "0"},
        done=_switched_off,
    ),
}
COLUMNS = list(VIEWS)
F, N, S = FORBIDDEN, NOT_FOUND, SIGN_IN
TABLE = {
    #                          list region upload default file switch
    "coordinator": [OK, OK, OK, OK, OK, OK],
    "municipal_coordinator": [OK, OK, F, OK, OK, F],
    "other_coordinator": [OK, N, N, OK, N, N],
    "methodist": [OK, OK, F, OK, OK, F],
    "member": [F, F, F, F, F, F],
    "anonymous": [S, S, S, S, S, S],
}


@pytest.mark.parametrize(("role", "view", "expected"), cases(TABLE, COLUMNS))
def test_who_keeps_the_regions_document_templates(
    client, django_capture_on_commit_callbacks, role, view, expected
):
    scene = Scene()
    check(
        client, scene.people[role], VIEWS[view], scene, expected, django_capture_on_commit_callbacks
    )


# --- Used for its region only -----------------------------------------------------------------------


def minutes_of(s5):  # noqa: F811
    event = plan_meeting(s5, dt.date(2021, 2, 15))
    hold(s5, event)
    return file_minutes(s5, event, sign=True)


def test_a_regions_template_is_used_for_that_regions_documents_only(client, s5):  # noqa: F811
    minutes = minutes_of(s5)
    region = s5.structure.region
    coordinator = person_with(TerritoryRole.Role.COORDINATOR, region)
    client.force_login(coordinator)

    response = client.post(
        reverse("documents:template_upload"),
        {"region": region.pk, "kind": "minutes", "file": upload(template_with(MARK))},
    )

    assert response.status_code == 302
    template = DocumentTemplate.objects.get(region=region)
    assert template.is_active and template.checked_at and template.uploaded_by == coordinator
    assert MARK in all_text(opened(MinutesDocx(minutes, [], []).render()[2]))

    # A structure of another region keeps the default.
    elsewhere = StructureFactory(kind=kind("S5"))
    assert elsewhere.region_id != region.pk
    assert rendering.active_template("minutes", elsewhere.region_id) is None
    minutes.event.structure.region_id = elsewhere.region_id
    assert MARK not in all_text(opened(MinutesDocx(minutes, [], []).render()[2]))


def test_switched_off_the_region_uses_the_default_again(client, s5):  # noqa: F811
    minutes = minutes_of(s5)
    region = s5.structure.region
    client.force_login(person_with(TerritoryRole.Role.COORDINATOR, region))
    client.post(
        reverse("documents:template_upload"),
        {"region": region.pk, "kind": "minutes", "file": upload(template_with(MARK))},
    )
    template = DocumentTemplate.objects.get(region=region)

    client.post(reverse("documents:template_switch", args=[template.pk]), {"active": "0"})

    assert MARK not in all_text(opened(MinutesDocx(minutes, [], []).render()[2]))
    page = client.get(reverse("documents:templates") + f"?region={region.pk}").content.decode()
    assert "шаблон по умолчанию" in page and "отключён" in page


def test_a_new_upload_replaces_the_regions_template_and_keeps_the_old_one_off(client):
    scene = Scene()
    client.force_login(scene.people["coordinator"])
    client.post(
        reverse("documents:template_upload"),
        {"region": scene.region.pk, "kind": "minutes", "file": upload(template_with("Новый"))},
    )
    rows = DocumentTemplate.objects.filter(region=scene.region, kind="minutes")
    assert rows.count() == 2 and rows.filter(is_active=True).count() == 1
    assert not rows.get(pk=scene.template.pk).is_active


# --- Refused with the reason --------------------------------------------------------------------------


def refused(client, data: bytes, name: str = "Протокол Тулы.docx") -> str:
    scene = Scene()
    client.force_login(scene.people["coordinator"])
    response = client.post(
        reverse("documents:template_upload"),
        {"region": scene.region.pk, "kind": "minutes", "file": upload(data, name)},
    )
    assert response.status_code == 400
    assert not DocumentTemplate.objects.filter(original_name=name).exists()
    return response.content.decode()


def test_a_broken_tag_is_refused_with_the_tag(client):
    html = refused(client, template_with("Дата: {{ date }", "{% for x in %}"))
    assert "Шаблон не собирается" in html
    assert "Ошибка рядом с" in html


def test_an_unknown_field_is_refused_by_its_name(client):
    html = refused(client, template_with("Утверждаю: {{ chairman }}"))
    assert "«chairman»" in html


def test_an_expression_reaching_pythons_internals_is_refused(client):
    html = refused(client, template_with("{{ ''.__class__.__mro__ }}"))
    assert "портал не выполняет" in html


def test_a_file_that_is_no_docx_is_refused(client):
    html = refused(client, b"%PDF-1.4\n%%EOF\n", name="Протокол.docx")
    assert "не принят" in html


def test_the_sample_renders_every_shipped_default():
    for kind_value in ("minutes", "plan"):
        rendering.check_template(rendering.default_path(kind_value).read_bytes(), kind_value)


def test_a_template_that_renders_for_ever_is_stopped_and_refused(client, monkeypatch):
    monkeypatch.setattr(rendering, "RENDER_SECONDS", 1)
    loops = "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}"
    html = refused(client, template_with(loops))
    assert "формируется дольше 1 с" in html


def test_a_template_that_multiplies_text_runs_out_of_its_memory_and_is_refused(client):
    html = refused(client, template_with("{{ 'x' * 1000000000 }}"))
    assert "слишком много памяти" in html
