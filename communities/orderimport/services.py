"""Uploading, reading, confirming and applying an order document. Views and tasks call these.

The web request only checks the file cheaply (size, DOCX or PDF by content) and keeps it
«Читается» with its SHA-256; the worker reads it and stores the proposal (order_import_read). The
same file uploaded again by the territory is the first import, not a new one. Confirming claims
the staged import with a conditional UPDATE (a second click does nothing) and applies it in one
transaction: the order (with the uploaded file), the structures with their founding acts, the
memberships of matched accounts, the invitations of the e-mails typed in the preview, and named
contacts for the rest. A membership or invitation that breaks a rule becomes a line of the result,
not an error of the page. Applying what exists already (the same order confirmed through another
upload) creates nothing: an order is found by issuer, number and date, a structure by kind, name
and founding order, a contact by structure, role and name.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from networks import figures
from networks.coverage import covers
from networks.history import acting_as
from networks.manage.permissions import coordinated_territories
from networks.manage.services import structure_create
from networks.models import (
    Membership,
    Municipality,
    Order,
    OrderImport,
    Organisation,
    Region,
    Structure,
    StructureAct,
    StructureContact,
    StructureKind,
    User,
)
from networks.registry.services import stuck_after
from outbox.queueing import delay_on_commit

from ..services.membership import invitation_create
from .parser import GROUPS, PAIRS, WORKING_GROUP, FileRefused, check_order_file, parse_order
from .plan import build_proposal, parse_iso

logger = logging.getLogger(__name__)

# Proposals with up to this many structures and people are applied while the coordinator waits.
INLINE_MAX_ITEMS = 300

__all__ = [
    "FileRefused",
    "order_import_apply",
    "order_import_confirm",
    "order_import_discard",
    "order_import_read",
    "order_import_upload",
]


def can_import_for(user: User, region_id: int, municipality_id: int | None) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    return any(covers(t, region_id, municipality_id) for t in coordinated_territories(user))


# --- Upload and reading ------------------------------------------------------------------------------


def order_import_upload(
    *,
    data: bytes,
    filename: str,
    region: Region,
    municipality: Municipality | None,
    by: User,
    host: Organisation | None = None,
) -> tuple[OrderImport, bool]:
    """Keeps the file «Читается» and queues its reading. Returns the import and whether it is
    new: the same file (by SHA-256) uploaded again in the territory is the first upload, unless
    that one failed. FileRefused for a file that is no DOCX or PDF."""
    municipality_id = municipality.pk if municipality else None
    if not can_import_for(by, region.pk, municipality_id):
        raise ValidationError(_("Загружать приказы этой территории может только её координатор."))
    kind = check_order_file(data, filename)
    digest = hashlib.sha256(data).hexdigest()
    earlier = (
        OrderImport.objects.filter(sha256=digest, region=region, municipality=municipality)
        .exclude(status=OrderImport.Status.FAILED)
        .order_by("created_at")
        .first()
    )
    if earlier is not None:
        return earlier, False
    order_import = OrderImport(
        region=region,
        municipality=municipality,
        created_by=by,
        filename=filename[:255],
        sha256=digest,
        status=OrderImport.Status.READING,
        decisions={"host_id": host.pk if host else None},
    )
    order_import.file.save(f"order.{kind}", ContentFile(data), save=False)
    order_import.full_clean()
    order_import.save()
    from .tasks import read_order_import

    pk = order_import.pk
    delay_on_commit(read_order_import, pk, on_failure=lambda error: _not_queued(pk))
    return order_import, True


def _not_queued(pk: int) -> None:
    OrderImport.objects.filter(pk=pk, status=OrderImport.Status.READING).update(
        status=OrderImport.Status.FAILED,
        error=_(
            "Не удалось поставить файл в очередь на чтение: сервер очереди недоступен. Ничего не "
            "сохранено; загрузите файл ещё раз."
        ),
    )


def _progress(pk: int, done: int, total: int) -> None:
    OrderImport.objects.filter(pk=pk, status=OrderImport.Status.READING).update(
        progress=done, total=total
    )


def _fail_reading(pk: int, reason: str) -> OrderImport:
    OrderImport.objects.filter(pk=pk, status=OrderImport.Status.READING).update(
        status=OrderImport.Status.FAILED, error=reason
    )
    return OrderImport.objects.get(pk=pk)


def order_import_read(*, import_id: int) -> OrderImport:
    """In the worker: reads the file and stores what it proposes («Ждёт подтверждения»), or why
    it cannot be read. Does nothing unless the import is still «Читается»."""
    order_import = OrderImport.objects.select_related("region", "municipality").get(pk=import_id)
    if order_import.status != OrderImport.Status.READING:
        return order_import
    try:
        with order_import.file.open("rb") as stored:
            data = stored.read()
        parsed = parse_order(
            data,
            order_import.filename,
            progress=lambda done, total: _progress(import_id, done, total),
        )
        proposal = build_proposal(
            parsed=parsed,
            region=order_import.region,
            municipality=order_import.municipality,
            host_id=(order_import.decisions or {}).get("host_id"),
            order_import_id=import_id,
        )
        OrderImport.objects.filter(pk=import_id, status=OrderImport.Status.READING).update(
            status=OrderImport.Status.STAGED, proposal=proposal, error=""
        )
        return OrderImport.objects.get(pk=import_id)
    except FileRefused as error:
        return _fail_reading(
            import_id,
            _("Файл «%(name)s» не прочитан: %(reason)s")
            % {"name": order_import.filename, "reason": error},
        )
    except SoftTimeLimitExceeded:
        logger.warning("order import %s: reading stopped by its time limit", import_id)
        return _fail_reading(
            import_id,
            _("Файл слишком долго читается, чтение остановлено. Ничего не сохранено."),
        )
    except Exception:
        logger.exception("order import %s: reading failed", import_id)
        return _fail_reading(
            import_id,
            _("Внутренняя ошибка при чтении файла. Ничего не сохранено; сообщите администратору."),
        )


def order_import_discard(*, order_import: OrderImport) -> None:
    if order_import.status not in (OrderImport.Status.STAGED, OrderImport.Status.FAILED):
        raise ValidationError(_("Отказаться можно только от загрузки, которая не сохранена."))
    order_import.file.delete(save=False)
    order_import.delete()


# --- Confirming and applying ----------------------------------------------------------------------


def order_imports_sweep(*, now=None) -> tuple[int, int]:
    """The periodic sweep: an import still «Читается» or «Сохраняется» long after it began lost its
    worker (killed by the hard time limit, or crashed) and fails with a message saying the file
    may be uploaded again (a save is one transaction, so a failed one saved nothing); an upload
    nobody confirmed within REGISTRY_STAGED_KEEP_DAYS goes, file and record. Returns (failed,
    removed)."""
    now = now or timezone.now()
    cutoff = now - stuck_after()
    status = OrderImport.Status
    failed = OrderImport.objects.filter(status=status.READING, created_at__lt=cutoff).update(
        status=status.FAILED,
        progress=0,
        error=_(
            "Приказ не удалось прочитать: чтение прервалось (слишком долгое или сбой "
            "обработчика). Ничего не сохранено; загрузите файл ещё раз."
        ),
    )
    failed += (
        OrderImport.objects.filter(status=status.APPLYING)
        .filter(Q(confirmed_at__lt=cutoff) | Q(confirmed_at__isnull=True, created_at__lt=cutoff))
        .update(
            status=status.FAILED,
            error=_(
                "Сохранение прервалось (слишком долгое или сбой обработчика). Ничего не "
                "сохранено; загрузите файл ещё раз."
            ),
        )
    )
    stale = OrderImport.objects.filter(
        status__in=[status.STAGED, status.FAILED],
        created_at__lt=now - dt.timedelta(days=settings.REGISTRY_STAGED_KEEP_DAYS),
    )
    removed = 0
    for order_import in stale:
        order_import_discard(order_import=order_import)
        removed += 1
    if failed:
        logger.warning("order imports failed as stuck: %s", failed)
    return failed, removed


def _items(proposal: dict) -> int:
    return len(proposal.get("people", {})) + sum(
        len(s.get("structures", [])) for s in proposal.get("sections", [])
    )


def order_import_confirm(
    *, order_import: OrderImport, by: User, decisions: dict, run_now: bool = False
) -> OrderImport:
    """Keeps the coordinator's decisions and claims the staged import once; applies it now, or in
    the worker when it is long."""
    claimed = OrderImport.objects.filter(
        pk=order_import.pk, status=OrderImport.Status.STAGED
    ).update(
        status=OrderImport.Status.APPLYING,
        applied_by=by,
        decisions={**(order_import.decisions or {}), **decisions},
        confirmed_at=timezone.now(),
        progress=0,
    )
    order_import.refresh_from_db()
    if not claimed:
        return order_import  # a second click, or another coordinator: applied once
    if run_now or _items(order_import.proposal) <= INLINE_MAX_ITEMS:
        return order_import_apply(import_id=order_import.pk)
    from .tasks import apply_order_import

    pk = order_import.pk
    delay_on_commit(apply_order_import, pk, on_failure=lambda error: _fail(pk, _queue_down()))
    return order_import


def _queue_down() -> str:
    return _(
        "Не удалось поставить сохранение в очередь: сервер очереди недоступен. Ничего не "
        "сохранено; загрузите файл ещё раз."
    )


def _fail(pk: int, reason: str) -> OrderImport:
    OrderImport.objects.filter(pk=pk, status=OrderImport.Status.APPLYING).update(
        status=OrderImport.Status.FAILED, error=reason
    )
    return OrderImport.objects.get(pk=pk)


def order_import_apply(*, import_id: int) -> OrderImport:
    """Applies a claimed import in one transaction; does nothing unless it is claimed, so a task
    delivered twice applies it once."""
    try:
        with transaction.atomic():
            order_import = (
                OrderImport.objects.select_for_update(of=("self",))
                .select_related("region", "municipality", "created_by", "applied_by")
                .get(pk=import_id)
            )
            if order_import.status != OrderImport.Status.APPLYING:
                return order_import
            by = order_import.applied_by or order_import.created_by
            # The summary's figures of every structure the order touches, counted once at the end.
            with acting_as(by), figures.batched():
                result = _Applier(order_import, by).run()
            order_import.result = result
            order_import.order_id = result["order_id"]
            order_import.status = OrderImport.Status.APPLIED
            order_import.applied_at = timezone.now()
            order_import.progress = order_import.total
            order_import.save()
            return order_import
    except ValidationError as error:
        return _fail(import_id, " ".join(error.messages))
    except IntegrityError:
        logger.exception("order import %s clashed with a concurrent change", import_id)
        return _fail(
            import_id,
            _(
                "Пока шло сохранение, данные изменились (например, другой загрузкой). Ничего не "
                "сохранено; загрузите файл ещё раз."
            ),
        )
    except SoftTimeLimitExceeded:
        return _fail(
            import_id, _("Сохранение шло слишком долго и остановлено. Ничего не сохранено.")
        )
    except Exception:
        logger.exception("order import %s failed", import_id)
        return _fail(
            import_id,
            _("Внутренняя ошибка при сохранении. Ничего не сохранено; сообщите администратору."),
        )


class _Applier:
    def __init__(self, order_import: OrderImport, by: User) -> None:
        self.order_import = order_import
        self.by = by
        self.proposal = order_import.proposal or {}
        self.decisions = order_import.decisions or {}
        self.problems: list[str] = []
        self.created: list[dict] = []
        self.counts = {"structures": 0, "members": 0, "invited": 0, "contacts": 0, "kept": 0}
        self.kinds = {k.pk: k for k in StructureKind.objects.all()}

    # The order.
    def order(self) -> Order:
        requisites = {**self.proposal.get("requisites", {}), **self.decisions.get("requisites", {})}
        issuer = Organisation.objects.filter(
            pk=requisites.get("issuer_id"), region=self.order_import.region
        ).first()
        date = parse_iso(requisites.get("date", ""))
        number = (requisites.get("number") or "").strip()
        if issuer is None or date is None or not number:
            raise ValidationError(_("Укажите издателя, номер и дату приказа."))
        order = Order.objects.filter(issuer=issuer, number=number, date=date).first()
        if order is None:
            order = Order(
                kind=requisites.get("kind") or Order.Kind.PRIKAZ,
                issuer=issuer,
                number=number,
                date=date,
                title=(requisites.get("title") or "").strip()[:500],
            )
            order.full_clean(exclude=["file"])
        if not order.file:
            with self.order_import.file.open("rb") as stored:
                extension = self.order_import.file.name.rsplit(".", 1)[-1]
                order.file.save(
                    f"order-{number}.{extension}", ContentFile(stored.read()), save=False
                )
        order.save()
        return order

    def run(self) -> dict:
        order = self.order()
        self.order_obj = order
        host_id = self.decisions.get("host_id") or order.issuer_id
        self.host = Organisation.objects.get(pk=host_id)
        people = self.proposal.get("people", {})
        for index, section in enumerate(self.proposal.get("sections", [])):
            if section["type"] in (GROUPS, PAIRS):
                self.structures(index, section, people)
            elif section["type"] == WORKING_GROUP:
                self.working_group(index, section, people)
        return {
            "order_id": order.pk,
            "order_label": str(order),
            "created": self.created,
            "counts": self.counts,
            "problems": self.problems,
        }

    def _structure(self, *, kind, name, parent=None, host=None, url="", category="") -> Structure:
        found = Structure.objects.filter(
            kind=kind, founding_order=self.order_obj, parent=parent, name=name
        ).first()
        if found is not None:
            self.counts["kept"] += 1
            return found
        structure = Structure(
            kind=kind,
            name=name,
            parent=parent,
            host=host or self.host,
            region=self.order_import.region,
            municipality=self.order_import.municipality,
            established_on=self.order_obj.date,
            platform_url=url,
            participant_category=category,
        )
        structure_create(structure=structure, founding_order=self.order_obj, by=self.by)
        self.counts["structures"] += 1
        self.created.append({"id": structure.pk, "name": structure.name})
        return structure

    def structures(self, index: int, section: dict, people: dict) -> None:
        kind = self.kinds.get(section.get("kind_id"))
        if kind is None:
            return
        parent = None
        proposed_parent = section.get("parent")
        if proposed_parent:
            if proposed_parent.get("existing_id"):
                parent = Structure.objects.filter(pk=proposed_parent["existing_id"]).first()
            else:
                name = (
                    self.decisions.get("parents", {}).get(str(index)) or proposed_parent["name"]
                ).strip()
                parent = self._structure(kind=kind, name=name[:400])
        for proposed in section.get("structures", []):
            if proposed.get("existing_id"):
                continue
            host = None
            if proposed.get("host_id"):
                host = Organisation.objects.filter(pk=proposed["host_id"]).first()
            try:
                with transaction.atomic():
                    structure = self._structure(
                        kind=kind,
                        name=proposed["name"],
                        parent=parent,
                        host=host,
                        url=proposed.get("url", ""),
                        category=proposed.get("category", ""),
                    )
            except ValidationError as error:
                self.problems.append(
                    _("«%(name)s» не создана: %(reason)s")
                    % {"name": proposed["name"], "reason": " ".join(error.messages)}
                )
                continue
            for key in proposed.get("people", []):
                self.person(structure, key, people[key])

    def working_group(self, index: int, section: dict, people: dict) -> None:
        target_id = self.decisions.get("targets", {}).get(str(index))
        if not target_id or not section.get("people"):
            return
        allowed = {pk for pk, _name in section.get("targets", [])}
        structure = Structure.objects.select_related("kind").filter(pk=target_id).first()
        if structure is None or int(target_id) not in allowed:
            self.problems.append(_("Структура для рабочей группы не найдена."))
            return
        if not structure.acts.filter(
            kind=StructureAct.Kind.WORKING_GROUP, order=self.order_obj
        ).exists():
            StructureAct.objects.create(
                structure=structure,
                kind=StructureAct.Kind.WORKING_GROUP,
                order=self.order_obj,
                applies_on=self.order_obj.date,
                created_by=self.by,
            )
        for key in section["people"]:
            self.person(structure, key, people[key])

    def person(self, structure: Structure, key: str, person: dict) -> None:
        role = person["role"]
        name = person["name"]
        if person.get("user_id"):
            user = User.objects.filter(pk=person["user_id"], is_active=True).first()
            if user is not None:
                self.member(structure, user, role, name)
                return
        email = (self.decisions.get("emails", {}).get(key) or "").strip().lower()
        if email:
            try:
                with transaction.atomic():
                    invitation_create(
                        structure=structure,
                        email=email,
                        role=role,
                        by=self.by,
                        base_url=self.decisions.get("base_url") or "http://localhost/",
                    )
            except ValidationError as error:
                self.problems.append(
                    _("%(name)s (%(email)s) не приглашён в «%(structure)s»: %(reason)s")
                    % {
                        "name": name,
                        "email": email,
                        "structure": structure.name,
                        "reason": " ".join(error.messages),
                    }
                )
            else:
                self.counts["invited"] += 1
            return
        if StructureContact.objects.filter(structure=structure, role=role, full_name=name).exists():
            return
        position = ", ".join(
            p
            for p in (
                person.get("position"),
                person.get("organisation_label") or person.get("organisation_text"),
            )
            if p
        )
        StructureContact.objects.create(
            structure=structure,
            role=role,
            full_name=name[:300],
            position=position[:500],
            phone=(person.get("phone") or "")[:100],
            order=self.order_obj,
        )
        self.counts["contacts"] += 1

    def member(self, structure: Structure, user: User, role: str, name: str) -> None:
        if structure.memberships.current().filter(user=user).exists():
            return
        membership = Membership(
            structure=structure, user=user, role=role, since=self.order_obj.date
        )
        try:
            with transaction.atomic():
                membership.full_clean()
                membership.save()
                figures.membership_changed(membership)
        except (ValidationError, IntegrityError) as error:
            reason = (
                " ".join(error.messages)
                if isinstance(error, ValidationError)
                else _("это нарушает правила состава структуры")
            )
            self.problems.append(
                _("%(name)s не включён в «%(structure)s»: %(reason)s")
                % {"name": name, "structure": structure.name, "reason": reason}
            )
            return
        self.counts["members"] += 1
