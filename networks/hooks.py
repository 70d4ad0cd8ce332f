"""Places where higher apps add to networks' pages without networks importing them.

The arrows point `reporting → mentoring → communities → networks`; the structure page and the home
page live here but show join requests, plans, meetings and reports from the apps above. Those apps
register a function in their AppConfig.ready(); networks calls whatever is registered.

A panel function takes (request, structure) — `structure.access` holds the viewer's access — and
returns None (nothing to show) or a dict with `template`, optional `order`, and the context for that
template. A home block takes (request) and returns the same. Each function must run a fixed
number of queries, whatever the data: the pages pin their query counts.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

Panel = dict[str, Any]
StructurePanel = Callable[[Any, Any], Panel | None]
HomeBlock = Callable[[Any], Panel | None]

_structure_panels: list[StructurePanel] = []
_home_blocks: list[HomeBlock] = []


def register_structure_panel(function: StructurePanel) -> StructurePanel:
    if function not in _structure_panels:
        _structure_panels.append(function)
    return function


def register_home_block(function: HomeBlock) -> HomeBlock:
    if function not in _home_blocks:
        _home_blocks.append(function)
    return function


def _collect(functions, *args) -> list[Panel]:
    panels = [p for p in (f(*args) for f in functions) if p]
    return sorted(panels, key=lambda p: p.get("order", 100))


def structure_panels(request, structure) -> list[Panel]:
    return _collect(_structure_panels, request, structure)


def home_blocks(request) -> list[Panel]:
    return _collect(_home_blocks, request)


# --- A person's own data (152-ФЗ) ------------------------------------------------------------------
#
# The account pages (networks/account/) export what the portal holds about a person (ст. 14) and
# erase it when the person deletes the account (ст. 21), but most of those data live in the apps
# above: join requests and posts in communities, help requests and questionnaire answers in
# mentoring, notices in reporting. Each app registers, in its AppConfig.ready():
#
# - a section function `function(user) -> list[PersonalDataSection]`: the person's rows, with
#   datetimes timezone-aware (the exporter puts them in one time zone);
# - an eraser `function(user, *, addresses: set[str], names: set[str])`: called inside the deletion's
#   transaction *before* the user row is anonymised, with the person's old e-mail addresses
#   (lower-case) and name forms, so that it can find rows that name the person in text. It erases or
#   anonymises its app's rows, their change history (simple_history) included.


@dataclass
class PersonalDataSection:
    """One sheet of the XLSX export, one key of the JSON export."""

    key: str
    title: str
    columns: list[tuple[str, str]]
    rows: list[dict] = field(default_factory=list)


PersonalDataSource = Callable[[Any], list[PersonalDataSection]]
PersonEraser = Callable[..., None]

_personal_data_sources: list[PersonalDataSource] = []
_person_erasers: list[PersonEraser] = []


def register_personal_data(function: PersonalDataSource) -> PersonalDataSource:
    if function not in _personal_data_sources:
        _personal_data_sources.append(function)
    return function


def register_person_eraser(function: PersonEraser) -> PersonEraser:
    if function not in _person_erasers:
        _person_erasers.append(function)
    return function


def personal_data_sections(user) -> list[PersonalDataSection]:
    return [section for source in _personal_data_sources for section in source(user)]


def erase_person(user, *, addresses: set[str], names: set[str]) -> None:
    for eraser in _person_erasers:
        eraser(user, addresses=addresses, names=names)


# --- Notices in the portal ---------------------------------------------------------------------
#
# The portal's notices (the bell in the top bar) are reporting's `Notice` rows, but what causes a
# notice often happens below reporting (a meeting planned, moved or cancelled in communities).
# reporting registers a writer `function(user_ids, *, title, body, url)` in its AppConfig.ready();
# the lower app calls `notify(…)` inside the transaction of its write, so that a write that rolls
# back takes its notices with it.

NoticeWriter = Callable[..., None]

_notice_writers: list[NoticeWriter] = []


def register_notice_writer(function: NoticeWriter) -> NoticeWriter:
    if function not in _notice_writers:
        _notice_writers.append(function)
    return function


def notify(user_ids, *, title: str, body: str, url: str = "") -> None:
    ids = sorted(set(user_ids))
    if not ids:
        return
    for writer in _notice_writers:
        writer(ids, title=title, body=body, url=url)


# --- How a message reaches a person -----------------------------------------------------------------
#
# networks.messages sends every mail of the portal; how a person wants each kind (at once, in a daily
# or weekly digest, portal only) is chosen on reporting's preferences page. reporting registers a
# router `function(user, *, kind, subject, text, url) -> bool`: True — send the mail now; False —
# the router queued it for a digest or the person reads it in the portal only.

MessageRouter = Callable[..., bool]

_message_routers: list[MessageRouter] = []


def register_message_router(function: MessageRouter) -> MessageRouter:
    if function not in _message_routers:
        _message_routers.append(function)
    return function


def route_message(user, *, kind: str, subject: str, text: str, url: str = "") -> bool:
    return all(
        router(user, kind=kind, subject=subject, text=text, url=url) for router in _message_routers
    )
