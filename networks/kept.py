"""Figures shared by many people, kept in the shared cache under a generation (issue 19).

A home block whose content is the same for everyone of a territory (every methodist and
coordinator of a region sees the same deadline figures, the same help requests waiting) is
computed once and kept in the cache every process shares (Redis in production), under the parts
it depends on (the territory, the day…) and a GENERATION. Every write to what it shows sets a new
generation, so the next read, in any process, computes it again:

- `watch(*models)` connects post_save and post_delete of the models it reads: every service
  writes them through the models, and so does the operators' admin;
- a writer that bypasses the models (bulk_create, a queryset's update(), the scale generator)
  calls `changed()` itself.

`changed()` sets a new generation at once (this process's next read, inside the transaction too,
computes again) and again once the transaction commits, so that another process cannot keep,
under the new generation, what it computed between the write and the commit (as
mentoring.limits does). One generation per kind of figures, not per territory: finding the
territory of each row written would be a query on every write, and these writes are far rarer
than the home pages that read them.

A write nobody reports (SQL by hand) shows after `seconds` at the latest. The cache failing never
fails a page: a read that fails computes (the database answers), a `changed()` that fails is
logged.
"""

from __future__ import annotations

import hashlib
import logging
import uuid
from collections.abc import Callable, Iterable
from typing import Any

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save

from .coverage import Territory

logger = logging.getLogger(__name__)


_EVERY: list[Kept] = []


def territories(places: Iterable[Territory]) -> str:
    """Territories (roles, networks.coverage.Place) as one part of a key: «71.0,71.5»."""
    return ",".join(
        f"{r}.{m}" for r, m in sorted({(p.region_id, p.municipality_id or 0) for p in places})
    )


def digest(ids: Iterable[Any]) -> str:
    """A set of ids as one short part of a key (a person may run hundreds of structures)."""
    text = ",".join(str(i) for i in sorted(set(ids)))
    return text if len(text) <= 40 else hashlib.blake2b(text.encode(), digest_size=12).hexdigest()


def changed_all() -> None:
    """After writes that bypass the models everywhere (the scale generator): every kind of kept
    figures is computed again."""
    for kept in _EVERY:
        kept.changed()


class Kept:
    def __init__(self, name: str, *, seconds: int = 600):
        self.name = name
        self.generation_key = f"{name}:generation"
        self.seconds = seconds
        _EVERY.append(self)

    def key(self, parts: Iterable[Any], generation: Any) -> str:
        return ":".join([self.name, "v1", str(generation), *(str(p) for p in parts)])

    def get(self, parts: Iterable[Any], load: Callable[[], Any]) -> Any:
        """What is kept for these parts under the current generation, or `load()`'s, which is
        then kept."""
        parts = list(parts)
        try:
            key = self.key(parts, cache.get(self.generation_key, 0))
            found = cache.get(key)
        except Exception:
            logger.exception("%s: the cache did not answer; the database does", self.name)
            return load()
        if found is None:
            found = load()
            try:
                cache.set(key, found, self.seconds)
            except Exception:
                logger.exception("%s: the cache did not keep it", self.name)
        return found

    def _new_generation(self) -> None:
        try:
            # A new value, never an increment: a generation evicted and counted again from 0
            # must not meet what was kept under an older 0. No timeout: it outlives every entry.
            cache.set(self.generation_key, uuid.uuid4().hex, None)
        except Exception:
            logger.exception(
                "%s: the cache kept the old generation (%s s at most)", self.name, self.seconds
            )

    def changed(self, using: str | None = None) -> None:
        """After a write to what is kept: at once and again once the transaction commits."""
        self._new_generation()
        transaction.on_commit(self._new_generation, using=using)

    def watch(self, *models, unless_only: Iterable[str] = ()) -> None:
        """Every save and delete of these models sets a new generation — but a save of only the
        fields `unless_only` names (`save(update_fields=…)`): a person's `last_login`, written
        at every sign-in, changes nothing a block shows."""
        ignored = frozenset(unless_only)

        def on_write(sender, using=None, update_fields=None, **kwargs) -> None:
            if ignored and update_fields and set(update_fields) <= ignored:
                return
            self.changed(using=using)

        for model in models:
            for signal in (post_save, post_delete):
                signal.connect(
                    on_write,
                    sender=model,
                    weak=False,
                    dispatch_uid=f"{self.name}:{model._meta.label}",
                )
