"""What an order document proposes, matched with the database: the kinds its tables found (by the
kinds table's columns, never by a kind's code), the organisations and accounts of the people it
names, the structures that exist already, and every doubtful cell with its table, row and column.

Reads only. The result is plain JSON kept on OrderImport.proposal for the preview and the
confirmation. A fixed number of queries whatever the size of the order: the region's
organisations once, the accounts of the surnames named once, the territory's structures once.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db.models import Q
from django.utils.translation import gettext as _

from networks.coverage import Place, covered_by
from networks.models import (
    Municipality,
    Order,
    Organisation,
    Region,
    Role,
    Structure,
    StructureKind,
    User,
)
from networks.search import fold

from .parser import (
    COLUMN_LABELS,
    GROUPS,
    PAIRS,
    WORKING_GROUP,
    ParsedOrder,
    Person,
    TableReading,
    links_in,
    name_parts,
    people_in,
    read_tables,
    without_links,
)

# Roles in the order of preference for the people a groups table names as administrators.
ADMIN_ROLES = (Role.ADMINISTRATOR, Role.MODERATOR, Role.COORDINATOR)
_url = URLValidator(schemes=["http", "https"])


def _label(key: str) -> str:
    return str(COLUMN_LABELS.get(key, key))


class Flags:
    def __init__(self) -> None:
        self.items: list[dict] = []

    def add(self, message: str, *, table: int | None = None, line=None, column: str = "") -> None:
        self.items.append({"table": table, "line": line, "column": column, "message": message})


# --- Organisations -------------------------------------------------------------------------------


class Organisations:
    """The region's organisations, read once, found by a name as an order writes it."""

    def __init__(self, region: Region) -> None:
        self.labels: dict[int, str] = {}
        self.exact: dict[str, set[int]] = defaultdict(set)
        self.names: list[tuple[str, int]] = []
        for pk, short_name, full_name in Organisation.objects.filter(
            region=region, successor__isnull=True
        ).values_list("pk", "short_name", "full_name"):
            self.labels[pk] = short_name or full_name
            for name in (short_name, full_name):
                folded = fold(name)
                if folded:
                    self.exact[folded].add(pk)
                    if len(folded) >= 5:
                        self.names.append((folded, pk))

    def find(self, text: str) -> int | None:
        folded = fold(text)
        if not folded:
            return None
        exact = self.exact.get(folded)
        if exact:
            return next(iter(exact)) if len(exact) == 1 else None
        inside = {pk for name, pk in self.names if name in folded}
        if len(inside) == 1:
            return inside.pop()
        if len(folded) >= 6:
            around = {pk for name, pk in self.names if folded in name}
            if len(around) == 1:
                return around.pop()
        return None

    def issuer(self, text: str) -> int | None:
        """The organisation whose name the header block contains; the longest name wins."""
        folded = fold(text)
        if not folded:
            return None
        best, length = None, 0
        for name, pk in self.names:
            if name in folded and len(name) > length:
                best, length = pk, len(name)
        return best


# --- People ----------------------------------------------------------------------------------------


def _variants(surname: str) -> set[str]:
    out = set()
    for form in (surname, surname.capitalize(), surname.title()):
        out |= {form, form.replace("ё", "е").replace("Ё", "Е")}
    return out


class Accounts:
    """The accounts of the people an order names, read in one query by their surnames."""

    def __init__(self, people: list[Person]) -> None:
        surnames = set()
        emails = set()
        for person in people:
            surname, _initials = name_parts(person.name)
            if surname:
                surnames |= _variants(surname)
            if person.email:
                emails.add(person.email.lower())
        condition = Q(last_name__in=sorted(surnames)) if surnames else Q(pk__in=[])
        if emails:
            condition |= Q(email__in=sorted(emails))
        self.by_surname: dict[str, list[User]] = defaultdict(list)
        self.by_email: dict[str, User] = {}
        for user in User.objects.filter(condition, is_active=True, anonymised_at__isnull=True).only(
            "pk", "email", "last_name", "first_name", "patronymic", "organisation_id"
        ):
            self.by_surname[fold(user.last_name)].append(user)
            self.by_email[user.email.lower()] = user

    def find(self, person: Person, organisation_ids: set[int]) -> tuple[User | None, str]:
        """The account (or None) and, when none, why: several accounts fit."""
        if person.email and person.email.lower() in self.by_email:
            return self.by_email[person.email.lower()], ""
        surname, initials = name_parts(person.name)
        fits = [
            user
            for user in self.by_surname.get(fold(surname), [])
            if fold("".join(p[:1] for p in (user.first_name, user.patronymic) if p))
            == fold(initials)
            and user.organisation_id in organisation_ids
        ]
        if len(fits) == 1:
            return fits[0], ""
        if len(fits) > 1:
            return None, _("подходят несколько учётных записей; пригласите по адресу")
        return None, ""


# --- The proposal -----------------------------------------------------------------------------------


def _kinds() -> list[StructureKind]:
    return list(StructureKind.objects.order_by("code"))


def _groups_kind(kinds: list[StructureKind]) -> StructureKind | None:
    online = [k for k in kinds if k.has_online_platform]
    # The groups of one order are sub-communities of one community where the kind has them.
    online.sort(key=lambda k: (not k.allows_subcommunities, k.code))
    return online[0] if online else None


def _admin_role(kind: StructureKind) -> str | None:
    return next((r for r in ADMIN_ROLES if kind.allows_role(r)), None)


def _link(text: str) -> tuple[str, bool]:
    """The first link of the cell, made whole («www.», «vk.com/…» get «https://»), and whether the
    cell held something that is no link."""
    links = links_in(text)
    if not links:
        return "", bool(without_links(text))
    url = links[0]
    if not url.lower().startswith(("http://", "https://")):
        url = "https://" + url
    try:
        _url(url)
    except ValidationError:
        return "", True
    return url[:300], False


def _group_name(text: str) -> str:
    name = without_links(text.replace("\n", " "))
    name = " ".join(name.split())
    return name.replace(" /", "/").replace("/ ", "/").strip(" ,;")[:400]


def _common_prefix(names: list[str]) -> str:
    heads = {n.split("/", 1)[0].strip() for n in names if "/" in n}
    if len(heads) == 1 and len(names) > 1:
        return heads.pop()
    return ""


def build_proposal(
    *,
    parsed: ParsedOrder,
    region: Region,
    municipality: Municipality | None,
    host_id: int | None = None,
    order_import_id: int | None = None,
) -> dict:
    flags = Flags()
    notes: list[str] = []
    organisations = Organisations(region)
    kinds = _kinds()
    kinds_by_id = {k.pk: k for k in kinds}

    # The requisites.
    req = parsed.requisites
    issuer_id = organisations.issuer(req.issuer_text) if req.issuer_text else None
    requisites = {
        "kind": req.kind or Order.Kind.PRIKAZ,
        "number": req.number,
        "date": req.date.isoformat() if req.date else "",
        "title": req.title,
        "issuer_text": req.issuer_text,
        "issuer_id": issuer_id,
        "issuer_label": organisations.labels.get(issuer_id, ""),
    }
    for key, label in (("number", _("номер")), ("date", _("дата")), ("title", _("заголовок"))):
        if not requisites[key]:
            flags.add(
                _("В приказе не найдено поле «%(what)s»: впишите его ниже.") % {"what": label},
                column=_("Реквизиты"),
            )
    if req.issuer_text and issuer_id is None:
        flags.add(
            _("Издатель «%(text)s» не найден среди организаций региона: выберите его.")
            % {"text": req.issuer_text[:200]},
            column=_("Реквизиты"),
        )
    existing_order = None
    if issuer_id and req.number and req.date:
        existing_order = Order.objects.filter(
            issuer_id=issuer_id, number=req.number, date=req.date
        ).first()
    requisites["existing_order_id"] = existing_order.pk if existing_order else None
    requisites["existing_order_label"] = str(existing_order) if existing_order else ""
    if existing_order:
        notes.append(
            _(
                "Этот приказ уже есть в реестре приказов (%(order)s): новые структуры будут "
                "записаны с ним, уже созданные им — не создаются повторно."
            )
            % {"order": existing_order}
        )

    # The territory's structures, to find the ones that exist already.
    territory = covered_by(
        [Place(region.pk, municipality.pk if municipality else None)],
        region="region_id",
        municipality="municipality_id",
    )
    existing = defaultdict(list)
    names: dict[int, str] = {}
    for pk, name, kind_id, parent_id, order_id in Structure.objects.filter(
        territory, closed_on__isnull=True
    ).values_list("pk", "name", "kind_id", "parent_id", "founding_order_id"):
        existing[(kind_id, fold(name))].append((pk, parent_id, order_id))
        names[pk] = name

    if parsed.pdf_without_tables:
        notes.append(
            _(
                "Из PDF прочитаны только реквизиты: таблицы приложений распознаются в документе "
                "DOCX. Чтобы предложить структуры и людей, загрузите приказ в формате DOCX."
            )
        )
    readings = read_tables(parsed)
    known = [r for r in readings if r.kind]
    if not parsed.pdf_without_tables and not known:
        flags.add(
            _(
                "В документе нет таблицы, которую портал умеет читать: перечня групп (название, "
                "ссылка, категория участников, администраторы), состава рабочей группы (ФИО, "
                "должность, организация) или перечня пар (наставник, наставляемый). Структуры "
                "не предлагаются."
            )
            if readings
            else _(
                "В документе нет таблиц: перечня групп, состава рабочей группы или перечня пар. "
                "Структуры не предлагаются."
            ),
            column=_("Документ"),
        )

    people: dict[str, dict] = {}
    persons: list[Person] = []
    sections: list[dict] = []
    counter = {"s": 0, "p": 0}

    def person_entry(person: Person, *, role: str, table: int, line: int, column: str, **extra):
        counter["p"] += 1
        key = f"p{counter['p']}"
        persons.append(person)
        people[key] = {
            "name": person.name,
            "position": person.position,
            "phone": person.phone,
            "email": person.email,
            "role": role,
            "role_label": str(Role(role).label),
            "table": table,
            "line": line,
            "column": column,
            "organisation_text": extra.pop("organisation_text", ""),
            "organisation_id": None,
            "organisation_label": "",
            "user_id": None,
            "user_label": "",
            **extra,
        }
        return key

    for reading in known:
        for key in reading.missing:
            flags.add(
                _("В таблице нет столбца «%(column)s».") % {"column": _label(key)},
                table=reading.index,
                column=_label(key),
            )
        if reading.kind == GROUPS:
            sections.append(_groups(reading, kinds, existing, flags, counter, person_entry))
        elif reading.kind == PAIRS:
            sections.append(_pairs(reading, kinds, organisations, flags, counter, person_entry))
        else:
            sections.append(_working_group(reading, flags, person_entry))

    # Organisations and accounts of the people named.
    accounts = Accounts(persons)
    own = {pk for pk in (issuer_id, host_id) if pk}
    for key, person in zip(people, persons, strict=True):
        entry = people[key]
        if entry["organisation_text"]:
            found = organisations.find(entry["organisation_text"])
            entry["organisation_id"] = found
            entry["organisation_label"] = organisations.labels.get(found, "")
            if found is None:
                flags.add(
                    _("Организация «%(org)s» не найдена в реестре региона.")
                    % {"org": entry["organisation_text"][:200]},
                    table=entry["table"],
                    line=entry["line"],
                    column=entry["column"],
                )
        candidates = {entry["organisation_id"]} if entry["organisation_id"] else set(own)
        user, doubt = accounts.find(person, candidates)
        if user is not None:
            entry["user_id"] = user.pk
            entry["user_label"] = f"{user.full_name} <{user.email}>"
        elif doubt:
            flags.add(
                f"{person.name}: {doubt}.",
                table=entry["table"],
                line=entry["line"],
                column=entry["column"],
            )

    # Working groups go to a structure whose kind has the role: one this order founds, or one of
    # the territory's.
    targets = [
        (pk, names[pk])
        for (kind_id, _name), items in existing.items()
        if kinds_by_id.get(kind_id) and kinds_by_id[kind_id].allows_role(Role.WORKING_GROUP)
        for pk, _parent, _order in items
    ]
    for section in sections:
        if section["type"] == WORKING_GROUP:
            section["targets"] = sorted(targets, key=lambda t: t[1])

    structures = [s for section in sections for s in section.get("structures", [])]
    matched = sum(1 for p in people.values() if p["user_id"])
    return {
        "source": {
            "kind": parsed.kind,
            "tables": len(readings),
            "recognised": len(known),
            "lines": parsed.text_lines,
        },
        "requisites": requisites,
        "host_id": host_id,
        "host_label": organisations.labels.get(host_id, "") if host_id else "",
        "sections": sections,
        "people": people,
        "flags": flags.items,
        "notes": notes,
        "counts": {
            "structures": len([s for s in structures if not s["existing_id"]])
            + sum(1 for s in sections if s.get("parent") and not s["parent"]["existing_id"]),
            "people": len(people),
            "matched": matched,
            "unmatched": len(people) - matched,
            "flags": len(flags.items),
        },
        "generated_at": dt.datetime.now().isoformat(timespec="seconds"),
        "import_id": order_import_id,
    }


def _groups(reading: TableReading, kinds, existing, flags: Flags, counter, person_entry) -> dict:
    kind = _groups_kind(kinds)
    section = {
        "type": GROUPS,
        "table": reading.index,
        "caption": reading.caption[:300],
        "kind_id": kind.pk if kind else None,
        "kind_name": kind.name if kind else "",
        "role": "",
        "role_label": "",
        "parent": None,
        "structures": [],
    }
    if kind is None:
        flags.add(_("Нет вида структуры для групп на онлайн-площадке."), table=reading.index)
        return section
    role = _admin_role(kind)
    section["role"] = role or ""
    section["role_label"] = str(Role(role).label) if role else ""
    names_seen: dict[str, int] = {}
    name_column = reading.headers.get("name", _label("name"))
    link_column = reading.headers.get("link", name_column)
    for row in reading.rows:
        name = _group_name(row.values.get("name", ""))
        if not name:
            flags.add(
                _("Пустое название группы: строка пропущена."),
                table=reading.index,
                line=row.line,
                column=name_column,
            )
            continue
        folded = fold(name)
        if folded in names_seen:
            flags.add(
                _("Группа «%(name)s» уже есть в строке %(line)s: повтор не создаётся.")
                % {"name": name, "line": names_seen[folded]},
                table=reading.index,
                line=row.line,
                column=name_column,
            )
            continue
        names_seen[folded] = row.line
        url, not_a_link = _link(row.values.get("link", ""))
        if not_a_link and not url and "link" in reading.headers:
            text = without_links(row.values.get("link", ""))
            if reading.headers.get("link") != reading.headers.get("name"):
                flags.add(
                    _("«%(text)s» — не ссылка: группа будет создана без ссылки.")
                    % {"text": text[:100]},
                    table=reading.index,
                    line=row.line,
                    column=link_column,
                )
        if not url and "link" in reading.headers and not not_a_link:
            flags.add(
                _("Нет ссылки на страницу группы."),
                table=reading.index,
                line=row.line,
                column=link_column,
            )
        found = existing.get((kind.pk, folded), [])
        counter["s"] += 1
        structure = {
            "key": f"s{counter['s']}",
            "line": row.line,
            "number": row.number,
            "name": name,
            "url": url,
            "category": " ".join(row.values.get("category", "").split())[:500],
            "people": [],
            "existing_id": found[0][0] if found else None,
        }
        if found:
            flags.add(
                _("Структура «%(name)s» уже есть в территории: она не создаётся повторно.")
                % {"name": name},
                table=reading.index,
                line=row.line,
                column=name_column,
            )
        admins_text = row.values.get("admins", "")
        admins = people_in(admins_text)
        admins_column = reading.headers.get("admins", _label("admins"))
        if admins_text.strip() and not admins:
            flags.add(
                _("Не удалось выделить ФИО из «%(text)s».") % {"text": admins_text[:120]},
                table=reading.index,
                line=row.line,
                column=admins_column,
            )
        if role:
            for person in admins:
                structure["people"].append(
                    person_entry(
                        person,
                        role=role,
                        table=reading.index,
                        line=row.line,
                        column=admins_column,
                        structure=structure["key"],
                    )
                )
        section["structures"].append(structure)
    names = [s["name"] for s in section["structures"]]
    if kind.allows_subcommunities and len(names) > 1:
        parent_name = _common_prefix(names) or str(kind.name_plural)
        found = existing.get((kind.pk, fold(parent_name)), [])
        section["parent"] = {
            "name": parent_name,
            "existing_id": next((pk for pk, parent, _o in found if parent is None), None),
        }
    return section


def _pairs(reading: TableReading, kinds, organisations, flags: Flags, counter, person_entry):
    kind = next((k for k in kinds if k.is_pair), None)
    section = {
        "type": PAIRS,
        "table": reading.index,
        "caption": reading.caption[:300],
        "kind_id": kind.pk if kind else None,
        "kind_name": kind.name if kind else "",
        "parent": None,
        "structures": [],
    }
    if kind is None:
        flags.add(_("Нет вида структуры для пар."), table=reading.index)
        return section
    for row in reading.rows:
        sides = {}
        for side, role in (("mentor", Role.MENTOR), ("mentee", Role.MENTEE)):
            column = reading.headers.get(side, _label(side))
            text = row.values.get(side, "")
            found = people_in(text)
            if not found:
                flags.add(
                    _("Не указан %(side)s: пара не создаётся.") % {"side": _label(side).lower()}
                    if not text.strip()
                    else _("Не удалось выделить ФИО из «%(text)s»: пара не создаётся.")
                    % {"text": text[:120]},
                    table=reading.index,
                    line=row.line,
                    column=column,
                )
                break
            person = found[0]
            position = row.values.get(f"{side}_position", "")
            if position:
                person.position = position
            sides[side] = (person, role, column, row.values.get(f"{side}_organisation", ""))
        if len(sides) < 2:
            continue
        counter["s"] += 1
        key = f"s{counter['s']}"
        mentor, mentee = sides["mentor"][0], sides["mentee"][0]
        mentor_org = organisations.find(sides["mentor"][3]) if sides["mentor"][3] else None
        structure = {
            "key": key,
            "line": row.line,
            "number": row.number,
            "name": f"{kind.name}: {mentor.name} — {mentee.name}"[:400],
            "url": "",
            "category": "",
            "host_id": mentor_org,
            "people": [],
            "existing_id": None,
        }
        for person, role, column, organisation_text in sides.values():
            structure["people"].append(
                person_entry(
                    person,
                    role=role,
                    table=reading.index,
                    line=row.line,
                    column=column,
                    structure=key,
                    organisation_text=organisation_text,
                )
            )
        curator_text = row.values.get("curator", "")
        if curator_text and kind.allows_role(Role.CURATOR):
            for person in people_in(curator_text):
                structure["people"].append(
                    person_entry(
                        person,
                        role=Role.CURATOR,
                        table=reading.index,
                        line=row.line,
                        column=reading.headers.get("curator", ""),
                        structure=key,
                    )
                )
        section["structures"].append(structure)
    return section


def _working_group(reading: TableReading, flags: Flags, person_entry) -> dict:
    section = {
        "type": WORKING_GROUP,
        "table": reading.index,
        "caption": reading.caption[:300],
        "people": [],
        "targets": [],
    }
    column = reading.headers.get("fio", _label("fio"))
    for row in reading.rows:
        text = row.values.get("fio", "")
        found = people_in(text)
        if not found:
            flags.add(
                _("Пустое ФИО: строка пропущена.")
                if not text.strip()
                else _("Не удалось выделить ФИО из «%(text)s».") % {"text": text[:120]},
                table=reading.index,
                line=row.line,
                column=column,
            )
            continue
        person = found[0]
        person.position = row.values.get("position", "") or person.position
        section["people"].append(
            person_entry(
                person,
                role=Role.WORKING_GROUP,
                table=reading.index,
                line=row.line,
                column=column,
                structure=None,
                organisation_text=row.values.get("organisation", ""),
            )
        )
    return section


def parse_iso(value: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        return None
