"""The structures the five orders set up (S1–S8) and who works in them.

Names, founding orders, regulations, links and participant categories come from the seeds; the
members are the people of `people.py`. Each structure is a dict; `members` holds tuples
(person, role) or (person, role, since) or (person, role, since, elected_on); `since` defaults to
the structure's `members_since`, else to the day it was established (the founding order's date).
"""

from __future__ import annotations

import datetime as dt

from networks.models import ClosingReason
from networks.models import Role as R

from .documents import MENTORING_PROJECT
from .people import PEOPLE
from .territory import ORGANISATIONS, SCHOOLS


def org_short_name(key: str) -> str:
    return ORGANISATIONS[key]["short_name"] if key in ORGANISATIONS else SCHOOLS[key][2]


def person_org_short_name(person: str) -> str:
    return org_short_name(PEOPLE[person][4])


# --- S3: the twelve «Вжурнале» groups, table of seed 001, Приложение 2 -----------------------------
# title, link, participant category, administrators, made-up members
# fmt: off
VZHURNALE = [
    ("дисциплины физико-математического цикла", "https://vk.com/club195082605",
     "Учителя математики, физики, астрономии, информатики и ИКТ",
     ["razarenova", "starodubtseva"], ["ermakova", "lebedev"]),
    ("начальное образование", "https://vk.com/clubnobr71", "Учителя начальных классов",
     ["pudova", "shalimova"], ["polyakova"]),
    ("дошкольное образование", "https://vk.com/club195082240",
     "Старшие воспитатели, воспитатели, музыкальные руководители, инструкторы по физической "
     "культуре", ["pudova"], []),
    ("дисциплины гуманитарного цикла", "https://vk.com/club195082286",
     "Учителя иностранных языков, русского языка и литературы, истории и обществознания",
     ["shalimova"], ["semenova", "grishina"]),
    ("дисциплины естественно-научной направленности", "https://vk.com/club195082568",
     "Учителя химии, биологии, географии", ["nefedyeva"], ["vasilyeva"]),
    ("учителя ОРКСЭ, ОДНКНР", "https://vk.com/club195082501",
     "Учителя основ мировых религиозных культур и основ духовно-нравственной культуры народов "
     "России, основ светской этики, основ православной культуры", ["antimonova"], []),
    ("дисциплины развивающего цикла", "https://vk.com/club195082381",
     "Учителя изобразительного искусства, музыки, технологии", ["starodubtseva"], []),
    ("безопасность и здоровый образ жизни", "https://vk.com/club195082418",
     "Учителя и преподаватели основ безопасности жизнедеятельности, учителя физической культуры, "
     "педагоги-психологи", ["kravchenko"], ["orlova"]),
    ("педагогические работники – специалисты служб сопровождения", "https://vk.com/club195082463",
     "Социальные педагоги, учителя-логопеды, учителя-дефектологи", ["kravchenko"], []),
    ("педагоги дополнительного образования", "https://vk.com/club195082534",
     "Педагоги дополнительного образования", ["matyukhina"], []),
    ("классные руководители", "https://vk.com/club198721238", "Классные руководители",
     ["matyukhina"], ["grishina"]),
    ("школьные библиотекари", "https://vk.com/club198721425", "Школьные библиотекари",
     ["antimonova"], ["romanova"]),
]
# fmt: on

# --- S4: network pairs of leaders. mentee (head/deputy of a ШНОР of 2020/2021 by № 640), mentor
# (head/deputy of a leader school or of an additional-education organisation), curator (ЦНППМ).
PAIRS = [
    ("demo-director", "makarova", "demo-coordinator"),
    ("nikitina", "frolov", "demo-coordinator"),
    ("zhuravlev", "gusev", "demo-coordinator"),
]
PAIRS_SINCE = dt.date(2020, 9, 21)

# --- S8: subject sub-communities: name, participant category, moderator (tutor of a leader
# school), ШНОР teachers.
# fmt: off
PAVLOVSKY_SUBJECTS = [
    ("Предметное сообщество учителей математики", "Учителя математики", "kravets",
     ["zaitseva", "koval"]),
    ("Предметное сообщество учителей русского языка и литературы",
     "Учителя русского языка и литературы", "bondarenko", ["nesterenko"]),
    ("Предметное сообщество учителей начальных классов", "Учителя начальных классов", "grechko",
     ["moroz"]),
]
# fmt: on

_TULA = {"host": "cnppm", "order": "cnppm-83a", "programme": "tula-programme"}
_PAVLOVSKY = {"host": "pav-uo", "order": "pav-79", "programme": "pav-roadmap"}

STRUCTURES: list[dict] = [
    {
        "key": "s1",
        "kind": "S1",
        "name": 'Мастерская управления "Траектория развития школы"',
        "host": "vgapo",
        "order": "vgapo-129",
        "programme": "vlg-project",
        "regulation_title": "Положение о деятельности профессионального сообщества Мастерская "
        'управления "Траектория развития школы"',
        "platform_url": "https://traektoriya34.ru/community/soobschestvo/",
        # Issue 16: its public page is on (000 §5: managers register on the community page).
        "public_page": True,
        "description": "Добровольное профессиональное объединение управленческих и педагогических "
        "работников школ с низкими образовательными результатами и школ, показывающих стабильно "
        "высокие образовательные результаты. Участником может стать управленческий работник — "
        "куратор ШНОР или ШССУ, зарегистрированный на странице сообщества.",
        # R-VLG-5.1: members register on the community page after the community is set up.
        "members_since": dt.date(2021, 9, 1),
        "members": [
            ("golovanova", R.COORDINATOR, dt.date(2021, 5, 29)),
            ("bykova", R.MODERATOR),
            ("kolesnikov", R.MEMBER),
            ("avdeeva", R.MEMBER),
            ("chernova", R.MEMBER),
            ("sukhov", R.MEMBER),
            ("trofimova", R.MEMBER),
        ],
    },
    {
        **_TULA,
        "key": "s2",
        "kind": "S2",
        "name": "Консультационный совет «РОСТ»",
        "regulation_title": "Положение о постоянно действующем в сети Интернет консультационном "
        "совете (Приложение 1)",
        "participant_category": "Руководители и заместители руководителя ШНОР, руководители "
        "школ со стабильно высокими результатами, специалисты МБУДО «Центр ППСС»",
        "description": "Постоянно действующее в сети «ВКонтакте» совещательное, консультационное "
        "сообщество, обеспечивающее взаимодействие руководителей школ с низкими образовательными "
        "результатами и членов Совета. Цель — адресная дистанционно-консультационная поддержка "
        "руководящих кадров ШНОР по вопросам перевода школы в эффективный режим работы.",
        "members": [
            ("demo-coordinator", R.CHAIR),  # R-TUL-A1-3.1.1: from the monitoring department
            ("zakharova", R.ADMINISTRATOR),  # R-TUL-A1-5.2
            ("demo-methodist", R.WORKING_GROUP),  # R-TUL-A1-5.1: content by the working group
            ("tikhonov", R.WORKING_GROUP),
            ("demo-director", R.MEMBER),
            ("nikitina", R.MEMBER),
            ("zhuravlev", R.MEMBER),
            ("kiseleva", R.MEMBER),
            ("makarova", R.MEMBER),
            ("frolov", R.MEMBER),
            ("orlova", R.MEMBER),
        ],
    },
    {
        **_TULA,
        "key": "s3",
        "kind": "S3",
        "name": "Сетевые профессиональные группы Vk «Вжурнале»",
        "regulation_title": "Положение о постоянно действующих сетевых профессиональных группах "
        "Vk «Вжурнале» педагогов, специалистов служб сопровождения, школьных библиотекарей "
        "муниципальных образовательных организаций (Приложение 2)",
        "participant_category": "Педагоги, специалисты служб сопровождения, школьные "
        "библиотекари муниципальных образовательных организаций",
        "description": "Сетевые сообщества педагогов, работающих в одинаковых предметных "
        "областях, классных руководителей, специалистов служб сопровождения и школьных "
        "библиотекарей во «ВКонтакте». Цель — непрерывное повышение профессионального мастерства "
        "педагогов, в том числе педагогов школ с низкими образовательными результатами.",
        "members": [("demo-coordinator", R.ADMINISTRATOR)],
    },
    *[
        {
            **_TULA,
            "key": f"s3-{number}",
            "kind": "S3",
            "parent": "s3",
            "name": f"Вжурнале / {title}",
            "platform_url": url,
            "participant_category": category,
            "regulation_title": "Положение о постоянно действующих сетевых профессиональных "
            "группах Vk «Вжурнале» (Приложение 2)",
            "description": "Сетевая профессиональная группа во «ВКонтакте»: обмен опытом, "
            "информирование об образовательных событиях, консультативная помощь педагогам, в том "
            "числе педагогам школ с низкими образовательными результатами.",
            "members": [(a, R.ADMINISTRATOR) for a in admins] + [(m, R.MEMBER) for m in members],
        }
        for number, (title, url, category, admins, members) in enumerate(VZHURNALE, start=1)
    ],
    *[
        {
            **_TULA,
            "key": f"s4-{mentee}",
            "kind": "S4",
            "name": f"Сетевая пара: {person_org_short_name(mentee)} — "
            f"{person_org_short_name(mentor)}",
            "regulation_title": "Положение о сетевой паре руководителей (Приложение 3)",
            "description": "Организованное взаимодействие двух руководителей (заместителей "
            "руководителя): один представляет школу с низкими образовательными результатами, "
            "второй — образовательную организацию – сетевого партнёра. Формы: наставничество, "
            "консультирование, «мозговой штурм».",
            "members_since": PAIRS_SINCE,
            "members": [(curator, R.CURATOR), (mentor, R.MENTOR), (mentee, R.MENTEE)],
        }
        for mentee, mentor, curator in PAIRS
    ],
    {
        **_TULA,
        "key": "s5",
        "kind": "S5",
        "name": "Межшкольное профессиональное объединение руководящих работников",
        "regulation_title": "Положение о межшкольном профессиональном сообществе руководящих "
        "работников (Приложение 4)",
        "description": "Объединение руководителей и заместителей руководителя школ с низкими "
        "образовательными результатами и образовательных организаций – сетевых партнёров. Цель — "
        "повышение профессионального мастерства руководителей ШНОР на основе адресной и "
        "превентивной поддержки; заседания — не реже 4 раз в учебный год.",
        "members": [
            # R-TUL-A4-4.1: the head is elected from the members at the first meeting.
            ("makarova", R.HEAD, dt.date(2020, 10, 8), dt.date(2020, 10, 8)),
            ("demo-coordinator", R.COORDINATOR),
            ("demo-director", R.MEMBER),
            ("nikitina", R.MEMBER),
            ("zhuravlev", R.MEMBER),
            ("kiseleva", R.MEMBER),
            ("frolov", R.MEMBER),
            ("gusev", R.MEMBER),
        ],
    },
    {
        "key": "s6",
        "kind": "S6",
        "name": "Муниципальная стажировочная площадка по повышению качества образования в школах "
        "с низкими образовательными результатами",
        "host": "pri-sosh4",
        "order": "pri-364",
        "programme": "pri-project",
        "regulation_title": "Положение о муниципальной стажировочной площадке по повышению "
        "качества образования в школах с низкими образовательными результатами",
        "term_start": dt.date(2021, 1, 1),  # R-PRI-4.1, п. 1.2: январь 2021 года – май 2023 года
        "term_end": dt.date(2023, 5, 31),
        "topic": MENTORING_PROJECT,
        "description": "Временная структура на базе МОУ «СОШ № 4», действующая на период "
        "реализации муниципального проекта «Сетевое наставничество во взаимодействии школ с "
        "высокими и низкими образовательными результатами обучающихся». Цель — повышение "
        "профессиональной компетенции педагогических и управленческих кадров ШНОР; работа "
        "ведётся в дистанционном формате.",
        "members": [
            ("smirnova", R.HEAD),  # R-PRI-4.3: appointed by the director of the school
            ("pavlova", R.COORDINATOR),  # R-PRI-3.4: информационно-методический отдел ЦИТ
            ("karpenko", R.TUTOR),
            ("lapteva", R.TUTOR),
            ("isaev", R.MEMBER),
            ("fedorova", R.MEMBER),
            ("belyakova", R.MEMBER),
            ("sorokina", R.MEMBER),
        ],
        # R-PRI-4.4: the site stops when the project's term is over.
        "close": (dt.date(2023, 5, 31), ClosingReason.TERM_ENDED),
    },
    {
        "key": "s7",
        "kind": "S7",
        "name": "Муниципальный центр сетевого взаимодействия по повышению качества образования",
        "host": "dmi-sosh2",
        "order": "dmi-1-139-1",
        "programme": "kursk-measures",
        "regulation_title": "Положение о Центре сетевого взаимодействия по повышению качества "
        "образования в школах с низкими результатами обучения и школах, функционирующих в "
        "неблагоприятных социальных условиях (Приложение 1)",
        "description": "Структурное подразделение МКОУ «Средняя общеобразовательная школа № 2 "
        "г. Дмитриева», не являющееся юридическим лицом. Работает на основе соглашения о "
        "сотрудничестве и плана совместной деятельности со школами с низкими результатами "
        "обучения и школами, функционирующими в неблагоприятных социальных условиях.",
        "members": [
            ("kryukova", R.HEAD),  # п. 3.2: the Centre is run by the director of the school
            ("korableva", R.COORDINATOR),  # order p. 4: МКУ «Дмитриевский РМК» coordinates
            ("melnikova", R.WORKING_GROUP),
            ("chernykh", R.WORKING_GROUP),
            ("baranova", R.WORKING_GROUP),
            ("dorokhova", R.MEMBER),
            ("astakhov", R.MEMBER),
            ("ilyina", R.MEMBER),
        ],
    },
    {
        **_PAVLOVSKY,
        "key": "s8",
        "kind": "S8",
        "name": "Сетевое сообщество педагогов школ с низкими образовательными результатами",
        "regulation_title": "Положение о сетевом сообществе педагогов школ с низкими "
        "образовательными результатами обучения и в школах, функционирующих в неблагоприятных "
        "социальных условиях в муниципальном образовании Павловский район",
        "participant_category": "Педагоги и руководители ШНОР и ШССУ, педагоги-тьюторы и "
        "руководители школ-лидеров",
        "description": "Ресурс для профессионального общения педагогов (в том числе "
        "педагогов-тьюторов) и руководителей школ с низкими результатами обучения и базовых "
        "школ-лидеров. Внутри сообщества работают предметные сообщества, которые модерируют "
        "педагоги-тьюторы школ-лидеров; число участников не ограничено.",
        "members": [
            ("shevchenko", R.ADMINISTRATOR),  # R-PAV-6.1
            ("litvinenko", R.COORDINATOR),
            ("kravets", R.TUTOR),
            ("bondarenko", R.TUTOR),
            ("grechko", R.TUTOR),
            ("rudenko", R.MEMBER),
            ("ponomarenko", R.MEMBER),
            ("zaitseva", R.MEMBER),
            ("koval", R.MEMBER),
            ("nesterenko", R.MEMBER),
            ("moroz", R.MEMBER),
        ],
    },
    *[
        {
            **_PAVLOVSKY,
            "key": f"s8-{moderator}",
            "kind": "S8",
            "parent": "s8",
            "name": name,
            "participant_category": category,
            "description": "Группа педагогов, работающих в одной предметной области (R-PAV-1.7); "
            "модератор — педагог-тьютор школы-лидера, определяет проблемы для обсуждения.",
            "members": [(moderator, R.MODERATOR)] + [(m, R.MEMBER) for m in members],
        }
        for name, category, moderator, members in PAVLOVSKY_SUBJECTS
    ],
]
