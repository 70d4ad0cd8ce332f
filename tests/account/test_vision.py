"""The version for the visually impaired (issue 20; ГОСТ Р 52872-2019): a switch in the header of
every page, the sign-in page included; font size, colours, letter spacing and images; the choice
kept in a cookie and, for a signed-in person, in the profile."""

import pytest
from django.urls import reverse

from networks.account.vision import COOKIE, Vision
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

SWITCH = reverse("people:vision")
LOGIN = reverse("account_login")


def html_class(response) -> str:
    head = response.content.decode().split("<head>", 1)[0]
    return head.split('class="', 1)[1].split('"', 1)[0] if 'class="' in head else ""


def test_the_sign_in_page_has_the_switch_and_the_ordinary_version_by_default(client):
    page = client.get(LOGIN)

    assert "Версия для слабовидящих" in page.content.decode()
    assert html_class(page) == ""
    assert "vision.css" not in page.content.decode()


def test_a_visitor_turns_it_on_and_the_choice_is_kept_in_a_cookie(client):
    response = client.post(SWITCH, {"on": "1", "next": LOGIN})

    assert response.status_code == 302 and response["Location"] == LOGIN
    assert client.cookies[COOKIE].value == "font=large;scheme=bw;spacing=normal;images=on"
    page = client.get(LOGIN)
    assert html_class(page) == "vi vi-font-large vi-scheme-bw vi-spacing-normal vi-images-on"
    html = page.content.decode()
    assert "vision.css" in html and "Обычная версия сайта" in html
    assert 'aria-label="Настройки версии для слабовидящих"' in html


@pytest.mark.parametrize(
    ("posted", "expected"),
    [
        ({"font": "larger"}, "vi-font-larger"),
        ({"scheme": "wb"}, "vi-scheme-wb"),
        ({"scheme": "blue"}, "vi-scheme-blue"),
        ({"spacing": "wide"}, "vi-spacing-wide"),
        ({"images": "off"}, "vi-images-off"),
    ],
)
def test_each_setting_changes_the_page(client, posted, expected):
    client.post(SWITCH, {"on": "1"})
    client.post(SWITCH, {**posted, "next": LOGIN})

    assert expected in html_class(client.get(LOGIN)).split()


def test_unknown_values_are_ignored_and_the_ordinary_version_comes_back(client):
    client.post(SWITCH, {"on": "1", "font": "huge", "scheme": "<script>"})
    assert html_class(client.get(LOGIN)) == (
        "vi vi-font-large vi-scheme-bw vi-spacing-normal vi-images-on"
    )

    client.post(SWITCH, {"on": "0"})
    assert html_class(client.get(LOGIN)) == ""
    assert client.cookies[COOKIE].value == ""  # deleted


def test_a_signed_in_person_keeps_the_choice_in_the_profile_on_another_browser(client):
    user = UserFactory()
    client.force_login(user)
    client.post(SWITCH, {"on": "1", "scheme": "wb", "font": "larger"})
    user.refresh_from_db()
    assert Vision.parse(user.vision) == Vision(on=True, font="larger", scheme="wb")

    other_browser = client.__class__()
    other_browser.force_login(user)
    home = other_browser.get(reverse("home"))
    assert "vi-scheme-wb" in html_class(home) and "vi-font-larger" in html_class(home)


def test_the_switch_goes_back_only_to_this_site(client):
    response = client.post(SWITCH, {"on": "1", "next": "https://evil.example/"})

    assert response["Location"] == "/"


def test_the_switch_is_a_post(client):
    assert client.get(SWITCH).status_code == 405


def test_a_public_page_leads_to_the_settings_and_back_and_its_script_reads_the_cookie(client):
    """The public pages are cached for every visitor alike, so they carry no form: their header
    links to the settings page, which has the switch and returns to the page; the choice is
    applied there by static/js/public-vision.js from the cookie, which a script may read."""
    from tests.factories import StructureFactory

    structure = StructureFactory(public_page=True)
    public = reverse("public:structure", args=[structure.pk])
    html = client.get(public).content.decode()
    assert f'href="{reverse("people:vision_settings")}" data-vision-settings' in html
    assert "js/public-vision.js" in html and "css/vision.css" in html

    settings_page = client.get(reverse("people:vision_settings"), {"next": public})
    text = settings_page.content.decode()
    assert settings_page.status_code == 200
    assert f'href="{public}">Вернуться на страницу' in text
    assert "Версия для слабовидящих" in text  # the switch, in the header as on every page
    client.post(SWITCH, {"on": "1", "scheme": "blue", "next": public})
    assert not client.cookies[COOKIE]["httponly"]
    assert "включена" in client.get(reverse("people:vision_settings")).content.decode()


def test_the_settings_page_goes_back_only_to_this_site(client):
    page = client.get(reverse("people:vision_settings"), {"next": "https://evil.example/"})
    assert 'href="/">Вернуться на страницу' in page.content.decode()


def test_the_public_pages_script_knows_the_same_choices_and_defaults_as_the_server():
    """static/js/public-vision.js repeats networks.account.vision's choices and defaults (the
    public pages are rendered without the request): the two must not drift apart."""
    import re
    from dataclasses import fields
    from pathlib import Path

    from django.conf import settings

    from networks.account.vision import CHOICES

    script = (Path(settings.BASE_DIR) / "static" / "js" / "public-vision.js").read_text()
    allowed = {
        name: re.findall(r'"(\w+)"', values)
        for name, values in re.findall(r"(\w+): \[([^\]]*)\]", script)
    }
    assert allowed == {name: list(options) for name, options in CHOICES.items()}
    defaults = dict(re.findall(r'(\w+): "(\w+)"', script.split("var choice =", 1)[1].split("}")[0]))
    assert defaults == {f.name: f.default for f in fields(Vision) if f.name != "on"}
