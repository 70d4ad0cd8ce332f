"""Queueing a Celery task once the write commits, without letting a dead broker break the page."""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.db import transaction

log = logging.getLogger(__name__)


def delay_on_commit(task, *args, on_failure: Callable[[Exception], None] | None = None) -> None:
    """`task.delay(*args)` once the current transaction commits (at once outside one).

    A broker that does not answer (Redis down) is logged and handed to `on_failure` — which marks
    the job failed, say — but never raised: the write is committed already, and the page that
    made it must answer normally. Whatever is left queued in the database is found again by a
    sweep or retried by its owner."""

    def queue() -> None:
        try:
            task.delay(*args)
        except Exception as error:  # kombu's OperationalError, a timeout, a refused connection
            log.warning(
                "could not queue %s%r: %s: %s", task.name, args, type(error).__name__, error
            )
            if on_failure is not None:
                on_failure(error)

    transaction.on_commit(queue)
