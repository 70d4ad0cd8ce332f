"""The main pages served from a shared cache while nothing they read has changed (issue 8).

A page is a function of who asks, what they ask for and the rows it reads. The first time a page is
built, every SELECT it runs is watched and the tables it reads are noted; the page is stored under a
key made of

- the view and its full path with the query string, the user, a digest of the browser's CSRF
  secret (the page holds a CSRF token, valid for that browser only), the language, the time zone
  and the local date;
- the current *generation* of each table it read, of the user table (read before the view, by the
  authentication middleware) and of "*".

Every INSERT, UPDATE or DELETE that reaches the database through Django (save(), update(),
bulk_create(), delete(), raw SQL on a Django cursor) replaces the generation of its table with a new
random token when its transaction commits; a statement whose table cannot be read from its SQL
replaces "*", and so every page. The generations live in the same shared cache (Redis in production),
so a change made by any gunicorn process or Celery worker makes every process build the page again.
The tokens are never reused, so a page stored under an old generation is never found again.

Neither looked up nor stored: anything but a 200 answer to a GET of a signed-in user whose browser
already has its CSRF cookie; a page while messages are waiting (they are shown once); a page inside a
transaction (it may see its own writes, not committed yet). Not stored: a page whose request wrote; a page
that ran a SELECT whose tables could not be read from its SQL. Stored pages expire after
PAGE_CACHE_SECONDS (0 switches the cache off): that bounds what depends on the clock rather than on
the data (an event that has just begun still listed as coming) and any change made behind Django's
back (psql; code that writes with COPY calls written()).
"""

from __future__ import annotations

import hashlib
import logging
import re
import secrets
from contextvars import ContextVar
from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.checks import Error, Tags, register
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.backends.signals import connection_created
from django.http import HttpResponse
from django.utils import timezone, translation

logger = logging.getLogger(__name__)

EVERYTHING = "*"
META_SECONDS = 24 * 60 * 60
# Tables whose writes say nothing about a page: sign-in state (the session is read before the view,
# and what a page shows of it — the language — is in the key).
IGNORED = frozenset({"django_session"})

_WRITE = re.compile(r'\s*(?:INSERT\s+(?:OR\s+\w+\s+)?INTO|UPDATE|DELETE\s+FROM)\s+"?(\w+)"?', re.I)
_QUIET = re.compile(
    r"\s*(?:SAVEPOINT|RELEASE|ROLLBACK|BEGIN|COMMIT|SET|SHOW|EXPLAIN|PRAGMA)\b", re.I
)
_SELECT = re.compile(r"\s*\(?\s*SELECT\b", re.I)
_TABLES = re.compile(r'\b(?:FROM|JOIN)\s+"?([A-Za-z_]\w*)"?', re.I)


class _Reads:
    """The tables the SELECTs of one page build read; `unknown` when one of them named none."""

    def __init__(self) -> None:
        self.tables: set[str] = set()
        self.unknown = False
        self.wrote = False


_reads: ContextVar[_Reads | None] = ContextVar("pagecache_reads", default=None)


def seconds() -> int:
    return getattr(settings, "PAGE_CACHE_SECONDS", 0)


def _token() -> str:
    return secrets.token_hex(8)


def _generation_key(table: str) -> str:
    return f"pc:g:{table}"


# --- Writes: new generations -----------------------------------------------------------------------


def bump(*tables: str) -> None:
    """Gives the tables new generations: every page that read one of them is built again. Never
    raises: a cache that is down must not fail the write (its pages expire within
    PAGE_CACHE_SECONDS)."""
    try:
        cache.set_many({_generation_key(t): _token() for t in tables}, timeout=None)
    except Exception:  # any cache failure: the write itself has succeeded
        logger.exception("Не удалось обновить поколения таблиц %s в кэше страниц", tables)


def bump_everything() -> None:
    bump(EVERYTHING)


class _Bump:
    """The on-commit callback for one table, recognisable so that a transaction registers it once."""

    __slots__ = ("table",)

    def __init__(self, table: str) -> None:
        self.table = table

    def __call__(self) -> None:
        bump(self.table)


def is_bump(callback) -> bool:
    """Whether an on-commit callback is this module's (tests that count a service's own callbacks
    leave these out)."""
    return isinstance(callback, _Bump)


def written(table: str, *, using: str = DEFAULT_DB_ALIAS) -> None:
    """For writes that do not pass through a Django cursor's execute (psycopg's COPY): the table
    gets its new generation when the transaction commits, as for any other write."""
    _written(connections[using], table)


def _written(connection, table: str) -> None:
    if not connection.in_atomic_block:
        # Autocommit: the row is committed. (Under manual transaction management there is no
        # on_commit; saying it now is the best there is, and the page expires anyway.)
        bump(table)
        return
    for _sids, function, _robust in connection.run_on_commit:
        if isinstance(function, _Bump) and function.table == table:
            return
    transaction.on_commit(_Bump(table), using=connection.alias, robust=True)


def _wrapper(connection):
    def watch(execute, sql, params, many, context):
        result = execute(sql, params, many, context)
        if not isinstance(sql, str):
            return result
        reads = _reads.get()
        if _SELECT.match(sql):
            if reads is not None:
                tables = _TABLES.findall(sql)
                if tables:
                    reads.tables.update(tables)
                else:
                    reads.unknown = True
            return result
        if _QUIET.match(sql):
            return result
        if reads is not None:
            reads.wrote = True
        match = _WRITE.match(sql)
        table = match.group(1) if match else EVERYTHING
        if table not in IGNORED:
            _written(connection, table)
        return result

    watch.pagecache = True
    return watch


def install(connection) -> None:
    """Puts the watcher on a database connection (once: the list outlives reconnections)."""
    if not any(getattr(w, "pagecache", False) for w in connection.execute_wrappers):
        connection.execute_wrappers.insert(0, _wrapper(connection))


def _on_connection_created(sender, connection, **kwargs) -> None:
    install(connection)


connection_created.connect(_on_connection_created, dispatch_uid="networks.pagecache")


LOCAL_BACKENDS = (
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
)


@register(Tags.caches, deploy=True)
def check_shared_cache(app_configs=None, **kwargs):
    """A cache in one process's memory would not hear the writes of the others: their pages would
    be served stale."""
    backend = settings.CACHES["default"]["BACKEND"]
    if seconds() > 0 and backend in LOCAL_BACKENDS:
        return [
            Error(
                "Кэш страниц включён (PAGE_CACHE_SECONDS > 0), а кэш не общий для процессов.",
                hint="Укажите CACHE_URL=redis://… или PAGE_CACHE_SECONDS=0.",
                id="networks.E001",
            )
        ]
    return []


# --- Reads: the cached page ------------------------------------------------------------------------


def _generations(tables) -> dict[str, str]:
    keys = {_generation_key(t): t for t in tables}
    found = cache.get_many(list(keys))
    missing = {k: _token() for k in keys if k not in found}
    for key, token in missing.items():
        # add(): another process may be creating the same generation; whichever wins is read back.
        cache.add(key, token, timeout=None)
    if missing:
        found.update(cache.get_many(list(missing)))
    if len(found) != len(keys):
        raise LookupError("generation vanished")
    return {keys[k]: v for k, v in found.items()}


def _digest(*parts) -> str:
    return hashlib.sha256("\x1f".join(map(str, parts)).encode()).hexdigest()


def _cacheable(request) -> bool:
    if request.method != "GET" or not request.user.is_authenticated:
        return False
    # Inside a transaction the view may see its own writes, not yet committed nor announced.
    if connections[DEFAULT_DB_ALIAS].in_atomic_block:
        return False
    if not request.META.get("CSRF_COOKIE") or request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
        return False
    return not len(messages.get_messages(request))


def cached_page(view):
    """Serves the view's page from the shared cache while no table it read has changed (see the
    module's text). Put it inside @login_required: the key holds the user, so one person's page is
    never served to another, and refusals (anything but 200) are never stored."""

    name = f"{view.__module__}.{view.__qualname__}"

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        timeout = seconds()
        if timeout <= 0 or not _cacheable(request):
            return view(request, *args, **kwargs)
        base = _digest(
            name,
            request.get_full_path(),
            request.user.pk,
            _digest(request.META["CSRF_COOKIE"]),
            translation.get_language(),
            timezone.get_current_timezone_name(),
            timezone.localdate().isoformat(),
            request.headers.get("HX-Request", ""),
        )
        meta_key = f"pc:m:{base}"
        known = generations = None
        try:
            known = cache.get(meta_key)
            if known is not None:
                generations = _generations(known)
                stored = cache.get(f"pc:p:{_digest(base, sorted(generations.items()))}")
                if stored is not None:
                    content, content_type = stored
                    return HttpResponse(content, content_type=content_type)
        except Exception:  # the cache is down: build the page
            logger.exception("Кэш страниц недоступен")
            return view(request, *args, **kwargs)

        reads = _Reads()
        token = _reads.set(reads)
        try:
            response = view(request, *args, **kwargs)
            if hasattr(response, "render") and callable(response.render):
                response = response.render()
        finally:
            _reads.reset(token)
        if (
            response.status_code != 200
            or response.streaming
            or reads.unknown
            or reads.wrote
            or response.cookies
        ):
            return response
        tables = (reads.tables - IGNORED) | {get_user_model()._meta.db_table, EVERYTHING}
        try:
            if known is None or not tables <= set(known):
                # First build (or it read more than before): note what it reads; store the page
                # next time, under generations taken before it is built.
                cache.set(meta_key, sorted(tables | set(known or ())), timeout=META_SECONDS)
            else:
                value = (response.content, response["Content-Type"])
                cache.set(f"pc:p:{_digest(base, sorted(generations.items()))}", value, timeout)
        except Exception:  # the cache is down: the page is served anyway
            logger.exception("Кэш страниц недоступен")
        return response

    return wrapper
