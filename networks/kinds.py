"""The eight kinds the orders set up, as rows of the kinds table (StructureKind).

Loaded by migration 0002 and kept in sync by `load_demo`; a coordinator may add a ninth kind in the
admin without any code. Each rule names the point of the order it comes from (DOMAIN.md).

`deadlines` are the kind's reporting deadlines from the orders: not a column, but the rows of
reporting's DeadlineRule that migration reporting/0002 loads (reporting.rules.load_rules) and that
coordinators then edit in the admin. Where an order names no date («по окончании учебного года»),
the date here is a reasonable default that a coordinator can change.

`event_plan_roles` (roles that plan the kind's events besides those who run the structure) is not
a column either, yet: communities.permissions reads it from here; sync_kinds skips it until a
migration adds the column.
"""

# 001 order p. 2.2: the results of the communities of appendices 1–4 (S2, S3, S5) by 25 December.
CNPPM = "МКУ «ЦНППМ г. Тулы», заместитель директора"
COMMUNITY_RESULTS = {
    "title": "Отчёт о результатах деятельности сообщества",
    "deliverable": "report",
    "due_month": 12,
    "due_day": 25,
    "recipient": CNPPM,
    "rule_ref": "001 приказ п. 2.2",
}

KINDS = [
    {
        "code": "S1",
        "name": "Профессиональное сообщество управленческих работников",
        "name_plural": "Профессиональные сообщества управленческих работников",
        "description": (
            "Добровольное объединение управленческих и педагогических работников ШНОР и школ со "
            "стабильно высокими результатами. Участники регистрируются на странице сообщества; "
            "координатор — специалист центра сопровождения инновационных проектов."
        ),
        "allowed_roles": ["coordinator", "moderator", "member"],
        "open_membership": True,  # R-VLG-5.1
        "rule_refs": "R-VLG-5.1, R-VLG-5.3, R-VLG-order-2, R-VLG-6",
        "plan_author_roles": ["coordinator"],
        "plan_approve_roles": [],
        "deadlines": [
            {
                "title": "План деятельности сообщества на учебный год",
                "deliverable": "plan",
                "due_month": 9,
                "due_day": 1,
                "deliverer_role": "coordinator",
                "recipient": "ГАУ ДПО «ВГАПО», проректор по инновационной деятельности",
                "rule_ref": "000 приказ п. 2",
            },
        ],
    },
    {
        "code": "S2",
        "name": "Консультационный совет в сети Интернет",
        "name_plural": "Консультационные советы в сети Интернет",
        "description": (
            "Совещательное консультационное сообщество руководителей ШНОР и членов совета; "
            "председатель — из отдела мониторинговых исследований, контент формирует рабочая группа, "
            "администрирование и модерирование — специалист отдела конкурсов и мероприятий."
        ),
        "allowed_roles": ["chair", "administrator", "moderator", "working_group", "member"],
        "has_online_platform": True,
        "consultative": True,  # R-TUL-A1-3.1.2
        "working_group_by_order": True,  # R-TUL-A1-5.1: the working group forms the content
        "rule_refs": "R-TUL-A1-3.1.1, R-TUL-A1-3.1.2, R-TUL-A1-5.1, R-TUL-A1-5.2, R-TUL-A1-5.3",
        "plan_author_roles": ["chair", "working_group"],
        "plan_approve_roles": ["chair"],
        "deadlines": [{**COMMUNITY_RESULTS, "deliverer_role": "chair"}],
    },
    {
        "code": "S3",
        "name": "Сетевая профессиональная группа",
        "name_plural": "Сетевые профессиональные группы",
        "description": (
            "Сетевое сообщество педагогов одной предметной области во «ВКонтакте»; администраторы "
            "обновляют контент, информируют о событиях, модерируют сообщения и анализируют работу группы."
        ),
        "allowed_roles": ["administrator", "moderator", "member"],
        "open_membership": True,
        "allows_subcommunities": True,
        "has_online_platform": True,
        "rule_refs": "R-TUL-A2-3.1.4, R-TUL-A2-4.2",
        "plan_author_roles": ["administrator"],
        "plan_approve_roles": [],
        # R-TUL-A2-4.2.2: the administrator informs the members of coming events (plans them and
        # sends the invitations). Not a column yet: communities.permissions reads the key.
        "event_plan_roles": ["administrator"],
        "deadlines": [{**COMMUNITY_RESULTS, "deliverer_role": "administrator"}],
    },
    {
        "code": "S4",
        "name": "Сетевая пара руководителей",
        "name_plural": "Сетевые пары руководителей",
        "description": (
            "Взаимодействие двух руководителей (заместителей): один представляет ШНОР, второй — "
            "организацию-партнёра. Формы: наставничество, консультирование, «мозговой штурм». "
            "Кураторы ведут мониторинг наставнических отношений и готовят отчёт по итогам года."
        ),
        "allowed_roles": ["curator", "mentor", "mentee"],
        "is_pair": True,
        "leader_roles": ["mentor", "mentee"],  # R-TUL-A3-1.1
        "rule_refs": "R-TUL-A3-1.1, R-TUL-A3-4.1, R-TUL-A3-4.2.1, R-TUL-A3-5.3, R-TUL-A3-5.4",
        "plan_author_roles": ["curator"],
        "plan_approve_roles": [],
        "deadlines": [
            {
                "title": "Отчёт кураторов о деятельности сетевых пар по итогам учебного года",
                "deliverable": "report",
                "due_month": 6,
                "due_day": 30,
                "deliverer_role": "curator",
                "recipient": "Рабочая группа по реализации муниципальной программы",
                "rule_ref": "R-TUL-A3-5.4",
            },
        ],
    },
    {
        "code": "S5",
        "name": "Межшкольное профессиональное объединение руководящих работников",
        "name_plural": "Межшкольные профессиональные объединения руководящих работников",
        "description": (
            "Объединение руководителей и заместителей ШНОР и организаций-партнёров; руководитель "
            "избирается из участников, план утверждает центр, заседания — не реже 4 раз в учебный год "
            "с протоколом, анализ работы — до 15 июля."
        ),
        "allowed_roles": ["head", "coordinator", "member"],
        "leader_roles": ["head", "member"],  # R-TUL-A4-1.1
        "head_elected": True,  # R-TUL-A4-4.1
        "min_meetings_per_year": 4,  # R-TUL-A4-4.3
        "rule_refs": "R-TUL-A4-1.1, R-TUL-A4-4.1, R-TUL-A4-4.3, R-TUL-A4-4.4, R-TUL-A4-4.5, R-TUL-A4-4.6",
        "plan_author_roles": ["head"],
        "plan_approve_roles": ["coordinator"],
        "deadlines": [
            {**COMMUNITY_RESULTS, "deliverer_role": "head"},
            {
                "title": "Анализ работы межшкольного объединения за учебный год",
                "deliverable": "report",
                "due_month": 7,
                "due_day": 15,
                "deliverer_role": "head",
                "recipient": CNPPM,
                "rule_ref": "R-TUL-A4-4.6",
            },
        ],
    },
    {
        "code": "S6",
        "name": "Муниципальная стажировочная площадка",
        "name_plural": "Муниципальные стажировочные площадки",
        "description": (
            "Статус присваивается школе распоряжением на определённый срок и тему; руководитель "
            "назначается школой, план согласуется с методическим отделом, работа — дистанционно, "
            "тьюторское сопровождение педагогов ШНОР и мониторинг."
        ),
        "allowed_roles": ["head", "coordinator", "tutor", "member"],
        "requires_term_and_topic": True,  # R-PRI-4.1
        "rule_refs": "R-PRI-3.1, R-PRI-3.2, R-PRI-3.4, R-PRI-4.1, R-PRI-4.3, R-PRI-4.4, R-PRI-4.5",
        "plan_author_roles": ["head"],
        "plan_agree_roles": ["coordinator"],
        "plan_approve_roles": ["head"],
        "default_event_format": "remote",
        "deadlines": [
            {
                "title": "Отчёт о деятельности стажировочной площадки",
                "deliverable": "report",
                "due_month": 6,
                "due_day": 15,
                "deliverer_role": "head",
                "recipient": "Информационно-методический отдел МОУ ДО «Центр информационных технологий»",
                "rule_ref": "R-PRI-3.5.2",
            },
        ],
    },
    {
        "code": "S7",
        "name": "Центр сетевого взаимодействия",
        "name_plural": "Центры сетевого взаимодействия",
        "description": (
            "Структурное подразделение базовой школы (не юридическое лицо); работает по соглашению о "
            "сотрудничестве и плану совместной деятельности, согласованному со школами-участницами и "
            "утверждённому директором; рабочая группа утверждается приказом."
        ),
        "allowed_roles": ["head", "coordinator", "working_group", "member"],
        "needs_agreement": True,  # R-DMI-1.7
        "working_group_by_order": True,  # R-DMI-3.3
        "rule_refs": "R-DMI-1.3, R-DMI-1.7, R-DMI-1.8, R-DMI-3.3, R-DMI-4.1, R-DMI-4.2",
        "plan_author_roles": ["head", "working_group"],
        "plan_agree_roles": ["member"],
        "plan_agree_all": True,
        "plan_approve_roles": ["head"],
        "event_propose_roles": ["member"],
        "deadlines": [
            {
                "title": "План совместной деятельности центра на учебный год",
                "deliverable": "plan",
                "due_month": 9,
                "due_day": 1,
                "deliverer_role": "head",
                "recipient": "МКУ «Дмитриевский РМК»",
                "rule_ref": "R-DMI-order-3",
            },
        ],
    },
    {
        "code": "S8",
        "name": "Сетевое сообщество педагогов",
        "name_plural": "Сетевые сообщества педагогов",
        "description": (
            "Сообщество педагогов ШНОР и школ-лидеров с предметными сообществами, которые модерируют "
            "педагоги-тьюторы школ-лидеров; число участников не ограничено; администратор допускает "
            "новых участников и размещает материалы, модератор ставит проблемы для обсуждения."
        ),
        "allowed_roles": ["coordinator", "administrator", "moderator", "tutor", "member"],
        "open_membership": True,
        "allows_subcommunities": True,  # R-PAV-1.7
        "rule_refs": "R-PAV-1.7, R-PAV-1.8, R-PAV-1.9, R-PAV-6.1, R-PAV-6.2",
        "plan_author_roles": ["administrator", "coordinator"],
        "plan_approve_roles": ["coordinator"],
        "materials_premoderated": True,
    },
]


def sync_kinds(StructureKind) -> None:
    """Creates or updates the eight rows; takes the model so that migrations can pass theirs.

    Keys the model does not have yet are skipped: an early migration runs this with the historical
    model, and a later migration that adds a rule field runs it again. `deadlines` is not a column
    (reporting.rules loads it).
    Only rows that differ are written: every write adds a row to the kinds' change history, and
    `make run` calls this on each start.
    """
    known = {f.name for f in StructureKind._meta.concrete_fields}
    for row in KINDS:
        values = {k: v for k, v in row.items() if k != "code" and k in known}
        kind = StructureKind.objects.filter(code=row["code"]).first()
        if kind is None:
            StructureKind.objects.create(code=row["code"], **values)
        elif any(getattr(kind, k) != v for k, v in values.items()):
            for k, v in values.items():
                setattr(kind, k, v)
            kind.save()
