"""The year of the structures: plans with their approval, meetings with attendance and minutes,
materials, discussions and polls — written through communities.services.

- Tula S5 association: this year's plan approved by the centre (R-TUL-A4-4.5), two meetings held
  with signed minutes (R-TUL-A4-4.3, 4.4), a past one whose minutes are not filed yet, the next
  one ahead; last year's plan and its four meetings. The second meeting's minutes give two
  decisions an owner and a due date (issue 17, followed up in «Контроль исполнения»): one the head
  has done, one the demo director still has to do by 15 December (or two weeks on, when that has
  passed), which she sees under «Мои поручения» on her home page. Signing told both owners, as it
  tells everyone.
- Tula S2 council: this year's plan submitted by the working group, waiting for the chair.
- Dmitriev S7 centre: the joint plan agreed by some participant schools, not yet all (R-DMI-1.8);
  an event a participant school proposed, waiting for the centre (R-DMI-4.1/4.2).
- Priozersk S6 site: its 2021/2022 plan and remote events with minutes. The site closed at the end
  of its term and the services refuse a closed structure, so these rows are written directly
  (`story.create`, under full_clean) with dates inside the term.
- Pavlovsky S8 community: materials (one waiting for the administrator, R-PAV-6.1), a problem a
  moderator set for discussion with replies (R-PAV-6.2), a poll with votes.

A structure's school year is one piece of the story, keyed by its plan (structure and school year,
whatever the version): when that plan exists, the piece is loaded, and its meetings, minutes and
proposals — written in the same transaction — are not looked at again. Materials, discussions and
polls are keyed by structure and title (or question). Nothing existing is changed, so the demo
users' own clicks (approving the plan, filing the minutes) survive `make run`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.urls import reverse

from communities import services
from communities.models import (
    Attendance,
    Decision,
    Event,
    EventForm,
    EventFormat,
    Material,
    Minutes,
    MinutesItem,
    Plan,
    PlanItem,
    PlanStep,
)
from communities.services import MinutesQuestion
from communities.services.decisions import decision_done, decision_record
from networks.models import Structure, User
from networks.schoolyear import SchoolYear
from reporting.models import Notice

from .calendar import DemoCalendar
from .story import Story, backdate, create

MEETING_MINUTES = 90


# --- Building blocks -----------------------------------------------------------------------------


@dataclass
class Item:
    """A plan item; `when` is a date or a month number; `note` set means done."""

    title: str
    form: str
    when: dt.date | int
    responsible: str
    audience: str = ""
    result: str = ""
    note: str = ""

    def data(self) -> dict:
        when = {"date": self.when} if isinstance(self.when, dt.date) else {"month": self.when}
        return {
            "title": self.title,
            "form": self.form,
            "responsible": self.responsible,
            "audience": self.audience,
            "expected_result": self.result,
            **when,
        }


@dataclass
class FollowUp:
    """A decision of the minutes with an owner (a person's key) and a due date (issue 17);
    `done` = (the day, the note) when the owner has done it."""

    question: int  # the number of the minutes' question it belongs to
    text: str
    owner: str
    due_on: dt.date
    done: tuple[dt.date, str] | None = None


@dataclass
class Meeting:
    """An event of the story; with `minutes` it was held, attendance marked, minutes signed."""

    title: str
    form: str
    starts_at: dt.datetime
    place: str = ""
    link: str = ""
    format: str | None = None
    description: str = ""
    absent: tuple[str, ...] = ()
    minutes: list[MinutesQuestion] = field(default_factory=list)
    item: str = ""  # the title of the plan item it carries out
    decisions: list[FollowUp] = field(default_factory=list)


def _has_plan(structure: Structure, year: SchoolYear) -> bool:
    return structure.plans.filter(school_year=year.start).exists()


def _last_step(plan: Plan, at: dt.datetime) -> None:
    backdate(plan.steps.order_by("-pk").first(), at=at)


def _plan(
    story: Story,
    structure: Structure,
    year: SchoolYear,
    *,
    author: User,
    title: str,
    items: list[Item],
    submitted: dt.datetime | None = None,
    agreements: tuple[tuple[User, dt.datetime, str], ...] = (),
    approval: tuple[User, dt.datetime, str] | None = None,
) -> Plan | None:
    """The school year's plan, written, submitted, agreed and approved through the services, the
    done items marked; the steps then carry the story's dates. None when the year has a plan
    already: that piece of the story is loaded."""
    if _has_plan(structure, year):
        return None
    plan = services.plan_create(structure=structure, school_year=year.start, by=author, title=title)
    for item in items:
        services.plan_item_add(plan=plan, by=author, **item.data())
    last = submitted
    if submitted is not None:
        services.plan_submit(plan=plan, by=author)
        _last_step(plan, submitted)
    for who, at, comment in agreements:
        services.plan_agree(plan=plan, by=who, comment=comment)
        _last_step(plan, at)
        last = at
    if approval is not None:
        who, at, comment = approval
        services.plan_approve(plan=plan, by=who, comment=comment)
        _last_step(plan, at)
        last = at
        notes = {item.title: item.note for item in items if item.note}
        for row in plan.items.filter(title__in=list(notes)):
            services.plan_item_mark_done(item=row, by=author, done=True, note=notes[row.title])
    first = (submitted or story.calendar.now) - dt.timedelta(days=5)
    backdate(plan, created_at=first, updated_at=last or first)
    return plan


def _item_date(day: dt.date, year: SchoolYear, month: int) -> dt.date | int:
    """A plan item's date when it lies in the plan's year, else just the month it was planned."""
    return day if day in year else month


def _meeting(
    story: Story,
    structure: Structure,
    spec: Meeting,
    *,
    by: User,
    signer: User | None = None,
    plan: Plan | None = None,
) -> Event:
    plan_item = plan.items.filter(title=spec.item).first() if plan and spec.item else None
    event = services.event_create(
        structure=structure,
        by=by,
        title=spec.title,
        form=spec.form,
        format=spec.format,
        starts_at=spec.starts_at,
        ends_at=spec.starts_at + dt.timedelta(minutes=MEETING_MINUTES),
        place=spec.place,
        link=spec.link,
        description=spec.description,
        plan_item=plan_item,
    )
    calendar = story.calendar
    backdate(event, created_at=calendar.done_at(spec.starts_at - dt.timedelta(days=14)))
    if spec.minutes:
        absent = {story.person(key).pk for key in spec.absent}
        present = [
            row.pk for row in event.attendance.all() if row.user_id and row.user_id not in absent
        ]
        services.attendance_mark(event=event, by=by, present=present)
        minutes = services.minutes_create(
            event=event,
            by=by,
            number=services.next_minutes_number(event),
            questions=spec.minutes,
        )
        decisions = [_decision(story, minutes, follow_up, by=by) for follow_up in spec.decisions]
        minutes = services.minutes_sign(minutes=minutes, by=signer or by)
        backdate(
            minutes,
            created_at=calendar.done_at(spec.starts_at + dt.timedelta(days=1)),
            signed_at=calendar.done_at(spec.starts_at + dt.timedelta(days=2, hours=-3)),
        )
        _followed_up(story, minutes, decisions, spec.decisions)
    return event


def _decision(story: Story, minutes: Minutes, follow_up: FollowUp, *, by: User) -> Decision:
    """Given an owner and a due date on the draft, as the minutes page does; signing tells them."""
    return decision_record(
        minutes=minutes,
        by=by,
        item=minutes.items.get(position=follow_up.question),
        text=follow_up.text,
        due_on=follow_up.due_on,
        owner=story.person(follow_up.owner),
    )


def _followed_up(
    story: Story, minutes: Minutes, decisions: list[Decision], follow_ups: list[FollowUp]
) -> None:
    """The owners were told when the minutes were signed (their notices carry that moment); the
    decisions done are marked so by their owners through the service."""
    for decision in decisions:
        backdate(decision, created_at=minutes.created_at)
    Notice.objects.filter(
        url=reverse("communities:decisions", args=[minutes.event.structure_id]),
        user__in=[story.person(f.owner) for f in follow_ups],
        created_at__gt=minutes.signed_at,
    ).update(created_at=minutes.signed_at)
    for decision, follow_up in zip(decisions, follow_ups, strict=True):
        if follow_up.done is not None:
            day, note = follow_up.done
            decision_done(
                decision=decision,
                by=story.person(follow_up.owner),
                note=note,
                done_on=min(day, story.calendar.today),
            )


# --- Tula S5: the interschool association of leaders ---------------------------------------------

S5_PLACE = "МКУ «ЦНППМ г. Тулы», конференц-зал"
S5_AUDIENCE = "Руководители и заместители руководителя ШНОР, руководители школ – сетевых партнёров"
S5_HEAD = "Макарова Т.И., руководитель объединения"
S5_MEETINGS_LINK = "https://vks.cnppm-tula.example.ru/mpo-rukovoditeli"

S5_M1 = (
    "Установочное заседание: анализ результатов ГИА и ВПР, приоритеты работы объединения на "
    "учебный год"
)
S5_M2 = "Внутренняя система оценки качества образования в ШНОР: от мониторинга к управленческим решениям"
S5_M3 = (
    "Выездное заседание на базе МБОУ «Гимназия № 1»: организация подготовки обучающихся к ОГЭ "
    "в школах с низкими образовательными результатами"
)
S5_M4 = (
    "Развитие кадрового потенциала ШНОР: выявление и устранение профессиональных дефицитов "
    "педагогов"
)

S5_M1_MINUTES = [
    MinutesQuestion(
        "Об итогах государственной итоговой аттестации и всероссийских проверочных работ в школах "
        "объединения (информация руководителя объединения Макаровой Т.И.).",
        "Принять информацию к сведению. Руководителям ШНОР до 1 ноября определить не более трёх "
        "приоритетных управленческих задач на учебный год по результатам ГИА и ВПР.",
        "Использовать результаты ВПР для корректировки рабочих программ по математике и русскому "
        "языку; обсудить результаты на педагогических советах школ.",
    ),
    MinutesQuestion(
        "О проекте плана работы объединения на учебный год.",
        "Одобрить проект плана работы и направить его на утверждение в МКУ «ЦНППМ г. Тулы».",
    ),
    MinutesQuestion(
        "О формах взаимодействия в сетевых парах руководителей (наставничество, "
        "консультирование, «мозговой штурм»).",
        "Руководителям школ – сетевых партнёров проводить не реже одного контакта в месяц с "
        "руководителем ШНОР своей пары и отмечать контакты в журнале сетевой пары.",
        "Согласовать темы встреч с дефицитами, которые руководители ШНОР указали в профиле.",
    ),
]
S5_M2_MINUTES = [
    MinutesQuestion(
        "О построении внутренней системы оценки качества образования (из опыта МБОУ «Лицей № 2»).",
        "Одобрить опыт МБОУ «Лицей № 2». Руководителям ШНОР до 15 декабря актуализировать "
        "положения о ВСОКО и графики внутренних мониторингов.",
        "Включить в график входную, промежуточную и итоговую диагностику по математике и "
        "русскому языку; результаты разбирать на заседаниях методических объединений.",
    ),
    MinutesQuestion(
        "О промежуточных итогах работы сетевых пар руководителей (информация куратора "
        "Ковалёвой М.С.).",
        "Принять информацию к сведению. Паре МБОУ «ЦО № 36» — МБУДО «Центр ППСС» возобновить "
        "регулярные встречи.",
        "Кураторам провести в декабре анкетирование наставников и наставляемых «Мониторинг "
        "наставнических отношений».",
    ),
]


def _s5_m2_decisions(calendar: DemoCalendar, year: SchoolYear, m2: dt.datetime) -> list[FollowUp]:
    """The second meeting's decisions followed up: the head sends the lyceum's regulation round
    within a week and did it; the demo director's school updates its own by 15 December."""
    sent = m2.date() + dt.timedelta(days=5)
    return [
        FollowUp(
            1,
            "Направить участникам объединения положение о ВСОКО МБОУ «Лицей № 2» и график "
            "внутренних мониторингов как образец.",
            "makarova",
            m2.date() + dt.timedelta(days=7),
            done=(
                sent,
                "Положение и график разосланы участникам объединения по электронной почте.",
            ),
        ),
        FollowUp(
            1,
            "Актуализировать положение о ВСОКО и график внутренних мониторингов МБОУ «ЦО № 12».",
            "demo-director",
            calendar.ahead(calendar.moment(year, 12, 15)).date(),
        ),
    ]


def _s5_this_year(story: Story) -> None:
    calendar, year = story.calendar, story.year
    s5, head, centre = (
        story.structure("s5"),
        story.person("makarova"),
        story.person("demo-coordinator"),
    )
    m1, m2, m3 = calendar.past(
        [
            calendar.moment(year, 10, 15),
            calendar.moment(year, 11, 10),
            calendar.moment(year, 11, 19, 14),
        ]
    )
    m4 = calendar.ahead(calendar.moment(year, 12, 16))
    day = DemoCalendar.at
    items = [
        Item(
            S5_M1, EventForm.MEETING, _item_date(m1.date(), year, 10), S5_HEAD, S5_AUDIENCE,
            "Определены приоритетные управленческие задачи ШНОР на учебный год.", "Протокол № 1",
        ),
        Item(
            "Адресные консультации руководителей и заместителей руководителя ШНОР по их запросам",
            EventForm.CONSULTATION, 10, "Макарова Т.И.; Фролов Д.Е.", "Руководители ШНОР",
            "Консультации по запросам, поступившим через портал.", "Проведено 5 консультаций",
        ),
        Item(
            S5_M2, EventForm.MEETING, _item_date(m2.date(), year, 11), S5_HEAD, S5_AUDIENCE,
            "Актуализированы положения о ВСОКО в ШНОР.", "Протокол № 2",
        ),
        Item(
            S5_M3, EventForm.MEETING, _item_date(m3.date(), year, 11),
            "Фролов Д.Е., заместитель директора МБОУ «Гимназия № 1»", S5_AUDIENCE,
            "Единый график консультаций по подготовке к ОГЭ.",
        ),
        Item(
            S5_M4, EventForm.MEETING, _item_date(m4.date(), year, 12), S5_HEAD, S5_AUDIENCE,
            "Программы устранения профессиональных дефицитов педагогов ШНОР.",
        ),
        Item(
            "Семинар-практикум «Работа с родителями обучающихся группы риска»",
            EventForm.SEMINAR, 2, "Гусев В.А., директор МБУДО «Центр ППСС»", S5_AUDIENCE,
            "План работы с родителями в каждой ШНОР.",
        ),
        Item(
            "Итоговое заседание: анализ работы объединения за учебный год, предложения в план на "
            "следующий учебный год",
            EventForm.MEETING, 5, S5_HEAD, S5_AUDIENCE,
            "Анализ работы за учебный год для МКУ «ЦНППМ г. Тулы» (до 15 июля).",
        ),
    ]  # fmt: skip
    plan = _plan(
        story,
        s5,
        year,
        author=head,
        title=f"План работы межшкольного профессионального объединения руководящих работников на "
        f"{year.label} учебный год",
        items=items,
        submitted=calendar.done_at(day(m1.date() + dt.timedelta(days=1), 10)),
        approval=(
            centre,
            calendar.done_at(day(m1.date() + dt.timedelta(days=6), 11)),
            "Утверждён МКУ «ЦНППМ г. Тулы».",
        ),
    )
    if plan is None:
        return
    meetings = [
        Meeting(S5_M1, EventForm.MEETING, m1, place=S5_PLACE, item=S5_M1, absent=("kiseleva",),
                minutes=S5_M1_MINUTES),
        Meeting(S5_M2, EventForm.MEETING, m2, place="МБОУ «Лицей № 2», методический кабинет",
                item=S5_M2, absent=("zhuravlev",), minutes=S5_M2_MINUTES,
                decisions=_s5_m2_decisions(calendar, year, m2)),
        # Held, but nobody has marked attendance or filed the minutes yet (R-TUL-A4-4.4).
        Meeting(S5_M3, EventForm.MEETING, m3, place="МБОУ «Гимназия № 1», актовый зал", item=S5_M3),
        Meeting(S5_M4, EventForm.MEETING, m4, format=EventFormat.MIXED, place=S5_PLACE,
                link=S5_MEETINGS_LINK, item=S5_M4,
                description="Подготовить к заседанию перечень профессиональных дефицитов "
                "педагогов своей школы по итогам внутреннего мониторинга."),
    ]  # fmt: skip
    for spec in meetings:
        _meeting(story, s5, spec, by=head, plan=plan)


S5_LAST = [
    (
        (10, 14),
        "Установочное заседание: приоритеты работы объединения на учебный год",
        [
            MinutesQuestion(
                "Об итогах ГИА и ВПР в школах объединения.",
                "Руководителям ШНОР включить в программы перехода в эффективный режим работы "
                "мероприятия по результатам ВПР.",
            ),
            MinutesQuestion(
                "О плане работы объединения на учебный год.",
                "Одобрить план и направить его на утверждение в МКУ «ЦНППМ г. Тулы».",
            ),
        ],
    ),
    (
        (12, 16),
        "Управление качеством подготовки к ОГЭ и ЕГЭ в ШНОР",
        [
            MinutesQuestion(
                "О результатах пробного ОГЭ по математике и русскому языку.",
                "Составить в каждой ШНОР индивидуальные маршруты подготовки для обучающихся "
                "группы риска.",
                "Привлечь учителей МБОУ «Лицей № 2» и МБОУ «Гимназия № 1» к консультациям.",
            ),
            MinutesQuestion(
                "О взаимопосещении уроков руководителями школ-партнёров.",
                "Провести взаимопосещения в январе – феврале по графику куратора.",
            ),
        ],
    ),
    (
        (2, 17),
        "Программы перехода школ в эффективный режим работы: промежуточные итоги",
        [
            MinutesQuestion(
                "О выполнении программ перехода ШНОР в эффективный режим работы за первое "
                "полугодие.",
                "Принять к сведению. МБОУ «ЦО № 36» скорректировать раздел программы о работе с "
                "родителями.",
                "Использовать опыт МБУДО «Центр ППСС» по профилактике учебной неуспешности.",
            ),
            MinutesQuestion(
                "О подготовке к всероссийским проверочным работам.",
                "Утвердить единый график тренировочных работ в ШНОР на март – апрель.",
            ),
        ],
    ),
    (
        (4, 14),
        "Горизонтальное обучение руководителей: итоги взаимопосещений и стажировок",
        [
            MinutesQuestion(
                "Об итогах взаимопосещений и стажировок руководителей ШНОР в школах-партнёрах.",
                "Признать работу удовлетворительной; лучшие практики разместить в материалах "
                "объединения.",
            ),
            MinutesQuestion(
                "О подготовке анализа работы объединения за учебный год.",
                "Руководителю объединения подготовить анализ работы и представить его в "
                "МКУ «ЦНППМ г. Тулы» до 15 июля.",
            ),
        ],
    ),
]


def _s5_last_year(story: Story) -> None:
    calendar, year = story.calendar, story.last
    s5, head, centre = (
        story.structure("s5"),
        story.person("makarova"),
        story.person("demo-coordinator"),
    )
    moments = [calendar.moment(year, month, day) for (month, day), _title, _q in S5_LAST]
    items = [
        Item(title, EventForm.MEETING, moment.date(), S5_HEAD, S5_AUDIENCE,
             note=f"Протокол № {number}")
        for number, ((_when, title, _q), moment) in enumerate(zip(S5_LAST, moments, strict=True), 1)
    ] + [
        Item("Адресные консультации руководителей ШНОР по запросам", EventForm.CONSULTATION, 11,
             "Макарова Т.И.; Фролов Д.Е.", "Руководители ШНОР", note="Проведено 9 консультаций"),
        Item("Взаимопосещения уроков и стажировки руководителей ШНОР в школах-партнёрах",
             EventForm.OTHER, 1, "Руководители школ – сетевых партнёров", "Руководители ШНОР",
             note="Проведены в январе – феврале"),
    ]  # fmt: skip
    first = moments[0].date()
    plan = _plan(
        story,
        s5,
        year,
        author=head,
        title=f"План работы межшкольного профессионального объединения руководящих работников на "
        f"{year.label} учебный год",
        items=items,
        submitted=DemoCalendar.at(first + dt.timedelta(days=2), 10),
        approval=(centre, DemoCalendar.at(first + dt.timedelta(days=7), 11), ""),
    )
    if plan is None:
        return
    absent = ["nikitina", "gusev", "kiseleva", "zhuravlev"]
    for number, ((_when, title, questions), moment) in enumerate(
        zip(S5_LAST, moments, strict=True)
    ):
        spec = Meeting(
            title, EventForm.MEETING, moment, place=S5_PLACE, item=title,
            absent=(absent[number],), minutes=questions,
        )  # fmt: skip
        _meeting(story, s5, spec, by=head, plan=plan)


# --- Tula S2: the council «РОСТ», its plan waiting for the chair -----------------------------

COUNCIL_LINK = "https://vks.cnppm-tula.example.ru/sovet-rost"


def _council(story: Story) -> None:
    calendar, year = story.calendar, story.year
    council = story.structure("s2")
    author = story.person("demo-methodist")  # the working group writes the content (R-TUL-A1-5.1)
    wg = "Белова И.Н., Тихонов А.П. (рабочая группа)"
    audience = "Руководители и заместители руководителя ШНОР"
    items = [
        Item("Онлайн-консультация «Управленческие решения по результатам ВПР»",
             EventForm.CONSULTATION, 12, wg, audience,
             "Ответы на вопросы руководителей ШНОР в сообществе «РОСТ»."),
        Item("Вебинар «Подготовка обучающихся к оценочным процедурам: PISA, ОГЭ, ВПР»",
             EventForm.WEBINAR, 1, wg, "Заместители руководителя ШНОР"),
        Item("Обзор нормативных документов и успешных управленческих практик в сообществе «РОСТ»",
             EventForm.OTHER, 2, wg, audience),
        Item("Онлайн-опрос руководителей ШНОР: индивидуальные запросы на консультационную помощь",
             EventForm.OTHER, 3, "Захарова Д.О., администратор совета", audience),
        Item("Мониторинг статистики страницы совета: посетители, просмотры, активные действия, "
             "обратная связь", EventForm.OTHER, 5, "Захарова Д.О., администратор совета"),
    ]  # fmt: skip
    plan = _plan(
        story,
        council,
        year,
        author=author,
        title=f"План работы консультационного совета «РОСТ» на {year.label} учебный год",
        items=items,
        submitted=calendar.done_at(calendar.moment(year, 11, 17, 12)),
    )
    if plan is None:
        return
    spec = Meeting(
        "Онлайн-консультация для руководителей ШНОР: управленческие решения по результатам ВПР",
        EventForm.CONSULTATION,
        calendar.ahead(calendar.moment(year, 12, 3, 16)),
        format=EventFormat.REMOTE,
        link=COUNCIL_LINK,
        description="Вопросы можно заранее оставить в обсуждении сообщества «РОСТ» во «ВКонтакте».",
    )
    _meeting(story, council, spec, by=story.person("demo-coordinator"))


# --- Dmitriev S7: the joint plan in agreement, an event a school proposed ------------------------


def _centre(story: Story) -> None:
    calendar, year = story.calendar, story.year
    centre = story.structure("s7")
    head = story.person("kryukova")
    wg = "Рабочая группа центра"
    schools = "Педагоги и руководители школ – участниц сетевого взаимодействия"
    items = [
        Item(f"Заседание рабочей группы: анализ результатов мониторинга школ-участниц за "
             f"{story.last.label} учебный год", EventForm.MEETING, 9, "Крюкова В.И.",
             "Рабочая группа центра", "Задачи совместной деятельности на учебный год."),
        Item("Проектировочный семинар «Программа перехода школы в эффективный режим работы»",
             EventForm.DESIGN_SEMINAR, 11, "Мельникова О.А.", schools),
        Item("Мастер-класс учителей математики «Решение задач практической направленности»",
             EventForm.MASTER_CLASS, 12, "Черных С.И.", "Учителя математики школ-участниц"),
        Item("Круглый стол «Профилактика учебной неуспешности в сельской школе»",
             EventForm.ROUND_TABLE, 2, wg, schools),
        Item("Взаимопосещение уроков педагогами школ-участниц", EventForm.OTHER, 3,
             "Баранова Е.Н.", schools),
        Item("Итоговая конференция центра: результаты совместной деятельности",
             EventForm.CONFERENCE, 5, "Крюкова В.И.", schools),
    ]  # fmt: skip
    submitted = calendar.done_at(calendar.moment(year, 10, 20, 10))
    plan = _plan(
        story,
        centre,
        year,
        author=head,
        title=f"План совместной деятельности центра сетевого взаимодействия на {year.label} "
        f"учебный год",
        items=items,
        submitted=submitted,
        # R-DMI-1.8: every participant school agrees; Старогородская СОШ has not yet.
        agreements=(
            (story.person("dorokhova"), calendar.done_at(submitted + dt.timedelta(days=3)), ""),
            (
                story.person("astakhov"),
                calendar.done_at(submitted + dt.timedelta(days=8)),
                "Просим предусмотреть выездной семинар на базе нашей школы.",
            ),
        ),
    )
    if plan is None:
        return
    event = services.event_propose(
        structure=centre,
        by=story.person("ilyina"),
        title="Круглый стол «Работа с семьями обучающихся в неблагоприятных социальных условиях»",
        form=EventForm.ROUND_TABLE,
        starts_at=calendar.ahead(calendar.moment(year, 2, 11, 14)),
        description="Предлагаем провести на базе МКОУ «Старогородская СОШ» с участием "
        "социальных педагогов школ-участниц. Место и форму просим определить центру.",
    )
    backdate(event, created_at=calendar.done_at(calendar.moment(year, 11, 12, 9)))


# --- Priozersk S6: the closed internship site's 2021/2022 -----------------------------------------

S6_YEAR = SchoolYear(2021)
S6_LINK = "https://vks.priozersk-cit.example.ru/stazhirovochnaya-ploshchadka"
S6_EVENTS = [
    (
        dt.date(2021, 10, 14),
        EventForm.WEBINAR,
        "Вебинар «Сетевое наставничество: модели взаимодействия школ с высокими и низкими "
        "образовательными результатами»",
        ("sorokina",),
        [
            MinutesQuestion(
                "О моделях сетевого наставничества в муниципальном проекте.",
                "Принять за основу модель «педагог-тьютор — педагог ШНОР» с закреплением по "
                "предметам.",
                "Тьюторам согласовать с педагогами ШНОР график дистанционных консультаций.",
            ),
        ],
    ),
    (
        dt.date(2021, 11, 18),
        EventForm.MEETING,
        "Заседание площадки: результаты входной диагностики педагогов ШНОР, закрепление "
        "педагогов-тьюторов",
        (),
        [
            MinutesQuestion(
                "О результатах входной диагностики профессиональных дефицитов педагогов ШНОР.",
                "Принять к сведению: основные дефициты — формирующее оценивание и работа с "
                "обучающимися группы риска.",
            ),
            MinutesQuestion(
                "О закреплении педагогов-тьюторов.",
                "Закрепить Карпенко И.А. за учителями математики, Лаптеву М.О. — за учителями "
                "русского языка и литературы.",
            ),
        ],
    ),
    (
        dt.date(2022, 2, 17),
        EventForm.MASTER_CLASS,
        "Мастер-класс «Формирующее оценивание на уроках математики»",
        ("belyakova",),
        [
            MinutesQuestion(
                "О приёмах формирующего оценивания на уроках математики (Карпенко И.А.).",
                "Рекомендовать приёмы педагогам ШНОР; материалы мастер-класса разослать "
                "участникам.",
            ),
        ],
    ),
    (
        dt.date(2022, 5, 19),
        EventForm.ROUND_TABLE,
        "Круглый стол «Итоги года: мониторинг образовательных результатов ШНОР и работы площадки»",
        (),
        [
            MinutesQuestion(
                "Об итогах мониторинга образовательных результатов школ – участниц проекта.",
                "Принять к сведению положительную динамику результатов ВПР по математике в "
                "МОУ «Громовская СОШ».",
            ),
            MinutesQuestion(
                "О плане работы площадки на 2022/2023 учебный год.",
                "Руководителю площадки подготовить проект плана и согласовать его с "
                "информационно-методическим отделом ЦИТ.",
            ),
        ],
    ),
]


def _internship_site(story: Story) -> None:
    """Written directly: the services refuse a closed structure (its record is read-only)."""
    site = story.structure("s6")
    head, methodist = story.person("smirnova"), story.person("pavlova")
    at = DemoCalendar.at
    if _has_plan(site, S6_YEAR):
        return
    plan = create(
        Plan,
        structure=site,
        school_year=S6_YEAR.start,
        version=1,
        title="План работы муниципальной стажировочной площадки на 2021/2022 учебный год",
        status=Plan.Status.APPROVED,
        created_by=head,
    )
    backdate(plan, created_at=at(dt.date(2021, 9, 2), 10), updated_at=at(dt.date(2021, 9, 10)))
    positions = [(day, form, title) for day, form, title, _a, _q in S6_EVENTS]
    positions.insert(
        2,
        (
            12,
            EventForm.CONSULTATION,
            "Тьюторское сопровождение педагогов ШНОР по математике и русскому языку "
            "(дистанционные консультации)",
        ),
    )
    for position, (when, form, title) in enumerate(positions, start=1):
        create(
            PlanItem,
            plan=plan,
            position=position,
            title=title,
            form=form,
            **({"date": when} if isinstance(when, dt.date) else {"month": when}),
            responsible="Смирнова О.В., руководитель площадки",
            audience="Педагоги и руководители ШНОР Приозерского района",
            done=True,
            done_note="Выполнено",
        )
    for action, by, day, comment in (
        (PlanStep.Action.SUBMIT, head, dt.date(2021, 9, 6), ""),
        (PlanStep.Action.AGREE, methodist, dt.date(2021, 9, 9), "Согласовано ИМО ЦИТ."),
        (PlanStep.Action.APPROVE, head, dt.date(2021, 9, 10), ""),
    ):
        create(PlanStep, plan=plan, action=action, by=by, at=at(day, 11), comment=comment)
    members = list(site.memberships.select_related("user"))
    for number, (day, form, title, absent, questions) in enumerate(S6_EVENTS, start=1):
        starts_at = at(day, 15)
        event = create(
            Event,
            structure=site,
            plan_item=plan.items.filter(title=title).first(),
            title=title,
            form=form,
            format=EventFormat.REMOTE,  # R-PRI-3.2
            starts_at=starts_at,
            ends_at=starts_at + dt.timedelta(minutes=MEETING_MINUTES),
            link=S6_LINK,
            status=Event.Status.HELD,
            created_by=head,
        )
        backdate(event, created_at=starts_at - dt.timedelta(days=10))
        away = {story.person(key).pk for key in absent}
        for m in members:
            create(
                Attendance, event=event, user=m.user, invited=True, attended=m.user_id not in away
            )
        minutes = create(
            Minutes,
            event=event,
            version=1,
            number=str(number),
            date=day,
            status=Minutes.Status.SIGNED,
            attendee_count=len(members) - len(absent),
            attendees=services.attendees_snapshot(event),
            created_by=head,
            signed_by=head,
            signed_at=starts_at + dt.timedelta(days=1),
        )
        backdate(minutes, created_at=starts_at + dt.timedelta(hours=20))
        for position, q in enumerate(questions, start=1):
            create(
                MinutesItem,
                minutes=minutes,
                position=position,
                question=q.question,
                decision=q.decision,
                recommendations=q.recommendations,
            )


# --- Pavlovsky S8: materials, a discussion, a poll -----------------------------------------------

MATERIALS_SITE = "https://metod.pavlovsky-uo.example.ru/materials"


@dataclass
class Share:
    structure: str
    author: str
    title: str
    kind: str
    subject: str
    description: str
    slug: str
    day: tuple[int, int]
    admitted: tuple[int, int] | None = None  # None: still waiting for the administrator


S8_MATERIALS = [
    Share("s8", "shevchenko",
          "Методические рекомендации по организации сетевого наставничества в ШНОР",
          Material.Kind.RECOMMENDATIONS, "Управление",
          "Порядок закрепления педагогов-тьюторов школ-лидеров за педагогами ШНОР, формы и "
          "периодичность взаимодействия, отчётность.", "nastavnichestvo", (9, 24)),
    Share("s8", "grechko",
          "Приёмы формирования читательской грамотности в начальной школе",
          Material.Kind.DEVELOPMENT, "Начальные классы",
          "Подборка заданий и приёмов смыслового чтения для 2–4 классов с примерами уроков.",
          "chitatelskaya-gramotnost", (10, 8), admitted=(10, 9)),
    Share("s8-kravets", "kravets",
          "Банк заданий для подготовки к ОГЭ по математике: задачи практической направленности",
          Material.Kind.DEVELOPMENT, "Математика",
          "Задачи 1–5 ОГЭ с разбором типичных ошибок обучающихся ШНОР.", "oge-matematika",
          (10, 15), admitted=(10, 16)),
    Share("s8-kravets", "zaitseva",
          "Технологическая карта урока алгебры в 8 классе «Квадратные уравнения»",
          Material.Kind.EXPERIENCE, "Математика",
          "Урок с дифференцированными заданиями для обучающихся с разным уровнем подготовки.",
          "kvadratnye-uravneniya", (10, 29), admitted=(10, 30)),
    # R-PAV-6.1 and 5.1: a school-improvement model waits for the administrator and expert review.
    Share("s8", "ponomarenko",
          "Модель перехода МБОУ СОШ № 3 ст. Павловской в эффективный режим работы",
          Material.Kind.MODEL, "Управление",
          "Проект модели для экспертизы в сообществе: анализ причин низких результатов, "
          "мероприятия на три года, показатели.", "model-sosh3", (11, 13)),
]  # fmt: skip

DISCUSSION_TITLE = "Как организовать работу с обучающимися группы риска при подготовке к ОГЭ?"
DISCUSSION_BODY = (
    "Коллеги, по итогам пробного ОГЭ в наших школах от 20 до 35 % девятиклассников не набирают "
    "минимального балла по математике. Предлагаю обсудить: как выстроить индивидуальные "
    "маршруты подготовки, как часто проводить консультации и как подключить родителей. Делитесь "
    "опытом и тем, что не сработало."
)
DISCUSSION_POSTS = [
    ("zaitseva", (10, 21),
     "У нас консультации два раза в неделю после уроков, но дети из отдалённых хуторов уезжают "
     "на школьном автобусе. Пробуем дистанционные консультации по вечерам."),
    ("koval", (10, 22),
     "В малокомплектной школе помогает работа в разновозрастных группах: девятиклассники "
     "решают задачи вместе с восьмиклассниками. И обязательно — короткий ежедневный тренинг по "
     "5–7 минут на каждом уроке."),
    ("kravets", (10, 24),
     "Спасибо! Соберу ваши приёмы в общий документ. Предлагаю в ноябре провести взаимные "
     "консультации: учителя СОШ № 2 подключаются к вашим вечерним занятиям."),
]  # fmt: skip
POLL_QUESTION = "Какой формат методической поддержки вам удобнее?"
POLL_OPTIONS = [
    "Дистанционные консультации тьютора",
    "Взаимопосещение уроков",
    "Мастер-классы на базе школы-лидера",
    "Обсуждения на форуме сообщества",
]
POLL_VOTES = [("zaitseva", [0, 1]), ("koval", [0, 3]), ("kravets", [2])]


def _teachers_community(story: Story) -> None:
    calendar, year = story.calendar, story.year
    admin = story.person("shevchenko")

    def when(month_day: tuple[int, int], hour: int = 12) -> dt.datetime:
        return calendar.done_at(calendar.moment(year, *month_day, hour))

    for share in S8_MATERIALS:
        structure = story.structure(share.structure)
        if structure.materials.filter(title=share.title).exists():
            continue
        material = services.material_add(
            structure=structure,
            title=share.title,
            kind=share.kind,
            subject=share.subject,
            description=share.description,
            link=f"{MATERIALS_SITE}/{share.slug}",
            by=story.person(share.author),
        )
        backdate(material, created_at=when(share.day, 10))
        if material.status == Material.Status.PENDING and share.admitted:
            services.material_admit(material=material, by=admin)
            backdate(material, admitted_at=when(share.admitted))
        elif material.admitted_at is not None:
            backdate(material, admitted_at=when(share.day, 10))

    maths = story.structure("s8-kravets")
    moderator = story.person("kravets")
    discussion = maths.discussions.filter(title=DISCUSSION_TITLE).first()
    if discussion is None:
        discussion = services.discussion_open(
            structure=maths, title=DISCUSSION_TITLE, body=DISCUSSION_BODY, by=moderator
        )
        backdate(discussion, created_at=when((10, 20), 16))
        for author, day, body in DISCUSSION_POSTS:
            post = services.post_add(discussion=discussion, body=body, by=story.person(author))
            backdate(post, created_at=when(day, 17))
    if not maths.polls.filter(question=POLL_QUESTION).exists():
        poll = services.poll_create(
            structure=maths,
            question=POLL_QUESTION,
            options=POLL_OPTIONS,
            multiple=True,
            discussion=discussion,
            by=moderator,
        )
        backdate(poll, created_at=when((10, 24), 18))
        options = list(poll.options.order_by("position"))
        for number, (voter, chosen) in enumerate(POLL_VOTES):
            vote = services.poll_vote(
                poll=poll, option_ids=[options[i].pk for i in chosen], by=story.person(voter)
            )
            backdate(vote, voted_at=when((10, 25 + number), 19))


# --- The whole part -------------------------------------------------------------------------------


def load(story: Story) -> None:
    _s5_last_year(story)
    _s5_this_year(story)
    _council(story)
    _centre(story)
    _internship_site(story)
    _teachers_community(story)
