"""How people, dates and file names are written in documents."""

from __future__ import annotations

import datetime as dt
import re

__all__ = ["file_name", "ru_date", "signature_name"]


def signature_name(user) -> str:
    """«Т.И. Макарова»: initials before the surname, as a signature is typed (ГОСТ Р 7.0.97-2016,
    п. 5.23)."""
    if user is None:
        return ""
    initials = "".join(f"{p[0]}." for p in (user.first_name, user.patronymic) if p)
    return f"{initials} {user.last_name}".strip()


def ru_date(value: dt.date | dt.datetime | None) -> str:
    return f"{value:%d.%m.%Y}" if value else ""


_UNSAFE = re.compile(r'[\\/:*?"<>|«»\r\n\t]+')


def file_name(*parts: str, extension: str = "docx", limit: int = 99, separator: str = "_") -> str:
    """«Протокол_№_3_ММО_математиков_14.10.2026.docx»: the parts joined by «_», characters a file
    system refuses taken out, the longest part (the structure's name) shortened at a word so that
    the whole stays under `limit` characters. With a separator such as « — » the parts keep their
    spaces («Анализ работы … — Межшкольное объединение — 10.07.2021.docx»)."""
    space = " " if " " in separator else "_"
    cleaned = [re.sub(r"\s+", space, _UNSAFE.sub(" ", p).strip()) for p in parts if p]
    suffix = f".{extension}"
    while len(separator.join(cleaned)) + len(suffix) > limit:
        longest = max(range(len(cleaned)), key=lambda i: len(cleaned[i]))
        part = cleaned[longest]
        cut = part[: max(len(part) - (len(separator.join(cleaned)) + len(suffix) - limit), 1)]
        cut = cut.rsplit(space, 1)[0] if space in cut[3:] else cut
        if cut == part:
            cut = part[:-1]
        cleaned[longest] = cut.rstrip("_.- ")
    return separator.join(cleaned) + suffix
