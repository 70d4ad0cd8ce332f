"""The words a person is shown when they consent, as plain text, to compare with the stored version.

The consent pages render `templates/legal/consent_text.html` (processing) and
`templates/legal/public_name_consent_text.html` (the name on the public pages, 152-ФЗ ст. 10.1),
translated for the English footer switch; the consent to show the name to other members is the
sign-up checkbox's label and help text. What counts
legally is the Russian wording, stored as `ConsentText` rows. `shown_text(kind)` turns what the
person sees today into the same plain text, and a test fails when the two differ: a change of the
wording then needs a new version (a data migration adding a `ConsentText` row), never an edit that
silently rewrites what people already agreed to.
"""

from __future__ import annotations

import html
import re

from django.template.loader import render_to_string
from django.utils import translation

from ..models import ConsentKind

_BLOCK_END = re.compile(r"</(p|h[1-6]|li|ul)>")
_TAG = re.compile(r"<[^>]+>")


def _plain(markup: str) -> str:
    markup = markup.replace("<li>", "— ")
    markup = _BLOCK_END.sub("\n", markup)
    text = html.unescape(_TAG.sub("", markup))
    lines = (" ".join(line.split()) for line in text.splitlines())
    return "\n".join(line for line in lines if line)


# The consents whose words are a page of their own (people:consent, people:public_name_consent).
PAGES = {
    ConsentKind.PERSONAL_DATA: "legal/consent_text.html",
    ConsentKind.PUBLIC_NAME: "legal/public_name_consent_text.html",
}


def shown_text(kind: str) -> str:
    """The Russian words of the consent as the portal shows them now."""
    with translation.override("ru"):
        if kind in PAGES:
            return _plain(render_to_string(PAGES[kind]))
        from .forms import SignupForm

        field = SignupForm.base_fields["show_name_consent"]
        return f"{field.label}.\n{field.help_text}"
