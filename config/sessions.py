"""Sessions kept in the database and read from the shared cache (issue 19).

Every page read its session row from PostgreSQL before the view ran: one query of the few every
page cannot do without. In production (`SESSION_ENGINE = "config.sessions"`, set when the cache is
Redis, shared by every gunicorn process) a page finds its session in the cache instead; the row in
`django_session` stays the record, written first, and a session whose cache entry is missing or
unreadable is read from it. Django's cached_db store does this, with two differences here:

- **Redis failing never fails a page.** Django's store tolerates a failed read and a failed write
  of the cache but not a failed `set` after reading the row, nor a failed `delete` or `exists`.
  Here each cache call that fails is logged and taken as a miss: the database answers.
- **A cache entry lives `SESSION_CACHE_SECONDS` (300 s by default), not the session's age.** A
  sign-out deletes the cache entry too; if Redis cannot be reached at that moment, the entry it
  still holds outlives the row by at most this long, not by the two weeks a session lasts.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.contrib.sessions.backends import cached_db
from django.contrib.sessions.backends.db import SessionStore as DBStore

logger = logging.getLogger("django.contrib.sessions")


def _cache_seconds() -> int:
    return int(getattr(settings, "SESSION_CACHE_SECONDS", 300))


class SessionStore(cached_db.SessionStore):
    def _cache_call(self, method: str, *args):
        try:
            return getattr(self._cache, method)(*args)
        except Exception:
            logger.exception(
                "Session cache %s failed (%s); the database answers", method, self._cache
            )
            return None

    def load(self):
        data = self._cache_call("get", self.cache_key)
        if data is not None:
            return data
        row = self._get_session_from_db()
        if not row:
            return {}
        data = self.decode(row.session_data)
        self._cache_call("set", self.cache_key, data, self._cache_age(row.expire_date))
        return data

    def _cache_age(self, expiry=None) -> int:
        return max(0, min(_cache_seconds(), self.get_expiry_age(expiry=expiry)))

    def exists(self, session_key):
        if session_key and self._cache_call("has_key", self.cache_key_prefix + session_key):
            return True
        return DBStore.exists(self, session_key)

    def save(self, must_create=False):
        DBStore.save(self, must_create)
        self._cache_call("set", self.cache_key, self._session, self._cache_age())

    def delete(self, session_key=None):
        DBStore.delete(self, session_key)
        if session_key is None:
            if self.session_key is None:
                return
            session_key = self.session_key
        self._cache_call("delete", self.cache_key_prefix + session_key)
