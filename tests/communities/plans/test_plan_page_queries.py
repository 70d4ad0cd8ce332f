"""The plan page is built for every request (issue 19): its query count is pinned on small data,
and the «done» form of each item, written in Python, is the HTML Django's widgets write."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from communities.forms.plans import PlanDoneForm
from communities.models import Plan
from networks.widgets import QuickTextInput, quick_widgets
from tests.communities.plans.conftest import plan_with_items
from tests.factories import PlanItemFactory

pytestmark = pytest.mark.django_db


def page(client, plan):
    url = reverse("communities:plan_detail", args=[plan.structure_id, plan.pk])
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries), response.content.decode()


def test_the_approved_plan_page_runs_at_most_11_queries_whatever_its_items(client, association):
    plan = plan_with_items(association.structure, n=2, status=Plan.Status.APPROVED)
    client.force_login(association.head)
    few, html = page(client, plan)
    assert few <= 11
    assert html.count('class="form-check-input"') == 2
    PlanItemFactory.create_batch(8, plan=plan)
    assert page(client, plan)[0] == few


def test_a_members_plan_page_has_no_forms_and_runs_at_most_11_queries(client, association):
    plan = plan_with_items(association.structure, n=3, status=Plan.Status.APPROVED)
    client.force_login(association.member)
    count, html = page(client, plan)
    assert count <= 11
    assert "form-check-input" not in html


def test_the_done_form_is_written_as_django_writes_it():
    def html(form) -> str:
        return re.sub(r"\s+", " ", str(form["done"]) + str(form["note"]))

    for data in (None, {"done-7-done": "on", "done-7-note": "x" * 600}):
        django_form = PlanDoneForm(data, prefix="done-7", initial={"done": True, "note": "<б>"})
        quick_form = quick_widgets(
            PlanDoneForm(data, prefix="done-7", initial={"done": True, "note": "<б>"})
        )
        if data:
            assert not django_form.is_valid() and not quick_form.is_valid()
        assert isinstance(quick_form.fields["note"].widget, QuickTextInput)
        assert html(quick_form) == html(django_form)
