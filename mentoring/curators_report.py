"""The curators' year-end report on the network pairs of a programme (001 appendix 3, p. 5.3–5.4):
one DOCX per programme and school year, covering every pair of the programme that worked in that
year — mentee's and mentor's organisations, the curators, the mentee's deficits and the mentor's
strengths, the contacts held (count, last date), the questionnaire rounds answered, the pair's state,
and the curator's conclusions from what the portal recorded about the pair in that year (the
pair's own reports of the year, which the reporting app registers here; the results and the next
step written in its contacts; a request for a new mentor; its closure); a pair with nothing
recorded keeps lines to fill in by hand. The programme's conclusions name the pairs that need a
new mentor or have had no contact for their region's limit, or keep lines too.

Rendered like the minutes, plans and reports (documents.rendering): the region's own template of
kind CURATORS_REPORT when it has one, else the shipped default; documents/samples.py has the same
shape of data. The data is read in a fixed number of queries, whatever the number of pairs.

Who downloads it: the coordinators and methodists of a territory that covers the programme (they
read its register, networks.orders), and the curators of the programme's pairs. A member of one of
the programme's structures without that right (a mentor, a mentee) gets 403; anybody else 404.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Max, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from documents import rendering
from documents.formatting import file_name, ru_date, signature_name
from documents.models import DocumentKind
from networks.models import Membership, Programme, Role, Structure, User
from networks.orders.permissions import programmes_read
from networks.schoolyear import SchoolYear

from .models import Competence, Contact, Response
from .selectors.pairs import DEFAULT_SETTINGS, is_dormant, settings_by_region

__all__ = [
    "CuratorsReport",
    "curators_report",
    "programme_for_curators_report",
    "register_conclusions",
    "report_pairs",
]

# 001 appendix 3, p. 5.4: «Кураторы предоставляют отчёты о деятельности сетевых пар руководителей».
BASIS = "приказ от 16.09.2020 № 83-а, приложение 3, п. 5.3–5.4"
RECIPIENT = "Рабочая группа по реализации программы"
SIDES = (Role.MENTEE, Role.MENTOR, Role.CURATOR)

# What the apps above mentoring keep about a pair (reporting: the pair's own reports of the year)
# and mentoring may not import (docs/CONVENTIONS.md, «Imports point down»): each registers a source
# that gives, in one query for all the report's pairs, the lines of the curator's conclusions per
# pair id.
ConclusionSource = Callable[[list[int], SchoolYear], dict[int, list[str]]]
_conclusion_sources: list[ConclusionSource] = []


def register_conclusions(source: ConclusionSource) -> None:
    if source not in _conclusion_sources:
        _conclusion_sources.append(source)


# --- Who may download it ---------------------------------------------------------------------------


def _curates_in(user: User, programme: Programme) -> bool:
    return Membership.objects.filter(
        user=user,
        role=Role.CURATOR,
        structure__programme=programme,
        structure__kind__is_pair=True,
    ).exists()


def default_year(programme) -> SchoolYear:
    """The school year a coordinator means: this one, or the programme's last when it ended."""
    today = timezone.localdate()
    if programme.ends_on and programme.ends_on < today:
        return SchoolYear.of(programme.ends_on)
    return SchoolYear.of(today)


def programme_for_curators_report(user: User, pk: int) -> Programme:
    """The programme if the person may download its curators' report; 404 to those who do not
    know it (neither read the territory's programmes nor work in any of its structures), 403 to
    a member of its structures who is not a curator of its pairs."""
    queryset = Programme.objects.select_related("owner", "region", "municipality")
    programme = queryset.filter(pk=pk).first()
    if programme is None or not (user.is_authenticated and user.is_active):
        raise Http404
    if user.is_superuser or programmes_read(user).filter(pk=pk).exists():
        return programme
    if _curates_in(user, programme):
        return programme
    if Membership.objects.filter(user=user, structure__programme=programme).exists():
        raise PermissionDenied
    raise Http404


# --- What it says ------------------------------------------------------------------------------------


def report_pairs(programme: Programme, year: SchoolYear) -> QuerySet[Structure]:
    """The programme's pairs that worked at some point of the school year, with their contacts of
    that year (count, last date) and their mentee, mentor and curators of that year."""
    in_year = Q(pair_contacts__date__gte=year.first_day, pair_contacts__date__lte=year.last_day)
    people = (
        Membership.objects.during(year)
        .filter(role__in=SIDES)
        .select_related("user__organisation")
        .order_by("since", "pk")
    )
    return (
        Structure.objects.filter(programme=programme, kind__is_pair=True)
        .active_in(year)
        .select_related("pair_state")
        .annotate(
            contacts_in_year=Count("pair_contacts", filter=in_year),
            last_contact=Max("pair_contacts__date", filter=in_year),
        )
        .prefetch_related(Prefetch("memberships", queryset=people, to_attr="people"))
        .order_by("name", "pk")
    )


def _person(user: User | None) -> str:
    if user is None or user.anonymised_at is not None:
        return ""
    return signature_name(user)


def _organisation(user: User | None) -> str:
    if user is None or user.organisation_id is None:
        return ""
    return user.organisation.full_name


def _state(pair: Structure, dormant: bool, year: SchoolYear) -> str:
    if pair.closed_on is not None and pair.closed_on <= year.last_day:
        return _("закрыта")
    return _("без контактов") if dormant else _("действует")


def _topics(competences: list[Competence], user: User | None, side: str) -> list[str]:
    if user is None:
        return []
    return [c.topic.name for c in competences if c.user_id == user.pk and c.side == side]


def _rounds(responses: list[Response], pair_id: int) -> list[str]:
    """«Декабрь: наставник, наставляемый», one line per round the pair answered, in its order."""
    sides: dict[str, list[str]] = {}
    for response in responses:
        if response.pair_id == pair_id:
            sides.setdefault(response.round.title, []).append(
                str(response.get_side_display()).lower()
            )
    return [f"{title}: {', '.join(names)}" for title, names in sides.items()]


def _sentence(text: str) -> str:
    text = text.strip().rstrip(".;")
    return f"{text}." if text else ""


def _contacts_by_pair(pair_ids: list[int], year: SchoolYear) -> dict[int, list[Contact]]:
    """The year's contacts that recorded a result or a next step, oldest first, per pair."""
    contacts: dict[int, list[Contact]] = {}
    if not pair_ids:
        return contacts
    rows = (
        Contact.objects.filter(
            pair_id__in=pair_ids, date__gte=year.first_day, date__lte=year.last_day
        )
        .exclude(outcome="", next_step="")
        .only("pair_id", "date", "outcome", "next_step")
        .order_by("date", "pk")
    )
    for contact in rows:
        contacts.setdefault(contact.pair_id, []).append(contact)
    return contacts


def _rematch_in(pair: Structure, year: SchoolYear) -> bool:
    """The pair was flagged for a new mentor (a mentee's questionnaire answer) by the year's end."""
    state = getattr(pair, "pair_state", None)
    if state is None or not state.needs_rematch:
        return False
    return state.flagged_at is None or timezone.localtime(state.flagged_at).date() <= year.last_day


def _recorded(pair: Structure, year: SchoolYear, contacts: list[Contact]) -> list[str]:
    """The conclusions mentoring itself recorded about the pair in the year: the results of its
    contacts, the next step agreed at its last contact (an open pair), a request for a new mentor,
    the closure."""
    lines = []
    results = [
        f"{ru_date(c.date)} — {c.outcome.strip().rstrip('.;')}"
        for c in contacts
        if c.outcome.strip()
    ]
    if results:
        lines.append(_("Результаты контактов: %(results)s.") % {"results": "; ".join(results)})
    closed = pair.closed_on is not None and pair.closed_on <= year.last_day
    # The next step agreed at the pair's last contact of the year; an earlier one was overtaken.
    last = contacts[-1] if contacts else None
    if last and last.date == pair.last_contact and last.next_step.strip() and not closed:
        lines.append(
            _("Следующий шаг (контакт %(date)s): %(step)s")
            % {"date": ru_date(last.date), "step": _sentence(last.next_step)}
        )
    if _rematch_in(pair, year):
        reason = pair.pair_state.rematch_reason.strip()
        lines.append(
            _("Нужен новый наставник: %(reason)s") % {"reason": reason}
            if reason
            else _("Нужен новый наставник.")
        )
    if closed:
        lines.append(
            _("Пара закрыта %(date)s, основание: %(reason)s.")
            % {"date": ru_date(pair.closed_on), "reason": pair.get_closing_reason_display()}
        )
    return lines


def _pair_row(position, pair, year, *, limits, today, competences, responses, conclusions) -> dict:
    people: dict[str, list[User]] = {}
    for membership in pair.people:
        people.setdefault(membership.role, []).append(membership.user)
    mentee = (people.get(Role.MENTEE) or [None])[-1]  # the latest of each side in the year
    mentor = (people.get(Role.MENTOR) or [None])[-1]
    days = limits.get(pair.region_id, DEFAULT_SETTINGS).dormant_after_days
    dormant = is_dormant(pair, pair.last_contact, days, today)
    curators = list(dict.fromkeys(filter(None, map(_person, people.get(Role.CURATOR, [])))))
    return {
        "position": position,
        "name": pair.name,
        "mentee": _person(mentee),
        "mentee_organisation": _organisation(mentee),
        "mentor": _person(mentor),
        "mentor_organisation": _organisation(mentor),
        "curators": ", ".join(curators),
        "deficits": _topics(competences, mentee, Competence.Side.DEFICIT),
        "strengths": _topics(competences, mentor, Competence.Side.STRENGTH),
        "contacts": pair.contacts_in_year,
        "last_contact": ru_date(pair.last_contact),
        "rounds": _rounds(responses, pair.pk),
        "state": _state(pair, dormant, year),
        # One paragraph per line in any template (rendering.NEW_PARAGRAPH); empty when nothing
        # was recorded, and the template keeps lines to fill in.
        "conclusions": rendering.NEW_PARAGRAPH.join(conclusions),
        "_dormant": dormant,
        "_needs_rematch": _rematch_in(pair, year),
        "_curator_users": people.get(Role.CURATOR, []),
    }


@dataclass
class CuratorsReport:
    programme: Programme
    year: SchoolYear
    context: dict
    title: str
    author: str

    @property
    def filename(self) -> str:
        """«Отчёт кураторов за 2020-2021 — Муниципальная программа … — 06.12.2026.docx»,
        under 100 characters."""
        return file_name(
            f"Отчёт кураторов за {self.year.start}-{self.year.start + 1}",
            self.programme.title,
            self.context["date"],
            separator=" — ",
        )

    def render(self) -> bytes:
        return rendering.render(
            DocumentKind.CURATORS_REPORT,
            region_id=self.programme.region_id,
            context=self.context,
            title=self.title,
            author=self.author,
        )


def _programme_conclusions(rows: list[dict]) -> list[str]:
    """What the programme's pairs recorded that asks for a decision: a new mentor, work resumed."""
    lines = []
    open_rows = [r for r in rows if r["state"] != _("закрыта")]
    rematch = [r["name"] for r in open_rows if r["_needs_rematch"]]
    if rematch:
        lines.append(_("Нужен новый наставник: %(pairs)s.") % {"pairs": "; ".join(rematch)})
    dormant = [r["name"] for r in open_rows if r["_dormant"]]
    if dormant:
        lines.append(
            _("Нет контактов дольше установленного срока: %(pairs)s.")
            % {"pairs": "; ".join(dormant)}
        )
    return lines


def curators_report(programme: Programme, year: SchoolYear) -> CuratorsReport:
    """The report's data in a fixed number of queries for any number of pairs (pairs with their
    states, their people, the regions' limits, the stated deficits and strengths, the answered
    questionnaires, the contacts' results, one per registered source of conclusions)."""
    today = min(timezone.localdate(), year.last_day)
    pairs = list(report_pairs(programme, year))
    limits = settings_by_region() if pairs else {}
    users = {m.user_id for p in pairs for m in p.people if m.role in (Role.MENTEE, Role.MENTOR)}
    competences = (
        list(Competence.objects.filter(user_id__in=users).select_related("topic").order_by("pk"))
        if users
        else []
    )
    responses = (
        list(
            Response.objects.filter(
                pair_id__in=[p.pk for p in pairs],
                round__school_year=year.start,
                submitted_at__isnull=False,
            )
            .select_related("round")
            .order_by("round__opens_on", "round_id", "side")
        )
        if pairs
        else []
    )
    pair_ids = [p.pk for p in pairs]
    contacts = _contacts_by_pair(pair_ids, year)
    sources = [source(pair_ids, year) for source in _conclusion_sources] if pairs else []
    rows = [
        _pair_row(
            n,
            pair,
            year,
            limits=limits,
            today=today,
            competences=competences,
            responses=responses,
            conclusions=[
                *(line for found in sources for line in found.get(pair.pk, [])),
                *_recorded(pair, year, contacts.get(pair.pk, [])),
            ],
        )
        for n, pair in enumerate(pairs, start=1)
    ]
    programme_conclusions = _programme_conclusions(rows)
    curators: dict[int, str] = {}
    for row in rows:
        for user in row.pop("_curator_users"):
            name = _person(user)
            if name:
                curators.setdefault(user.pk, name)
    for row in rows:
        row.pop("_needs_rematch")
    dormant = sum(1 for r in rows if r.pop("_dormant") and r["state"] != _("закрыта"))
    closed = sum(1 for r in rows if r["state"] == _("закрыта"))
    organisation = programme.owner.full_name if programme.owner_id else str(programme.region)
    title = _("Отчёт кураторов о деятельности сетевых пар руководителей")
    context = {
        "organisation": organisation,
        "territory": ", ".join(
            str(p) for p in (programme.region, programme.municipality) if p is not None
        ),
        "document_type": _("ОТЧЁТ КУРАТОРОВ О ДЕЯТЕЛЬНОСТИ СЕТЕВЫХ ПАР РУКОВОДИТЕЛЕЙ"),
        "title": str(title),
        "programme": programme.title,
        "year": year.label,
        "date": ru_date(timezone.localdate()),
        "number": "",
        "place": str(programme.municipality or programme.region),
        "recipient": RECIPIENT,
        "basis": BASIS,
        "summary": {
            "pairs": len(rows),
            "active": len(rows) - dormant - closed,
            "dormant": dormant,
            "closed": closed,
            "contacts": sum(r["contacts"] for r in rows),
            "responses": len(responses),
        },
        "pairs": rows,
        "conclusions": rendering.NEW_PARAGRAPH.join(programme_conclusions),
        # A signature line at least: a report without a recorded curator is signed by hand.
        "curators": [{"post": _("Куратор"), "name": name} for name in curators.values()]
        or [{"post": _("Куратор"), "name": ""}],
    }
    return CuratorsReport(programme, year, context, str(title), organisation)
