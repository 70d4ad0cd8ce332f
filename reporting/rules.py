"""Deadline rules from the orders, loaded by migration 0002; coordinators edit them in the admin.

Where an order names no date («по окончании учебного года»), the date here is a reasonable default
that a coordinator can change.
"""

CNPPM = "МКУ «ЦНППМ г. Тулы», заместитель директора"

RULES = [
    # 001 order p. 2.2: the results of the communities of appendices 1–4 by 25 December.
    *[
        {
            "title": "Отчёт о результатах деятельности сообщества",
            "deliverable": "report",
            "kind": code,
            "due_month": 12,
            "due_day": 25,
            "deliverer_role": role,
            "recipient": CNPPM,
            "rule_ref": "001 приказ п. 2.2",
        }
        for code, role in (("S2", "chair"), ("S3", "administrator"), ("S5", "head"))
    ],
    {
        "title": "Анализ работы межшкольного объединения за учебный год",
        "deliverable": "report",
        "kind": "S5",
        "due_month": 7,
        "due_day": 15,
        "deliverer_role": "head",
        "recipient": CNPPM,
        "rule_ref": "R-TUL-A4-4.6",
    },
    {
        "title": "Отчёт кураторов о деятельности сетевых пар по итогам учебного года",
        "deliverable": "report",
        "kind": "S4",
        "due_month": 6,
        "due_day": 30,
        "deliverer_role": "curator",
        "recipient": "Рабочая группа по реализации муниципальной программы",
        "rule_ref": "R-TUL-A3-5.4",
    },
    {
        "title": "План деятельности сообщества на учебный год",
        "deliverable": "plan",
        "kind": "S1",
        "due_month": 9,
        "due_day": 1,
        "deliverer_role": "coordinator",
        "recipient": "ГАУ ДПО «ВГАПО», проректор по инновационной деятельности",
        "rule_ref": "000 приказ п. 2",
    },
    {
        "title": "Отчёт о деятельности стажировочной площадки",
        "deliverable": "report",
        "kind": "S6",
        "due_month": 6,
        "due_day": 15,
        "deliverer_role": "head",
        "recipient": "Информационно-методический отдел МОУ ДО «Центр информационных технологий»",
        "rule_ref": "R-PRI-3.5.2",
    },
    {
        "title": "План совместной деятельности центра на учебный год",
        "deliverable": "plan",
        "kind": "S7",
        "due_month": 9,
        "due_day": 1,
        "deliverer_role": "head",
        "recipient": "МКУ «Дмитриевский РМК»",
        "rule_ref": "R-DMI-order-3",
    },
]


def load_rules(DeadlineRule, StructureKind) -> None:
    kinds = {k.code: k for k in StructureKind.objects.all()}
    for row in RULES:
        values = dict(row)
        kind = kinds.get(values.pop("kind"))
        if kind is None:
            continue
        DeadlineRule.objects.get_or_create(kind=kind, title=values.pop("title"), defaults=values)
