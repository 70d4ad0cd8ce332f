"""A structure's public page, switched on by its coordinator (issue 16): what anybody may read
without signing in — the founding order and the regulation with their files, the host, whom to
contact, the approved plan of the school year and the upcoming events — and the lists of such
pages per region, linked from the pages people see before signing in.

It lives in communities, not networks, because it shows plans and events (communities' models) and
the arrows point down only (pyproject.toml, `[tool.importlinter]`).

- `selectors.py` — the reads, each page in a fixed number of queries, and the ETags;
- `http.py` — the one decorator that makes an answer the same for every visitor and cacheable;
- `views.py` — the public pages and files (no session, no user), and the coordinator's switch;
- `permissions.py`, `services.py` — who may switch the page on or off, and the switch itself;
- `panels.py` — the switch on the structure's own page (networks.hooks).
"""
