"""Headless Chromium against Django's live server.

Drives Debian's /usr/bin/chromium through Playwright (no browser download: the closed network
refuses it). Where chromium is absent the tests skip with that reason; in CI (CI=1) they fail
instead, since .ci/run installs it.
"""

import functools
import os
import shutil
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
AXE = Path(__file__).parent / "vendor" / "axe.min.js"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]

# Playwright's sync API runs an event loop in this thread; the ORM calls the tests make to set up
# data happen outside it, so Django's async-safety guard would refuse them without this.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(config, items):
    if Path(CHROMIUM).exists():
        return
    if os.environ.get("CI"):
        raise pytest.UsageError(f"CI must run the browser tests, but {CHROMIUM} is missing.")
    skip = pytest.mark.skip(reason=f"chromium not found at {CHROMIUM}: apt install chromium")
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    # Reduced motion: Bootstrap then drops its colour transitions, so axe-core never measures a
    # button half-way between two colours (a contrast «violation» seen once under load).
    context = browser.new_context(
        locale="ru-RU", viewport={"width": 1280, "height": 900}, reduced_motion="reduce"
    )
    context.set_default_timeout(10_000)
    page = context.new_page()
    # The portal's Content-Security-Policy is on here as in production (config/settings/base.py):
    # Chromium reports what it blocks (an inline script or style, an event-handler attribute, an
    # external host) on the console, and any such report fails the test.
    blocked = []
    page.on("console", lambda message: _note_csp(blocked, message.text))
    page.on("pageerror", lambda error: _note_csp(blocked, str(error)))
    yield page
    context.close()
    assert not blocked, "Content-Security-Policy violations:\n" + "\n".join(blocked)


def _note_csp(blocked: list[str], text: str) -> None:
    if "Content Security Policy" in text:
        blocked.append(text)


# Only the serious and critical violations fail a test, so axe runs only the rules that can report
# one: a rule's result takes the impact the rule declares or the highest of its checks' impacts,
# and a rule whose every possible impact is «minor» or «moderate» (e.g. region, heading-order) is
# switched off. What fails a test is the same; the S5 minutes story took 11.4 s instead of 15.2 s.
#
# color-contrast was 85 % of a run (≈ 140 of 165 ms on a structure page of 242 elements), and most
# of the text it measures it has measured before, on this page or another one: the same header,
# menu, table cell, button. A text's contrast is a function of its own computed colour, size,
# weight, opacity and shadow and of the backgrounds, opacities and filters of its ancestors, so
# each text gets a signature of exactly those computed values (and of what makes axe leave it out:
# disabled, clipped, invisible). color-contrast then runs only on the texts whose signature no
# earlier check in this worker has passed; every other rule runs on the whole page every time.
# What it does not see: a background painted by an element that is not an ancestor (an absolutely
# positioned layer under the text); the portal's positioned elements (the skip link, a phone
# table's sticky first column) paint their own background. AXE_EVERY_TEXT=1 measures every text.
# The browser tests' 155 runs took 49.6 s, now 25.8 s (summed, two workers); the machine's CPU for
# the browser tests 237 → 220 s.
_RUN_AXE = """async ([seen, everyText]) => {
    const rank = {minor: 1, moderate: 2, serious: 3, critical: 4};
    const checks = axe._audit.data.checks;
    const impact = (check) => rank[(checks[typeof check === 'string' ? check : check.id] || {}).impact] || 0;
    const rules = {};
    for (const rule of axe._audit.rules) {
        const highest = Math.max(
            rank[rule.impact] || 0,
            ...[...rule.any, ...rule.all, ...rule.none].map(impact),
        );
        // Switched off only: a rule axe leaves off by default (AAA, experimental) stays off.
        if (highest < rank.serious) rules[rule.id] = {enabled: false};
    }
    // Pseudo-elements left out of the background under a text: with them in, a text over a
    // ::before or ::after that paints a background is «incomplete», which fails no test either,
    // and looking for them took a quarter of color-contrast (234 → 175 ms on a structure page).
    const checks_ = {'color-contrast': {options: {ignorePseudo: true}}};
    const known = new Set(seen);
    const chains = new Map();
    const chain = (el) => {
        if (!el || el.nodeType !== 1) return '';
        if (chains.has(el)) return chains.get(el);
        const c = getComputedStyle(el);
        const own = [c.backgroundColor, c.backgroundImage, c.opacity, c.filter, c.mixBlendMode,
                     c.clip, c.clipPath, c.overflow, c.visibility, c.display].join(',');
        const value = own + '|' + chain(el.parentElement);
        chains.set(el, value);
        return value;
    };
    const fields = new Set(['INPUT', 'SELECT', 'TEXTAREA', 'OPTION']);
    const ownText = (el) => fields.has(el.tagName) || [...el.childNodes].some(
        (n) => n.nodeType === 3 && n.textContent.trim());
    const fresh = [], added = [];
    for (const el of document.body.querySelectorAll('*')) {
        if (!ownText(el)) continue;
        const c = getComputedStyle(el);
        const joined = [
            el.tagName, el.getAttribute('type'), el.disabled, el.getAttribute('aria-disabled'),
            el.closest('[disabled], [aria-disabled="true"], fieldset:disabled') !== null,
            c.color, c.fontSize, c.fontWeight, c.textShadow, c.position, c.width === '1px',
            el.getClientRects().length > 0, chain(el),
        ].join(';');
        // cyrb53: a short name for the signature, so the worker's list stays small on the wire.
        let h1 = 0xdeadbeef, h2 = 0x41c6ce57;
        for (let i = 0; i < joined.length; i++) {
            const ch = joined.charCodeAt(i);
            h1 = Math.imul(h1 ^ ch, 2654435761);
            h2 = Math.imul(h2 ^ ch, 1597334677);
        }
        h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
        h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
        const signature = (4294967296 * (2097151 & h2) + (h1 >>> 0)).toString(36);
        if (everyText || !known.has(signature)) {
            fresh.push(el);
            if (!known.has(signature)) { known.add(signature); added.push(signature); }
        }
    }
    // One run of every rule (a run's fixed cost, the page's tree and style sheets, is paid once):
    // color-contrast's selector picks out the texts marked as new for this run only.
    axe.configure({rules: [{id: 'color-contrast', selector: '[data-axe-new-text]'}]});
    fresh.forEach((el) => el.setAttribute('data-axe-new-text', ''));
    let result;
    try {
        result = await axe.run(document, {
            resultTypes: ['violations'],
            rules: fresh.length ? rules : {...rules, 'color-contrast': {enabled: false}},
            checks: checks_,
        });
    } finally {
        fresh.forEach((el) => el.removeAttribute('data-axe-new-text'));
    }
    const violations = result.violations;
    return {violations, added, measured: fresh.length};
}"""

# The text signatures whose contrast passed in this worker (see _RUN_AXE).
_CONTRAST_PASSED: set[str] = set()


@functools.cache
def _axe_source() -> str:
    return AXE.read_text(encoding="utf-8")


def assert_accessible(page) -> int:
    """axe-core on the current page; serious and critical violations fail the test. Returns how
    many texts color-contrast measured (those with a signature not passed before)."""
    # Evaluated through the DevTools protocol, not added as an inline <script> the page's
    # Content-Security-Policy would block; once per document (a new page has no `axe`).
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(_axe_source())
    every_text = bool(os.environ.get("AXE_EVERY_TEXT"))
    result = page.evaluate(_RUN_AXE, [sorted(_CONTRAST_PASSED), every_text])
    bad = [v for v in result["violations"] if v["impact"] in ("serious", "critical")]
    details = [
        f"{v['id']} ({v['impact']}): {v['help']} — "
        + "; ".join(n["target"][0] for n in v["nodes"][:3])
        for v in bad
    ]
    assert not bad, f"{page.url}:\n" + "\n".join(details)
    _CONTRAST_PASSED.update(result["added"])
    return result["measured"]


def sign_in(
    page, live_server, email: str, password: str, *, by_form: bool = False, home: bool = True
) -> None:
    """Signed in as `email`, on the home page. Through the sign-in form where a test is about it
    (`by_form`: test_browse_structures.py, test_vision.py); elsewhere the page gets the session
    cookie Django's test client gets for the same person and password, and opens the home page:
    the form's page and its POST were two of a story's page loads each time (≈ 0.3 s of
    Chromium's CPU, 42 sign-ins in the suite). `home=False`: only the cookie, for a test that
    opens another page next."""
    if not by_form:
        from django.conf import settings
        from django.test import Client

        from networks.models import User

        user = User.objects.get(email=email)
        assert user.check_password(password) and user.is_active, f"{email} cannot sign in"
        client = Client()
        client.force_login(user, backend="allauth.account.auth_backends.AuthenticationBackend")
        name = settings.SESSION_COOKIE_NAME
        page.context.add_cookies(
            [{"name": name, "value": client.cookies[name].value, "url": live_server.url}]
        )
        if home:
            page.goto(f"{live_server.url}/")
        return
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Электронная почта").fill(email)
    page.get_by_label("Пароль").fill(password)
    page.get_by_role("button", name="Войти").click()
    page.wait_for_url(f"{live_server.url}/")
