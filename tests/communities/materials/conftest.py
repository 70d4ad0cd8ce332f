"""An S8 network community of teachers (004, Pavlovsky) with one person per role that matters
for materials and discussions: the administrator (R-PAV-6.1), the moderator (R-PAV-6.2), members,
the territory's methodist, and an outsider."""

from __future__ import annotations

import copy
from dataclasses import dataclass

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from networks.models import Role, Structure, TerritoryRole, User
from tests.factories import (
    MembershipFactory,
    StructureFactory,
    TerritoryRoleFactory,
    UserFactory,
    kind,
)
from tests.helpers import rolled_back_at_the_end

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


@dataclass
class Community:
    structure: Structure
    administrator: User
    moderator: User
    member: User
    colleague: User
    methodist: User
    outsider: User


@pytest.fixture(scope="module")
def _built_community(django_db_setup, django_db_blocker):
    """The community built once per test module inside a transaction rolled back at the module's
    end; each test changes it in a savepoint of its own."""
    with rolled_back_at_the_end(django_db_blocker):
        yield build_community()


@pytest.fixture
def community(_built_community, db) -> Community:
    return copy.deepcopy(_built_community)


def build_community() -> Community:
    structure = StructureFactory(kind=kind("S8"), name="Сетевое сообщество педагогов")

    def member(role, last_name):
        return MembershipFactory(
            structure=structure,
            role=role,
            user=UserFactory(last_name=last_name, organisation=structure.host),
        ).user

    return Community(
        structure=structure,
        administrator=member(Role.ADMINISTRATOR, "Администраторова"),
        moderator=member(Role.MODERATOR, "Модераторов"),
        member=member(Role.MEMBER, "Учителева"),
        colleague=member(Role.MEMBER, "Коллегин"),
        methodist=TerritoryRoleFactory(
            role=TerritoryRole.Role.METHODIST,
            region=structure.region,
            user=UserFactory(last_name="Методистова", organisation=structure.host),
        ).user,
        outsider=UserFactory(last_name="Посторонний", organisation=structure.host),
    )


def pdf(name="Рекомендации по математике.pdf", data=PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/pdf")


def url(name, structure, *args) -> str:
    return reverse(f"communities:{name}", args=[structure.pk, *[getattr(a, "pk", a) for a in args]])


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


@pytest.fixture
def only_these_panels(monkeypatch):
    """The structure page and the home page with this feature's panel and block alone: their
    content and query counts are this feature's; the whole pages are pinned in tests/networks."""
    from communities.panels import materials
    from networks import hooks

    monkeypatch.setattr(hooks, "_structure_panels", [materials.structure_panel])
    monkeypatch.setattr(hooks, "_home_blocks", [materials.materials_awaiting])
