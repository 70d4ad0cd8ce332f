"""Small helpers shared by tests."""

from networks.pagecache import is_bump


def own(callbacks: list) -> list:
    """The on-commit callbacks a service registered, without the page cache's generation bumps
    (networks/pagecache.py registers one per table a transaction writes)."""
    return [c for c in callbacks if not is_bump(c)]
