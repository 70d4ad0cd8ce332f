"""One search box for what the person may see (issue 20, «Find anything»).

Each app registers a *source* (`register_source`): a function of the person and the query that
returns a `Section` — the hits of one kind (structures, materials, events, discussions, people) the
person may see, at most `LIMIT`. networks registers structures and people (`networks.find.sources`);
communities its materials, events and discussions (`communities.find`). The page
(`networks.find.views`) shows the sections in their order.

Words are matched in their Russian forms: on PostgreSQL by full-text search with the `russian`
configuration (the snowball stemmer: «наставничеству» finds «Наставничество», «школами» «школ»),
ranked; on SQLite (the embedded default) by a small suffix stripper in Python over the rows in scope
(`text.py`), good enough for the demo data.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

LIMIT = 10  # hits shown per kind; one more is asked to know whether there are more


@dataclass(frozen=True)
class Hit:
    title: str
    url: str = ""
    context: str = ""  # the structure, the date, the organisation: what tells two hits apart


@dataclass
class Section:
    order: int
    title: str  # the kind, plural: «Структуры», «Материалы»
    hits: list[Hit] = field(default_factory=list)
    more: bool = False  # there were more than LIMIT


Source = Callable[..., Section | None]
_SOURCES: list[Source] = []


def register_source(source: Source) -> Source:
    if source not in _SOURCES:
        _SOURCES.append(source)
    return source


def find(user, query: str) -> list[Section]:
    """The sections with hits, in their order; a source returns None when the person may not
    have its kind at all."""
    sections = [s for s in (source(user, query) for source in _SOURCES) if s and s.hits]
    return sorted(sections, key=lambda s: s.order)


def section(order: int, title: str, rows: list, hit: Callable[[object], Hit]) -> Section:
    """A section from up to LIMIT + 1 matched rows."""
    return Section(order, title, [hit(r) for r in rows[:LIMIT]], more=len(rows) > LIMIT)
