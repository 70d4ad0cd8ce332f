"""A pair's contact log (R-TUL-A3-4.1): who writes and reads it, what is refused, how it shows."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from mentoring.models import Channel, Contact, ContactForm
from mentoring.services import contact_log
from networks.services import structure_close
from tests.factories import ContactFactory
from tests.helpers import mentoring_limits_kept

pytestmark = pytest.mark.django_db


def detail(pair):
    return reverse("mentoring:pair_detail", args=[pair.pk])


def add(pair):
    return reverse("mentoring:pair_contact_add", args=[pair.pk])


def data(**overrides):
    values = {
        "date": timezone.localdate().isoformat(),
        "form": "mentoring",
        "channel": "phone",
        "topic": "Анализ результатов ВПР по математике",
        "outcome": "Составили план работы с учителями математики",
        "next_step": "Встреча в школе-партнёре",
    }
    values.update(overrides)
    return {f"contact-{k}": v for k, v in values.items()}


def test_r_tul_a3_4_1_contact_forms_are_those_of_the_order():
    assert ContactForm.values == ["mentoring", "consulting", "brainstorming", "other"]
    assert [label for _v, label in ContactForm.choices] == [
        "Наставничество",
        "Консультирование",
        "«Мозговой штурм»",
        "Иное",
    ]
    assert Channel.values == ["phone", "email", "messenger", "community", "in_person"]


@pytest.mark.parametrize("side", ["mentee", "mentor", "curator"])
def test_r_tul_a3_4_1_contact_forms_logged_by_both_sides_and_the_curator(client, pair_cast, side):
    person = pair_cast.people[side]
    client.force_login(person)
    response = client.post(add(pair_cast.pair), data(form="brainstorming", channel="community"))
    assert response.status_code == 302 and response["Location"] == detail(pair_cast.pair)
    contact = Contact.objects.get(pair=pair_cast.pair)
    assert (contact.form, contact.channel, contact.logged_by) == (
        "brainstorming",
        "community",
        person,
    )
    page = client.get(detail(pair_cast.pair))
    html = page.content.decode()
    assert "«Мозговой штурм»" in html and "Сетевое сообщество" in html
    assert "Контакт записан в журнал пары." in html


def test_a_contact_in_the_future_is_refused_in_russian_and_the_form_keeps_what_was_typed(
    client, pair_cast
):
    client.force_login(pair_cast.people["mentee"])
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    response = client.post(
        add(pair_cast.pair), data(date=tomorrow.isoformat(), topic="Подготовка к ОГЭ")
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["date"] == ["Дата контакта не может быть в будущем."]
    html = response.content.decode()
    assert 'value="Подготовка к ОГЭ"' in html
    assert not Contact.objects.exists()


def test_a_contact_without_a_topic_says_so_by_its_field(client, pair_cast):
    client.force_login(pair_cast.people["mentor"])
    response = client.post(add(pair_cast.pair), data(topic=""))
    assert response.status_code == 200
    assert "topic" in response.context["form"].errors


def test_the_service_refuses_a_date_before_the_pair_started(pair_cast):
    with pytest.raises(ValidationError) as error:
        contact_log(
            pair=pair_cast.pair,
            date=pair_cast.pair.starts_on - dt.timedelta(days=1),
            form="consulting",
            channel="email",
            topic="Консультация",
            by=pair_cast.people["mentor"],
        )
    assert "раньше начала" in error.value.message_dict["date"][0]


def test_a_closed_pair_takes_no_new_contacts(client, pair_cast):
    structure_close(structure=pair_cast.pair, on=timezone.localdate(), reason="term_ended")
    with pytest.raises(ValidationError, match="прекратила работу"):
        contact_log(
            pair=pair_cast.pair,
            date=timezone.localdate(),
            form="consulting",
            channel="email",
            topic="Консультация",
            by=pair_cast.people["mentor"],
        )
    # The log stays readable; the form is gone. The curator's membership ended with the pair,
    # so the territory's coordinator reads it.
    client.force_login(pair_cast.people["territory_coordinator"])
    response = client.get(detail(pair_cast.pair))
    assert response.status_code == 200 and response.context["form"] is None


def test_the_sides_of_a_closed_pair_keep_reading_their_log_and_find_it_at_home(client, pair_cast):
    ContactFactory(pair=pair_cast.pair, date=timezone.localdate(), topic="Итоги полугодия")
    # A mentor who left before the pair closed has no part in its later record.
    early = pair_cast.pair.memberships.get(user=pair_cast.people["mentor"])
    closing_day = timezone.localdate()
    structure_close(structure=pair_cast.pair, on=closing_day, reason="term_ended")
    for side in ("mentee", "mentor", "curator"):
        client.force_login(pair_cast.people[side])
        response = client.get(detail(pair_cast.pair))
        assert response.status_code == 200, side
        assert "Итоги полугодия" in response.content.decode()
        assert response.context["form"] is None, "read-only: a closed pair takes no contacts"
        assert client.post(add(pair_cast.pair), data()).status_code in (403, 404)
    client.force_login(pair_cast.people["mentee"])
    home = client.get(reverse("home")).content.decode()
    assert "Прошлые пары" in home and detail(pair_cast.pair) in home

    early.until = closing_day - dt.timedelta(days=30)
    early.save()
    client.force_login(pair_cast.people["mentor"])
    assert client.get(detail(pair_cast.pair)).status_code == 404
    assert "Прошлые пары" not in client.get(reverse("home")).content.decode()
    # The other pair's people never had a part in it.
    client.force_login(pair_cast.people["other_mentor"])
    assert client.get(detail(pair_cast.pair)).status_code == 404


def test_what_people_typed_stays_text(client, pair_cast):
    ContactFactory(
        pair=pair_cast.pair,
        date=timezone.localdate(),
        topic="<script>alert(1)</script>",
        outcome="Первая строка\n<b>вторая</b>",
    )
    client.force_login(pair_cast.people["curator"])
    html = client.get(detail(pair_cast.pair)).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "Первая строка<br>&lt;b&gt;вторая&lt;/b&gt;" in html


def test_the_methodist_sees_the_pairs_card_but_not_its_log(client, pair_cast):
    ContactFactory(pair=pair_cast.pair, date=timezone.localdate(), topic="Секретная тема")
    client.force_login(pair_cast.people["methodist"])
    card = client.get(reverse("networks:structure_detail", args=[pair_cast.pair.pk]))
    assert card.status_code == 200
    assert "Секретная тема" not in card.content.decode()
    assert "Журнал контактов" not in card.content.decode()
    assert client.get(detail(pair_cast.pair)).status_code == 403


def test_the_anonymous_visitor_is_sent_to_sign_in(client, pair_cast):
    response = client.get(detail(pair_cast.pair))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_a_structure_that_is_not_a_pair_has_no_log(client, pair_cast):
    client.force_login(pair_cast.people["community_coordinator"])
    assert client.get(detail(pair_cast.community)).status_code == 404


def test_the_pair_page_takes_the_same_queries_with_3_and_30_contacts(client, pair_cast):
    mentoring_limits_kept()  # read once, as on every page after the first (mentoring.limits)
    client.force_login(pair_cast.people["mentee"])
    today = timezone.localdate()

    def queries():
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(detail(pair_cast.pair))
        assert response.status_code == 200
        return len(ctx.captured_queries)

    ContactFactory.create_batch(
        3, pair=pair_cast.pair, date=today, logged_by=pair_cast.people["mentor"]
    )
    few = queries()
    ContactFactory.create_batch(
        27, pair=pair_cast.pair, date=today, logged_by=pair_cast.people["curator"]
    )
    assert queries() == few


def test_the_pairs_structure_page_shows_the_last_contact_and_the_dormant_warning(client, pair_cast):
    card = reverse("networks:structure_detail", args=[pair_cast.pair.pk])
    client.force_login(pair_cast.people["mentor"])
    old = timezone.localdate() - dt.timedelta(days=45)
    pair_cast.pair.established_on = old
    pair_cast.pair.save()
    ContactFactory(pair=pair_cast.pair, date=old)
    html = client.get(card).content.decode()
    assert "Работа пары" in html and old.strftime("%d.%m.%Y") in html
    assert "Пара «уснула»" in html
    assert detail(pair_cast.pair) in html

    def queries():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(card).status_code == 200
        return len(ctx.captured_queries)

    few = queries()
    ContactFactory.create_batch(10, pair=pair_cast.pair, date=timezone.localdate())
    assert queries() == few
    assert "Пара «уснула»" not in client.get(card).content.decode()
