"""Machinery shared by the permission tables (tests/communities/test_permission_table*.py).

A table is data: roles (rows, from conftest.Cast) × views (columns) → the expected answer.
Allowed: 200 for a page, a redirect after the change for an action (and the change is made).
Those who must not know the inner object exists: 404. Members without the right: 403. Anonymous
visitors: the sign-in page. Refused actions change nothing.

Each feature keeps its table in its own test module with a module-level VIEWS dict; the guard in
test_permission_table.py checks that every structure page of communities is in some table.
"""

from __future__ import annotations

import copy
import importlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse

OK, FORBIDDEN, NOT_FOUND, SIGN_IN = "ok", 403, 404, "sign-in"


@dataclass(frozen=True)
class View:
    url: Callable[[Any], str]
    post: dict | Callable[[Any], dict] | None = None  # None: a GET page
    done: Callable[[Any], bool] | None = None  # for actions: the change was made

    def data(self, scene) -> dict:
        return self.post(scene) if callable(self.post) else self.post


def url(name: str, *parts: str) -> Callable[[Any], str]:
    """reverse(name) with the primary keys of the scene's attributes, «structure» first."""

    def build(scene) -> str:
        return reverse(name, args=[getattr(scene, part).pk for part in parts])

    return build


def refreshed(obj):
    obj.refresh_from_db()
    return obj


def cases(table: dict[str, list], columns: list[str]) -> list:
    return [
        pytest.param(role, view, expected, id=f"{role}-{view}")
        for role, row in table.items()
        for view, expected in zip(columns, row, strict=True)
    ]


def check(client, person, view: View, scene, expected, capture) -> None:
    """Runs one cell of a table: `capture` is django_capture_on_commit_callbacks."""
    if person is not None:
        client.force_login(person)
    address = view.url(scene)
    with capture(execute=True):
        response = (
            client.get(address) if view.post is None else client.post(address, view.data(scene))
        )

    if expected == SIGN_IN:
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login") + "?next=")
    elif expected == OK and view.post is None:
        assert response.status_code == 200
    elif expected == OK:
        assert response.status_code == 302, response.content.decode()[:2000]
        assert view.done(scene)
    else:
        assert response.status_code == expected
    if expected != OK and view.done is not None:
        assert not view.done(scene), "a refused action must change nothing"


def covered_views() -> set[str]:
    """The url names of every table's columns, across all test_permission_table*.py modules."""
    names: set[str] = set()
    for path in sorted(Path(__file__).parent.glob("test_permission_table*.py")):
        module = importlib.import_module(f"tests.communities.{path.stem}")
        names |= {name.split(":")[-1] for name in getattr(module, "VIEWS", {})}
    return names


def scenes_once(scene_in: Callable[[Any], Any]):
    """A module-scoped fixture `scenes`: the scene of each structure of the table's cast, built
    once inside the cast's rolled-back transaction (tests/communities/conftest.py::table_cast)."""

    @pytest.fixture(scope="module", name="scenes")
    def scenes(table_cast, django_db_blocker) -> dict[str, Any]:
        with django_db_blocker.unblock():
            return {name: scene_in(s) for name, s in table_cast.structures.items()}

    return scenes


def copies(*built):
    """Deep copies of what a module built once, so that a cell's changes in memory stay its own
    (its changes in the database are rolled back with its savepoint)."""
    return copy.deepcopy(built)
