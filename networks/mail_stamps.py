"""Mail templates rendered once per shape and filled per person (issue 17, «Scale»).

The national sweep writes 300,000 mails on two cores within 5 minutes: ≈ 2 ms of CPU per person
for everything, and Django's template engine takes ≈ 0.3 ms for each render of a small mail
template (three or four per mail). Most of a mail is the same for everybody who gets that kind
of mail in that language; only a few values are personal (the name, the decision's text, the
digest's items). So a template is rendered once with marks in place of the personal values
(the «stamp»), and each mail is the stamp with the marks replaced by the person's values, escaped
as the template would have escaped them.

Safe by construction and by check:
- the stamp is kept per template, language, shared values and *shape* of the personal values
  (which are empty, how many items), so `{% if %}` and `{% for %}` see what they would see;
- the first mail of each stamp is also rendered by Django in full and compared; a stamp that
  does not give Django's text (a filter that changed a personal value, e.g. `|truncatechars`) is
  never used again: that template is rendered in full from then on (and a warning logged);
- personal values are strings, or lists of dicts of strings; anything else is rendered in full.

`html_filters` names, for an HTML template, what the template does to each personal value
(`escape` unless said otherwise, e.g. `linebreaksbr` for a text with line breaks); a text
template (`{% autoescape off %}`) takes the values as they are.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Mapping
from typing import Any

from django.template.loader import render_to_string
from django.utils.html import conditional_escape
from django.utils.translation import get_language

log = logging.getLogger(__name__)

OPEN, CLOSE = "\ue000", "\ue001"  # Unicode private use: no filter or escape touches them
MARK = re.compile(f"{OPEN}(\\d+){CLOSE}")
MAX_STAMPS = 2000

# key → list of parts: str (literal) or int (the index of a personal value); None: render in full
_stamps: dict[tuple, list[str | int] | None] = {}
_checked: set[tuple] = set()


def _flatten(personal: Mapping[str, Any]):
    """The personal values with a mark for each string leaf, the leaves in order, and the shape
    (which leaves are empty, how many items) — or None for a value this module does not take."""
    leaves: list[tuple[str, str]] = []  # (the leaf's name for html_filters, the value)
    shape: list = []

    def mark(name: str, value: str) -> str:
        if not value:
            shape.append(0)
            return ""
        shape.append(1)
        leaves.append((name, value))
        return f"{OPEN}{len(leaves) - 1}{CLOSE}"

    marked: dict[str, Any] = {}
    for key, value in personal.items():
        if isinstance(value, str):
            marked[key] = mark(key, value)
        elif isinstance(value, list) and all(isinstance(item, dict) for item in value):
            shape.append(("list", len(value)))
            rows = []
            for item in value:
                row = {}
                for field, text in item.items():
                    if not isinstance(text, str):
                        return None
                    row[field] = mark(f"{key}.{field}", text)
                rows.append(row)
            marked[key] = rows
        else:
            return None
    return marked, leaves, tuple(shape)


def render_stamped(
    template_name: str,
    shared: Mapping[str, Any],
    personal: Mapping[str, Any],
    *,
    html_filters: Mapping[str, Callable[[str], str]] | None = None,
    html: bool = False,
) -> str:
    """What `render_to_string(template_name, {**shared, **personal})` gives, from the stamp."""
    context = {**shared, **personal}
    flat = _flatten(personal)
    try:
        shared_key = tuple(sorted(shared.items()))
        hash(shared_key)
    except TypeError:
        flat = None
    if flat is None:
        return render_to_string(template_name, context)
    marked, leaves, shape = flat
    key = (template_name, get_language(), shared_key, shape)
    if key not in _stamps:
        if len(_stamps) >= MAX_STAMPS:
            _stamps.clear()
            _checked.clear()
        stamp = render_to_string(template_name, {**shared, **marked})
        pieces = MARK.split(stamp)
        _stamps[key] = [int(p) if i % 2 else p for i, p in enumerate(pieces)]
    parts = _stamps[key]
    if parts is None:
        return render_to_string(template_name, context)
    filters = html_filters or {}
    values = [
        (filters.get(name, conditional_escape) if html else str)(value) for name, value in leaves
    ]
    filled = "".join(values[p] if isinstance(p, int) else p for p in parts)
    if key not in _checked:
        _checked.add(key)
        full = render_to_string(template_name, context)
        if full != filled:
            log.warning("mail stamp of %s differs from the template; rendered in full", key[0])
            _stamps[key] = None
            return full
    return filled
