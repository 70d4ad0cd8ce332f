"""The writes of `make bench` (issue 19): while the pages are measured, people of the readers' own
regions write at a set rate, through the portal's services, to the tables the measured pages read.
Each write is committed (the pages must see it) and recorded, and `undo()` removes what was added
at the end of the run:

- attendance marked: services.attendance_mark on a held meeting of a reader's structure whose
  minutes are not signed, with the same people present as before (the rows are rewritten, the
  marks stay as they were);
- minutes filed: services.minutes_create, a draft for a held meeting that has none (deleted at the
  end with its questions and history rows);
- a join request: services.join_request_file by a reader to an open structure of their region
  (deleted at the end with its history rows);
- a member added: networks.services.membership_add of a reader to another open structure of
  their region (deleted at the end with its history rows). Every membership written makes the
  territories' structures kept in the shared cache («Структуры моей территории», networks.home)
  count again;
- a pair contact: services.contact_log in a reader's pair (deleted at the end);
- a sign-in: last_login of a reader set as django.contrib.auth does (put back at the end);
- a report's draft saved: reporting.reports.services.report_save on a draft of a structure of
  the readers' regions, with the text it had (its `updated_at` put back at the end). Every save
  of a report makes the territories' deadline figures kept in the shared cache count again
  (reporting.summaries.nearest): the bench measures the homes with that cache emptied as often
  as reports are written.

After the removal, the figures the services keep per structure (reporting.counters) are recounted
for the structures written to, so the database is left as it was.

Writes that a service refuses (the data changed under it) are counted as refused, not retried.
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
import random
import re
import threading
import time
from collections import Counter
from dataclasses import dataclass, field

KINDS = ["attendance", "minutes", "join", "contact", "login", "report", "member"]


@dataclass
class Done:
    seconds: float = 0.0
    writes: Counter = field(default_factory=Counter)
    refused: Counter = field(default_factory=Counter)
    failed: Counter = field(default_factory=Counter)
    last_error: str = ""

    @property
    def total(self) -> int:
        return sum(self.writes.values())

    @property
    def per_second(self) -> float:
        return self.total / self.seconds if self.seconds else 0.0


class Writer:
    def __init__(self, people, seed: int = 19) -> None:
        from django.db.models import Exists, OuterRef, Q

        from communities.models import Event, Minutes
        from networks.models import Membership, Structure

        self.rng = random.Random(seed)
        self.lock = threading.Lock()
        self.created: dict[str, list[int]] = {
            "minutes": [],
            "join": [],
            "contact": [],
            "member": [],
        }
        # (structure, date) of every write: the counters kept by services are refreshed for them
        # once the writes are removed.
        self.touched: set[tuple[int, dt.date]] = set()
        self.logins: dict[int, object] = {}
        self.user_ids = [p.user_id for p in people]
        regions = {p.region_id for p in people if p.region_id}
        structures, pairs, events = set(), set(), set()
        for person in people:
            for kind, pages in person.pages.items():
                for url, _floor in pages:
                    ids = [int(x) for x in re.findall(r"/(\d+)/", url)]
                    if kind in ("structure", "plan", "meeting", "minutes"):
                        structures.add(ids[0])
                    if kind == "pair":
                        pairs.add(ids[0])
                    if kind == "meeting":
                        events.add(ids[1])
        signed = Minutes.objects.filter(event=OuterRef("pk"), status=Minutes.Status.SIGNED)
        held = Event.objects.filter(status=Event.Status.HELD).exclude(Exists(signed))
        # Attendance: the meetings people open first, then other held meetings of their structures.
        self.attendance = list(
            held.filter(Q(pk__in=events) | Q(structure_id__in=structures))
            .filter(attendance__isnull=False)
            .values_list("pk", flat=True)
            .distinct()[:500]
        )
        # Minutes: held meetings without any, in the readers' structures, then their regions.
        without = held.exclude(Exists(Minutes.objects.filter(event=OuterRef("pk"))))
        self.minutes = list(
            without.filter(structure_id__in=structures).values_list("pk", flat=True)[:1000]
        )
        if len(self.minutes) < 1000:
            self.minutes += list(
                without.filter(structure__region_id__in=regions, structure__closed_on__isnull=True)
                .exclude(pk__in=self.minutes)
                .values_list("pk", flat=True)[: 1000 - len(self.minutes)]
            )
        self.rng.shuffle(self.minutes)
        # Join requests: readers to open structures of their region they are not in.
        self.joins: list[tuple[int, int]] = []
        for person in people:
            if not person.region_id:
                continue
            member_of = Membership.objects.filter(user_id=person.user_id).values("structure_id")
            open_ids = list(
                Structure.objects.filter(
                    region_id=person.region_id,
                    kind__open_membership=True,
                    closed_on__isnull=True,
                )
                .exclude(pk__in=member_of)
                .values_list("pk", flat=True)[:50]
            )
            for pk in self.rng.sample(open_ids, min(len(open_ids), 5)):
                self.joins.append((pk, person.user_id))
        self.rng.shuffle(self.joins)
        # Members: half of those, each (structure, person) written once, joins or members.
        self.members = self.joins[::2]
        self.joins = self.joins[1::2]
        # Contacts: the readers' pairs, each logged by one of its current members.
        self.pairs = list(
            Membership.objects.filter(
                structure_id__in=pairs,
                until__isnull=True,
                structure__closed_on__isnull=True,
                role__in=["mentor", "mentee", "curator"],
            ).values_list("structure_id", "user_id")
        )
        # Reports: drafts of structures in the readers' regions.
        from reporting.models import Report

        self.reports = list(
            Report.objects.filter(
                status=Report.Status.DRAFT, structure__region_id__in=regions
            ).values_list("pk", flat=True)[:500]
        )
        self.report_saved: dict[int, object] = {}
        self.cycle = itertools.cycle(KINDS)

    def sizes(self) -> dict[str, int]:
        return {
            "attendance": len(self.attendance),
            "minutes": len(self.minutes),
            "join": len(self.joins),
            "member": len(self.members),
            "contact": len(self.pairs),
            "login": len(self.user_ids),
            "report": len(self.reports),
        }

    # --- One write of each kind --------------------------------------------------------------

    def _attendance(self) -> None:
        from communities import services
        from communities.models import Event

        event = Event.objects.get(pk=self.rng.choice(self.attendance))
        present = list(event.attendance.filter(attended=True).values_list("pk", flat=True))
        by = event.structure.memberships.filter(until__isnull=True).first()
        services.attendance_mark(event=event, by=by.user if by else None, present=present)

    def _minutes(self) -> None:
        from communities import services
        from communities.models import Event
        from communities.services.events import MinutesQuestion

        with self.lock:
            if not self.minutes:
                raise LookupError
            pk = self.minutes.pop()
        event = Event.objects.select_related("structure").get(pk=pk)
        by = event.structure.memberships.filter(until__isnull=True).first()
        minutes = services.minutes_create(
            event=event,
            by=by.user if by else None,
            number=services.next_minutes_number(event),
            questions=[MinutesQuestion("Замер нагрузки", "Принять к сведению")],
        )
        self.created["minutes"].append(minutes.pk)
        self.touched.add((event.structure_id, minutes.date))

    def _join(self) -> None:
        from communities.services.membership import join_request_file
        from networks.models import Structure, User

        with self.lock:
            if not self.joins:
                raise LookupError
            structure_id, user_id = self.joins.pop()
        request = join_request_file(
            structure=Structure.objects.select_related("kind").get(pk=structure_id),
            user=User.objects.get(pk=user_id),
            reason="Замер нагрузки",
        )
        self.created["join"].append(request.pk)
        self.touched.add((structure_id, dt.date.today()))

    def _member(self) -> None:
        from networks import services
        from networks.models import Role, Structure, User

        with self.lock:
            if not self.members:
                raise LookupError
            structure_id, user_id = self.members.pop()
        membership = services.membership_add(
            structure=Structure.objects.select_related("kind").get(pk=structure_id),
            user=User.objects.get(pk=user_id),
            role=Role.MEMBER,
        )
        self.created["member"].append(membership.pk)
        self.touched.add((structure_id, membership.since))

    def _contact(self) -> None:
        from mentoring.models import Channel, ContactForm
        from mentoring.services.pairs import contact_log
        from networks.models import Structure, User

        if not self.pairs:
            raise LookupError
        pair_id, user_id = self.rng.choice(self.pairs)
        contact = contact_log(
            pair=Structure.objects.select_related("kind").get(pk=pair_id),
            date=dt.date.today(),
            form=ContactForm.CONSULTING,
            channel=Channel.PHONE,
            topic="Замер нагрузки",
            by=User.objects.get(pk=user_id),
        )
        self.created["contact"].append(contact.pk)
        self.touched.add((pair_id, contact.date))

    def _login(self) -> None:
        from django.contrib.auth.models import update_last_login

        from networks.models import User

        user = User.objects.get(pk=self.rng.choice(self.user_ids))
        with self.lock:
            self.logins.setdefault(user.pk, user.last_login)
        update_last_login(None, user)

    def _report(self) -> None:
        from networks.models import User
        from reporting.models import Report
        from reporting.reports.services import NARRATIVE_FIELDS, report_save

        if not self.reports:
            raise LookupError
        report = Report.objects.get(pk=self.rng.choice(self.reports))
        with self.lock:
            self.report_saved.setdefault(report.pk, report.updated_at)
        by = report.author or User.objects.get(pk=self.rng.choice(self.user_ids))
        report_save(
            report=report, by=by, narrative={f: getattr(report, f) for f in NARRATIVE_FIELDS}
        )

    def write_one(self, done: Done) -> None:
        from django.core.exceptions import ValidationError
        from django.db import transaction

        with self.lock:
            kind = next(self.cycle)
        try:
            with transaction.atomic():
                getattr(self, f"_{kind}")()
        except (ValidationError, LookupError):
            with self.lock:
                done.refused[kind] += 1
        except Exception as error:  # a failed write must not stop the others; it is shown
            with self.lock:
                done.failed[kind] += 1
                done.last_error = f"{kind}: {error!r}"[:300]
        else:
            with self.lock:
                done.writes[kind] += 1

    # --- A run ---------------------------------------------------------------------------------

    def run(self, rate: float):
        """A context manager: writes `rate` a second in a thread until the block ends."""
        return _Running(self, rate)

    def undo(self) -> dict[str, int]:
        """Removes what the writes added and puts last_login back; returns what was removed."""
        from django.db import transaction

        from communities.models import JoinRequest, Minutes
        from mentoring.models import Contact
        from networks.models import Membership, User

        with transaction.atomic():
            # The rows first, then their history: deleting a row writes its own history row.
            minutes = self.created["minutes"]
            Minutes.objects.filter(pk__in=minutes).delete()
            Minutes.history.model.objects.filter(id__in=minutes).delete()
            joins = self.created["join"]
            JoinRequest.objects.filter(pk__in=joins).delete()
            JoinRequest.history.model.objects.filter(id__in=joins).delete()
            Contact.objects.filter(pk__in=self.created["contact"]).delete()
            members = self.created["member"]
            Membership.objects.filter(pk__in=members).delete()
            Membership.history.model.objects.filter(id__in=members).delete()
            for pk, last_login in self.logins.items():
                User.objects.filter(pk=pk).update(last_login=last_login)
            from reporting.models import Report

            for pk, updated_at in self.report_saved.items():
                Report.objects.filter(pk=pk).update(updated_at=updated_at)
            refresh_counters(self.touched)
        removed = {k: len(v) for k, v in self.created.items()} | {
            "login": len(self.logins),
            "report": len(self.report_saved),
        }
        self.created = {k: [] for k in self.created}
        self.logins = {}
        self.report_saved = {}
        self.touched = set()
        return removed


def refresh_counters(touched) -> None:
    """The figures the services keep per structure (reporting.counters, where the portal has
    them) recounted for the structures and dates the bench wrote to, after its rows are gone."""
    try:
        from reporting import counters
    except ImportError:
        return
    changed = getattr(counters, "structure_changed", None)
    if changed is None:
        return
    for structure_id, when in sorted(touched):
        changed(structure_id, when)


def counter_differences() -> int | None:
    """How many kept figures of the current school year differ from a recount of the base tables
    (reporting.counters.differences, where the portal has it); None without counters."""
    try:
        from reporting import counters
    except ImportError:
        return None
    differences = getattr(counters, "differences", None)
    if differences is None:
        return None
    from networks.schoolyear import SchoolYear

    return len(differences([SchoolYear.current()]))


class _Running:
    """`rate` writes a second from enough threads (one per write a second) that a slow write
    does not hold the next ones back; each thread keeps its own schedule."""

    def __init__(self, writer: Writer, rate: float) -> None:
        self.writer, self.rate, self.done = writer, rate, Done()
        self.stop = threading.Event()
        count = max(1, math.ceil(rate)) if rate > 0 else 0
        self.threads = [
            threading.Thread(target=self._loop, args=(n, count), daemon=True) for n in range(count)
        ]
        self.started = 0.0

    def _loop(self, offset: int, count: int) -> None:
        from django.db import connection

        step = count / self.rate
        n = 0
        try:
            while not self.stop.is_set():
                due = self.started + (offset / self.rate) + n * step
                wait = due - time.monotonic()
                if wait > 0 and self.stop.wait(wait):
                    break
                self.writer.write_one(self.done)
                n += 1
        finally:
            connection.close()

    def __enter__(self) -> Done:
        self.started = time.monotonic()
        for thread in self.threads:
            thread.start()
        return self.done

    def __exit__(self, *_exc) -> None:
        self.stop.set()
        for thread in self.threads:
            thread.join()
        self.done.seconds = time.monotonic() - self.started if self.threads else 0.0
