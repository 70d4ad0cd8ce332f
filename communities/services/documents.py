"""Minutes and plans as documents an education authority files (issue 18): the data gathered here
once, the layout in the DOCX template of the structure's region (documents.rendering): the region's
own when it uploaded one, else the shipped default after ГОСТ Р 7.0.97-2016."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from documents import rendering
from documents.formatting import file_name, ru_date, signature_name
from documents.models import DocumentKind
from networks.models import LEAD_ROLES, Membership, Structure

from ..models import Minutes, Plan, PlanStep

__all__ = ["MinutesDocx", "PlanDocx"]

# Above this many people the list of those present goes to an annex (ГОСТ Р 7.0.97-2016,
# п. 5.19: «…при большом количестве присутствующих их список прилагается к протоколу»).
ANNEX_ABOVE = 15


def _place(structure: Structure) -> str:
    host = structure.host
    municipality = structure.municipality or getattr(host, "municipality", None)
    return municipality.name if municipality else structure.region.name


def _lead(structure: Structure, on) -> object | None:
    membership = (
        Membership.objects.filter(structure=structure, role__in=LEAD_ROLES)
        .filter(since__lte=on)
        .exclude(until__lt=on)
        .select_related("user")
        .order_by("-since")
        .first()
    )
    return membership.user if membership else None


def _public(person) -> bool:
    return person is not None and person.anonymised_at is None


def _post(user) -> str:
    """«Директор, МБОУ «Школа № 1»»: the person's post and organisation, as in a signature."""
    if user is None:
        return ""
    organisation = user.organisation
    where = (organisation.short_name or organisation.full_name) if organisation else ""
    return ", ".join(p for p in (user.position, where) if p)


class MinutesDocx:
    """Minutes (ГОСТ Р 7.0.97-2016, п. 5.19; the form of the orders): the organisation, «ПРОТОКОЛ»,
    date and number, place, the chair and the secretary, those present (count and list, the list
    as annex 1 above 15 people), the agenda, per question СЛУШАЛИ / ВЫСТУПИЛИ / РЕШИЛИ with the
    decisions' owners and due dates, and the signatures as «И.О. Фамилия»."""

    identifier = "minutes-docx"
    title = gettext_lazy("Протокол (DOCX)")

    def __init__(
        self,
        minutes: Minutes,
        attendees: Sequence[str],
        guests: Sequence[str],
        *,
        shows: Callable[[object], bool] = _public,
    ):
        self.minutes = minutes
        self.attendees = list(attendees)
        self.guests = list(guests)
        self.shows = shows  # whose names the viewer may see (networks.permissions.can_see_name)

    def filename(self) -> str:
        m = self.minutes
        version = f"версия_{m.version}" if m.version > 1 else ""
        return file_name(
            _("Протокол"),
            f"№_{m.number}",
            m.event.structure.name,
            f"от_{m.date:%d.%m.%Y}",
            version,
        )

    def _chair_and_secretary(self):
        m = self.minutes
        chair = m.signed_by if m.is_signed and m.signed_by_id else None
        chair = chair or _lead(m.event.structure, m.date)
        # The secretary is who kept the record; a chair who wrote it alone leaves the line blank.
        secretary = (
            m.created_by
            if m.created_by_id and m.created_by_id != getattr(chair, "pk", None)
            else None
        )
        return chair, secretary

    def _decisions(self) -> dict[int | None, list[dict]]:
        """The decisions listed with this version by the position of their question: those it
        took and those earlier versions took (a correction carries them; its questions are new
        rows, so the position matches them, not the row)."""
        # Imported here: the decisions' selectors read the services package this module is in.
        from ..selectors.decisions import minutes_decisions

        rows = defaultdict(list)
        for decision in minutes_decisions(self.minutes):
            owner = signature_name(decision.owner) if self.shows(decision.owner) else ""
            if not owner and decision.owner_organisation_id:
                organisation = decision.owner_organisation
                owner = organisation.short_name or organisation.full_name
            rows[decision.item.position if decision.item_id else None].append(
                {
                    "text": decision.text,
                    "owner": owner,
                    "due": ru_date(decision.due_on),
                    "done": decision.status == decision.Status.DONE,
                }
            )
        return rows

    def context(self) -> dict:
        m, event = self.minutes, self.minutes.event
        structure = event.structure
        chair, secretary = self._chair_and_secretary()
        decisions = self._decisions()
        items = []
        for item in m.items.all():
            items.append(
                {
                    "position": item.position,
                    "question": item.question,
                    "spoke": item.speakers,
                    "decision": item.decision,
                    "recommendations": item.recommendations,
                    "decisions": decisions.get(item.position, []),
                }
            )
        # Decisions recorded without a question follow the last one.
        if items and decisions.get(None):
            items[-1]["decisions"] = items[-1]["decisions"] + decisions[None]
        count = m.attendee_count if m.is_signed and m.attendee_count else None
        count = count or len(self.attendees) + len(self.guests)
        blank = "____________"
        return {
            "organisation": structure.host.full_name,
            "structure": structure.name,
            "document_type": _("ПРОТОКОЛ"),
            "title": event.title,
            "date": ru_date(m.date),
            "number": m.number,
            "place": _place(structure),
            "draft": not m.is_signed,
            "version": m.version,
            "correction": m.correction_reason if m.version > 1 else "",
            "chair": (signature_name(chair) if self.shows(chair) else "") or blank,
            "secretary": (signature_name(secretary) if self.shows(secretary) else "") or blank,
            "attendee_count": count,
            "attendees": self.attendees,
            "guests": self.guests,
            "annex": len(self.attendees) + len(self.guests) > ANNEX_ABOVE,
            "items": items,
            "attachments": [a.original_name for a in m.attachments.all()],
        }

    def render(self) -> tuple[str, str, bytes]:
        m, structure = self.minutes, self.minutes.event.structure
        content = rendering.render(
            DocumentKind.MINUTES,
            region_id=structure.region_id,
            context=self.context(),
            title=_("Протокол № %(n)s от %(d)s — %(s)s")
            % {"n": m.number, "d": ru_date(m.date), "s": structure.name},
            author=structure.host.full_name,
        )
        return self.filename(), rendering.DOCX_CONTENT_TYPE, content


class PlanDocx:
    """A plan for signature: «УТВЕРЖДАЮ» from its approval step (post, name, date; blank lines to
    sign by hand while it is not approved), «СОГЛАСОВАНО» from each agreement step, and the items
    as a table whose header repeats on every page."""

    identifier = "plan-docx"
    title = gettext_lazy("План (DOCX)")

    def __init__(self, plan: Plan, *, shows: Callable[[object], bool] = _public):
        self.plan = plan
        self.shows = shows  # whose names the viewer may see (networks.permissions.can_see_name)

    def filename(self) -> str:
        """«План_ММО_математиков_2020-2021_от_01.09.2020.docx»: the kind and its year, the
        structure, the date of approval (of the download while the plan is a draft, which has
        no date of its own), under 100 characters."""
        p = self.plan
        approval = (
            p.steps.filter(action=PlanStep.Action.APPROVE).order_by("-at", "-pk").first()
            if p.status == Plan.Status.APPROVED
            else None
        )
        on = timezone.localtime(approval.at).date() if approval else timezone.localdate()
        return file_name(
            _("План"),
            p.structure.name,
            p.school_year_label.replace("/", "-"),
            f"от_{on:%d.%m.%Y}",
            f"версия_{p.version}" if p.version > 1 else "",
        )

    def _step(self, step: PlanStep) -> dict:
        return {
            "post": _post(step.by),
            "name": signature_name(step.by) if self.shows(step.by) else "",
            "date": ru_date(timezone.localtime(step.at)),
        }

    def context(self) -> dict:
        plan = self.plan
        structure = plan.structure
        steps = list(plan.steps.select_related("by__organisation").order_by("at", "pk"))
        # Only the steps of the plan's last way: a return starts the way again.
        last_return = max(
            (i for i, s in enumerate(steps) if s.action == PlanStep.Action.RETURN), default=-1
        )
        steps = steps[last_return + 1 :]
        approval = next((s for s in steps if s.action == PlanStep.Action.APPROVE), None)
        agreements = [self._step(s) for s in steps if s.action == PlanStep.Action.AGREE]
        items = []
        for item in plan.items.order_by("position", "pk"):
            when = ru_date(item.date) if item.date else _month(item.month)
            items.append(
                {
                    "position": item.position,
                    "title": item.title,
                    "form": item.get_form_display(),
                    "when": when,
                    "responsible": item.responsible,
                    "audience": item.audience,
                    "result": item.expected_result,
                    "done": item.done,
                }
            )
        approved = plan.status == Plan.Status.APPROVED and approval is not None
        return {
            "organisation": structure.host.full_name,
            "structure": structure.name,
            "document_type": _("ПЛАН"),
            "title": _("работы на %(y)s учебный год") % {"y": plan.school_year_label},
            "year": plan.school_year_label,
            "date": ru_date(timezone.localtime(approval.at)) if approved else "",
            "number": "",
            "place": _place(structure),
            "status": "" if approved else _("Проект: план не утверждён"),
            "approval": self._step(approval) if approved else None,
            "agreements": agreements,
            "items": items,
        }

    def render(self) -> tuple[str, str, bytes]:
        plan, structure = self.plan, self.plan.structure
        content = rendering.render(
            DocumentKind.PLAN,
            region_id=structure.region_id,
            context=self.context(),
            title=_("План работы на %(y)s учебный год — %(s)s")
            % {"y": plan.school_year_label, "s": structure.name},
            author=structure.host.full_name,
        )
        return self.filename(), rendering.DOCX_CONTENT_TYPE, content


_MONTHS = [
    "",
    "январь",
    "февраль",
    "март",
    "апрель",
    "май",
    "июнь",
    "июль",
    "август",
    "сентябрь",
    "октябрь",
    "ноябрь",
    "декабрь",
]


def _month(month: int | None) -> str:
    return _MONTHS[month] if month else ""
