"""Order documents for the tests, built with python-docx from the seed orders' text and tables
(seed 001: МКУ «ЦНППМ г. Тулы», приказ от 16.09.2020 № 83-а, appendix 2 — the twelve «Вжурнале»
groups). The header of the groups table is two rows with merged cells, as word processors make
them: «№ п/п» merged down, «Группа» merged across its name and link columns."""

from __future__ import annotations

import io

import docx
from docx.enum.text import WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

ISSUER_LINES = [
    "МУНИЦИПАЛЬНОЕ КАЗЁННОЕ УЧРЕЖДЕНИЕ",
    "«ЦЕНТР НЕПРЕРЫВНОГО ПОВЫШЕНИЯ ПРОФЕССИОНАЛЬНОГО МАСТЕРСТВА",
    "ПЕДАГОГИЧЕСКИХ РАБОТНИКОВ ГОРОДА ТУЛЫ»",
    "(МКУ «ЦНППМ г. Тулы»)",
]
ISSUER_SHORT = "МКУ «ЦНППМ г. Тулы»"
ISSUER_FULL = (
    "Муниципальное казённое учреждение «Центр непрерывного повышения профессионального "
    "мастерства педагогических работников города Тулы»"
)
TITLE = (
    "Об утверждении локальных актов по реализации муниципальной программы сопровождения школ "
    "с низкими образовательными результатами в 2020-2021 учебном году"
)

# Order 001, appendix 2, as the seed gives it: name with link, category, administrators.
GROUPS_001 = [
    (
        "Вжурнале /дисциплины физико-математического цикла https://vk.com/club195082605",
        "Учителя математики, физики, астрономии, информатики и ИКТ",
        "Разаренова А.В., главный специалист тел. 8-920-743-61-05; Стародубцева А.В., специалист "
        "тел. 8-910-555-74-40",
    ),
    (
        "Вжурнале /начальное образование https://vk.com/clubnobr71",
        "Учителя начальных классов",
        "Пудова Е.Д., главный специалист тел.8-910-155-28-12 Шалимова А.Г., специалист "
        "тел.8-920-786-21-51",
    ),
    (
        "Вжурнале /дошкольное образование https://vk.com/club195082240",
        "Старшие воспитатели, воспитатели, музыкальные руководители, инструкторы по физической "
        "культуре",
        "Пудова Е.Д., главный специалист тел.8-910-155-28-12",
    ),
    (
        "Вжурнале /дисциплины гуманитарного цикла https://vk.com/club195082286",
        "Учителя иностранных языков, русского языка и литературы, истории и обществознания",
        "Шалимова А.Г. специалист тел.8-920-786-21-51",
    ),
    (
        "Вжурнале/дисциплины естественно-научной направленности https://vk.com/club195082568",
        "Учителя химии, биологии, географии",
        "Нефедьева Н.М. главный специалист 8-905-117-86-52",
    ),
    (
        "Вжурнале /учителя ОРКСЭ, ОДНКНР https://vk.com/club195082501",
        "Учителя основ мировых религиозных культур и основ духовно-нравственной культуры "
        "народов России, основ светской этики, основ православной культуры",
        "Антимонова В.В., ведущий специалист тел.8-910-703-88-19",
    ),
    (
        "Вжурнале /дисциплины развивающего цикла https://vk.com/club195082381",
        "Учителя изобразительного искусства, музыки, технологии",
        "Стародубцева А.В., специалист специалист тел. 8-910-555-74-40",
    ),
    (
        "Вжурнале/безопасность и здоровый образ жизни https://vk.com/club195082418",
        "Учителя и преподаватели основ безопасности жизнедеятельности, учителя физической "
        "культуры, педагоги-психологи",
        "Кравченко И.Н., главный специалист тел. 8-980-725-89-83",
    ),
    (
        "Вжурнале/педагогические работники – специалисты служб сопровождения "
        "https://vk.com/club195082463",
        "Социальные педагоги, учителя-логопеды, учителя-дефектологи",
        "Кравченко И.Н., главный специалист тел. 8-980-725-89-83",
    ),
    (
        "Вжурнале/педагоги дополнительного образования https://vk.com/club195082534",
        "Педагоги дополнительного образования",
        "Матюхина И.Ю, ведущий специалист тел. 8-930-893-98-25",
    ),
    (
        "Вжурнале/классные руководители https://vk.com/club198721238",
        "Классные руководители",
        "Матюхина И.Ю, ведущий специалист тел. 8-930-893-98-25",
    ),
    (
        "Вжурнале/школьные библиотекари https://vk.com/club198721425",
        "Школьные библиотекари",
        "Антимонова В.В., ведущий специалист тел.8-910-703-88-19",
    ),
]


def _merge_across(cell_a, cell_b, text: str):
    merged = cell_a.merge(cell_b)
    merged.text = text
    return merged


def header(document, *, number: str = "83 – а", date: str = "16.09.2020 г.", title=TITLE):
    for line in ISSUER_LINES:
        document.add_paragraph(line)
    document.add_paragraph("ПРИКАЗ")
    document.add_paragraph(date)
    document.add_paragraph(f"№ {number}")
    document.add_paragraph(title)
    document.add_paragraph(
        "Во исполнение п.4 приказа управления образования администрации города Тулы от "
        "26.06.2020 № 138-осн «О мероприятиях по повышению качества образования в 2020-2021 "
        "учебном году»"
    )
    document.add_paragraph("ПРИКАЗЫВАЮ:")
    document.add_paragraph("1. Утвердить: Положение о постоянно действующих сетевых группах.")
    document.add_paragraph("Директор А.С. Честных")


def groups_table(document, rows, *, merged_header: bool = True, columns: int = 4):
    """The appendix's table. With merged_header, a two-row header: «№ п/п» and the last two
    columns merged down, «Сетевая профессиональная группа» merged across «Название» and
    «Ссылка на страницу группы» (python-docx repeats such cells; the reader must not)."""
    document.add_paragraph("Приложение к Положению о сетевых профессиональных группах")
    document.add_paragraph(
        "Перечень сетевых профессиональных групп педагогических работников муниципальных "
        "образовательных организаций"
    )
    if merged_header:
        table = document.add_table(rows=2, cols=5)
        top, sub = table.rows[0].cells, table.rows[1].cells
        top[0].merge(sub[0]).text = "№ п/п"
        _merge_across(top[1], top[2], "Сетевая профессиональная группа")
        sub[1].text = "Название"
        sub[2].text = "Ссылка на страницу группы"
        top[3].merge(sub[3]).text = "Категория участников"
        top[4].merge(
            sub[4]
        ).text = "Администраторы сетевой профессиональной группы/контактный телефон"
        for number, (name, category, admins) in enumerate(rows, 1):
            link = name.rsplit(" ", 1)[1] if " http" in name else ""
            title = name.rsplit(" ", 1)[0] if link else name
            cells = table.add_row().cells
            for cell, text in zip(
                cells, (f"{number}.", title, link, category, admins), strict=True
            ):
                cell.text = text
        return table
    headers = [
        "№ п/п",
        "Название сетевой профессиональной группы/ссылка на страницу группы",
        "Категория участников",
        "Администраторы сетевой профессиональной группы/контактный телефон",
    ][:columns]
    table = document.add_table(rows=1, cols=len(headers))
    for cell, text in zip(table.rows[0].cells, headers, strict=True):
        cell.text = text
    for number, row in enumerate(rows, 1):
        cells = table.add_row().cells
        for cell, text in zip(cells, (f"{number}.", *row)[: len(headers)], strict=True):
            cell.text = text
    return table


def working_group_table(document, people):
    document.add_paragraph("Приложение 5")
    document.add_paragraph("Состав рабочей группы по реализации Программы")
    table = document.add_table(rows=1, cols=4)
    for cell, text in zip(
        table.rows[0].cells, ("№", "ФИО", "Должность", "Организация"), strict=True
    ):
        cell.text = text
    for number, (name, position, organisation) in enumerate(people, 1):
        cells = table.add_row().cells
        for cell, text in zip(cells, (str(number), name, position, organisation), strict=True):
            cell.text = text
    return table


def pairs_table(document, pairs):
    """Наставник and Наставляемый each merged across «ФИО» and «Организация» below them."""
    document.add_paragraph("Перечень сетевых пар руководителей")
    table = document.add_table(rows=2, cols=5)
    top, sub = table.rows[0].cells, table.rows[1].cells
    top[0].merge(sub[0]).text = "№"
    _merge_across(top[1], top[2], "Наставник")
    _merge_across(top[3], top[4], "Наставляемый")
    for cell, text in zip(sub[1:], ("ФИО", "Организация", "ФИО", "Организация"), strict=True):
        cell.text = text
    for number, row in enumerate(pairs, 1):
        cells = table.add_row().cells
        for cell, text in zip(cells, (str(number), *row), strict=True):
            cell.text = text
    return table


def to_bytes(document) -> bytes:
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def order_001(rows=GROUPS_001, **kwargs) -> bytes:
    document = docx.Document()
    header(document)
    groups_table(document, rows, **kwargs)
    return to_bytes(document)


def page_break(document) -> None:
    document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


SURNAMES = [
    "Иванов",
    "Петров",
    "Сидоров",
    "Кузнецов",
    "Смирнов",
    "Попов",
    "Васильев",
    "Соколов",
    "Михайлов",
    "Новиков",
    "Фёдоров",
    "Морозов",
    "Волков",
    "Алексеев",
    "Лебедев",
    "Семёнов",
    "Егоров",
    "Павлов",
    "Козлов",
    "Степанов",
    "Николаев",
    "Орлов",
    "Андреев",
    "Макаров",
]


def big_order(*, pages: int = 40, rows: int = 500) -> bytes:
    """A 40-page order with a 500-row annex: pages of the regulation's text, then the groups."""
    document = docx.Document()
    header(document)
    paragraph = (
        "Сетевые профессиональные группы способствуют развитию системы непрерывного повышения "
        "профессионального мастерства педагогических работников муниципальной системы "
        "образования в соответствии с концепцией неформального обучения (micro-learning). "
    ) * 3
    for page in range(pages):
        for clause in range(1, 9):
            document.add_paragraph(f"{page + 1}.{clause}. {paragraph}")
        page_break(document)
    many = [
        (
            f"Вжурнале/группа № {n} https://vk.com/club{100000 + n}",
            "Учителя математики, физики",
            f"{SURNAMES[n % len(SURNAMES)]} А.В., специалист тел. 8-920-{n % 1000:03d}-61-05; "
            f"{SURNAMES[(n * 7) % len(SURNAMES)]}а Е.Д., главный специалист "
            f"тел. 8-910-155-{n % 100:02d}-12",
        )
        for n in range(1, rows + 1)
    ]
    groups_table(document, many)
    return to_bytes(document)


def no_table_order() -> bytes:
    document = docx.Document()
    header(document)
    document.add_paragraph("Приложение: Положение о сообществе (текст без таблиц).")
    return to_bytes(document)


def _set_vmerge_restart(cell) -> None:
    tc_pr = cell._tc.get_or_add_tcPr()
    merge = OxmlElement("w:vMerge")
    merge.set(qn("w:val"), "restart")
    tc_pr.append(merge)
