"""The Content-Security-Policy (django-csp, config/settings/base.py): on in every settings module,
no inline script, and no template that would need one.

The browser tests run with the same policy and fail on any violation Chromium reports
(tests/browser/conftest.py); the scan below finds what a page the browser tests do not open would
break.
"""

import re
from pathlib import Path

import pytest

from tests.test_production_settings import manage, production_env  # noqa: F401 — the fixture

REPO_ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = REPO_ROOT / "templates"
# Mail is read in a mail program, where no page policy applies and inline styles are the norm.
MAIL_TEMPLATES = ("email",)

INLINE_SCRIPT = re.compile(r"<script\b(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
EVENT_HANDLER = re.compile(r"<[a-z][^>]*\son[a-z]+\s*=", re.IGNORECASE)
STYLE_ATTRIBUTE = re.compile(r"<[a-z][^>]*\sstyle\s*=", re.IGNORECASE)
STYLE_ELEMENT = re.compile(r"<style\b", re.IGNORECASE)
JAVASCRIPT_URL = re.compile(r"""(href|src|action)\s*=\s*["']?\s*javascript:""", re.IGNORECASE)
# Template tags, variables and comments, blanked out (newlines kept, for the line numbers): the
# patterns look at the HTML only, not at {% with online=… %}.
TEMPLATE_SYNTAX = re.compile(r"{%.*?%}|{{.*?}}|{#.*?#}", re.DOTALL)


def html_of(path: Path) -> str:
    text = path.read_text(encoding="utf-8")
    return TEMPLATE_SYNTAX.sub(lambda match: re.sub(r"[^\n]", " ", match.group()), text)


def directives(header: str) -> dict[str, list[str]]:
    parsed = {}
    for part in header.split(";"):
        name, *values = part.split()
        parsed[name] = values
    return parsed


@pytest.mark.django_db
def test_every_page_carries_the_policy_without_inline_script(client):
    response = client.get("/accounts/login/")

    assert response.status_code == 200
    policy = directives(response["Content-Security-Policy"])
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    # No external host anywhere: only the portal itself, and data: images (Bootstrap's icons).
    sources = [value for values in policy.values() for value in values]
    assert set(sources) <= {"'self'", "'none'", "data:"}, sources


@pytest.mark.django_db
def test_the_portals_error_pages_carry_it_too(client):
    assert "script-src 'self'" in client.get("/no-such-page/")["Content-Security-Policy"]


def test_production_sends_the_same_policy(production_env):  # noqa: F811
    script = (
        "import json; from django.conf import settings; "
        "print(json.dumps({'policy': settings.CONTENT_SECURITY_POLICY, "
        "'middleware': settings.MIDDLEWARE}))"
    )

    result = manage(production_env, "shell", "--no-imports", "-c", script)

    assert result.returncode == 0, result.stderr
    import json

    answer = json.loads(result.stdout.strip().splitlines()[-1])
    assert "csp.middleware.CSPMiddleware" in answer["middleware"]
    script_src = answer["policy"]["DIRECTIVES"]["script-src"]
    assert script_src == ["'self'"]
    assert "'unsafe-inline'" not in script_src and "'unsafe-eval'" not in script_src


def page_templates():
    for path in sorted(TEMPLATES.rglob("*.html")):
        if not set(path.relative_to(TEMPLATES).parts) & set(MAIL_TEMPLATES):
            yield path


@pytest.mark.parametrize(
    ("what", "pattern"),
    [
        ("an inline <script>", INLINE_SCRIPT),
        ("an event-handler attribute (onclick=…)", EVENT_HANDLER),
        ("a style attribute", STYLE_ATTRIBUTE),
        ("a <style> element", STYLE_ELEMENT),
        ("a javascript: URL", JAVASCRIPT_URL),
    ],
)
def test_no_template_needs_what_the_policy_forbids(what, pattern):
    found = [
        f"{path.relative_to(REPO_ROOT)}:{text[: match.start()].count(chr(10)) + 1}"
        for path in page_templates()
        for text in [html_of(path)]
        for match in pattern.finditer(text)
    ]

    assert not found, f"{what} is blocked by the Content-Security-Policy: " + ", ".join(found)
