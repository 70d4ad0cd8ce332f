"""Russian first, English on request: message ids are Russian, locale/en holds the English
catalogue, and only the footer's language switch (Django's set_language) changes the language."""

import ast
import gettext
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from tests.factories import UserFactory

LOCALE = Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES"
PO = LOCALE / "django.po"
MO = LOCALE / "django.mo"
STRUCTURES = reverse("networks:structure_list")


def read_po(path: Path) -> list[dict]:
    """The entries of a .po file, obsolete ones (#~) left out. Small on purpose: the test must run
    where neither GNU gettext nor polib is installed."""
    entries, entry, key = [], None, None
    for line in [*path.read_text(encoding="utf-8").splitlines(), ""]:
        line = line.strip()
        if not line:
            if entry is not None:
                entries.append(entry)
            entry, key = None, None
            continue
        if line.startswith("#~"):
            continue
        if entry is None:
            entry = {"flags": set(), "msgctxt": None, "msgid_plural": None, "msgstr": {}}
        if line.startswith("#,"):
            entry["flags"].update(flag.strip() for flag in line[2:].split(","))
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            text = ast.literal_eval(line)
            if isinstance(key, tuple):
                entry["msgstr"][key[1]] += text
            else:
                entry[key] += text
        else:
            word, rest = line.split(" ", 1)
            text = ast.literal_eval(rest)
            if word.startswith("msgstr["):
                key = ("msgstr", int(word[7:-1]))
                entry["msgstr"][key[1]] = text
            elif word == "msgstr":
                key = ("msgstr", 0)
                entry["msgstr"][0] = text
            else:
                key = word
                entry[key] = text
    return entries


def po_catalogue(entries: list[dict]) -> dict:
    """What msgfmt would compile: the keys and values of Python's GNUTranslations._catalog."""
    catalogue = {}
    for entry in entries:
        if not entry["msgid"] or "fuzzy" in entry["flags"]:
            continue
        msgid = entry["msgid"]
        if entry["msgctxt"] is not None:
            msgid = f"{entry['msgctxt']}\x04{msgid}"
        if entry["msgid_plural"] is None:
            catalogue[msgid] = entry["msgstr"][0]
        else:
            for n, text in entry["msgstr"].items():
                catalogue[(msgid, n)] = text
    return catalogue


@pytest.fixture(autouse=True)
def _russian_again_afterwards():
    # A request leaves its language active in the thread; the next test expects Russian.
    yield
    translation.deactivate()


@pytest.fixture
def reader(client, db):
    client.force_login(UserFactory(email="reader@school.example"))
    return client


def choose_english(client, next_url="/"):
    response = client.post(reverse("set_language"), {"language": "en", "next": next_url})
    assert response.status_code == 302
    assert response["Location"] == next_url


def test_everybody_gets_russian_until_they_choose(reader):
    html = reader.get(STRUCTURES).content.decode()

    assert '<html lang="ru">' in html
    assert ">Структуры</a>" in html and "Сетевые структуры" in html


def test_an_english_browser_alone_does_not_switch_the_portal_to_english(reader):
    html = reader.get(STRUCTURES, HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9").content.decode()

    assert '<html lang="ru">' in html and ">Структуры</a>" in html


def test_the_footer_offers_both_languages_each_named_in_itself(reader):
    html = reader.get(STRUCTURES).content.decode()

    assert f'action="{reverse("set_language")}"' in html
    assert '<label for="footer-language"' in html and 'id="footer-language"' in html
    assert '<option value="ru" lang="ru" selected>Русский</option>' in html
    assert '<option value="en" lang="en">English</option>' in html
    assert f'name="next" value="{STRUCTURES}"' in html


def test_after_choosing_english_each_app_speaks_english(reader):
    choose_english(reader, STRUCTURES)

    html = reader.get(STRUCTURES).content.decode()
    assert '<html lang="en">' in html
    # The top menu (templates/base.html) and the structure list (networks).
    for text in ("Structures", "Deadlines", "Notifications", "Sign out", "Network structures"):
        assert text in html
    assert "Kind of structure" in html  # a filter label, networks/filters.py
    assert ">Структуры</a>" not in html
    assert '<option value="en" lang="en" selected>English</option>' in html
    # communities, mentoring, reporting
    assert "My membership applications" in reader.get(reverse("communities:my_requests")).text
    assert "My gaps and strengths" in reader.get(reverse("mentoring:competences")).text
    assert "Reporting deadlines for the" in reader.get(reverse("reporting:deadlines")).text


def test_sign_up_labels_and_validation_messages_follow_the_choice(client, db):
    choose_english(client, reverse("account_signup"))

    html = client.get(reverse("account_signup")).content.decode()
    assert "Patronymic (if any)" in html
    assert "I consent to the processing of my personal data" in html

    html = client.post(reverse("account_signup"), {"email": "x@school.example"}).content.decode()
    assert (
        "Registration is not possible without consent to the processing of personal data." in html
    )
    assert "Без согласия" not in html


def test_every_entry_of_the_english_catalogue_is_translated():
    entries = [e for e in read_po(PO) if e["msgid"]]

    assert len(entries) > 1000
    fuzzy = [e["msgid"] for e in entries if "fuzzy" in e["flags"]]
    empty = [e["msgid"] for e in entries if not all(e["msgstr"].values())]
    assert not fuzzy, f"fuzzy in {PO.name}: {fuzzy[:5]}"
    assert not empty, f"untranslated in {PO.name}: {empty[:5]}"
    plural = [e for e in entries if e["msgid_plural"] is not None]
    assert plural and all(sorted(e["msgstr"]) == [0, 1] for e in plural)


def test_the_committed_mo_is_the_compiled_po():
    """A fresh machine may have no gettext tools, so the compiled catalogue is committed; it must
    say what the .po says (run `make messages` after editing the .po)."""
    with MO.open("rb") as mo:
        compiled = dict(gettext.GNUTranslations(mo)._catalog)
    compiled.pop("", None)  # the header

    assert compiled == po_catalogue(read_po(PO))
