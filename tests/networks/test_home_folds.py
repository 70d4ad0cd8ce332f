"""Issue 20: a home block's long list shows its first five lines; the rest are folded under «Ещё N …»
(a <details>: a click or Enter opens it, no script), in Russian plural forms."""

from __future__ import annotations

import datetime as dt
import re
from types import SimpleNamespace

import pytest
from django.template.loader import render_to_string
from django.utils import translation


def _rows(n: int) -> list:
    structure = SimpleNamespace(pk=7, name="Межшкольное объединение")
    return [
        SimpleNamespace(
            structure=structure,
            report=None,
            deadline=SimpleNamespace(pk=100 + i),
            title=f"Отчёт о результатах № {i}",
            due_on=dt.date(2026, 12, 25),
            badge="text-bg-secondary",
            status_label="не сдан",
        )
        for i in range(1, n + 1)
    ]


def _members(n: int) -> list:
    structure = SimpleNamespace(pk=7, name="Вжурнале")
    return [
        SimpleNamespace(user=SimpleNamespace(full_name=f"Участникова № {i}"), structure=structure)
        for i in range(1, n + 1)
    ]


def _shown_and_folded(html: str, marker: str) -> tuple[int, int]:
    head, _sep, folded = html.partition("<details")
    return head.count(marker), folded.count(marker)


BLOCKS = {
    "reports": ("reporting/reports/home_to_write.html", "rows", _rows, "Отчёт о результатах №"),
    "members": ("networks/home/without_consent.html", "members", _members, "Участникова №"),
}


@pytest.mark.parametrize(
    ("block", "n", "summary"),
    [
        ("reports", 5, None),
        ("reports", 6, "Ещё 1 отчёт"),
        ("reports", 7, "Ещё 2 отчёта"),
        ("reports", 10, "Ещё 5 отчётов"),
        ("members", 4, None),
        ("members", 6, "Ещё 1 участник"),
        ("members", 8, "Ещё 3 участника"),
        ("members", 20, "Ещё 15 участников"),
    ],
)
def test_a_long_block_shows_five_and_folds_the_rest(block, n, summary):
    """«Отчёты к сдаче» and «Участники без согласия показывать ФИО»."""
    template, key, lines, marker = BLOCKS[block]
    with translation.override("ru"):
        html = render_to_string(template, {"block": {key: lines(n)}})
    shown, folded = _shown_and_folded(html, marker)
    assert (shown, folded) == (min(n, 5), max(n - 5, 0))
    found = re.search(r"<summary>(.*?)</summary>", html)
    assert (found and found[1]) == summary
