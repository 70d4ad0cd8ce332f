"""People of the demo: the three demo logins, the persons the seeds name, and made-up members.

The seeds give real persons only as «Фамилия И.О.» (the «Вжурнале» administrators, the directors the
orders charge). Their first names and patronymics are not invented: they are kept as initials, the
way the orders print them. Their phones are exactly as printed in seed 001; their e-mails are made up
on example.ru. Everybody else is made up, with e-mails on example.ru / example.org.
"""

from __future__ import annotations

DEMO_PASSWORD = "Demo-2026!"

# key: last name, first name, patronymic, position, organisation key, phone, e-mail
# fmt: off
PEOPLE = {
    # --- The demo logins (Tula)
    "demo-coordinator": (
        "Ковалёва", "Марина", "Сергеевна", "Главный специалист отдела мониторинговых исследований",
        "cnppm", "8-915-684-21-37", "koordinator@demo.example.ru",
    ),
    "demo-director": (
        "Соколова", "Елена", "Владимировна", "Директор", "tula-co12", "8-910-942-15-06",
        "direktor@demo.example.ru",
    ),
    "demo-methodist": (
        "Белова", "Ирина", "Николаевна", "Методист", "cnppm", "8-953-427-60-18",
        "metodist@demo.example.ru",
    ),
    # --- Seed 001: administrators of the «Вжурнале» groups, МКУ «ЦНППМ г. Тулы»
    "razarenova": ("Разаренова", "А.", "В.", "Главный специалист", "cnppm", "8-920-743-61-05",
                   "razarenova.av@example.ru"),
    "starodubtseva": ("Стародубцева", "А.", "В.", "Специалист", "cnppm", "8-910-555-74-40",
                      "starodubtseva.av@example.ru"),
    "pudova": ("Пудова", "Е.", "Д.", "Главный специалист", "cnppm", "8-910-155-28-12",
               "pudova.ed@example.ru"),
    "shalimova": ("Шалимова", "А.", "Г.", "Специалист", "cnppm", "8-920-786-21-51",
                  "shalimova.ag@example.ru"),
    "nefedyeva": ("Нефедьева", "Н.", "М.", "Главный специалист", "cnppm", "8-905-117-86-52",
                  "nefedyeva.nm@example.ru"),
    "antimonova": ("Антимонова", "В.", "В.", "Ведущий специалист", "cnppm", "8-910-703-88-19",
                   "antimonova.vv@example.ru"),
    "kravchenko": ("Кравченко", "И.", "Н.", "Главный специалист", "cnppm", "8-980-725-89-83",
                   "kravchenko.in@example.ru"),
    "matyukhina": ("Матюхина", "И.", "Ю.", "Ведущий специалист", "cnppm", "8-930-893-98-25",
                   "matyukhina.iyu@example.ru"),
    # --- Tula, made up
    "zakharova": ("Захарова", "Дарья", "Олеговна",
                  "Специалист отдела организации конкурсов и мероприятий", "cnppm",
                  "8-915-203-44-71", "zakharova.do@example.ru"),
    "tikhonov": ("Тихонов", "Андрей", "Петрович", "Ведущий специалист", "cnppm",
                 "8-920-518-07-39", "tikhonov.ap@example.ru"),
    "orlova": ("Орлова", "Наталья", "Геннадьевна", "Педагог-психолог", "ppss", "8-953-180-72-45",
               "orlova.ng@example.ru"),
    "gusev": ("Гусев", "Виктор", "Алексеевич", "Директор", "ppss", "8-910-327-56-90",
              "gusev.va@example.ru"),
    "makarova": ("Макарова", "Татьяна", "Ивановна", "Директор", "tula-lyceum2", "8-910-461-38-12",
                 "makarova.ti@example.ru"),
    "frolov": ("Фролов", "Дмитрий", "Евгеньевич", "Заместитель директора по учебной работе",
               "tula-gym1", "8-920-774-19-53", "frolov.de@example.ru"),
    "nikitina": ("Никитина", "Ольга", "Александровна",
                 "Заместитель директора по учебно-воспитательной работе", "tula-co8",
                 "8-905-629-84-30", "nikitina.oa@example.ru"),
    "zhuravlev": ("Журавлёв", "Алексей", "Николаевич", "Директор", "tula-co36", "8-953-412-27-66",
                  "zhuravlev.an@example.ru"),
    "kiseleva": ("Киселёва", "Людмила", "Павловна", "Заместитель директора", "tula-co47",
                 "8-910-835-60-24", "kiseleva.lp@example.ru"),
    "ermakova": ("Ермакова", "Юлия", "Сергеевна", "Учитель математики", "tula-co12",
                 "8-920-147-93-58", "ermakova.ys@example.org"),
    "lebedev": ("Лебедев", "Игорь", "Викторович", "Учитель физики", "tula-co36", "8-915-362-08-41",
                "lebedev.iv@example.org"),
    "polyakova": ("Полякова", "Анастасия", "Игоревна", "Учитель начальных классов", "tula-co8",
                  "8-953-701-26-84", "polyakova.ai@example.org"),
    "semenova": ("Семёнова", "Вера", "Михайловна", "Учитель русского языка и литературы",
                 "tula-co12", "8-910-258-47-13", "semenova.vm@example.org"),
    "vasilyeva": ("Васильева", "Кристина", "Андреевна", "Учитель биологии", "tula-lyceum2",
                  "8-920-693-11-75", "vasilyeva.ka@example.org"),
    "grishina": ("Гришина", "Елена", "Борисовна", "Учитель истории, классный руководитель",
                 "tula-co47", "8-905-534-72-09", "grishina.eb@example.org"),
    "romanova": ("Романова", "Светлана", "Юрьевна", "Педагог-библиотекарь", "tula-co36",
                 "8-953-846-35-62", "romanova.sy@example.org"),
    # --- Volgograd, made up
    "golovanova": ("Голованова", "Светлана", "Викторовна",
                   "Специалист по учебно-методической работе центра сопровождения инновационных "
                   "проектов", "vgapo", "8-917-335-48-20", "golovanova.sv@example.ru"),
    "bykova": ("Быкова", "Елена", "Анатольевна", "Методист центра сопровождения инновационных "
               "проектов", "vgapo", "8-927-512-63-04", "bykova.ea@example.ru"),
    "kolesnikov": ("Колесников", "Андрей", "Владимирович",
                   "Заместитель директора по учебно-воспитательной работе", "vlg-45",
                   "8-917-640-25-81", "kolesnikov.av@example.org"),
    "avdeeva": ("Авдеева", "Галина", "Петровна", "Заместитель директора по учебной работе",
                "vlg-112", "8-937-208-14-96", "avdeeva.gp@example.org"),
    "chernova": ("Чернова", "Ольга", "Игоревна", "Директор", "vlg-gym3", "8-917-853-90-42",
                 "chernova.oi@example.org"),
    "sukhov": ("Сухов", "Николай", "Фёдорович", "Директор", "kam-lebyazhye", "8-927-164-37-58",
               "sukhov.nf@example.org"),
    "trofimova": ("Трофимова", "Валентина", "Сергеевна", "Заместитель директора",
                  "kam-talovka", "8-937-421-86-13", "trofimova.vs@example.org"),
    # --- Priozersk, made up (the director of school № 4, Кондакова И.П., appoints the head)
    "smirnova": ("Смирнова", "Ольга", "Викторовна",
                 "Заместитель директора по учебно-воспитательной работе", "pri-sosh4",
                 "8-921-305-62-47", "smirnova.ov@example.ru"),
    "pavlova": ("Павлова", "Татьяна", "Николаевна", "Методист информационно-методического отдела",
                "cit", "8-911-742-18-35", "pavlova.tn@example.ru"),
    "karpenko": ("Карпенко", "Ирина", "Александровна", "Учитель математики, педагог-тьютор",
                 "pri-sosh4", "8-921-586-03-71", "karpenko.ia@example.org"),
    "lapteva": ("Лаптева", "Марина", "Олеговна", "Учитель русского языка и литературы, "
                "педагог-тьютор", "pri-sosh4", "8-911-238-74-66", "lapteva.mo@example.org"),
    "isaev": ("Исаев", "Роман", "Сергеевич", "Директор", "pri-gromovo", "8-921-917-45-20",
              "isaev.rs@example.org"),
    "fedorova": ("Фёдорова", "Галина", "Петровна", "Учитель математики", "pri-gromovo",
                 "8-911-460-39-82", "fedorova.gp@example.org"),
    "belyakova": ("Белякова", "Анна", "Дмитриевна", "Заместитель директора",
                  "pri-michurinskoe", "8-921-673-14-05", "belyakova.ad@example.org"),
    "sorokina": ("Сорокина", "Ксения", "Валерьевна", "Учитель русского языка и литературы",
                 "pri-kuznechnoe", "8-911-825-57-31", "sorokina.kv@example.org"),
    # --- Dmitriev: the two persons order 1-139/1 charges, and made-up members
    "kryukova": ("Крюкова", "В.", "И.", "Директор", "dmi-sosh2", "",
                 "kryukova.vi@example.ru"),
    "korableva": ("Кораблёва", "Н.", "В.", "Руководитель", "dmi-rmk", "",
                  "korableva.nv@example.ru"),
    "melnikova": ("Мельникова", "Ольга", "Анатольевна",
                  "Заместитель директора по учебно-воспитательной работе", "dmi-sosh2",
                  "8-951-318-42-67", "melnikova.oa@example.org"),
    "chernykh": ("Черных", "Сергей", "Иванович", "Учитель математики", "dmi-sosh2",
                 "8-960-547-21-83", "chernykh.si@example.org"),
    "baranova": ("Баранова", "Елена", "Николаевна", "Учитель русского языка и литературы",
                 "dmi-sosh2", "8-951-806-35-14", "baranova.en@example.org"),
    "dorokhova": ("Дорохова", "Наталья", "Викторовна", "Директор", "dmi-krupets",
                  "8-960-213-68-90", "dorokhova.nv@example.org"),
    "astakhov": ("Астахов", "Павел", "Геннадьевич", "Директор", "dmi-pervoavgust",
                 "8-951-472-09-56", "astakhov.pg@example.org"),
    "ilyina": ("Ильина", "Марина", "Алексеевна", "Заместитель директора", "dmi-starogorod",
               "8-960-735-14-28", "ilyina.ma@example.org"),
    # --- Pavlovsky, made up
    "shevchenko": ("Шевченко", "Алла", "Викторовна", "Главный специалист", "pav-uo",
                   "8-918-432-17-65", "shevchenko.av@example.ru"),
    "litvinenko": ("Литвиненко", "Ирина", "Геннадьевна", "Начальник отдела общего образования",
                   "pav-uo", "8-918-675-20-43", "litvinenko.ig@example.ru"),
    "kravets": ("Кравец", "Оксана", "Николаевна", "Учитель математики, педагог-тьютор",
                "pav-sosh2", "8-918-219-84-37", "kravets.on@example.org"),
    "bondarenko": ("Бондаренко", "Людмила", "Ивановна", "Учитель русского языка и литературы, "
                   "педагог-тьютор", "pav-sosh7", "8-928-560-31-74", "bondarenko.li@example.org"),
    "grechko": ("Гречко", "Татьяна", "Александровна", "Учитель начальных классов, педагог-тьютор",
                "pav-sosh1", "8-918-903-46-12", "grechko.ta@example.org"),
    "rudenko": ("Руденко", "Виктор", "Павлович", "Директор", "pav-sosh2", "8-928-347-62-08",
                "rudenko.vp@example.org"),
    "ponomarenko": ("Пономаренко", "Светлана", "Петровна", "Директор", "pav-sosh3",
                    "8-918-126-75-39", "ponomarenko.sp@example.org"),
    "zaitseva": ("Зайцева", "Елена", "Сергеевна", "Учитель математики", "pav-sosh3",
                 "8-928-714-38-26", "zaitseva.es@example.org"),
    "koval": ("Коваль", "Максим", "Андреевич", "Учитель математики", "pav-oosh15",
              "8-918-385-92-41", "koval.ma@example.org"),
    "nesterenko": ("Нестеренко", "Анна", "Викторовна", "Учитель русского языка и литературы",
                   "pav-sosh3", "8-928-651-07-93", "nesterenko.av@example.org"),
    "moroz": ("Мороз", "Дарья", "Игоревна", "Учитель начальных классов", "pav-sosh10",
              "8-918-274-53-80", "moroz.di@example.org"),
}
# fmt: on

# Real persons named in the seeds. No consent of theirs to show their names to other members is on
# record, so the portal shows them to members as «участник» (coordinators and methodists still see
# the names, and the coordinator's home page lists them as members without that consent).
NAMED_IN_SEEDS = frozenset(
    {
        "razarenova",
        "starodubtseva",
        "pudova",
        "shalimova",
        "nefedyeva",
        "antimonova",
        "kravchenko",
        "matyukhina",
        "kryukova",
        "korableva",
    }
)

# Made-up people who also consented to be named on the public pages (152-ФЗ, ст. 10.1): the
# coordinator of the Volgograd workshop, the contact its public page gives.
NAMED_ON_PUBLIC_PAGES = frozenset({"golovanova"})

# The logins printed by `load_demo`: person key, who they are (Russian, for the output).
DEMO_LOGINS = [
    ("demo-coordinator", "координатор МКУ «ЦНППМ г. Тулы»"),
    ("demo-director", "директор школы МБОУ «ЦО № 12» (ШНОР)"),
    ("demo-methodist", "методист МКУ «ЦНППМ г. Тулы»"),
]

# Territory roles of the demo logins: person key, role, region code, municipality key.
TERRITORY_ROLES = [
    ("demo-coordinator", "coordinator", "71", "tula"),
    ("demo-methodist", "methodist", "71", "tula"),
]
