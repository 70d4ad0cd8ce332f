"""Reading an order document: its requisites (issuer, kind, number, date, title) from the header
text, and its annex tables, recognised by the words of their headers — never by their position.

Pure functions over bytes; nothing here touches the database (plan.py does).

DOCX is read through python-docx's package (so a broken file is refused the same way everywhere)
but its tables are walked in the XML itself: python-docx repeats a merged cell once per grid
column it spans (gridSpan) and once per row it covers (vMerge), and builds its cell grid again
for every row, which is quadratic on a 500-row annex. Here each `w:tc` is read once, a
horizontally merged cell fills its columns with one value marked as a repeat (so it is read once),
and a vertically merged continuation takes the value of the cell above.

A PDF is read with pypdf for its text; its requisites are found the same way. A PDF without a text
layer (a scan) is refused with that reason; tables in a PDF are not recognised (the preview says
so and asks for the DOCX).
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from networks.search import fold

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"

# An order of forty pages is a few hundred kilobytes; the annexes of a big region a few thousand
# rows. More than this is not an order.
MAX_BYTES = 20 * 1024 * 1024
MAX_TABLE_ROWS = 5000
MAX_TABLES = 200
MAX_PDF_PAGES = 500

HEADER_LINES = 60  # the requisites are in the first lines of an order


class FileRefused(Exception):
    """The file cannot be read at all; the message says why, in Russian."""


# --- What the reading gives -----------------------------------------------------------------------


@dataclass
class Requisites:
    kind: str = ""  # Order.Kind value: prikaz, rasp, post
    number: str = ""
    date: dt.date | None = None
    title: str = ""
    issuer_text: str = ""


@dataclass
class Cell:
    text: str
    repeat: bool = False  # a horizontally merged cell's further columns


@dataclass
class Table:
    index: int  # 1-based, in the order of the document
    caption: str  # the text just before the table (its appendix and title)
    rows: list[list[Cell]]  # every row as the grid shows it

    def texts(self, row: int) -> list[str]:
        return [c.text for c in self.rows[row]]


@dataclass
class ParsedOrder:
    kind: str  # "docx" or "pdf"
    requisites: Requisites
    tables: list[Table] = field(default_factory=list)
    text_lines: int = 0
    pdf_without_tables: bool = False


# --- Files ------------------------------------------------------------------------------------------


def check_order_file(data: bytes, filename: str) -> str:
    """The cheap checks of the web request: size and kind by content. Returns "docx" or "pdf"."""
    if not data:
        raise FileRefused(_("файл пустой."))
    if len(data) > MAX_BYTES:
        raise FileRefused(
            _("файл больше %(mb)s МБ; приказ с приложениями столько не занимает.")
            % {"mb": MAX_BYTES // 2**20}
        )
    if data.startswith(b"%PDF-"):
        return "pdf"
    if data.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                names = set(archive.namelist())
                if len(names) > 2000:
                    raise FileRefused(_("это не документ Word."))
                if "word/document.xml" not in names:
                    raise FileRefused(
                        _("это не документ Word (DOCX). Сохраните приказ в формате DOCX или PDF.")
                    )
                # A document that unpacks to far more than it weighs is a zip bomb, not an order.
                unpacked = sum(i.file_size for i in archive.infolist())
                if unpacked > 200 * 1024 * 1024:
                    raise FileRefused(_("документ распаковывается в слишком большой объём."))
        except zipfile.BadZipFile as error:
            raise FileRefused(_("файл повреждён: это не документ DOCX.")) from error
        return "docx"
    raise FileRefused(
        _(
            "по содержимому это не DOCX и не PDF. Сохраните приказ в формате DOCX (Word) или PDF "
            "с текстовым слоем."
        )
    )


def parse_order(
    data: bytes, filename: str, *, progress: Callable[[int, int], None] | None = None
) -> ParsedOrder:
    kind = check_order_file(data, filename)
    if kind == "pdf":
        return _parse_pdf(data, progress=progress)
    return _parse_docx(data, progress=progress)


# --- DOCX ------------------------------------------------------------------------------------------


def _text_of(element) -> str:
    """The text of a paragraph or a cell: runs joined, tabs and breaks as spaces, paragraphs by
    new lines."""
    paragraphs = []
    for paragraph in element.iter(f"{W}p"):
        parts = []
        for node in paragraph.iter(f"{W}t", f"{W}tab", f"{W}br", f"{W}cr"):
            if node.tag == f"{W}t":
                parts.append(node.text or "")
            else:
                parts.append(" " if node.tag == f"{W}tab" else "\n")
        paragraphs.append("".join(parts))
    return "\n".join(paragraphs)


def _attr(element, path: str, default=None):
    found = element.find(path)
    if found is None:
        return default
    return found.get(f"{W}val", "") if found is not None else default


def _table_rows(tbl) -> list[list[Cell]]:
    rows: list[list[Cell]] = []
    above: dict[int, str] = {}  # column → text of the cell that a vertical merge continues
    for tr in tbl.iterchildren(f"{W}tr"):
        row: list[Cell] = []
        before = _attr(tr, f"{W}trPr/{W}gridBefore")
        for _skip in range(int(before) if before and before.isdigit() else 0):
            row.append(Cell(""))
        for tc in tr.iterchildren(f"{W}tc"):
            span = _attr(tc, f"{W}tcPr/{W}gridSpan")
            span = int(span) if span and span.isdigit() else 1
            merge = _attr(tc, f"{W}tcPr/{W}vMerge")
            column = len(row)
            if merge is not None and merge != "restart":
                text = above.get(column, "")  # continues the cell above: the same value
            else:
                text = _clean(_text_of(tc))
            for offset in range(span):
                row.append(Cell(text, repeat=offset > 0))
                above[column + offset] = text
        rows.append(row)
        if len(rows) > MAX_TABLE_ROWS:
            raise FileRefused(
                _("в таблице больше %(n)s строк; разделите приложение на части.")
                % {"n": MAX_TABLE_ROWS}
            )
    width = max((len(r) for r in rows), default=0)
    for row in rows:
        row.extend(Cell("") for _missing in range(width - len(row)))
    return rows


def _parse_docx(data: bytes, *, progress=None) -> ParsedOrder:
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, KeyError, ValueError, zipfile.BadZipFile) as error:
        raise FileRefused(_("файл повреждён или это не документ Word (DOCX).")) from error
    body = document.element.body
    lines: list[str] = []
    tables: list[Table] = []
    recent: list[str] = []  # the paragraphs just before a table: its caption
    blocks = list(body.iterchildren(f"{W}p", f"{W}tbl", f"{W}sdt"))
    total = len(blocks)
    for number, block in enumerate(blocks, 1):
        if block.tag == f"{W}tbl":
            if len(tables) >= MAX_TABLES:
                raise FileRefused(_("в документе слишком много таблиц."))
            rows = _table_rows(block)
            table = Table(index=len(tables) + 1, caption=" ".join(recent[-4:]), rows=rows)
            tables.append(table)
            # A small layout table at the top (the date on the left, the number on the right)
            # is part of the header text too.
            if len(lines) < HEADER_LINES:
                for row in rows[:4]:
                    lines.extend(c.text for c in row if c.text and not c.repeat)
            recent = []
        else:
            text = _clean(_text_of(block))
            if text:
                lines.extend(t for t in text.split("\n") if t.strip())
                recent.append(text)
                recent = recent[-6:]
        if progress and number % 200 == 0:
            progress(number, total)
    return ParsedOrder(
        kind="docx", requisites=read_requisites(lines), tables=tables, text_lines=len(lines)
    )


# --- PDF -------------------------------------------------------------------------------------------


def _parse_pdf(data: bytes, *, progress=None) -> ParsedOrder:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data))
        pages = reader.pages
        total = len(pages)
    except (PdfReadError, ValueError, KeyError, TypeError, OSError) as error:
        raise FileRefused(_("файл PDF повреждён и не читается.")) from error
    if total > MAX_PDF_PAGES:
        raise FileRefused(_("в PDF больше %(n)s страниц.") % {"n": MAX_PDF_PAGES})
    lines: list[str] = []
    for number, pdf_page in enumerate(pages, 1):
        try:
            text = pdf_page.extract_text() or ""
        except Exception as error:  # pypdf raises many kinds on a broken page
            raise FileRefused(_("страница %(n)s PDF не читается.") % {"n": number}) from error
        lines.extend(line for line in text.splitlines() if line.strip())
        if progress:
            progress(number, total)
    letters = sum(1 for ch in "".join(lines) if ch.isalpha())
    if letters < 20:
        raise FileRefused(
            _(
                "в PDF нет текстового слоя: похоже, это скан (изображение страниц), и прочитать "
                "его нельзя. Загрузите приказ в формате DOCX или PDF, сохранённый из текстового "
                "редактора."
            )
        )
    return ParsedOrder(
        kind="pdf",
        requisites=read_requisites([_clean(line) for line in lines]),
        tables=[],
        text_lines=len(lines),
        pdf_without_tables=True,
    )


# --- Requisites ------------------------------------------------------------------------------------

_SPACES = re.compile(r"[ \t\u00a0\u2009\u202f]+")
_KINDS = {
    "ПРИКАЗ": "prikaz",
    "РАСПОРЯЖЕНИЕ": "rasp",
    "ПОСТАНОВЛЕНИЕ": "post",
}
MONTHS = {
    "январ": 1,
    "феврал": 2,
    "март": 3,
    "апрел": 4,
    "ма": 5,
    "июн": 6,
    "июл": 7,
    "август": 8,
    "сентябр": 9,
    "октябр": 10,
    "ноябр": 11,
    "декабр": 12,
}
_DATE_DIGITS = re.compile(r"(?<!\d)(\d{1,2})\s*\.\s*(\d{1,2})\s*\.\s*(\d{4})(?!\d)")
_DATE_WORDS = re.compile(r"[«\"“]?\s*(\d{1,2})\s*[»\"”]?\s+([а-яё]+)\s+(\d{4})", re.IGNORECASE)
_NUMBER = re.compile(
    r"№\s*([0-9A-Za-zА-Яа-яЁё/\\.]+(?:[ \t]*[-–—][ \t]*[0-9A-Za-zА-Яа-яЁё/\\.]+)*)"
)
_BODY_STARTS = re.compile(
    r"^(в соответствии|в целях|во исполнение|в рамках|на основании|в связи|руководствуясь|"
    r"приказываю|п р и к а з ы в а ю|постановляю|обязываю)",
    re.IGNORECASE,
)
_TITLE_STARTS = re.compile(r"^(об?|о|об)\s", re.IGNORECASE)


def _clean(text: str) -> str:
    text = text.replace("**", "")
    return "\n".join(_SPACES.sub(" ", line).strip() for line in text.split("\n")).strip()


def _kind_of(line: str) -> str:
    squeezed = re.sub(r"\s+", "", line).upper()
    return _KINDS.get(squeezed, "")


def parse_date(text: str) -> dt.date | None:
    for match in _DATE_DIGITS.finditer(text):
        day, month, year = (int(g) for g in match.groups())
        try:
            return dt.date(year, month, day)
        except ValueError:
            continue
    for match in _DATE_WORDS.finditer(text):
        day, word, year = match.groups()
        word = word.lower()
        for stem, month in MONTHS.items():
            if word.startswith(stem) and (stem != "ма" or word in ("мая", "май")):
                try:
                    return dt.date(int(year), month, int(day))
                except ValueError:
                    break
    return None


def parse_number(text: str) -> str:
    match = _NUMBER.search(text)
    if not match:
        return ""
    number = re.sub(r"\s*[-–—]\s*", "-", match.group(1)).strip(".")
    return number


def read_requisites(lines: list[str]) -> Requisites:
    """The order's requisites from its first lines: the issuer's name above the kind word
    («ПРИКАЗ»), the date and «№ …» after it (on separate lines or on one: «от 12.09.2025 № 001»),
    then the title («О …», «Об …») up to the body («В соответствии…», «ПРИКАЗЫВАЮ»)."""
    head = [line for line in lines[:HEADER_LINES] if line]
    found = Requisites()
    kind_at = None
    for position, line in enumerate(head):
        kind = _kind_of(line) or _kind_of(line.split(" ")[0] if line else "")
        if kind:
            found.kind, kind_at = kind, position
            break
        # «ПРИКАЗ от 12.09.2025 № 001 …» on one line.
        first = line.split(" ", 1)[0]
        if _kind_of(first) and ("№" in line or _DATE_DIGITS.search(line)):
            found.kind, kind_at = _kind_of(first), position
            break
    start = kind_at if kind_at is not None else 0
    if kind_at is not None:
        issuer = [
            line for line in head[:kind_at] if not re.fullmatch(r"[\W\d_]*", line) and len(line) > 3
        ]
        found.issuer_text = " ".join(issuer)[:500]
    title_at = None
    for position in range(start, min(len(head), start + 12)):
        line = head[position]
        if _BODY_STARTS.match(line):
            break
        rest = line
        if position == kind_at:
            rest = line.split(" ", 1)[1] if " " in line else ""
        if found.date is None and (date := parse_date(rest)):
            found.date = date
        if not found.number and "№" in rest:
            found.number = parse_number(rest)
            after = rest.split("№", 1)[1]
            after = _NUMBER.sub("", "№" + after, count=1).strip(" ,.-")
            after = after.strip('«»"')
            if _TITLE_STARTS.match(after):
                found.title = after
                title_at = position
                break
            continue
        if found.number and _TITLE_STARTS.match(rest.strip('«»"')):
            title_at = position
            found.title = rest
            break
    if title_at is not None:
        for line in head[title_at + 1 : title_at + 8]:
            if _BODY_STARTS.match(line) or _kind_of(line) or len(found.title) > 480:
                break
            if line.endswith(":") or line.startswith(("1.", "1)")):
                break
            found.title = f"{found.title} {line}".strip()
    found.title = _unwrap(found.title.strip().rstrip("."))[:500]
    return found


def _unwrap(title: str) -> str:
    """«О создании …» → О создании …; quotes inside the title stay as they are."""
    if title.startswith("«") and title.endswith("»"):
        inner = title[1:-1]
        if inner.count("«") == inner.count("»"):
            return inner.strip()
    if title.startswith('"') and title.endswith('"') and '"' not in title[1:-1]:
        return title[1:-1].strip()
    if title.startswith("«") and title.count("«") > title.count("»"):
        return title[1:].strip()
    return title


# --- People in a cell --------------------------------------------------------------------------------

_UP = "А-ЯЁ"
_LOW = "а-яё"
_SURNAME = rf"[{_UP}][{_LOW}]+(?:-[{_UP}][{_LOW}]+)?"
_INITIALS = rf"[{_UP}]\.\s?[{_UP}]\.?"
PERSON = re.compile(
    rf"(?P<short>{_SURNAME}\s+{_INITIALS})"
    rf"|(?P<before>[{_UP}]\.\s?[{_UP}]\.\s?{_SURNAME})"
    rf"|(?P<full>{_SURNAME}\s+[{_UP}][{_LOW}]+\s+[{_UP}][{_LOW}]+(?:вна|вич|ична|ич|кызы|оглы))"
)
PHONE = re.compile(
    r"(?:\+7|8)[\s\-‐–(]*\d{3}[\s\-‐–)]*\d{3}[\s\-‐–]*\d{2}[\s\-‐–]*\d{2}(?!\d)"
    r"|(?<!\d)\d{1,2}[\s\-–]\d{2}[\s\-–]\d{2}(?!\d)"
)
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
URL = re.compile(
    r"(?:https?://|www\.)[^\s<>«»\"]+|\b[\w-]+(?:\.[\w-]+)*\.(?:ru|com|рф|org|net)/[^\s<>«»\"]*",
    re.IGNORECASE,
)


@dataclass
class Person:
    name: str
    position: str = ""
    phone: str = ""
    email: str = ""

    @property
    def surname(self) -> str:
        return name_parts(self.name)[0]


def name_parts(name: str) -> tuple[str, str]:
    """(surname, initials) of «Разаренова А.В.», «А.В. Разаренова» or «Разаренова Анна Викторовна»."""
    name = name.strip()
    match = re.fullmatch(rf"([{_UP}]\.)\s?([{_UP}]\.)\s?({_SURNAME})", name)
    if match:
        return match.group(3), match.group(1)[0] + match.group(2)[0]
    words = name.replace(".", ". ").split()
    if not words:
        return "", ""
    surname = words[0]
    initials = "".join(w[0] for w in words[1:3] if w and w[0].isalpha())
    return surname, initials


def people_in(text: str) -> list[Person]:
    """The people a cell names: «Разаренова А.В., главный специалист тел. 8-920-743-61-05
    Стародубцева А.В., специалист тел. 8-910-555-74-40» is two people, each with their phone
    (a «;» or a new line between them changes nothing)."""
    text = _SPACES.sub(" ", text.replace("\n", " ; ")).strip()
    matches = list(PERSON.finditer(text))
    people = []
    for number, match in enumerate(matches):
        end = matches[number + 1].start() if number + 1 < len(matches) else len(text)
        segment = text[match.end() : end]
        phone_match = PHONE.search(segment)
        email_match = EMAIL.search(segment)
        rest = segment
        for found in (phone_match, email_match):
            if found:
                rest = rest.replace(found.group(0), " ")
        rest = re.sub(r"\b(?:конт\.?\s*)?тел(?:ефон)?\.?:?", " ", rest, flags=re.IGNORECASE)
        rest = re.sub(r"\be-?mail:?", " ", rest, flags=re.IGNORECASE)
        rest = _SPACES.sub(" ", rest).strip(" ,;:.-–")
        # «специалист специалист» in 001 is a typing slip; a word said twice is said once.
        rest = re.sub(r"\b(\w+)( \1\b)+", r"\1", rest)
        name = match.group(0).strip()
        if match.group("short") and re.search(rf"[{_UP}]$", name):
            name += "."  # «Матюхина И.Ю» → «Матюхина И.Ю.»
        people.append(
            Person(
                name=re.sub(r"\.\s(?=[А-ЯЁ]\.)", ".", name),
                position=rest[:300],
                phone=phone_match.group(0).strip() if phone_match else "",
                email=email_match.group(0).lower() if email_match else "",
            )
        )
    return people


def links_in(text: str) -> list[str]:
    return [m.group(0).rstrip(".,;)") for m in URL.finditer(text)]


def without_links(text: str) -> str:
    return _SPACES.sub(" ", URL.sub(" ", text)).strip(" ,;-–")


def folded(text: str) -> str:
    return fold(text)


# --- Tables: recognised by their header words ---------------------------------------------------------

GROUPS, WORKING_GROUP, PAIRS = "groups", "working_group", "pairs"

# What each column is, by the words of its header (folded: lower case, ё as е). Checked in this
# order; a header may say two things («Название группы/ссылка на страницу»).
_COLUMN_WORDS: list[tuple[str, tuple[str, ...]]] = [
    ("admins", ("администратор", "модератор", "куратор", "ответственн", "контактн")),
    ("link", ("ссылк", "страниц", "адрес в сети", "url")),
    ("category", ("категори", "участники группы")),
    ("fio", ("фио", "ф.и.о", "фамилия")),
    ("position", ("должност",)),
    ("organisation", ("организаци", "место работы", "учреждени", "наименование оо")),
    ("role", ("роль", "статус в рабочей")),
    ("phone", ("телефон",)),
    ("email", ("почт", "e-mail", "email")),
    ("name", ("назван", "наименование групп", "групп", "сообществ")),
]
EXPECTED = {
    GROUPS: ("name", "link", "category", "admins"),
    WORKING_GROUP: ("fio", "position", "organisation"),
    PAIRS: ("mentor", "mentee", "mentor_organisation", "mentee_organisation"),
}
COLUMN_LABELS = {
    "name": _("Название"),
    "link": _("Ссылка на страницу"),
    "category": _("Категория участников"),
    "admins": _("Администраторы"),
    "fio": _("ФИО"),
    "position": _("Должность"),
    "organisation": _("Организация"),
    "mentor": _("Наставник"),
    "mentee": _("Наставляемый"),
    "mentor_organisation": _("Организация наставника"),
    "mentee_organisation": _("Организация наставляемого"),
    "curator": _("Куратор"),
}
_HEADER_WORDS = (
    *tuple(w for _key, words in _COLUMN_WORDS for w in words),
    "наставни",
    "наставляем",
    "№",
    "п/п",
)


@dataclass
class Row:
    line: int  # 1-based row of the table, header rows included (as the document shows it)
    number: str  # the numbering column's value, if any
    values: dict[str, str]


@dataclass
class TableReading:
    index: int
    caption: str
    kind: str | None  # GROUPS, WORKING_GROUP, PAIRS or None (not recognised)
    headers: dict[str, str]  # column key → the header as written
    missing: list[str]
    rows: list[Row]
    empty_rows: int = 0


def _is_number(text: str) -> bool:
    return bool(re.fullmatch(r"\d{1,5}[.)]?", text.strip()))


def _column_keys(header: str) -> set[str]:
    text = fold(header)
    if not text:
        return set()
    keys: set[str] = set()
    if text in ("№", "n", "no", "п/п", "№ п/п", "№п/п") or text.startswith(("№ п", "№п")):
        return {"number"}
    mentor = "наставник" in text or "наставники" in text
    mentee = "наставляем" in text
    if mentor or mentee:
        side = "mentee" if mentee else "mentor"
        if any(w in text for w in ("организаци", "оо", "школ", "учреждени", "место работы")):
            return {f"{side}_organisation"}
        if "должност" in text:
            return {f"{side}_position"}
        return {side}
    if "куратор" in text and "пар" in text:
        return {"curator"}
    for key, words in _COLUMN_WORDS:
        if any(w in text for w in words):
            keys.add(key)
    if "admins" in keys or "category" in keys:
        keys -= {"name", "phone"}
    if "fio" in keys:
        return {"fio"}
    if "role" in keys:
        return {"role"}
    return keys


def _looks_like_header(texts: list[str]) -> bool:
    cells = [fold(t) for t in dict.fromkeys(texts) if t.strip()]
    if not cells or _is_number(cells[0]):
        return False
    hits = sum(1 for c in cells if any(w in c for w in _HEADER_WORDS))
    return hits * 2 >= len(cells)


def _is_column_numbering(texts: list[str]) -> bool:
    cells = [t.strip().rstrip(".") for t in texts if t.strip()]
    return (
        len(cells) >= 2
        and all(c.isdigit() for c in cells)
        and cells == [str(n) for n in range(int(cells[0]), int(cells[0]) + len(cells))]
    )


def read_table(table: Table) -> TableReading:
    rows = table.rows
    reading = TableReading(table.index, table.caption, None, {}, [], [])
    if not rows or not _looks_like_header(table.texts(0)):
        return reading
    depth = 1
    first = table.texts(0)
    # A header of two rows: «Наставник» over «ФИО | Организация», or a cell merged down.
    if len(rows) > 1 and _looks_like_header(table.texts(1)):
        depth = 2
    headers: list[str] = []
    for column in range(len(first)):
        parts = []
        for row in range(depth):
            text = rows[row][column].text
            if text and text not in parts:
                parts.append(text)
        headers.append(" ".join(parts))
    columns: dict[str, int] = {}
    for column, header in enumerate(headers):
        if rows[0][column].repeat and depth == 1:
            continue
        for key in sorted(_column_keys(header)):
            columns.setdefault(key, column)
    reading.headers = {key: headers[column] for key, column in columns.items()}
    if "mentor" in columns and "mentee" in columns:
        reading.kind = PAIRS
    elif "fio" in columns:
        reading.kind = WORKING_GROUP
    elif ("name" in columns and ({"link", "admins", "category"} & set(columns))) or {
        "link",
        "admins",
    } <= set(columns):
        reading.kind = GROUPS
    else:
        return reading
    reading.missing = [key for key in EXPECTED[reading.kind] if key not in columns]
    if reading.kind == GROUPS and "name" not in columns and "link" in columns:
        columns["name"] = columns["link"]
    number_column = columns.get("number")
    body = rows[depth:]
    if body and _is_column_numbering([c.text for c in body[0]]):
        body, start = body[1:], depth + 2
    else:
        start = depth + 1
    previous: Row | None = None
    for offset, cells in enumerate(body):
        texts = ["" if c.repeat else c.text for c in cells]
        if not any(t.strip() for t in texts):
            reading.empty_rows += 1
            continue
        values = {key: texts[column] for key, column in columns.items() if key != "number"}
        if reading.kind == GROUPS and columns.get("link") == columns.get("name"):
            values["link"] = values.get("name", "")
        number = texts[number_column].strip() if number_column is not None else ""
        filled = [t for t in texts if t.strip()]
        if len(filled) == 1 and sum(1 for c in cells if not c.repeat) == 1 and len(cells) > 2:
            continue  # a section heading merged across the table («Начальное образование»)
        if number_column is not None and not number and previous is not None:
            # The rest of the row above, carried onto the next page (001, group 9).
            for key, text in values.items():
                if not text:
                    continue
                before = previous.values.get(key, "")
                joiner = "" if before.endswith("-") or not before else " "
                previous.values[key] = f"{before}{joiner}{text}".strip()
            continue
        previous = Row(line=start + offset, number=number.rstrip(".)"), values=values)
        reading.rows.append(previous)
    return reading


def read_tables(parsed: ParsedOrder) -> list[TableReading]:
    return [read_table(table) for table in parsed.tables]
