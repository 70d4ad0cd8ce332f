"""Issue 20: every count shown to people goes through Russian plural forms («4 человека», not
«4 человек»). A number in a template followed by a word must be inside `{% blocktranslate count %}`,
which gives the word its form for 1, 2–4 and 5–20 (the Russian catalogue, tests/test_plurals_ru.py).
A number is a variable named as one: n, count, total, number, or `|length`."""

import re
from pathlib import Path

from django.conf import settings

NUMBER = r"(?:[\w.]*(?:count|length|total|number)[\w.]*|n|[\w.]+\|length)"
NUMBER_THEN_WORD = re.compile(r"\{\{\s*(" + NUMBER + r")\s*\}\}(?:\s|&nbsp;)*([а-яё]{3,})", re.I)
COUNTED = re.compile(
    r"\{%\s*blocktrans(?:late)?\b[^%]*\bcount\b.*?\{%\s*endblocktrans(?:late)?\s*%\}", re.S
)


def uncounted(text: str) -> list[str]:
    blocks = [m.span() for m in COUNTED.finditer(text)]
    return [
        m.group(0)
        for m in NUMBER_THEN_WORD.finditer(text)
        if not any(start <= m.start() < end for start, end in blocks)
    ]


def test_the_scan_finds_a_bare_count_and_passes_a_counted_one():
    assert uncounted("{{ members|length }} человек") == ["{{ members|length }} человек"]
    assert uncounted("{% blocktranslate with n=x %}{{ n }} участников{% endblocktranslate %}")
    assert not uncounted(
        "{% blocktranslate count n=x %}{{ n }} участник{% plural %}{{ n }} участников"
        "{% endblocktranslate %}"
    )
    assert not uncounted("{{ structure.name }} объединение")


def test_no_template_shows_a_count_without_its_plural_forms():
    found = []
    for path in sorted(Path(settings.BASE_DIR, "templates").rglob("*.html")):
        found += [f"{path.name}: {hit}" for hit in uncounted(path.read_text(encoding="utf-8"))]
    assert not found, "\n".join(found)
