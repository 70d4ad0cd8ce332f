"""Loads the demo data, idempotently: every row is found by its natural key and only written when
it is missing or differs, so a second run creates and changes nothing (`make run` runs it each time).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password
from django.db import models, transaction
from django.utils import timezone

from networks import figures, services
from networks.account.services import consent_give
from networks.kinds import sync_kinds
from networks.manage.services import structure_acts_from_fields
from networks.models import (
    Consent,
    ConsentKind,
    ConsentText,
    Membership,
    Municipality,
    Order,
    Organisation,
    OrganisationStatus,
    Programme,
    Region,
    Structure,
    StructureKind,
    TerritoryRole,
    User,
)
from networks.schoolyear import SchoolYear
from reporting import counters

from . import documents, people, structures, territory


@dataclass
class LoadResult:
    created: Counter[type[models.Model]] = field(default_factory=Counter)
    updated: Counter[type[models.Model]] = field(default_factory=Counter)
    structures_by_kind: Counter[str] = field(default_factory=Counter)
    closed: list[str] = field(default_factory=list)
    # (who, e-mail) of the demo logins, in the order they are printed
    logins: list[tuple[str, str]] = field(default_factory=list)


def _column(model: type[models.Model], name: str, value: object) -> object:
    """A value of the field `name` as its column holds it: a related object by the key it is
    referred to with (no query)."""
    field = model._meta.get_field(name)
    if field.is_relation and isinstance(value, models.Model):
        return getattr(value, field.target_field.attname)
    return value


def _key(model: type[models.Model], lookup: dict) -> tuple:
    return tuple(_column(model, name, value) for name, value in lookup.items())


@dataclass
class _Found:
    """The rows of one model that a phase's lookups may find, read with one query
    (`_Loader.prefetch`) instead of one query per lookup, under their lookup's key."""

    # field name → the values (as columns) the query was narrowed to: a lookup outside them
    # may match a row that was not read, so it asks the database itself
    narrowed: dict[str, set]
    rows: dict[tuple, models.Model]

    def covers(self, model: type[models.Model], lookup: dict) -> bool:
        return all(
            _column(model, name, lookup[name]) in values for name, values in self.narrowed.items()
        )


class _Loader:
    def __init__(self, current_year: int) -> None:
        self.current_year = current_year
        self.result = LoadResult()
        self.regions: dict[str, Region] = {}
        self.municipalities: dict[str, Municipality] = {}
        self.organisations: dict[str, Organisation] = {}
        self.orders: dict[str, Order] = {}
        self.programmes: dict[str, Programme] = {}
        self.people: dict[str, User] = {}
        self.structures: dict[str, Structure] = {}
        self._found: dict[tuple[type[models.Model], tuple[str, ...]], _Found] = {}
        # structure pk → the users with a membership in it, ended ones too (load_structures)
        self._members: dict[int, set[int]] = {}

    # --- The one write path -----------------------------------------------------------------------

    def prefetch(
        self, model: type[models.Model], fields: tuple[str, ...], **narrow: Iterable
    ) -> None:
        """Reads at once the rows that `upsert`'s lookups on `fields` may find, narrowed by the
        values given (a lookup outside them still asks the database itself): one query for a
        phase instead of one per row. Where rows share a key, the first in the model's order is
        kept, the one `.first()` returns."""
        narrowed = {
            name: {_column(model, name, value) for value in values}
            for name, values in narrow.items()
        }
        attnames = [model._meta.get_field(name).attname for name in fields]
        query = model.objects.filter(
            **{f"{model._meta.get_field(name).attname}__in": v for name, v in narrowed.items()}
        )
        if not query.ordered:
            query = query.order_by("pk")
        rows: dict[tuple, models.Model] = {}
        for obj in query:
            rows.setdefault(tuple(getattr(obj, attname) for attname in attnames), obj)
        self._found[(model, fields)] = _Found(narrowed, rows)

    def upsert(
        self, model: type[models.Model], lookup: dict, values: dict, on_create: dict | None = None
    ) -> models.Model:
        """Finds the row by `lookup`; creates it, or saves it only when `values` differ.

        `on_create` holds values set once (a consent date, an unusable password) that a rerun must
        not touch. Everything goes through full_clean, so the demo obeys the same rules as the forms.
        """
        found = self._found.get((model, tuple(lookup)))
        if found is not None and not found.covers(model, lookup):
            found = None
        key = _key(model, lookup)
        if found is None:
            obj = model.objects.filter(**lookup).first()
        else:
            obj = found.rows.get(key)
            if obj is not None:
                # The related objects of the lookup are that row's: kept cached, as given.
                for name, value in lookup.items():
                    if model._meta.get_field(name).is_relation:
                        setattr(obj, name, value)
        if obj is None:
            obj = model(**lookup, **values, **(on_create or {}))
            obj.full_clean()
            obj.save()
            if found is not None:
                found.rows[key] = obj
            self.result.created[model] += 1
            return obj
        changed = {}
        for name, value in values.items():
            field = model._meta.get_field(name)
            if field.is_relation:
                # Compared by key, without reading the related row; an equal one is kept cached.
                if getattr(obj, field.attname) != _column(model, name, value):
                    changed[name] = value
                else:
                    setattr(obj, name, value)
            elif getattr(obj, name) != value:
                changed[name] = value
        if changed:
            for name, value in changed.items():
                setattr(obj, name, value)
            obj.full_clean()
            obj.save()
            self.result.updated[model] += 1
        return obj

    # --- Territory, organisations, orders -------------------------------------------------------

    def load_territory(self) -> None:
        self.prefetch(Region, ("code",), code=[code for code, _name, _tz in territory.REGIONS])
        for code, name, tz in territory.REGIONS:
            self.regions[code] = self.upsert(Region, {"code": code}, {"name": name, "timezone": tz})
        self.prefetch(Municipality, ("region", "name"), region=self.regions.values())
        for key, (code, name) in territory.MUNICIPALITIES.items():
            self.municipalities[key] = self.upsert(
                Municipality, {"region": self.regions[code], "name": name}, {}
            )

    def _organisation(self, key: str, values: dict) -> None:
        self.organisations[key] = self.upsert(Organisation, {"inn": values.pop("inn")}, values)

    def load_organisations(self) -> None:
        self.prefetch(
            Organisation,
            ("inn",),
            inn=[
                *(row["inn"] for row in territory.ORGANISATIONS.values()),
                *(row[1] for row in territory.SCHOOLS.values()),
            ],
        )
        for key, row in territory.ORGANISATIONS.items():
            municipality = row["municipality"]
            self._organisation(
                key,
                {
                    **row,
                    "region": self.regions[row["region"]],
                    "municipality": self.municipalities[municipality] if municipality else None,
                },
            )
        for key, (
            municipality,
            inn,
            short_name,
            full_name,
            _then,
            _now,
        ) in territory.SCHOOLS.items():
            place = self.municipalities[municipality]
            self._organisation(
                key,
                {
                    "kind": "school",
                    "inn": inn,
                    "short_name": short_name,
                    "full_name": full_name,
                    "region": place.region,
                    "municipality": place,
                },
            )

    def load_orders(self) -> None:
        rows = {
            **documents.ORDERS,
            **documents.past_list_orders(self.current_year),
            **documents.current_list_orders(self.current_year),
        }
        self.prefetch(
            Order,
            ("issuer", "number", "date"),
            issuer=self.organisations.values(),
            number=[row["number"] for row in rows.values()],
        )
        for key, row in rows.items():
            lookup = {
                "issuer": self.organisations[row["issuer"]],
                "number": row["number"],
                "date": row["date"],
            }
            self.orders[key] = self.upsert(
                Order, lookup, {"kind": row["kind"], "title": row["title"]}
            )

    def _list_order(self, region: str, year: int, status: str) -> Order:
        if status == territory.LEADER:
            key = documents.FOUNDING_LEADER_LISTS.get((region, year))
            if key:
                return self.orders[key]
        return self.orders[documents.FOUNDING_LISTS[(region, year)]]

    def load_statuses(self) -> None:
        self.prefetch(
            OrganisationStatus,
            ("organisation", "school_year", "status"),
            organisation=[self.organisations[key] for key in territory.SCHOOLS],
        )
        for key, (municipality, *_names, then, now) in territory.SCHOOLS.items():
            organisation = self.organisations[key]
            region = territory.MUNICIPALITIES[municipality][0]
            founding = documents.FOUNDING_YEAR[region]
            for status in then:
                self._status(
                    organisation, founding, status, self._list_order(region, founding, status)
                )
            # Should the clock stand in a founding year, that year's real list wins.
            if self.current_year != founding:
                current = self.orders[documents.current_list_key(region)]
                for status in now:
                    self._status(organisation, self.current_year, status, current)
            # Every school year in between has its list too (the demo's story shows last year's
            # reports and members by category): the school stands as it does now.
            for year in range(founding + 1, self.current_year):
                order = self.orders[documents.year_list_key(region, year)]
                for status in now:
                    self._status(organisation, year, status, order)

    def _status(self, organisation: Organisation, year: int, status: str, order: Order) -> None:
        self.upsert(
            OrganisationStatus,
            {"organisation": organisation, "school_year": year, "status": status},
            {"order": order},
        )

    def load_programmes(self) -> None:
        self.prefetch(
            Programme,
            ("title", "region"),
            title=[row["title"] for row in documents.PROGRAMMES.values()],
        )
        for key, row in documents.PROGRAMMES.items():
            region = self.regions[row["region"]]
            self.programmes[key] = self.upsert(
                Programme,
                {"title": row["title"], "region": region},
                {
                    "owner": self.organisations[row["owner"]],
                    "order": self.orders[row["order"]] if row["order"] else None,
                    "municipality": (
                        self.municipalities[row["municipality"]] if row["municipality"] else None
                    ),
                    "starts_on": row["starts_on"],
                    "ends_on": row["ends_on"],
                },
            )

    # --- People ---------------------------------------------------------------------------------

    def load_people(self) -> None:
        now = timezone.now()
        texts = {kind: ConsentText.objects.current(kind) for kind in ConsentKind.values}
        emails = [row[6].lower() for row in people.PEOPLE.values()]
        self.prefetch(User, ("email",), email=emails)
        # The consents the people have, ended ones too, read at once: (user, text) and the kind.
        consents = set(
            Consent.objects.filter(user__email__in=emails).values_list(
                "user_id", "text_id", "text__kind"
            )
        )
        given = {(user_id, text_id) for user_id, text_id, _kind in consents}
        public = {user_id for user_id, _t, kind in consents if kind == ConsentKind.PUBLIC_NAME}
        for key, (last, first, patronymic, position, org, phone, email) in people.PEOPLE.items():
            self.people[key] = self.upsert(
                User,
                {"email": email.lower()},
                {
                    "last_name": last,
                    "first_name": first,
                    "patronymic": patronymic,
                    "position": position,
                    "post": User.Post.of_position(position),
                    "organisation": self.organisations[org],
                    "phone": phone,
                    "pd_consent_version": str(texts[ConsentKind.PERSONAL_DATA].version),
                },
                # Made-up people cannot sign in; only the demo logins get a password below.
                on_create={
                    "pd_consent_at": now,
                    "show_name_consent_at": None if key in people.NAMED_IN_SEEDS else now,
                    "password": make_password(None),
                },
            )
            # Which version of each text the person agreed to (152-ФЗ): as sign-up records it.
            user = self.people[key]
            for kind, given_at in (
                (ConsentKind.PERSONAL_DATA, user.pd_consent_at),
                (ConsentKind.SHOW_NAME, user.show_name_consent_at),
            ):
                if given_at is not None and (user.pk, texts[kind].pk) not in given:
                    Consent.objects.create(user=user, text=texts[kind], given_at=given_at)
                    given.add((user.pk, texts[kind].pk))
            # Given once, as the profile gives it; a withdrawal (a closed record) is respected.
            if key in people.NAMED_ON_PUBLIC_PAGES and user.pk not in public:
                consent_give(user=user, kind=ConsentKind.PUBLIC_NAME, at=now)
                public.add(user.pk)

    def load_demo_logins(self) -> None:
        logins = [self.people[key] for key, _who in people.DEMO_LOGINS]
        self.prefetch(EmailAddress, ("user", "email"), user=logins)
        self.prefetch(
            TerritoryRole,
            ("user", "role", "region", "municipality"),
            user=[self.people[key] for key, *_rest in people.TERRITORY_ROLES],
        )
        for key, who in people.DEMO_LOGINS:
            user = self.people[key]
            # Nobody in the demo is staff: the admin is for superusers only (issue 15), and the
            # coordinator works on the portal's own pages (a database loaded before is put right).
            if user.is_staff or not user.is_active:
                user.is_staff, user.is_active = False, True
                user.save(update_fields=["is_staff", "is_active"])
            # Reset to the printed password (hashing is slow, so only when it does not match; an
            # unusable one cannot, and checking it would still hash once to hide that).
            if not (user.has_usable_password() and user.check_password(people.DEMO_PASSWORD)):
                user.set_password(people.DEMO_PASSWORD)
                user.save(update_fields=["password"])
            # Sign-in requires a confirmed address (ACCOUNT_EMAIL_VERIFICATION = "mandatory").
            self.upsert(
                EmailAddress,
                {"user": user, "email": user.email},
                {"verified": True, "primary": True},
            )
            self.result.logins.append((who, user.email))
        for key, role, region, municipality in people.TERRITORY_ROLES:
            self.upsert(
                TerritoryRole,
                {
                    "user": self.people[key],
                    "role": role,
                    "region": self.regions[region],
                    "municipality": self.municipalities[municipality],
                },
                {},
            )

    # --- Structures -----------------------------------------------------------------------------

    def load_structures(self) -> None:
        kinds = {k.code: k for k in StructureKind.objects.all()}
        self.prefetch(
            Structure,
            ("kind", "name", "parent"),
            kind=kinds.values(),
            name=[row["name"] for row in structures.STRUCTURES],
        )
        # Who is in the structures found, in one query (those created below have nobody yet).
        found = [s.pk for s in self._found[(Structure, ("kind", "name", "parent"))].rows.values()]
        self._members = {pk: set() for pk in found}
        for structure_id, user_id in (
            Membership.objects.filter(structure__in=found)
            .order_by()
            .values_list("structure_id", "user_id")
        ):
            self._members[structure_id].add(user_id)
        for row in structures.STRUCTURES:
            structure = self._structure(row, kinds[row["kind"]])
            self.structures[row["key"]] = structure
            self.result.structures_by_kind[row["kind"]] += 1
            since = row.get("members_since", structure.established_on)
            for person, role, *rest in row["members"]:
                member_since = rest[0] if rest else since
                elected_on = rest[1] if len(rest) > 1 else None
                self._membership(structure, person, role, member_since, elected_on)
            if "close" in row:
                on, reason = row["close"]
                if not structure.is_closed:
                    services.structure_close(structure=structure, on=on, reason=reason)
                self.result.closed.append(structure.name)
            # Issue 16: the structure's timeline («Приказы и документы») starts with its order.
            structure_acts_from_fields(structure=structure)

    def _structure(self, row: dict, kind: StructureKind) -> Structure:
        host = self.organisations[row["host"]]
        order = self.orders[row["order"]]
        parent = self.structures[row["parent"]] if row.get("parent") else None
        return self.upsert(
            Structure,
            {"kind": kind, "name": row["name"], "parent": parent},
            {
                "description": row.get("description", ""),
                "founding_order": order,
                "regulation_title": row.get("regulation_title", ""),
                "host": host,
                "region": host.region,
                "municipality": host.municipality,
                "programme": self.programmes[row["programme"]] if row.get("programme") else None,
                "established_on": order.date,
                "term_start": row.get("term_start"),
                "term_end": row.get("term_end"),
                "topic": row.get("topic", ""),
                "platform_url": row.get("platform_url", ""),
                "participant_category": row.get("participant_category", ""),
                # Only where the row says so: a rerun keeps a page someone switched in the demo.
                **({"public_page": row["public_page"]} if "public_page" in row else {}),
            },
        )

    def _membership(
        self,
        structure: Structure,
        person: str,
        role: str,
        since: dt.date,
        elected_on: dt.date | None,
    ) -> None:
        user = self.people[person]
        # Any membership counts, ended ones too: a closed structure's members have `until` set.
        if structure.pk not in self._members:
            self._members[structure.pk] = set(
                structure.memberships.order_by().values_list("user_id", flat=True)
            )
        if user.pk in self._members[structure.pk]:
            return
        if structure.is_closed:
            # The service refuses to change a closed structure; recreate the ended membership.
            membership = Membership(
                structure=structure,
                user=user,
                role=role,
                since=since,
                until=structure.closed_on,
                elected_on=elected_on,
            )
            membership.full_clean()
            membership.save()
        else:
            services.membership_add(
                structure=structure, user=user, role=role, since=since, elected_on=elected_on
            )
        self._members[structure.pk].add(user.pk)
        self.result.created[Membership] += 1


def load_demo(*, current_year: int | None = None, recount: bool = True) -> LoadResult:
    """Fills the database with the structures of the five orders; safe to run any number of times.

    `recount=False` leaves the summary's kept figures to the caller, who must recount them in the
    same transaction (`manage.py load_demo`: load_year() recounts once after both)."""
    loader = _Loader(current_year or SchoolYear.current().start)
    # The summary's kept figures once at the end, not after every write (networks.figures).
    with transaction.atomic(), figures.deferred():
        sync_kinds(StructureKind)  # writes only the rows that differ
        loader.load_territory()
        loader.load_organisations()
        loader.load_orders()
        loader.load_statuses()
        loader.load_programmes()
        loader.load_people()
        loader.load_demo_logins()
        loader.load_structures()
        if recount:
            counters.recount()
    return loader.result
