"""Orders and programmes: those of the seeds exactly as printed, plus made-up status lists.

The seeds cite the list of ШНОР/ШССУ only for Tula (order № 640 of 28.05.2020). The other territories
and the current school year get made-up regional lists so that every school shows a status; their
numbers do not come from any real document.
"""

from __future__ import annotations

import datetime as dt

from networks.models import Order

PRIKAZ = Order.Kind.PRIKAZ
RASP = Order.Kind.RASPORYAZHENIE

LOW_RESULTS_PROJECT = (
    "О реализации проекта по организации методической поддержки общеобразовательных организаций "
    "Волгоградской области, имеющих низкие образовательные результаты обучающихся"
)
MENTORING_PROJECT = (
    "Сетевое наставничество во взаимодействии школ с высокими и низкими образовательными "
    "результатами обучающихся"
)
KURSK_MEASURES = (
    "мер, направленных на создание условий для получения качественного общего "
    "образования в образовательных организациях со стабильно низкими образовательными результатами"
)
MADE_UP_LIST_TITLE = (
    "Об утверждении перечней школ с низкими образовательными результатами, школ, функционирующих "
    "в неблагоприятных социальных условиях, и школ со стабильно высокими образовательными "
    "результатами на {label} учебный год"
)

# key: issuer, kind, number, date, title
ORDERS = {
    # --- Seed 000 and the orders it cites
    "vgapo-129": {
        "issuer": "vgapo",
        "kind": PRIKAZ,
        "number": "129",
        "date": dt.date(2021, 5, 29),
        "title": 'О создании профессионального сообщества Мастерская управления "Траектория '
        'развития школы"',
    },
    "vlg-41": {
        "issuer": "vlg-committee",
        "kind": PRIKAZ,
        "number": "41",
        "date": dt.date(2021, 1, 21),
        "title": LOW_RESULTS_PROJECT,
    },
    "vlg-110": {
        "issuer": "vlg-committee",
        "kind": PRIKAZ,
        "number": "110",
        "date": dt.date(2021, 2, 15),
        "title": LOW_RESULTS_PROJECT.replace(
            "О реализации проекта", "О реализации мероприятий проекта"
        ),
    },
    # --- Seed 001 and the orders it cites
    "cnppm-83a": {
        "issuer": "cnppm",
        "kind": PRIKAZ,
        "number": "83-а",
        "date": dt.date(2020, 9, 16),
        "title": "Об утверждении локальных актов по реализации муниципальной программы "
        "сопровождения школ с низкими образовательными результатами в 2020-2021 учебном году",
    },
    "tula-uo-138": {
        "issuer": "tula-uo",
        "kind": PRIKAZ,
        "number": "138-осн",
        "date": dt.date(2020, 6, 26),
        "title": "О мероприятиях по повышению качества образования в 2020-2021 учебном году",
    },
    "tula-640": {
        "issuer": "tula-ministry",
        "kind": PRIKAZ,
        "number": "640",
        "date": dt.date(2020, 5, 28),
        "title": "Об утверждении списка школ с низкими результатами обучения и школ, "
        "функционирующих в сложных социальных условиях",
    },
    # --- Seed 002 and the project it cites (the title of 235-р is not quoted; reconstructed)
    "pri-364": {
        "issuer": "pri-committee",
        "kind": RASP,
        "number": "364-р",
        "date": dt.date(2021, 3, 11),
        "title": "Об организации деятельности стажировочной площадки",
    },
    "pri-235": {
        "issuer": "pri-committee",
        "kind": RASP,
        "number": "235-р",
        "date": dt.date(2021, 3, 1),
        "title": f"Об утверждении муниципального проекта «{MENTORING_PROJECT}»",
    },
    # --- Seed 003 and the regional order it cites
    "dmi-1-139-1": {
        "issuer": "dmi-uo",
        "kind": PRIKAZ,
        "number": "1-139/1",
        "date": dt.date(2017, 5, 22),
        "title": "О создании муниципального центра сетевого взаимодействия по повышению "
        "качества образования",
    },
    "kursk-1-1041": {
        "issuer": "kursk-committee",
        "kind": PRIKAZ,
        "number": "1-1041",
        "date": dt.date(2016, 11, 30),
        "title": f"Об утверждении комплекса {KURSK_MEASURES}",
    },
    # --- Seed 004
    "pav-79": {
        "issuer": "pav-uo",
        "kind": PRIKAZ,
        "number": "79",
        "date": dt.date(2022, 2, 11),
        "title": "Об утверждении положения о сетевом сообществе педагогов школ с низкими "
        "образовательными результатами",
    },
    # --- Made up: the lists of schools for the founding school years the seeds do not cite
    "tula-leaders-2020": {
        "issuer": "tula-ministry",
        "kind": PRIKAZ,
        "number": "702",
        "date": dt.date(2020, 6, 15),
        "title": "Об утверждении перечня школ со стабильно высокими образовательными "
        "результатами на 2020/2021 учебный год",
    },
    "vlg-list-2020": {
        "issuer": "vlg-committee",
        "kind": PRIKAZ,
        "number": "598",
        "date": dt.date(2020, 8, 24),
        "title": MADE_UP_LIST_TITLE.format(label="2020/2021"),
    },
    "lo-list-2020": {
        "issuer": "lo-committee",
        "kind": RASP,
        "number": "1561-р",
        "date": dt.date(2020, 9, 10),
        "title": MADE_UP_LIST_TITLE.format(label="2020/2021"),
    },
    "kursk-list-2016": {
        "issuer": "kursk-committee",
        "kind": PRIKAZ,
        "number": "1-57",
        "date": dt.date(2017, 1, 20),
        "title": MADE_UP_LIST_TITLE.format(label="2016/2017"),
    },
    "kuban-list-2021": {
        "issuer": "kuban-ministry",
        "kind": PRIKAZ,
        "number": "1862",
        "date": dt.date(2021, 8, 20),
        "title": MADE_UP_LIST_TITLE.format(label="2021/2022"),
    },
}

# The list that set the statuses of the founding school year, by (region code, school year).
# The year is the one of the founding order of the territory's structure (29.05.2021 → 2020/2021).
FOUNDING_LISTS = {
    ("34", 2020): "vlg-list-2020",
    ("71", 2020): "tula-640",
    ("47", 2020): "lo-list-2020",
    ("46", 2016): "kursk-list-2016",
    ("23", 2021): "kuban-list-2021",
}
# № 640 lists only ШНОР and ШССУ, so Tula's leaders of 2020/2021 come from a separate list.
FOUNDING_LEADER_LISTS = {("71", 2020): "tula-leaders-2020"}
FOUNDING_YEAR = dict(FOUNDING_LISTS.keys())  # region code → founding school year

# Made-up lists of the current school year: region code → (issuer, kind, number).
CURRENT_LISTS = {
    "34": ("vlg-committee", PRIKAZ, "612"),
    "71": ("tula-ministry", PRIKAZ, "731"),
    "47": ("lo-committee", RASP, "1498-р"),
    "46": ("kursk-committee", PRIKAZ, "1-812"),
    "23": ("kuban-ministry", PRIKAZ, "2254"),
}


def current_list_key(region: str) -> str:
    return f"list-{region}-current"


def year_list_key(region: str, year: int) -> str:
    return f"list-{region}-{year}"


def past_list_orders(current: int) -> dict[str, dict]:
    """Made-up lists of the school years between a territory's founding list and the current
    one, so that every school year the demo shows has its ШНОР, ШССУ and leaders (issue 18: a
    report of last year counted no school of any category). Same issuer and number as the
    current list, approved at the end of the summer before each year."""
    return {
        year_list_key(region, year): {
            "issuer": issuer,
            "kind": kind,
            "number": number,
            "date": dt.date(year, 8, 25),
            "title": MADE_UP_LIST_TITLE.format(label=f"{year}/{year + 1}"),
        }
        for region, (issuer, kind, number) in CURRENT_LISTS.items()
        for year in range(FOUNDING_YEAR[region] + 1, current)
    }


def current_list_orders(year: int) -> dict[str, dict]:
    """The made-up lists for the current school year, approved at the end of the summer before."""
    return {
        current_list_key(region): {
            "issuer": issuer,
            "kind": kind,
            "number": number,
            "date": dt.date(year, 8, 25),
            "title": MADE_UP_LIST_TITLE.format(label=f"{year}/{year + 1}"),
        }
        for region, (issuer, kind, number) in CURRENT_LISTS.items()
    }


# key: title, owner, order (None: the seeds cite none), region, municipality, period
PROGRAMMES = {
    "vlg-project": {
        "title": "Проект по организации методической поддержки общеобразовательных организаций "
        "Волгоградской области, имеющих низкие образовательные результаты обучающихся",
        "owner": "vlg-committee",
        "order": "vlg-41",
        "region": "34",
        "municipality": None,
        "starts_on": dt.date(2021, 1, 21),
        "ends_on": None,
    },
    "tula-programme": {
        "title": "Муниципальная программа сопровождения школ с низкими образовательными "
        "результатами в 2020-2021 учебном году",
        "owner": "tula-uo",
        "order": "tula-uo-138",
        "region": "71",
        "municipality": "tula",
        "starts_on": dt.date(2020, 9, 1),
        "ends_on": dt.date(2021, 8, 31),
    },
    "pri-project": {
        "title": f"Муниципальный проект «{MENTORING_PROJECT}»",
        "owner": "pri-committee",
        "order": "pri-235",
        "region": "47",
        "municipality": "priozersk",
        "starts_on": dt.date(2021, 1, 1),  # «январь 2021 года – май 2023 года» (002, п. 1.2)
        "ends_on": dt.date(2023, 5, 31),
    },
    "kursk-measures": {
        "title": f"Комплекс {KURSK_MEASURES}",
        "owner": "kursk-committee",
        "order": "kursk-1-1041",
        "region": "46",
        "municipality": None,
        "starts_on": dt.date(2016, 11, 30),
        "ends_on": None,
    },
    "pav-roadmap": {
        "title": "Дорожная карта по методическому сопровождению системы работы со ШНОР/ШССУ "
        "в Павловском районе",
        "owner": "pav-uo",
        "order": None,
        "region": "23",
        "municipality": "pavlovsky",
        "starts_on": dt.date(2021, 9, 1),  # made up: the seed gives no period
        "ends_on": None,
    },
}
