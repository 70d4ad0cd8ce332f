"""What make bench prints is Russian with its plural forms (the table goes into PERFORMANCE.md)."""

import pytest

from devdata.bench.bench import queries_ru


@pytest.mark.parametrize(
    ("n", "text"),
    [
        (1, "1 запрос"),
        (4, "4 запроса"),
        (5, "5 запросов"),
        (11, "11 запросов"),
        (14, "14 запросов"),
        (21, "21 запрос"),
        (104, "104 запроса"),
        (105, "105 запросов"),
        (112, "112 запросов"),
    ],
)
def test_query_counts_take_the_russian_plural(n, text):
    assert queries_ru(n) == text
