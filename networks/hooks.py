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

from .coverage import covers
from .kept import Kept

Panel = dict[str, Any]
StructurePanel = Callable[[Any, Any], Panel | None]
HomeBlock = Callable[[Any], Panel | None]
WhoMayHave = Callable[[Any], bool]

_structure_panels: list[StructurePanel] = []
_home_blocks: list[HomeBlock] = []
_home_block_audience: dict[HomeBlock, WhoMayHave | None] = {}
_home_block_needs: dict[HomeBlock, str | None] = {}
_home_block_kept_open: set[HomeBlock] = set()
_home_block_probes: dict[HomeBlock, Callable[[Any], Any]] = {}
# What the home page shows first (issue 20): what waits for the person's action, then what is
# coming up or new; the rest after them.
NEEDS_ACTION, NEEDS_SOON = "action", "soon"


def register_structure_panel(function: StructurePanel) -> StructurePanel:
    if function not in _structure_panels:
        _structure_panels.append(function)
    return function


def register_home_block(
    function: HomeBlock,
    who: WhoMayHave | None = None,
    needs: str | None = None,
    *,
    kept_open: bool = False,
    probe: Callable[[Any], Any] | None = None,
) -> HomeBlock:
    """`who(viewer)` says, from the person's roles alone (HomeViewer, no query), whether the block
    can have anything for them; a block it refuses is not called. It must never refuse someone the
    block would show something to: it only spares the queries of blocks that would be empty.
    `needs`: NEEDS_ACTION for a block of things waiting for the person (a plan to approve, minutes
    to file), NEEDS_SOON for what is coming up or new (this week's meetings); the home page shows
    those first, under their own headings. The rest is folded while something waits or is coming
    up (home_folds), but for the person's own ways in — their structures, their pair, their
    requests: `kept_open`.
    `probe(request)`: the queryset whose rows the block lists (or None: the block cannot tell).
    The home page asks every probe of the blocks the person may have in ONE query (an EXISTS
    each) and calls only the blocks whose queryset has rows: most of what waits for a person's
    action is empty on most days (issue 19). A block shows nothing when its probe is empty."""
    assert needs in (None, NEEDS_ACTION, NEEDS_SOON), needs
    if function not in _home_blocks:
        _home_blocks.append(function)
        _home_block_audience[function] = who
        _home_block_needs[function] = needs
        if kept_open:
            _home_block_kept_open.add(function)
        if probe is not None:
            _home_block_probes[function] = probe
    return function


def _collect(functions, *args) -> list[Panel]:
    panels = [p for p in (f(*args) for f in functions) if p]
    return sorted(panels, key=lambda p: p.get("order", 100))


def structure_panels(request, structure) -> list[Panel]:
    return _collect(_structure_panels, request, structure)


# A structure figure is a small fact a panel needs about the structure and the person — «has it
# reports without a deadline?», «how many tutors' assignments are open?» — read with the
# structure's own row on its page instead of a query of its own (issue 19). Each app registers,
# in its ready(), `register_structure_figure(name, function(user) -> expression)`, the
# expression relative to the structure's row (OuterRef("pk")); the page annotates every one, and
# the panel reads it with structure_figure(), which says None where the structure was read
# without them (another page): the panel then asks its own query.
StructureFigure = Callable[[Any], Any]
_structure_figures: dict[str, StructureFigure] = {}


def register_structure_figure(name: str, function: StructureFigure) -> StructureFigure:
    _structure_figures[name] = function
    return function


def structure_figures(user) -> dict[str, Any]:
    """The annotations for the structure page's query, named `figure_<name>`."""
    if not user.is_authenticated:
        return {}
    return {f"figure_{name}": function(user) for name, function in _structure_figures.items()}


def structure_figure(structure, name: str):
    return getattr(structure, f"figure_{name}", None)


def count_of(queryset):
    """A figure that counts the rows of `queryset` (filtered on OuterRef("pk")): 0 for none."""
    from django.db.models import Count, IntegerField, Subquery, Value
    from django.db.models.functions import Coalesce

    counted = queryset.order_by().annotate(_one=Value(1)).values("_one")
    counted = counted.annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


# A flag is a yes/no question about the person that a block's `who` asks before running its own
# queries: «has the person any join request at all?». Each app registers, in its ready(),
# `register_home_flag(name, function(user) -> Exists expression)`; the viewer asks every flag in
# ONE query (annotations on the person's row), so that empty blocks cost nothing. A flag may be a
# count too (the bell's unread notices): HomeViewer.figure() gives the value, flag() its truth.
# The function may read the person's pk and organisation_id only, and the day: the query is built
# and compiled once per connection and day for a stand-in person, and run for each person with
# their ids (_FlagsStatement; issue 19: building and compiling it was 4–5 ms of every home).
HomeFlag = Callable[[Any], Any]
_home_flags: dict[str, HomeFlag] = {}


def register_home_flag(name: str, function: HomeFlag) -> HomeFlag:
    _home_flags.setdefault(name, function)
    return function


def home_blocks(request) -> list[Panel]:
    viewer = home_viewer(request)
    chosen = [
        f
        for f in _home_blocks
        if _home_block_audience.get(f) is None or _home_block_audience[f](viewer)
    ]
    empty = _empty_blocks(request, chosen)
    panels = []
    for f in chosen:
        if f in empty:
            continue
        panel = f(request)
        if panel:
            panel.setdefault("needs", _home_block_needs.get(f))
            panel.setdefault("kept_open", f in _home_block_kept_open)
            panels.append(panel)
    return sorted(panels, key=lambda p: p.get("order", 100))


def _empty_blocks(request, chosen: list[HomeBlock]) -> set[HomeBlock]:
    """The chosen blocks whose probe finds no row, asked in one query (two probes at least: for
    one, the block's own query is as cheap)."""
    if not request.user.is_authenticated:
        return set()
    probes = {}
    for f in chosen:
        if f in _home_block_probes:
            queryset = _home_block_probes[f](request)
            if queryset is not None:
                probes[f] = queryset
    if len(probes) < 2:
        return set()
    from django.db.models import Exists

    from .models import User

    found = (
        User.objects.filter(pk=request.user.pk)
        .values_list(*(Exists(queryset) for queryset in probes.values()))
        .first()
    )
    if found is None:
        return set()
    return {f for f, has_rows in zip(probes, found, strict=True) if not has_rows}


def home_groups(blocks: list[Panel]) -> list[tuple[str, list[Panel]]]:
    """The blocks in the order the home page shows them: (NEEDS_ACTION, blocks), (NEEDS_SOON,
    blocks), ("", the rest); empty groups left out, each keeping the blocks' order."""
    groups = [
        (key, [b for b in blocks if (b.get("needs") or "") == key])
        for key in (NEEDS_ACTION, NEEDS_SOON, "")
    ]
    return [(key, found) for key, found in groups if found]


def home_folds(groups: list[tuple[str, list[Panel]]]) -> tuple[list[Panel], list[Panel]]:
    """The overview's blocks (home_groups' last group) as (shown, folded) (issue 20: what needs
    the person now first, the rest folded). Folded only when something waits or is coming up, so
    that a home with nothing pressing is not one closed section; a block kept open
    (register_home_block) is never folded."""
    rest = next((found for key, found in groups if not key), [])
    if not any(key for key, _found in groups):
        return rest, []
    return (
        [b for b in rest if b.get("kept_open")],
        [b for b in rest if not b.get("kept_open")],
    )


# --- Who the person on the home page is ---------------------------------------------------------
#
# Issue 19: every home block used to ask the database for the person's memberships again (and the
# kinds table, and the territory roles) just to learn it had nothing to show. HomeViewer holds them,
# read once per request — one query for every membership of the person (current and ended, a few
# dozen at most), the territory roles cached by networks.permissions — and the blocks' `who`
# predicates and their selectors read it instead.


@dataclass
class HomeViewer:
    """The person on the home page: every membership (current and ended, each with its
    structure, kind, region and municipality; ordered as «Мои структуры» lists them) and the
    territory roles."""

    user: Any
    memberships: list
    territory_roles: list
    flags: dict = field(default_factory=dict)

    def flag(self, name: str) -> bool:
        """A registered flag's answer; True (ask the block) when nobody registered it."""
        return bool(self.flags.get(name, True))

    def figure(self, name: str):
        """A registered flag's value as the query gave it (a count, say); None when nobody
        registered it or the person is anonymous."""
        return self.flags.get(name)

    @property
    def superuser(self) -> bool:
        return bool(self.user.is_superuser)

    @property
    def current(self) -> list:
        return [m for m in self.memberships if m.until is None]

    def holds(self, roles) -> bool:
        """A current membership in one of the roles (in any structure, open or closed)."""
        return any(m.role in roles for m in self.current)

    def structure_ids(self, roles=None, *, open_only: bool = False, outside=()) -> list[int]:
        """The structures of the person's current memberships (in the roles, if given).

        `outside`: territories the caller's condition covers already (the person's coordinator
        roles, OR-ed in by managed_condition() and its kin): their structures are left out, so
        that the condition is the territory alone. An OR of ids and a region on the joined
        structure made PostgreSQL read every membership or meeting of the country (45 → 2 ms a
        block on the coordinators' homes, issue 19)."""
        return sorted(
            {
                m.structure_id
                for m in self.current
                if (roles is None or m.role in roles)
                and not (open_only and m.structure.closed_on is not None)
                and not any(
                    covers(t, m.structure.region_id, m.structure.municipality_id) for t in outside
                )
            }
        )

    @property
    def territory_coordinator(self) -> bool:
        return any(r.role == "coordinator" for r in self.territory_roles)

    @property
    def coordinator_roles(self) -> list:
        return [r for r in self.territory_roles if r.role == "coordinator"]


# The home page's territory roles of a person (with their regions and municipalities) are kept in
# the shared cache: they change when an operator grants or takes a role, far more rarely than the
# person opens the home page (issue 19: a query less on every home of the territory's people).
# networks.home.register() watches what they hold. Permissions elsewhere read the roles afresh.
TERRITORY_ROLES = Kept("networks:home-territory-roles")


# Ids no person or organisation has (int4, negative): the stand-in's, replaced in the parameters of
# the compiled flags query by the person's own.
_STAND_IN_PK = -2_000_000_001
_STAND_IN_ORGANISATION = -2_000_000_002


@dataclass
class _FlagsStatement:
    """The flags query compiled for a stand-in person: its SQL, its parameters, the compiler that
    converts its row (booleans on SQLite, the organisation's fields) and the names of its
    columns."""

    sql: str
    params: tuple
    compiler: Any
    converters: dict
    organisation_fields: list[str]
    names: list[str]

    def run(self, user) -> tuple | None:
        from django.db import connections

        params = [
            user.pk
            if p == _STAND_IN_PK
            else user.organisation_id
            if p == _STAND_IN_ORGANISATION
            else p
            for p in self.params
        ]
        with connections[self.compiler.using].cursor() as cursor:
            cursor.execute(self.sql, params)
            row = cursor.fetchone()
        if row is not None and self.converters:
            row = next(iter(self.compiler.apply_converters([row], self.converters)))
        return row


def _flags_statement(user) -> _FlagsStatement:
    """The compiled flags query for people like `user` (with or without an organisation) today,
    kept on the database connection (one per thread), built again the next day or when the
    registered flags change."""
    from django.db import connections, router
    from django.db.models import Exists
    from django.utils import timezone

    from .models import Membership, Organisation, TerritoryRole, User

    using = router.db_for_read(User)
    connection = connections[using]
    has_organisation = user.organisation_id is not None
    today = timezone.localdate()
    day, kept = getattr(connection, "_home_flags_statements", (None, {}))
    if day != today:
        day, kept = connection._home_flags_statements = (today, {})
    key = (has_organisation, tuple(_home_flags.items()))
    statement = kept.get(key)
    if statement is not None:
        return statement
    stand_in = User(
        pk=_STAND_IN_PK, organisation_id=_STAND_IN_ORGANISATION if has_organisation else None
    )
    expressions = {f"flag_{name}": function(stand_in) for name, function in _home_flags.items()}
    expressions["flag__memberships"] = Exists(Membership.objects.filter(user=stand_in))
    expressions["flag__territory"] = Exists(TerritoryRole.objects.filter(user=stand_in))
    organisation_fields = [f.attname for f in Organisation._meta.concrete_fields]
    queryset = (
        User.objects.filter(pk=_STAND_IN_PK)
        .annotate(**expressions)
        .values_list(*(f"organisation__{name}" for name in organisation_fields), *expressions)
    )
    compiler = queryset.query.get_compiler(using=using)
    sql, params = compiler.as_sql()
    fields = [s[0] for s in compiler.select[0 : compiler.col_count]]
    statement = _FlagsStatement(
        sql=sql,
        params=tuple(params),
        compiler=compiler,
        converters=compiler.get_converters(fields),
        organisation_fields=organisation_fields,
        names=list(expressions),
    )
    kept[key] = statement
    return statement


def _ask_flags(user) -> dict[str, Any]:
    """Every registered flag, whether the person has memberships and territory roles, in one
    query that also brings the person's organisation (several blocks name it)."""
    from .models import Organisation

    statement = _flags_statement(user)
    row = statement.run(user)
    if row is None:
        return {}
    width = len(statement.organisation_fields)
    if user.organisation_id is not None and row[0] == user.organisation_id:
        # The FK's cache: no query when a block reads it.
        user.organisation = Organisation.from_db(
            statement.compiler.using, statement.organisation_fields, row[:width]
        )
    return {
        name[len("flag_") :]: value
        for name, value in zip(statement.names, row[width:], strict=True)
    }


def home_viewer(request) -> HomeViewer:
    """The person's flags, memberships and territory roles, read once per request: one query,
    plus one for someone with memberships; the territory roles come from the shared cache
    (TERRITORY_ROLES), a query when it has not kept them."""
    viewer = getattr(request, "_home_viewer", None)
    if viewer is None:
        from django.db.models import Exists, OuterRef

        from .models import Membership, Structure, TerritoryRole
        from .permissions import territory_roles

        user = request.user
        memberships = []
        flags = {}
        if user.is_authenticated:
            flags = _ask_flags(user)
            has_memberships = flags.pop("_memberships", True)
            has_territory = flags.pop("_territory", True)
            if getattr(user, "_territory_roles_cache", None) is None:
                # networks.permissions.territory_roles() reads this cache; the regions come
                # along, the registry and territory blocks name them.

                def load():
                    return list(
                        TerritoryRole.objects.filter(user=user)
                        .select_related("region", "municipality")
                        .annotate(
                            # «Группы ВКонтакте» of the territory block (mentoring) links the
                            # regions that have groups: read here, not in a query of its own.
                            region_has_groups=Exists(
                                Structure.objects.filter(
                                    region=OuterRef("region_id"), kind__has_online_platform=True
                                )
                            )
                        )
                    )

                user._territory_roles_cache = (
                    TERRITORY_ROLES.get((user.pk,), load) if has_territory else []
                )
            if has_memberships:
                memberships = list(
                    Membership.objects.filter(user=user)
                    .select_related(
                        "structure",
                        "structure__kind",
                        "structure__region",
                        "structure__municipality",
                    )
                    .order_by("structure__kind__code", "structure__name", "pk")
                )
        viewer = HomeViewer(user, memberships, territory_roles(user), flags)
        request._home_viewer = viewer
    return viewer


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
