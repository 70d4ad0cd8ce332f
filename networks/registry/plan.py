"""Comparing a read file with the database: what will be created, changed and left alone.

Everything the comparison needs is loaded up front in a fixed number of queries — the regions, the
region's municipalities, its organisations keyed by ИНН and by folded full name, their statuses in
the school years the file names, the region's orders, and the organisations of other regions that
hold an ИНН from the file (in chunks) — so 40,000 lines cost a few dozen queries, not 40,000.

A bad line is left out whole: what it would create or change is kept aside while the line is
checked and added to the plan only when the line has no error. Lines are taken in file order,
except that lines naming a successor come last, so a successor created by the same file is found.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from ..models import (
    Municipality,
    Order,
    Organisation,
    OrganisationKind,
    OrganisationStatus,
    Region,
    SchoolStatus,
)
from ..schoolyear import SchoolYear
from ..search import fold, organisation_search_text
from .parser import PROGRESS_EVERY, LineError, ParsedFile, RegistryRow

Ref = int | str  # an existing organisation's id, or the key of one this file creates
OrderRef = int | tuple  # an existing order's id, or (issuer ref, number, date) of a new one

ORGANISATION_FIELDS = (
    "kind",
    "full_name",
    "short_name",
    "inn",
    "municipality",
    "address",
    "successor",
)
INN_CHUNK = 2000


# The same folded text Organisation.save() keeps; bulk operations skip save().
search_text = organisation_search_text


@dataclass(slots=True)
class Known:
    """An existing organisation as loaded for the comparison."""

    id: int
    kind: str
    full_name: str
    short_name: str
    inn: str
    municipality: int | None
    address: str
    successor: int | None

    def value(self, name: str):
        return getattr(self, name)


@dataclass
class NewOrganisation:
    key: str
    line: int
    values: dict  # ORGANISATION_FIELDS → value; municipality an id, successor a Ref

    def value(self, name: str):
        return self.values.get(name, None if name in ("municipality", "successor") else "")


@dataclass
class OrganisationChange:
    id: int
    line: int
    changes: dict  # field → (old, new)


@dataclass
class NewOrder:
    key: tuple
    line: int
    kind: str
    number: str
    date: dt.date
    title: str


@dataclass
class NewStatus:
    line: int
    organisation: Ref
    school_year: int
    status: str
    order: OrderRef | None


@dataclass
class StatusChange:
    id: int
    line: int
    organisation: int
    school_year: int
    status: str
    old_order: int | None
    order: OrderRef


@dataclass
class Plan:
    region: Region
    new_organisations: dict[str, NewOrganisation] = field(default_factory=dict)
    changed_organisations: dict[int, OrganisationChange] = field(default_factory=dict)
    unchanged_organisations: set[int] = field(default_factory=set)
    new_orders: dict[tuple, NewOrder] = field(default_factory=dict)
    new_statuses: list[NewStatus] = field(default_factory=list)
    changed_statuses: dict[int, StatusChange] = field(default_factory=dict)
    unchanged_statuses: set[int] = field(default_factory=set)
    errors: list[LineError] = field(default_factory=list)
    lines: int = 0
    # What the labels need: names of municipalities, organisations and orders.
    registry: Registry | None = None

    @property
    def has_changes(self) -> bool:
        return bool(
            self.new_organisations
            or self.changed_organisations
            or self.new_orders
            or self.new_statuses
            or self.changed_statuses
        )


@dataclass(frozen=True)
class OrderChoice:
    """The order chosen on the upload form for lines that name none: an existing one, or a new one
    to create on confirmation. Its issuer also issues the orders lines name without «Кем издан»."""

    order_id: int | None = None
    kind: str = Order.Kind.PRIKAZ
    number: str = ""
    date: dt.date | None = None
    title: str = ""
    issuer_id: int | None = None

    @classmethod
    def from_options(cls, options: dict) -> OrderChoice:
        if options.get("order_id"):
            return cls(order_id=int(options["order_id"]))
        new = options.get("new_order") or {}
        if new:
            return cls(
                kind=new.get("kind") or Order.Kind.PRIKAZ,
                number=new["number"],
                date=dt.date.fromisoformat(new["date"]),
                title=new["title"],
                issuer_id=int(new["issuer_id"]),
            )
        return cls()


class Registry:
    """The region as it is in the database, loaded once, and indexed as the file needs it."""

    def __init__(self, region: Region, parsed: ParsedFile, choice: OrderChoice) -> None:
        self.region = region
        self.regions = {}
        for pk, code, name in Region.objects.values_list("pk", "code", "name"):
            self.regions[fold(code)] = (pk, name)
            self.regions[fold(name)] = (pk, name)
        self.municipality_names = dict(
            Municipality.objects.filter(region=region).values_list("pk", "name")
        )
        self.municipality_by_name = {fold(n): pk for pk, n in self.municipality_names.items()}

        self.organisations: dict[int, Known] = {}
        self.by_inn: dict[str, Ref] = {}
        self.by_name: dict[str, list[Ref]] = defaultdict(list)
        self.by_short_name: dict[str, list[Ref]] = defaultdict(list)
        rows = Organisation.objects.filter(region=region).values_list(
            "pk",
            "kind",
            "full_name",
            "short_name",
            "inn",
            "municipality_id",
            "address",
            "successor_id",
        )
        for row in rows:
            known = Known(*row)
            self.organisations[known.id] = known
            if known.inn:
                self.by_inn[known.inn] = known.id
            self.by_name[fold(known.full_name)].append(known.id)
            if known.short_name:
                self.by_short_name[fold(known.short_name)].append(known.id)

        # ИНН are unique in the whole country: an organisation of another region may hold one.
        wanted = {r.inn for r in parsed.rows if r.inn} | {
            r.successor_inn for r in parsed.rows if r.successor_inn
        }
        wanted -= self.by_inn.keys()
        self.elsewhere: dict[str, tuple[int, str, str]] = {}
        wanted_list = sorted(wanted)
        for start in range(0, len(wanted_list), INN_CHUNK):
            chunk = wanted_list[start : start + INN_CHUNK]
            for pk, inn, short, full, region_name in (
                Organisation.objects.filter(inn__in=chunk)
                .exclude(region=region)
                .values_list("pk", "inn", "short_name", "full_name", "region__name")
            ):
                self.elsewhere[inn] = (pk, short or full, region_name)

        years = {r.school_year for r in parsed.rows if r.school_year and r.status}
        self.statuses: dict[tuple[int, int], dict[str, tuple[int, int | None]]] = defaultdict(dict)
        if years:
            for pk, organisation, year, status, order in OrganisationStatus.objects.filter(
                organisation__region=region, school_year__in=years
            ).values_list("pk", "organisation_id", "school_year", "status", "order_id"):
                self.statuses[(organisation, year)][status] = (pk, order)

        self.orders: dict[tuple, int] = {}
        self.order_labels: dict[int, str] = {}
        orders = Order.objects.filter(issuer__region=region)
        if choice.order_id:
            orders = orders | Order.objects.filter(pk=choice.order_id)
        self.order_issuers: dict[int, int] = {}
        for order in orders.only("pk", "kind", "issuer_id", "number", "date"):
            self.orders[(order.issuer_id, order.number, order.date)] = order.pk
            self.order_labels[order.pk] = str(order)
            self.order_issuers[order.pk] = order.issuer_id

    def label(self, ref: Ref | None, plan: Plan) -> str:
        if ref is None:
            return ""
        if isinstance(ref, str):
            new = plan.new_organisations.get(ref)
            return (new.values.get("short_name") or new.values.get("full_name")) if new else ref
        known = self.organisations.get(ref)
        if known is not None:
            return known.short_name or known.full_name
        for pk, name, region_name in self.elsewhere.values():
            if pk == ref:
                return f"{name} ({region_name})"
        return str(ref)


def order_label(kind: str, number: str, date: dt.date) -> str:
    """As Order.__str__ shows an order that is not saved yet."""
    return _("%(kind)s от %(date)s № %(number)s") % {
        "kind": Order.Kind(kind).label,
        "date": f"{date:%d.%m.%Y}",
        "number": number,
    }


class _Planner:
    def __init__(self, region: Region, parsed: ParsedFile, choice: OrderChoice) -> None:
        self.parsed = parsed
        self.registry = Registry(region, parsed, choice)
        self.plan = Plan(region=region, registry=self.registry, lines=parsed.total)
        self.plan.errors.extend(parsed.errors)
        # field → (value, line) wanted for each organisation by the lines read so far
        self.wanted: dict[Ref, dict[str, tuple]] = {}
        self.planned_statuses: dict[tuple, dict[str, tuple[int, OrderRef | None]]] = defaultdict(
            dict
        )
        self.default_order, self.default_issuer, self.default_new = self._default(choice)
        self.folded: dict[str, str] = {}

    # --- The order chosen on the form -------------------------------------------------------

    def _default(self, choice: OrderChoice):
        if choice.order_id:
            issuer = self.registry.order_issuers.get(choice.order_id)
            return (choice.order_id if issuer else None), issuer, None
        if choice.issuer_id and choice.date and choice.number:
            key = (choice.issuer_id, choice.number, choice.date)
            existing = self.registry.orders.get(key)
            if existing:
                return existing, choice.issuer_id, None
            new = NewOrder(key, 0, choice.kind, choice.number, choice.date, choice.title)
            return key, choice.issuer_id, new
        return None, None, None

    # --- Finding things -----------------------------------------------------------------------

    def _folded(self, text: str) -> str:
        """fold() of the values that repeat on every line (region, municipality), once each."""
        folded = self.folded.get(text)
        if folded is None:
            folded = self.folded[text] = fold(text)
        return folded

    def _value(self, ref: Ref, name: str):
        wanted = self.wanted.get(ref, {})
        if name in wanted:
            return wanted[name][0]
        if isinstance(ref, int):
            return self.registry.organisations[ref].value(name)
        return self.plan.new_organisations[ref].value(name)

    def _find(self, row: RegistryRow, municipality: int | None) -> tuple[Ref | None, str | None]:
        registry = self.registry
        if row.inn:
            if row.inn in registry.by_inn:
                return registry.by_inn[row.inn], None
            if row.inn in registry.elsewhere:
                _pk, name, region_name = registry.elsewhere[row.inn]
                return None, _(
                    "ИНН %(inn)s уже принадлежит организации «%(name)s» другого региона "
                    "(%(region)s)"
                ) % {"inn": row.inn, "name": name, "region": region_name}
        if not row.full_name:
            return None, None
        candidates = list(registry.by_name.get(row.name_key, ()))
        if row.inn:
            # An organisation with another ИНН is another legal entity of the same name.
            candidates = [c for c in candidates if not self._value(c, "inn")]
        if len(candidates) > 1 and municipality:
            here = [c for c in candidates if self._value(c, "municipality") == municipality]
            candidates = here or candidates
        if len(candidates) > 1:
            inns = ", ".join(self._value(c, "inn") or _("без ИНН") for c in candidates)
            return None, _(
                "наименование «%(name)s» совпадает у нескольких организаций региона (ИНН: "
                "%(inns)s); укажите ИНН"
            ) % {"name": row.full_name, "inns": inns}
        return (candidates[0] if candidates else None), None

    def _find_issuer(self, text: str) -> tuple[Ref | None, str | None]:
        registry = self.registry
        digits = text.replace(" ", "")
        if digits.isdigit() and digits in registry.by_inn:
            return registry.by_inn[digits], None
        name = fold(text)
        candidates = registry.by_name.get(name) or registry.by_short_name.get(name) or []
        if len(candidates) == 1:
            return candidates[0], None
        if len(candidates) > 1:
            return None, _(
                "«Кем издан»: наименование «%(name)s» совпадает у нескольких организаций; "
                "укажите ИНН издателя"
            ) % {"name": text}
        return None, _(
            "«Кем издан»: организация «%(name)s» не найдена в реестре региона; укажите её "
            "полное или краткое наименование либо ИНН"
        ) % {"name": text}

    def _own_region(self, text: str) -> str | None:
        found = self.registry.regions.get(self._folded(text).replace("обл.", "область"))
        if found is None:
            return _("неизвестный регион «%(name)s»") % {"name": text}
        if found[0] != self.registry.region.pk:
            return _(
                "строка относится к другому региону («%(name)s»): загружать можно только "
                "организации региона «%(own)s»"
            ) % {"name": found[1], "own": self.registry.region.name}
        return None

    # --- One line -----------------------------------------------------------------------------

    def line(self, row: RegistryRow) -> None:
        pending = _Pending()
        error = self._check(row, pending)
        if error:
            self.plan.errors.append(LineError(row.line, error))
        else:
            self._commit(row, pending)

    def _check(self, row: RegistryRow, pending: _Pending) -> str | None:
        registry = self.registry
        if row.region and (error := self._own_region(row.region)):
            return error
        municipality = None
        if row.municipality:
            municipality = registry.municipality_by_name.get(self._folded(row.municipality))
            if municipality is None:
                return _(
                    "неизвестное муниципальное образование «%(name)s» в регионе «%(region)s»"
                ) % {"name": row.municipality, "region": registry.region.name}
        ref, error = self._find(row, municipality)
        if error:
            return error
        if self.parsed.carries_organisations:
            ref, error = self._describe(row, ref, municipality, pending)
            if error:
                return error
        elif ref is None:
            return _("организация %(who)s не найдена в реестре региона «%(region)s»") % {
                "who": _who(row),
                "region": registry.region.name,
            }
        pending.ref = ref
        if row.status:
            return self._status(row, ref, pending)
        return None

    def _describe(self, row, ref, municipality, pending) -> tuple[Ref | None, str | None]:
        """The organisation's fields the line gives (blank cells leave a field as it is)."""
        given = {
            "kind": row.kind,
            "full_name": row.full_name,
            "short_name": row.short_name,
            "inn": row.inn,
            "municipality": municipality,
            "address": row.address,
        }
        given = {k: v for k, v in given.items() if v}
        if row.successor_inn:
            successor = self.registry.by_inn.get(row.successor_inn)
            if successor is None and row.successor_inn in self.registry.elsewhere:
                successor = self.registry.elsewhere[row.successor_inn][0]
            if successor is None:
                return None, _(
                    "правопреемник с ИНН %(inn)s не найден: его нет ни в реестре, ни в файле"
                ) % {"inn": row.successor_inn}
            if successor == ref or (ref is None and row.successor_inn == row.inn):
                return None, _("организация не может быть правопреемником самой себя")
            given["successor"] = successor
        if ref is None:
            missing = [name for name in ("full_name", "kind") if name not in given]
            if missing:
                labels = {"full_name": _("Полное наименование"), "kind": _("Тип")}
                missing = [labels[name] for name in missing]
                return None, _(
                    "организации %(who)s нет в реестре региона; чтобы добавить её, заполните: "
                    "%(columns)s"
                ) % {"who": _who(row), "columns": ", ".join(f"«{m}»" for m in missing)}
            key = f"inn:{row.inn}" if row.inn else f"name:{row.name_key}"
            pending.new = NewOrganisation(key=key, line=row.line, values={})
            ref = key
        wanted = self.wanted.get(ref, {})
        for name, value in given.items():
            if name in wanted and wanted[name][0] != value:
                return None, _(
                    "строка %(line)s уже задаёт этой организации другое значение «%(column)s»"
                ) % {"line": wanted[name][1], "column": _field_label(name)}
        pending.given = given
        return ref, None

    def _status(self, row: RegistryRow, ref: Ref, pending: _Pending) -> str | None:
        kind = pending.given.get("kind") or self._value_or_new(ref, "kind", pending)
        if kind != OrganisationKind.SCHOOL:
            return _(
                "статус ШНОР, ШССУ или школы-лидера бывает только у общеобразовательной "
                "организации, а эта — «%(kind)s»"
            ) % {"kind": OrganisationKind(kind).label if kind else "?"}
        order, error = self._order(row, pending)
        if error:
            return error
        year = row.school_year
        existing = self.registry.statuses.get((ref, year), {}) if isinstance(ref, int) else {}
        planned = self.planned_statuses.get((ref, year), {})
        label = SchoolYear(year).label
        for other, where in [
            *((s, _("в реестре")) for s in existing),
            *((s, _("в строке %(line)s") % {"line": planned[s][0]}) for s in planned),
        ]:
            if (row.status == SchoolStatus.LEADER) != (other == SchoolStatus.LEADER):
                return _(
                    "в %(year)s учебном году школа уже отмечена %(where)s как «%(other)s»: "
                    "школа-лидер не может одновременно быть ШНОР или ШССУ"
                ) % {"year": label, "where": where, "other": SchoolStatus(other).label}
        if row.status in planned:
            line, planned_order = planned[row.status]
            if order is not None and planned_order is not None and order != planned_order:
                return _(
                    "статус «%(status)s» на %(year)s учебный год уже указан в строке %(line)s "
                    "с другим приказом"
                ) % {"status": SchoolStatus(row.status).label, "year": label, "line": line}
            return None  # the same status twice in the file: once is enough
        pending.status = (row.status, year, order)
        return None

    def _value_or_new(self, ref: Ref, name: str, pending: _Pending):
        if pending.new is not None and ref == pending.new.key:
            return pending.given.get(name, "")
        return self._value(ref, name)

    def _order(self, row: RegistryRow, pending: _Pending) -> tuple[OrderRef | None, str | None]:
        if row.order is None:
            if self.default_new is not None:
                pending.order = self.default_new
            return self.default_order, None
        if row.issuer:
            issuer, error = self._find_issuer(row.issuer)
            if error:
                return None, error
        else:
            issuer = self.default_issuer
        if issuer is None:
            return None, _(
                "не указано, кем издан приказ «%(order)s»: заполните столбец «Кем издан» или "
                "выберите приказ на форме загрузки"
            ) % {"order": row.order.text}
        key = (issuer, row.order.number, row.order.date)
        if isinstance(issuer, int) and key in self.registry.orders:
            return self.registry.orders[key], None
        if key not in self.plan.new_orders:
            title = row.order.text
            if self.default_new is not None and self.default_new.key == key:
                title = self.default_new.title
            pending.order = NewOrder(
                key, row.line, row.order.kind, row.order.number, row.order.date, title
            )
        return key, None

    # --- Keeping a good line ------------------------------------------------------------------

    def _commit(self, row: RegistryRow, pending: _Pending) -> None:
        plan, registry, ref = self.plan, self.registry, pending.ref
        if pending.new is not None:
            plan.new_organisations[pending.new.key] = pending.new
        if pending.given:
            wanted = self.wanted.setdefault(ref, {})
            for name, value in pending.given.items():
                wanted.setdefault(name, (value, row.line))
            if isinstance(ref, str):
                plan.new_organisations[ref].values.update({k: v[0] for k, v in wanted.items()})
            else:
                self._compare(ref)
            if inn := pending.given.get("inn"):
                registry.by_inn.setdefault(inn, ref)
            short = pending.given.get("short_name")
            for index, name in (
                (registry.by_name, row.name_key if pending.given.get("full_name") else ""),
                (registry.by_short_name, fold(short) if short else ""),
            ):
                if name and ref not in index[name]:
                    index[name].append(ref)
        if pending.order is not None:
            plan.new_orders.setdefault(pending.order.key, pending.order)
        if pending.status is not None:
            status, year, order = pending.status
            self.planned_statuses[(ref, year)][status] = (row.line, order)
            existing = registry.statuses.get((ref, year), {}) if isinstance(ref, int) else {}
            if status in existing:
                pk, old_order = existing[status]
                if order is not None and order != old_order:
                    plan.changed_statuses[pk] = StatusChange(
                        pk, row.line, ref, year, status, old_order, order
                    )
                    plan.unchanged_statuses.discard(pk)
                else:
                    plan.unchanged_statuses.add(pk)
            else:
                plan.new_statuses.append(NewStatus(row.line, ref, year, status, order))

    def _compare(self, pk: int) -> None:
        known = self.registry.organisations[pk]
        wanted = self.wanted[pk]
        changes = {
            name: (known.value(name), value)
            for name, (value, _line) in wanted.items()
            if known.value(name) != value
        }
        if changes:
            line = min(line for _value, line in wanted.values())
            self.plan.changed_organisations[pk] = OrganisationChange(pk, line, changes)
            self.plan.unchanged_organisations.discard(pk)
        else:
            self.plan.unchanged_organisations.add(pk)


@dataclass
class _Pending:
    """What one line would do, kept aside until the line is found to have no error."""

    ref: Ref | None = None
    new: NewOrganisation | None = None
    given: dict = field(default_factory=dict)
    order: NewOrder | None = None
    status: tuple | None = None


def _who(row: RegistryRow) -> str:
    if row.inn and row.full_name:
        return _("«%(name)s» (ИНН %(inn)s)") % {"name": row.full_name, "inn": row.inn}
    if row.inn:
        return _("с ИНН %(inn)s") % {"inn": row.inn}
    return f"«{row.full_name}»"


def _field_label(name: str) -> str:
    return {
        "kind": _("Тип"),
        "full_name": _("Полное наименование"),
        "short_name": _("Краткое наименование"),
        "inn": _("ИНН"),
        "municipality": _("Муниципальное образование"),
        "address": _("Адрес"),
        "successor": _("Правопреемник"),
    }[name]


field_label = _field_label


def build_plan(
    *,
    region: Region,
    parsed: ParsedFile,
    choice: OrderChoice,
    progress: Callable[[int], None] | None = None,
) -> Plan:
    """Reads only. The lines naming a successor come after the others (see the module's note).
    `progress(n)` is called every PROGRESS_EVERY lines with the number compared so far."""
    planner = _Planner(region, parsed, choice)
    rows = sorted(parsed.rows, key=lambda r: bool(r.successor_inn))
    for count, row in enumerate(rows, start=1):
        planner.line(row)
        if progress is not None and count % PROGRESS_EVERY == 0:
            progress(count)
    planner.plan.errors.sort(key=lambda e: e.line)
    return planner.plan
