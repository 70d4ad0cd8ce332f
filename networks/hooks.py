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
