"""The pair page is built for every request (issue 19): its query count is pinned on small data,
and its contact form, written without crispy's templates, still marks a refused field."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import ContactFactory

pytestmark = pytest.mark.django_db


def test_the_pair_page_runs_at_most_11_queries_for_its_curator(client, pair_cast):
    ContactFactory.create_batch(3, pair=pair_cast.pair, logged_by=pair_cast.people["mentor"])
    client.force_login(pair_cast.people["curator"])
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse("mentoring:pair_detail", args=[pair_cast.pair.pk]))
    assert response.status_code == 200
    assert len(ctx.captured_queries) <= 11
    html = response.content.decode()
    assert 'class="form-label requiredField">Тема<span class="asteriskField">*</span>' in html
    assert 'class="select form-select" required aria-describedby="id_contact-form_helptext"' in html


def test_a_refused_contact_marks_its_field_and_says_why_next_to_it(client, pair_cast):
    client.force_login(pair_cast.people["mentee"])
    response = client.post(
        reverse("mentoring:pair_contact_add", args=[pair_cast.pair.pk]),
        {"contact-date": "", "contact-form": "mentoring", "contact-channel": "phone"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'class="textinput form-control is-invalid"' in html
    assert '<div id="id_contact-topic_error" class="invalid-feedback">' in html
    assert '<p id="error_1_id_contact-topic"><strong>Обязательное поле.</strong></p>' in html
