"""Staging a registry file and applying it. Views, the command and the tasks call these.

An upload from the page is only checked cheaply in the web request (size, kind, the unpacked size
of a book: registry_import_upload) and saved «Читается»; a worker reads it and builds the preview
(registry_import_read, within IMPORT_PARSE_SOFT_SECONDS), so a large or hostile file never holds a
web process (issue 15). The command stages at once (registry_import_stage).

Staging reads the file and compares it with the database; it saves only the RegistryImport (the
file and what the preview found), never the registry itself. Confirming claims the import with a
conditional UPDATE (a second click does nothing), then applies it at once when the file is short
or in a Celery worker when it is long. Applying reads the stored file again, compares it again with
the database as it is now (both outside the transaction, reporting progress), and writes
everything in one transaction, with bulk operations in batches; a unique constraint stops a
concurrent import of the same schools, and the import then fails saving nothing. A line with an error is left out; the good lines are applied (the preview says so).
Applying the same file again finds nothing to change.
"""

from __future__ import annotations

import datetime as dt
import logging

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, connection, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from outbox.copying import copy_insert
from outbox.queueing import delay_on_commit

from ..models import (
    Order,
    Organisation,
    OrganisationKind,
    OrganisationStatus,
    Region,
    RegistryImport,
    SchoolStatus,
    User,
)
from ..schoolyear import SchoolYear
from .parser import FileRefused, ParsedFile, check_registry_file, parse_registry
from .permissions import can_import_registry
from .plan import OrderChoice, Plan, build_plan, field_label, order_label, search_text

logger = logging.getLogger(__name__)

# Files up to this many lines are applied while the coordinator waits (well under a second);
# longer ones go to the worker and the page shows progress.
INLINE_MAX_LINES = 2000
BATCH_SIZE = 1000
# What the preview page lists line by line; the counts cover everything.
PREVIEW_LIMIT = 100
ERROR_LIMIT = 500

__all__ = [
    "FileRefused",
    "registry_import_apply",
    "registry_import_confirm",
    "registry_import_discard",
    "registry_import_preview",
    "registry_import_read",
    "registry_import_stage",
    "registry_import_upload",
    "registry_imports_fail_stuck",
]


# --- Staging ---------------------------------------------------------------------------------------


def _check_options(region: Region, options: dict) -> None:
    """The order chosen on the form must be the region's; the form checks it for people, this
    checks it for the command and for anyone calling the service."""
    if options.get("order_id"):
        if not Order.objects.filter(pk=options["order_id"], issuer__region=region).exists():
            raise ValidationError({"order": _("Выбранный приказ издан не в этом регионе.")})
    elif new := options.get("new_order"):
        if not all(new.get(k) for k in ("number", "date", "title", "issuer_id")):
            raise ValidationError(
                {"order_number": _("Для нового приказа нужны номер, дата, заголовок и издатель.")}
            )
        if not Organisation.objects.filter(pk=new["issuer_id"], region=region).exists():
            raise ValidationError(
                {"order_issuer": _("Издатель приказа должен быть организацией этого региона.")}
            )


def registry_import_preview(
    *, region: Region, data: bytes, filename: str, options: dict | None = None
) -> tuple[ParsedFile, Plan]:
    """Reads only: what the file would do to the region. FileRefused if it cannot be read."""
    options = options or {}
    _check_options(region, options)
    parsed = parse_registry(data, filename)
    plan = build_plan(region=region, parsed=parsed, choice=OrderChoice.from_options(options))
    return parsed, plan


def registry_import_stage(
    *, region: Region, data: bytes, filename: str, by: User | None, options: dict | None = None
) -> RegistryImport:
    """Keeps the file and what its preview found until someone confirms. The registry itself is
    not touched. FileRefused if the file cannot be read; ValidationError for a wrong order."""
    if by is not None and not can_import_registry(by, region):
        raise ValidationError(_("Загружать реестр этого региона может только его координатор."))
    options = options or {}
    parsed, plan = registry_import_preview(
        region=region, data=data, filename=filename, options=options
    )
    registry_import = RegistryImport(
        region=region,
        created_by=by,
        filename=filename[:255],
        file_kind=parsed.kind,
        options=options,
        total=parsed.total,
    )
    _record(registry_import, plan)
    # Stored under a short name of our own (the person's file name is kept in `filename`).
    registry_import.file.save(
        f"registry-{region.code}.{parsed.kind}", ContentFile(data), save=False
    )
    registry_import.full_clean()
    registry_import.save()
    return registry_import


def registry_import_upload(
    *, region: Region, data: bytes, filename: str, by: User | None, options: dict | None = None
) -> RegistryImport:
    """Keeps the file «Читается» and queues its reading in the worker (registry_import_read);
    only the cheap checks run here, none that reads the lines. FileRefused for a file refused by
    them; ValidationError for a wrong order or person."""
    if by is not None and not can_import_registry(by, region):
        raise ValidationError(_("Загружать реестр этого региона может только его координатор."))
    options = options or {}
    _check_options(region, options)
    kind = check_registry_file(data, filename)
    registry_import = RegistryImport(
        region=region,
        created_by=by,
        filename=filename[:255],
        file_kind=kind,
        options=options,
        status=RegistryImport.Status.READING,
    )
    registry_import.file.save(f"registry-{region.code}.{kind}", ContentFile(data), save=False)
    registry_import.full_clean()
    registry_import.save()
    from ..tasks import read_registry_import

    pk = registry_import.pk
    delay_on_commit(read_registry_import, pk, on_failure=lambda error: _not_queued_reading(pk))
    return registry_import


def _not_queued_reading(pk: int) -> None:
    """The broker did not take the reading: the upload fails at once with a message."""
    RegistryImport.objects.filter(pk=pk, status=RegistryImport.Status.READING).update(
        status=RegistryImport.Status.FAILED,
        error=_(
            "Не удалось поставить файл в очередь на проверку: сервер очереди недоступен. Ничего "
            "не сохранено; загрузите файл ещё раз."
        ),
    )


def _reading_progress(pk: int, lines: int) -> None:
    RegistryImport.objects.filter(pk=pk, status=RegistryImport.Status.READING).update(
        progress=lines
    )


def _fail_reading(pk: int, reason: str) -> RegistryImport:
    # Only a reading import: one the sweep has failed meanwhile keeps the sweep's reason.
    RegistryImport.objects.filter(pk=pk, status=RegistryImport.Status.READING).update(
        status=RegistryImport.Status.FAILED, error=reason, progress=0
    )
    return RegistryImport.objects.get(pk=pk)


def registry_import_read(*, import_id: int) -> RegistryImport:
    """In the worker: reads an uploaded file and compares it with the registry, as staging does,
    then shows the preview («Ждёт подтверждения») or the reason it failed. Does nothing unless the
    import is still «Читается», so a task delivered twice reads it once."""
    registry_import = RegistryImport.objects.select_related("region").get(pk=import_id)
    if registry_import.status != RegistryImport.Status.READING:
        return registry_import
    try:
        with registry_import.file.open("rb") as stored:
            data = stored.read()
        _check_options(registry_import.region, registry_import.options)
        parsed = parse_registry(
            data, registry_import.filename, progress=lambda n: _reading_progress(import_id, n)
        )
        plan = build_plan(
            region=registry_import.region,
            parsed=parsed,
            choice=OrderChoice.from_options(registry_import.options),
        )
        registry_import.file_kind = parsed.kind
        registry_import.total = parsed.total
        _record(registry_import, plan)
        RegistryImport.objects.filter(pk=import_id, status=RegistryImport.Status.READING).update(
            status=RegistryImport.Status.STAGED,
            progress=0,
            file_kind=registry_import.file_kind,
            total=registry_import.total,
            summary=registry_import.summary,
            created_count=registry_import.created_count,
            updated_count=registry_import.updated_count,
            unchanged_count=registry_import.unchanged_count,
            error_count=registry_import.error_count,
        )
        return RegistryImport.objects.get(pk=import_id)
    except FileRefused as error:
        return _fail_reading(
            import_id,
            _("Файл «%(name)s» не принят: %(reason)s")
            % {"name": registry_import.filename, "reason": error},
        )
    except ValidationError as error:
        return _fail_reading(import_id, " ".join(error.messages))
    except OSError as error:
        return _fail_reading(import_id, _("Файл не прочитан: %(reason)s") % {"reason": error})
    except SoftTimeLimitExceeded:
        logger.warning("registry import %s: reading stopped by its time limit", import_id)
        return _fail_reading(
            import_id,
            _(
                "Файл слишком долго читается: дольше %(minutes)s мин., чтение остановлено. "
                "Ничего не сохранено; разделите файл на части и загрузите их по очереди."
            )
            % {"minutes": max(1, settings.IMPORT_PARSE_SOFT_SECONDS // 60)},
        )
    except Exception:
        logger.exception("registry import %s: reading failed", import_id)
        return _fail_reading(
            import_id,
            _("Внутренняя ошибка при чтении файла. Ничего не сохранено; сообщите администратору."),
        )


def registry_import_discard(*, registry_import: RegistryImport) -> None:
    """A staged import the coordinator does not want: the file and the record go."""
    if registry_import.status != RegistryImport.Status.STAGED:
        raise ValidationError(
            _("Отказаться можно только от загрузки, которая ещё не подтверждена.")
        )
    registry_import.file.delete(save=False)
    registry_import.delete()


def registry_imports_clean_up(*, now: dt.datetime | None = None) -> int:
    """Staged imports nobody confirmed within settings.REGISTRY_STAGED_KEEP_DAYS go, file and
    record, as if discarded. Confirmed ones stay with their file: they are the record of what
    changed the registry. Daily from Celery beat; returns how many went."""
    now = now or timezone.now()
    cutoff = now - dt.timedelta(days=settings.REGISTRY_STAGED_KEEP_DAYS)
    stale = RegistryImport.objects.filter(
        status=RegistryImport.Status.STAGED, created_at__lt=cutoff
    )
    count = 0
    for registry_import in stale:
        registry_import_discard(registry_import=registry_import)
        count += 1
    return count


def stuck_after() -> dt.timedelta:
    """How long an import may stay «Читается» or «Загружается» before it is taken for lost: the
    setting, but never less than the hard time limits of its tasks and a minute more."""
    hard = max(settings.IMPORT_PARSE_HARD_SECONDS, settings.REGISTRY_IMPORT_SOFT_TIME_LIMIT + 60)
    return max(dt.timedelta(minutes=settings.IMPORT_STUCK_MINUTES), dt.timedelta(seconds=hard + 60))


def registry_imports_fail_stuck(*, now: dt.datetime | None = None) -> int:
    """Imports still «Читается» or «Загружается» long after they began lost their worker (killed
    by the hard time limit, or crashed): they fail with a message saying that the file may be
    uploaded again, instead of waiting for ever. A write is one transaction, so a failed one saved
    nothing. From the periodic sweep; returns how many failed."""
    cutoff = (now or timezone.now()) - stuck_after()
    status = RegistryImport.Status
    reading = RegistryImport.objects.filter(status=status.READING, created_at__lt=cutoff).update(
        status=status.FAILED,
        progress=0,
        error=_(
            "Файл не удалось прочитать: его проверка прервалась (слишком долгая или сбой "
            "обработчика). Ничего не сохранено; загрузите файл ещё раз, при необходимости "
            "разделив его на части."
        ),
    )
    applying = (
        RegistryImport.objects.filter(status=status.APPLYING)
        .filter(
            models.Q(confirmed_at__lt=cutoff)
            | models.Q(confirmed_at__isnull=True, created_at__lt=cutoff)
        )
        .update(
            status=status.FAILED,
            error=_(
                "Загрузка прервалась (слишком долгая или сбой обработчика). Ничего не "
                "сохранено; загрузите файл ещё раз, при необходимости разделив его на части."
            ),
        )
    )
    if reading or applying:
        logger.warning(
            "registry imports failed as stuck: %s reading, %s applying", reading, applying
        )
    return reading + applying


# --- Confirming and applying --------------------------------------------------------------------


def registry_import_confirm(
    *, registry_import: RegistryImport, by: User | None, run_now: bool = False
) -> RegistryImport:
    """Claims the staged import; applies it now (short files, or run_now) or in the worker."""
    claimed = RegistryImport.objects.filter(
        pk=registry_import.pk, status=RegistryImport.Status.STAGED
    ).update(
        status=RegistryImport.Status.APPLYING,
        applied_by=by,
        progress=0,
        confirmed_at=timezone.now(),
    )
    registry_import.refresh_from_db()
    if not claimed:
        return registry_import  # confirmed already: a second click, or another coordinator
    if run_now or registry_import.total <= INLINE_MAX_LINES:
        return registry_import_apply(import_id=registry_import.pk)
    from ..tasks import apply_registry_import

    pk = registry_import.pk
    delay_on_commit(apply_registry_import, pk, on_failure=lambda error: _not_queued(pk))
    return registry_import


def _not_queued(pk: int) -> None:
    """The broker (Redis) did not take the task: nothing was applied, and the import fails at
    once with a message instead of «скоро начнётся» for ever; its page offers the upload again."""
    RegistryImport.objects.filter(pk=pk, status=RegistryImport.Status.APPLYING, progress=0).update(
        status=RegistryImport.Status.FAILED,
        error=_(
            "Не удалось поставить загрузку в очередь: сервер очереди недоступен. Ничего не "
            "сохранено; загрузите файл ещё раз."
        ),
    )


def _progress(pk: int, lines: int) -> None:
    # Outside the writing transaction, so the polling page sees it at once.
    RegistryImport.objects.filter(pk=pk, status=RegistryImport.Status.APPLYING).update(
        progress=lines
    )


def _fail(pk: int, reason: str) -> RegistryImport:
    RegistryImport.objects.filter(pk=pk).update(status=RegistryImport.Status.FAILED, error=reason)
    return RegistryImport.objects.get(pk=pk)


def registry_import_apply(*, import_id: int) -> RegistryImport:
    """Applies a claimed import; does nothing unless it is claimed and not yet applied, so a task
    delivered twice applies it once."""
    registry_import = RegistryImport.objects.select_related(
        "region", "applied_by", "created_by"
    ).get(pk=import_id)
    if registry_import.status != RegistryImport.Status.APPLYING:
        return registry_import
    total = registry_import.total
    try:
        with registry_import.file.open("rb") as stored:
            data = stored.read()
        # Reading and comparing happen before the writing transaction, so that their progress
        # reaches the polling page (a transaction's own writes are invisible until it commits):
        # the first half of the bar is reading, the second comparing.
        parsed = parse_registry(
            data, registry_import.filename, progress=lambda n: _progress(import_id, n // 2)
        )
        plan = build_plan(
            region=registry_import.region,
            parsed=parsed,
            choice=OrderChoice.from_options(registry_import.options),
            progress=lambda n: _progress(import_id, total // 2 + n // 2),
        )
        _progress(import_id, total)
        with transaction.atomic():
            current = RegistryImport.objects.select_for_update().get(pk=import_id)
            if current.status != RegistryImport.Status.APPLYING:
                return current  # another run of the task got here first
            _write(plan, by=registry_import.applied_by or registry_import.created_by)
            _record(current, plan)
            current.status = RegistryImport.Status.APPLIED
            current.total = parsed.total
            current.progress = parsed.total
            current.applied_at = timezone.now()
            current.save()
        return current
    except (FileRefused, OSError) as error:
        return _fail(import_id, _("Файл не прочитан: %(reason)s") % {"reason": error})
    except SoftTimeLimitExceeded:
        # The worker's time limit (networks.tasks): the transaction, if open, is rolled back.
        logger.warning("registry import %s stopped by its time limit", import_id)
        return _fail(
            import_id,
            _(
                "Загрузка шла дольше %(minutes)s мин. и остановлена. Ничего не сохранено; "
                "разделите файл на части и загрузите их по очереди."
            )
            % {"minutes": max(1, settings.REGISTRY_IMPORT_SOFT_TIME_LIMIT // 60)},
        )
    except IntegrityError:
        logger.exception("registry import %s clashed with a concurrent change", import_id)
        return _fail(
            import_id,
            _(
                "Пока шла загрузка, реестр региона изменился (например, другой загрузкой). "
                "Ничего не сохранено; загрузите файл ещё раз."
            ),
        )
    except Exception:
        logger.exception("registry import %s failed", import_id)
        return _fail(
            import_id,
            _("Внутренняя ошибка при загрузке. Ничего не сохранено; сообщите администратору."),
        )


def _write(plan: Plan, *, by: User | None) -> None:
    """Everything the plan says, in bulk: organisations, then orders, then statuses."""
    registry = plan.registry
    municipality_names = registry.municipality_names
    ids: dict[str, int] = {}

    news = list(plan.new_organisations.values())
    created = []
    for new in news:
        values = new.values
        successor = values.get("successor")
        organisation = Organisation(
            kind=values["kind"],
            full_name=values["full_name"],
            short_name=values.get("short_name", ""),
            inn=values.get("inn", ""),
            region=plan.region,
            municipality_id=values.get("municipality"),
            address=values.get("address", ""),
            successor_id=successor if isinstance(successor, int) else None,
        )
        organisation.search_text = search_text(
            short_name=organisation.short_name,
            full_name=organisation.full_name,
            municipality=municipality_names.get(organisation.municipality_id, ""),
            inn=organisation.inn,
        )
        created.append(organisation)
    _insert(Organisation, created)
    ids = {new.key: organisation.pk for new, organisation in zip(news, created, strict=True)}

    def resolve(ref):
        return ids[ref] if isinstance(ref, str) else ref

    # Successors created by the same file have ids only now.
    later = []
    for new, organisation in zip(news, created, strict=True):
        if isinstance(new.values.get("successor"), str):
            organisation.successor_id = ids[new.values["successor"]]
            later.append(organisation)
    Organisation.objects.bulk_update(later, ["successor"], batch_size=BATCH_SIZE)

    changed, fields = [], {"search_text"}
    for change in plan.changed_organisations.values():
        known = registry.organisations[change.id]
        organisation = Organisation(
            id=known.id,
            kind=known.kind,
            full_name=known.full_name,
            short_name=known.short_name,
            inn=known.inn,
            region=plan.region,
            municipality_id=known.municipality,
            address=known.address,
            successor_id=known.successor,
        )
        for name, (_old, new) in change.changes.items():
            if name in ("municipality", "successor"):
                setattr(organisation, f"{name}_id", resolve(new))
            else:
                setattr(organisation, name, new)
            fields.add(name)
        organisation.search_text = search_text(
            short_name=organisation.short_name,
            full_name=organisation.full_name,
            municipality=municipality_names.get(organisation.municipality_id, ""),
            inn=organisation.inn,
        )
        changed.append(organisation)
    Organisation.objects.bulk_update(changed, sorted(fields), batch_size=BATCH_SIZE // 2)

    order_ids: dict[tuple, int] = {}
    orders = []
    for new in plan.new_orders.values():
        order = Order(
            kind=new.kind,
            issuer_id=resolve(new.key[0]),
            number=new.number,
            date=new.date,
            title=new.title[:500],
        )
        order.full_clean(exclude=["issuer"])
        orders.append((new.key, order))
    Order.objects.bulk_create([o for _k, o in orders], batch_size=BATCH_SIZE)
    order_ids = {key: order.pk for key, order in orders}

    def resolve_order(ref):
        return order_ids[ref] if isinstance(ref, tuple) else ref

    statuses = [
        OrganisationStatus(
            organisation_id=resolve(s.organisation),
            school_year=s.school_year,
            status=s.status,
            order_id=resolve_order(s.order),
        )
        for s in plan.new_statuses
    ]
    _insert_with_history(statuses, OrganisationStatus, by=by, reason=_("Загрузка реестра из файла"))

    changes = plan.changed_statuses
    pks = sorted(changes)
    for start in range(0, len(pks), BATCH_SIZE):
        chunk = list(OrganisationStatus.objects.filter(pk__in=pks[start : start + BATCH_SIZE]))
        for status in chunk:
            status.order_id = resolve_order(changes[status.pk].order)
        bulk_update_with_history(
            chunk,
            OrganisationStatus,
            ["order"],
            batch_size=BATCH_SIZE,
            default_user=by,
            default_change_reason=_("Загрузка реестра из файла"),
        )


def _row(instance: models.Model) -> dict:
    """The instance's columns for copy_insert; auto_now(_add) fields are left to it (it fills
    them with the call's moment, as bulk_create's pre_save would)."""
    return {
        field.attname: getattr(instance, field.attname)
        for field in instance._meta.concrete_fields
        if not field.primary_key
        and not (getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False))
    }


def _insert(model: type[models.Model], instances: list) -> None:
    """bulk_create on PostgreSQL by COPY (outbox.copying; issue 19: 40,000 organisations of a
    registry spent most of the import's write in Django binding every value), the ids set on the
    instances as bulk_create sets them; bulk_create elsewhere."""
    if connection.vendor != "postgresql":
        model.objects.bulk_create(instances, batch_size=BATCH_SIZE)
        return
    for instance, pk in zip(
        instances, copy_insert(model, [_row(i) for i in instances]), strict=True
    ):
        instance.pk = pk
        instance._state.adding = False


def _insert_with_history(statuses: list, model, *, by: User | None, reason: str) -> None:
    """bulk_create_with_history, by COPY on PostgreSQL: the rows, then their historical rows as
    simple_history's bulk_history_create makes them (type «+», the person, the reason, one moment
    for the whole import)."""
    if connection.vendor != "postgresql":
        bulk_create_with_history(
            statuses, model, batch_size=BATCH_SIZE, default_user=by, default_change_reason=reason
        )
        return
    _insert(model, statuses)
    if not getattr(settings, "SIMPLE_HISTORY_ENABLED", True):
        return
    history = model.history.model
    now = timezone.now()
    copy_insert(
        history,
        [
            {
                **{f.attname: getattr(status, f.attname) for f in history.tracked_fields},
                "history_date": now,
                "history_user_id": by.pk if by is not None else None,
                "history_change_reason": reason,
                "history_type": "+",
            }
            for status in statuses
        ],
    )


# --- What the preview and the result show ---------------------------------------------------------


def _record(registry_import: RegistryImport, plan: Plan) -> None:
    summary = plan_summary(plan)
    counts = summary["counts"]
    organisations, statuses = counts["organisations"], counts["statuses"]
    registry_import.summary = summary
    registry_import.created_count = organisations["created"] + statuses["created"]
    registry_import.updated_count = organisations["changed"] + statuses["changed"]
    registry_import.unchanged_count = organisations["unchanged"] + statuses["unchanged"]
    registry_import.error_count = counts["error_lines"]


def plan_summary(plan: Plan) -> dict:
    """The plan as plain JSON for the pages: every count, and the first lines of each list."""
    registry = plan.registry

    def show(name: str, value) -> str:
        if value in (None, ""):
            return "—"
        if name == "municipality":
            return registry.municipality_names.get(value, str(value))
        if name == "successor":
            return registry.label(value, plan)
        if name == "kind":
            return str(OrganisationKind(value).label)
        return str(value)

    def order_text(ref) -> str:
        if ref is None:
            return "—"
        if isinstance(ref, tuple):
            new = plan.new_orders.get(ref)
            return order_label(new.kind, new.number, new.date) if new else "—"
        return registry.order_labels.get(ref, str(ref))

    def status_row(line, organisation, year, status) -> dict:
        return {
            "line": line,
            "name": registry.label(organisation, plan),
            "year": SchoolYear(year).label,
            "status": str(SchoolStatus(status).label),
        }

    created = sorted(plan.new_organisations.values(), key=lambda n: n.line)
    changed = sorted(plan.changed_organisations.values(), key=lambda c: c.line)
    new_statuses = sorted(plan.new_statuses, key=lambda s: s.line)
    changed_statuses = sorted(plan.changed_statuses.values(), key=lambda s: s.line)
    new_orders = sorted(plan.new_orders.values(), key=lambda o: o.line)
    return {
        "counts": {
            "lines": plan.lines,
            "error_lines": len(plan.errors),
            "organisations": {
                "created": len(created),
                "changed": len(changed),
                "unchanged": len(plan.unchanged_organisations),
            },
            "statuses": {
                "created": len(new_statuses),
                "changed": len(changed_statuses),
                "unchanged": len(plan.unchanged_statuses),
            },
            "orders": {"created": len(new_orders)},
        },
        "organisations_created": [
            {
                "line": n.line,
                "name": n.values["full_name"],
                "short_name": n.values.get("short_name", ""),
                "inn": n.values.get("inn", ""),
                "kind": show("kind", n.values["kind"]),
                "municipality": show("municipality", n.values.get("municipality")),
                "successor": show("successor", n.values.get("successor")),
            }
            for n in created[:PREVIEW_LIMIT]
        ],
        "organisations_changed": [
            {
                "line": c.line,
                "name": registry.label(c.id, plan),
                "inn": registry.organisations[c.id].inn,
                "changes": [
                    [str(field_label(name)), show(name, old), show(name, new)]
                    for name, (old, new) in c.changes.items()
                ],
            }
            for c in changed[:PREVIEW_LIMIT]
        ],
        "statuses_created": [
            {
                **status_row(s.line, s.organisation, s.school_year, s.status),
                "order": order_text(s.order),
            }
            for s in new_statuses[:PREVIEW_LIMIT]
        ],
        "statuses_changed": [
            {
                **status_row(s.line, s.organisation, s.school_year, s.status),
                "old_order": order_text(s.old_order),
                "order": order_text(s.order),
            }
            for s in changed_statuses[:PREVIEW_LIMIT]
        ],
        "orders_created": [
            {
                "line": o.line,
                "label": order_label(o.kind, o.number, o.date),
                "title": o.title,
                "issuer": registry.label(o.key[0], plan),
            }
            for o in new_orders[:PREVIEW_LIMIT]
        ],
        "errors": [[e.line, e.reason] for e in plan.errors[:ERROR_LIMIT]],
        "limit": PREVIEW_LIMIT,
        "error_limit": ERROR_LIMIT,
    }


def options_for(
    *,
    order: Order | None = None,
    kind: str = "",
    number: str = "",
    date: dt.date | None = None,
    title: str = "",
    issuer: Organisation | None = None,
) -> dict:
    """The order chosen on the form or on the command line, as kept with the import."""
    if order is not None:
        return {"order_id": order.pk}
    if number and date and issuer is not None:
        return {
            "new_order": {
                "kind": kind or Order.Kind.PRIKAZ,
                "number": number,
                "date": date.isoformat(),
                "title": title,
                "issuer_id": issuer.pk,
            }
        }
    return {}
