"""Russian plural forms (issue 20): message ids are Russian, and without a Russian catalogue an
`ngettext` has two forms, the English rule's: «4 человек», «2 структур». locale/ru gives every plural
entry its three forms; the numbers 1, 2, 5, 11, 21, 22 take one of each and the exceptions."""

import datetime as dt
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation
from django.utils.translation import ngettext

from reporting.reminders import _when_text
from tests.test_i18n import read_po

RU_PO = Path(settings.BASE_DIR) / "locale" / "ru" / "LC_MESSAGES" / "django.po"


def ru(singular: str, plural: str, n: int) -> str:
    with translation.override("ru"):
        return ngettext(singular, plural, n) % {"n": n}


def test_every_plural_entry_of_the_russian_catalogue_has_its_forms():
    plural = [entry for entry in read_po(RU_PO) if entry["msgid_plural"]]
    assert len(plural) > 40
    for entry in plural:
        forms = entry["msgstr"]
        assert all(forms.get(i) for i in range(3)), entry["msgid"]
        assert "fuzzy" not in entry["flags"], entry["msgid"]


@pytest.mark.parametrize(
    ("n", "expected"),
    [
        (1, "1 человек"),
        (2, "2 человека"),
        (5, "5 человек"),
        (11, "11 человек"),
        (21, "21 человек"),
        (22, "22 человека"),
    ],
)
def test_people_are_counted_in_russian(n, expected):
    assert ru("%(n)s человек", "%(n)s человек", n) == expected


@pytest.mark.parametrize(
    ("n", "expected"),
    [
        (1, "Найдена 1 структура"),
        (2, "Найдены 2 структуры"),
        (5, "Найдено 5 структур"),
        (11, "Найдено 11 структур"),
        (21, "Найдена 21 структура"),
        (22, "Найдены 22 структуры"),
    ],
)
def test_structures_found_are_counted_in_russian(n, expected):
    assert ru("Найдена %(n)s структура", "Найдено структур: %(n)s", n) == expected


@pytest.mark.parametrize(
    ("n", "expected"),
    [
        (1, "1 участник"),
        (2, "2 участника"),
        (5, "5 участников"),
        (11, "11 участников"),
        (21, "21 участник"),
        (22, "22 участника"),
    ],
)
def test_members_are_counted_in_russian(n, expected):
    assert ru("%(n)s участник", "участников: %(n)s", n) == expected


@pytest.mark.parametrize(
    ("days", "expected"),
    [(2, "через 2 дня"), (5, "через 5 дней"), (11, "через 11 дней"), (21, "через 21 день")],
)
def test_a_reminder_says_in_how_many_days_in_whole_words(days, expected):
    today = dt.date(2026, 12, 1)
    assert _when_text("d", today + dt.timedelta(days=days), today) == expected


def test_an_overdue_reminder_says_by_how_many_days():
    today = dt.date(2026, 12, 23)
    assert _when_text("overdue-1", dt.date(2026, 12, 1), today) == (
        "срок истёк 01.12.2026, просрочено на 22 дня"
    )


def test_english_keeps_its_two_forms():
    with translation.override("en"):
        assert ngettext("%(n)s человек", "%(n)s человек", 2) % {"n": 2} == "2 people"
        assert ngettext("%(n)s человек", "%(n)s человек", 1) % {"n": 1} == "1 person"
