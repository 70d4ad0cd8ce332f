"""Mail templates rendered once per shape and filled per person (networks/mail_stamps.py, issue 17
«Scale») give exactly what Django's full render gives: for the portal's bulk mail templates, with
values that need escaping, line breaks, empty values and several people per stamp (the later
ones filled without the first-use check); and a template whose filter changes a personal value
falls back to the full render."""

from __future__ import annotations

import pytest
from django.template.defaultfilters import linebreaksbr
from django.template.loader import render_to_string
from django.utils import translation

from networks import mail_stamps
from networks.mail_stamps import render_stamped

SHARED = {"site_url": "https://portal.example.ru"}
PEOPLE = [
    {
        "name": "Анна",
        "subject": "Просрочено поручение: план <школы> № 5",
        "body": 'Первая строка & вторая\nТретья «строка» с "кавычками"\n\nАбзац',
        "url": "/structures/1/decisions/?a=1&b=2",
    },
    {"name": "O'Brien <script>", "subject": "Тема", "body": "Одна строка", "url": "/s/2/"},
    {"name": "", "subject": "Без адреса", "body": "Текст", "url": ""},
    {"name": "Пётр", "subject": "Ещё", "body": "Текст\r\nс переводом", "url": ""},
]
ITEMS = [
    {"subject": "Объявление <важное>", "text": "Строка 1\nСтрока 2 & ещё", "url": "https://p/1"},
    {"subject": "Решение", "text": "Текст", "url": ""},
]


@pytest.fixture(autouse=True)
def fresh_stamps():
    mail_stamps._stamps.clear()
    mail_stamps._checked.clear()


@pytest.mark.parametrize(
    ("template", "html", "filters"),
    [
        ("reporting/email/reminder.txt", False, None),
        ("reporting/email/reminder.html", True, {"body": linebreaksbr}),
    ],
)
def test_a_reminder_from_its_stamp_is_the_template_rendered_in_full(template, html, filters):
    for person in PEOPLE * 2:  # the second round is filled from stamps only
        assert render_stamped(
            template, SHARED, person, html=html, html_filters=filters
        ) == render_to_string(template, {**SHARED, **person})
    # Shapes: everything given; no link; no name and no link — three stamps for eight mails,
    # each used (a stamp that failed its first-use check would be None).
    assert len(mail_stamps._stamps) == 3
    assert None not in mail_stamps._stamps.values()


@pytest.mark.parametrize(
    ("template", "html", "filters"),
    [
        ("reporting/email/digest.txt", False, None),
        ("reporting/email/digest_subject.txt", False, None),
        ("reporting/email/digest.html", True, {"items.text": linebreaksbr}),
    ],
)
def test_a_digest_from_its_stamp_is_the_template_rendered_in_full(template, html, filters):
    for name, items in [("Анна", ITEMS), ("Иван", ITEMS[::-1]), ("Олег", ITEMS[:1]), ("Я", ITEMS)]:
        personal = {"name": name, "items": items}
        assert render_stamped(
            template, SHARED, personal, html=html, html_filters=filters
        ) == render_to_string(template, {**SHARED, **personal})
    assert mail_stamps._stamps and None not in mail_stamps._stamps.values()


@pytest.mark.parametrize("as_head", [False, True])
def test_an_overdue_decision_from_its_stamp_is_the_template_rendered_in_full(as_head):
    template = "reporting/email/decision_overdue.txt"
    for text, number in [("Актуализировать план & отчёт", "1"), ("Другое <решение>", "17-р")]:
        personal = {"structure": "МО «Наставники»", "text": text, "date": "06.12.2026", "n": number}
        assert render_stamped(template, {"as_head": as_head}, personal) == render_to_string(
            template, {"as_head": as_head, **personal}
        )
    assert list(mail_stamps._stamps.values()) != [None]


def test_each_language_has_its_own_stamp():
    person = PEOPLE[0]
    with translation.override("en"):
        english = render_stamped("reporting/email/reminder.txt", SHARED, person)
    russian = render_stamped("reporting/email/reminder.txt", SHARED, person)
    assert english.startswith("Hello, Анна!")
    assert russian.startswith("Здравствуйте, Анна!")


def test_a_template_that_changes_a_personal_value_is_rendered_in_full(settings):
    settings.TEMPLATES = [
        {
            "BACKEND": "django.template.backends.django.DjangoTemplates",
            "OPTIONS": {
                "loaders": [
                    (
                        "django.template.loaders.locmem.Loader",
                        {"cut.txt": "{{ name|truncatechars:4 }}: {{ body|length }}"},
                    )
                ]
            },
        }
    ]
    personal = {"name": "Анастасия", "body": "двенадцать с"}

    first = render_stamped("cut.txt", {}, personal)
    second = render_stamped("cut.txt", {}, {"name": "Екатерина", "body": "три"})

    assert first == "Ана…: 12"
    assert second == "Ека…: 3"
    assert list(mail_stamps._stamps.values()) == [None]  # never filled from that stamp again
