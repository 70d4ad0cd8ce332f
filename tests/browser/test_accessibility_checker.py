"""The checker every browser test calls (conftest.assert_accessible): color-contrast measures only
the texts whose computed look no earlier check has passed, and still fails a pale text, whether
the text is new or an old one whose colour changed. One page, one test: a browser test costs
seconds of CPU."""

import pytest

from tests.browser import conftest
from tests.browser.conftest import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PALE = "#d0d0d0"  # on white: 1.5 : 1, far under 4.5 : 1
# The elements whose text color-contrast looks at: an own text, or a field's value.
TEXTS = """() => [...document.body.querySelectorAll('*')].filter((el) =>
    ['INPUT', 'SELECT', 'TEXTAREA', 'OPTION'].includes(el.tagName)
    || [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim())).length"""


def test_a_look_passed_before_is_not_measured_again_and_a_pale_text_still_fails(
    page, live_server, monkeypatch
):
    monkeypatch.setattr(conftest, "_CONTRAST_PASSED", set())
    page.goto(f"{live_server.url}/accounts/login/")
    heading = page.get_by_role("heading", level=1)
    heading.wait_for()
    texts = page.evaluate(TEXTS)

    # Texts that look alike (the links of a menu) are measured once; then none is.
    assert 0 < assert_accessible(page) < texts
    assert assert_accessible(page) == 0
    with monkeypatch.context() as every:
        every.setenv("AXE_EVERY_TEXT", "1")
        assert assert_accessible(page) == texts

    # A text passed before whose colour changed is measured again, and fails.
    heading.evaluate("(h, pale) => { h.style.color = pale; }", PALE)
    with pytest.raises(AssertionError, match="color-contrast"):
        assert_accessible(page)
    heading.evaluate("(h) => { h.style.color = ''; }")
    assert assert_accessible(page) == 0

    # A new paragraph in a colour the page has nowhere else is measured, and fails.
    page.evaluate(
        """(pale) => { const p = document.createElement('p'); p.textContent = 'Бледный текст';
        p.style.color = pale; document.querySelector('main').append(p); }""",
        PALE,
    )
    with pytest.raises(AssertionError, match="color-contrast"):
        assert_accessible(page)
