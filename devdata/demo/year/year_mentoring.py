"""The year of mentoring and monitoring — written through mentoring.services:

- Tula S4 pairs: the mentees' deficits and the mentors' strengths, the contact log (last year and
  this one; the pair МБОУ «ЦО № 36» — МБУДО «Центр ППСС» has had no contact for more than 30 days,
  so it shows as dormant), the questionnaire «Мониторинг наставнических отношений» with its
  December round answered by some sides — both sides of one pair, the mentor of the demo
  director's pair; the director's own side is left for her to answer (R-TUL-A3-4.2.1, 5.3);
- requests for targeted help: the demo director's school asks, the coordinator routes the request
  to a consultant; an older request of another school answered and closed;
- tutoring in the Pavlovsky subject communities (R-PAV-1.9);
- the statistics of the online groups «Вжурнале» (S3) and of the council «РОСТ» (S2) for the last
  six months, month by month (R-TUL-A1-5.3, R-TUL-A2-3.1.4).
"""

from __future__ import annotations

import datetime as dt
import random

from devdata.demo.structures import PAIRS, VZHURNALE
from mentoring import services
from mentoring.models import (
    Channel,
    Competence,
    ContactForm,
    HelpRequest,
    Question,
    Questionnaire,
    Round,
    Topic,
)
from networks.models import Structure
from networks.schoolyear import SchoolYear

from .calendar import DemoCalendar
from .story import Story, backdate

# --- The catalogue: who lacks what, who offers what ----------------------------------------------

ANALYSIS = "Анализ образовательных результатов и управленческие решения по ним"
VSOKO = "Внутренняя система оценки качества образования"
PROGRAMME = "Программа перехода школы в эффективный режим работы"
PARENTS = "Работа с родителями и вовлечение семей"
OGE = "Подготовка к ОГЭ"
EGE = "Подготовка к ЕГЭ"
STAFF = "Профессиональное развитие педагогов и наставничество в школе"
DEFICITS = "Выявление и устранение профессиональных дефицитов педагогов"
CLIMATE = "Школьный климат, мотивация обучающихся, профилактика неуспешности"
RESOURCES = "Оценка и использование кадровых, материально-технических, программных ресурсов"
VPR = "Всероссийские проверочные работы (ВПР)"

COMPETENCES = {
    # mentees (heads and deputies of ШНОР): deficits
    "demo-director": (Competence.Side.DEFICIT, [ANALYSIS, VSOKO, PARENTS]),
    "nikitina": (Competence.Side.DEFICIT, [OGE, DEFICITS]),
    "zhuravlev": (Competence.Side.DEFICIT, [CLIMATE, RESOURCES]),
    # mentors (leader schools, the support centre): strengths
    "makarova": (Competence.Side.STRENGTH, [VSOKO, ANALYSIS, PROGRAMME, OGE]),
    "frolov": (Competence.Side.STRENGTH, [OGE, EGE, STAFF]),
    "gusev": (Competence.Side.STRENGTH, [CLIMATE, PARENTS]),
}

# --- The contact log: per pair (by mentee), last year's and this year's contacts ------------------
# (month, day), who logs, form, channel, topic, outcome, next step
# fmt: off
LAST_YEAR_CONTACTS = {
    "demo-director": [
        ((10, 20), "makarova", ContactForm.MENTORING, Channel.IN_PERSON,
         "Знакомство со школой: анализ результатов ГИА и кадрового состава",
         "Составлен перечень управленческих задач на учебный год.",
         "Подготовить проект программы перехода в эффективный режим работы."),
        ((1, 26), "demo-director", ContactForm.CONSULTING, Channel.PHONE,
         "Программа перехода школы в эффективный режим работы: раздел «Кадры»",
         "Уточнены мероприятия по наставничеству для молодых учителей.", ""),
        ((4, 20), "makarova", ContactForm.BRAINSTORMING, Channel.IN_PERSON,
         "«Мозговой штурм»: подготовка к ВПР в 5–7 классах",
         "Выбраны три приёма работы с обучающимися группы риска.", ""),
    ],
    "nikitina": [
        ((10, 27), "frolov", ContactForm.MENTORING, Channel.IN_PERSON,
         "Организация подготовки к ОГЭ по математике",
         "Согласован график консультаций учителей гимназии.", ""),
        ((2, 9), "nikitina", ContactForm.CONSULTING, Channel.EMAIL,
         "Анализ пробного ОГЭ: индивидуальные маршруты подготовки",
         "Получены шаблоны индивидуальных маршрутов.", ""),
        ((4, 27), "frolov", ContactForm.MENTORING, Channel.IN_PERSON,
         "Взаимопосещение уроков математики в 9 классах",
         "Даны рекомендации по формирующему оцениванию.", ""),
    ],
    "zhuravlev": [
        ((11, 10), "gusev", ContactForm.CONSULTING, Channel.IN_PERSON,
         "Школьный климат: диагностика тревожности обучающихся",
         "Проведена диагностика в 7–9 классах.", "Обсудить результаты на педсовете."),
        ((3, 2), "zhuravlev", ContactForm.CONSULTING, Channel.PHONE,
         "Программа профилактики учебной неуспешности",
         "Определены роли педагога-психолога и классных руководителей.", ""),
        ((5, 18), "gusev", ContactForm.BRAINSTORMING, Channel.IN_PERSON,
         "Итоги года: что изменилось в школьном климате",
         "Повторная диагностика показала снижение тревожности.", ""),
    ],
}
THIS_YEAR_CONTACTS = {
    "demo-director": [
        ((9, 24), "makarova", ContactForm.MENTORING, Channel.IN_PERSON,
         "Анализ результатов ВПР и ОГЭ: выбор управленческих приоритетов на учебный год",
         "Определены три приоритетные задачи: математика в 5–6 классах, ВСОКО, работа с "
         "родителями.", "Подготовить проект положения о ВСОКО."),
        ((10, 14), "demo-director", ContactForm.CONSULTING, Channel.MESSENGER,
         "Положение о ВСОКО и график внутренних мониторингов",
         "Получены замечания к проекту положения; график мониторингов сокращён до четырёх "
         "срезов.", "Обсудить график на методическом совете."),
        ((11, 12), "makarova", ContactForm.BRAINSTORMING, Channel.IN_PERSON,
         "«Мозговой штурм»: как вовлечь родителей обучающихся группы риска",
         "Выбраны форматы: индивидуальные встречи, родительский клуб, чат класса.",
         "Запросить консультацию педагога-психолога Центра ППСС."),
    ],
    "nikitina": [
        ((9, 30), "frolov", ContactForm.CONSULTING, Channel.PHONE,
         "Расписание консультаций по подготовке к ОГЭ по математике",
         "Согласовано расписание на первое полугодие.", ""),
        ((10, 21), "nikitina", ContactForm.MENTORING, Channel.IN_PERSON,
         "Взаимопосещение уроков: формирующее оценивание",
         "Посещены два урока в МБОУ «Гимназия № 1».",
         "Провести открытый урок в МБОУ «ЦО № 8»."),
        ((11, 17), "frolov", ContactForm.MENTORING, Channel.EMAIL,
         "Выявление профессиональных дефицитов учителей математики",
         "Подобрана диагностика для методического объединения.", ""),
    ],
    # The dormant pair: nothing since early October.
    "zhuravlev": [
        ((9, 17), "gusev", ContactForm.CONSULTING, Channel.IN_PERSON,
         "План совместной работы на учебный год",
         "Согласованы темы: адаптация пятиклассников, профилактика неуспешности.", ""),
        ((10, 8), "zhuravlev", ContactForm.CONSULTING, Channel.PHONE,
         "Адаптация обучающихся 5 классов",
         "Педагог-психолог Центра ППСС проведёт занятия в ноябре.", ""),
    ],
}
# fmt: on
DORMANT = "zhuravlev"
DORMANT_AFTER = dt.timedelta(days=31)


def _pair(story: Story, mentee: str) -> Structure:
    return story.structure(f"s4-{mentee}")


def _mentor_of(mentee: str) -> str:
    return next(mentor for m, mentor, _curator in PAIRS if m == mentee)


def _competences(story: Story) -> None:
    topics = {t.name: t for t in Topic.objects.all()}
    when = story.calendar.done_at(story.calendar.moment(story.year, 9, 20, 12))
    for key, (side, names) in COMPETENCES.items():
        user = story.person(key)
        if Competence.objects.filter(user=user, side=side).exists():
            continue
        created = services.competences_state(
            user=user, side=side, topics=[topics[n] for n in names], by=user
        )
        Competence.objects.filter(pk__in=[c.pk for c in created]).update(stated_at=when)


def _log(story: Story, pair: Structure, year: SchoolYear, rows: list, *, before: dt.date) -> None:
    if pair.pair_contacts.filter(date__gte=year.first_day, date__lte=year.last_day).exists():
        return
    calendar = story.calendar
    days = calendar.past(
        [calendar.moment(year, month, day, 12) for (month, day), *_rest in rows], before=before
    )
    for moment, (_when, who, form, channel, topic, outcome, next_step) in zip(
        days, rows, strict=True
    ):
        services.contact_log(
            pair=pair,
            date=moment.date(),
            form=form,
            channel=channel,
            topic=topic,
            outcome=outcome,
            next_step=next_step,
            by=story.person(who),
        )


def _contacts(story: Story) -> None:
    today = story.calendar.today
    for mentee, rows in LAST_YEAR_CONTACTS.items():
        _log(story, _pair(story, mentee), story.last, rows, before=today)
    for mentee, rows in THIS_YEAR_CONTACTS.items():
        before = today
        if mentee == DORMANT:
            # Silent for a month and more; at a first load early in the autumn there is no month
            # of this year behind yet, and the pair falls silent a month after its last contact.
            quiet = today - DORMANT_AFTER
            if (quiet - story.year.first_day).days >= 2 * (len(rows) + 1):
                before = quiet
        _log(story, _pair(story, mentee), story.year, rows, before=before)


# --- The questionnaire and its December round ------------------------------------------------------

QUESTIONNAIRE = "Мониторинг наставнических отношений"
QUESTIONNAIRE_NOTE = (
    "Анкету заполняют наставник и наставляемый каждой сетевой пары отдельно. Куратор сравнивает "
    "ответы обеих сторон, чтобы вовремя поддержать пару или подобрать нового наставника."
)
FORMS = [
    "Наставничество",
    "Консультирование",
    "«Мозговой штурм»",
    "Взаимопосещение уроков и мероприятий",
    "Совместное участие в заседаниях объединения",
]
FIT = ["Подходит", "Скорее подходит", "Скорее не подходит", "Не подходит"]
QUESTIONS = [
    {"text": "Насколько регулярно вы взаимодействуете с коллегой по паре?",
     "kind": Question.Kind.SCALE},
    {"text": "Насколько взаимодействие помогает решать управленческие задачи вашей школы?",
     "kind": Question.Kind.SCALE},
    {"text": "Какие формы работы вы использовали в этом полугодии?",
     "kind": Question.Kind.MULTIPLE, "options": FORMS},
    # A mentee's «Не подходит» raises the pair for a new mentor.
    {"text": "Подходит ли вам коллега по паре для дальнейшей работы?",
     "kind": Question.Kind.SINGLE, "options": FIT, "rematch_answers": ["Не подходит"]},
    # A scale on a catalogue topic: the mentee's start of the year against its end.
    {"text": f"Оцените свою готовность решать задачи по теме «{ANALYSIS}»",
     "kind": Question.Kind.SCALE, "topic": ANALYSIS},
    {"text": "Какая помощь куратора нужна вашей паре?", "kind": Question.Kind.TEXT,
     "required": False},
]  # fmt: skip
ROUND = "Декабрь"
# (mentee of the pair, who answers), answers by question number
ANSWERS = [
    (("nikitina", "nikitina"), [4, 4, [FORMS[0], FORMS[1], FORMS[3]], "Подходит", 3,
                                "Помогите организовать взаимопосещение уроков математики в "
                                "гимназии для всех учителей МО."]),
    (("nikitina", "frolov"), [4, 5, [FORMS[1], FORMS[3]], "Подходит", 4, ""]),
    (("demo-director", "makarova"), [5, 4, FORMS[:3], "Подходит", 5,
                                     "Предлагаем пригласить на одну из встреч педагога-психолога "
                                     "для работы с родителями."]),
]  # fmt: skip


def _round_window(calendar: DemoCalendar, year: SchoolYear) -> tuple[dt.date, dt.date]:
    """The December checkpoint (1–25 December), widened at its first load so that it is open
    that day: from a week before to a week after, within the school year."""
    today = calendar.today
    opens = max(year.first_day, min(dt.date(year.start, 12, 1), today - dt.timedelta(days=7)))
    closes = min(year.last_day, max(dt.date(year.start, 12, 25), today + dt.timedelta(days=7)))
    return opens, closes


def _questionnaire(story: Story) -> None:
    calendar, year = story.calendar, story.year
    coordinator = story.person("demo-coordinator")
    region = coordinator.organisation.region
    questionnaire = Questionnaire.objects.filter(region=region, title=QUESTIONNAIRE).first()
    if questionnaire is None:
        questionnaire = services.questionnaire_create(
            region=region, title=QUESTIONNAIRE, description=QUESTIONNAIRE_NOTE, by=coordinator
        )
        topics = {t.name: t for t in Topic.objects.all()}
        for question in QUESTIONS:
            topic = question.get("topic")
            services.question_add(
                questionnaire=questionnaire,
                by=coordinator,
                **{**question, "topic": topics[topic] if topic else None},
            )
    december = questionnaire.rounds.filter(title=ROUND, school_year=year.start).first()
    if december is not None:
        return
    opens, closes = _round_window(calendar, year)
    december = services.round_create(
        questionnaire=questionnaire,
        title=ROUND,
        audience=Round.Audience.PAIRS,
        school_year=year.start,
        opens_on=opens,
        closes_on=closes,
        by=coordinator,
    )
    questions = list(questionnaire.questions.order_by("position"))
    start = DemoCalendar.at(opens, 9)
    end = min(calendar.now - dt.timedelta(hours=1), DemoCalendar.at(closes, 18))
    step = (end - start) / (len(ANSWERS) + 1)
    for number, ((mentee, who), values) in enumerate(ANSWERS, start=1):
        moment = start + step * number
        if moment >= end:
            break  # a round opened today: nobody has answered yet
        answers = {
            str(q.pk): value for q, value in zip(questions, values, strict=True) if value != ""
        }
        response = services.response_submit(
            round=december,
            pair=_pair(story, mentee),
            answers=answers,
            by=story.person(who),
            today=DemoCalendar(moment).today,
        )
        backdate(response, submitted_at=moment, updated_at=moment)


# --- Requests for targeted help ----------------------------------------------------------------------

REQUESTS = [
    # requester, topic, description, consultant, (filed, routed, answered, confirmed), answer
    (
        "kiseleva",
        VPR,
        "Просим консультацию по организации подготовки к ВПР по математике в 5–6 классах: "
        "результаты прошлого года ниже городских, учителя не успевают отрабатывать западающие "
        "темы.",
        "frolov",
        ((10, 6), (10, 7), (10, 16), (10, 20)),
        "Проведена консультация для администрации и учителей математики: предложен график "
        "тренировочных работ и банк заданий по западающим темам; учителя МБОУ «Гимназия № 1» "
        "готовы провести открытые уроки.",
    ),
    (
        "demo-director",
        PARENTS,
        "Родители обучающихся 8–9 классов из группы риска не приходят на собрания и консультации. "
        "Нужна консультация: как выстроить работу с такими семьями и какие форматы встреч "
        "работают в других школах.",
        "orlova",
        ((11, 12), (11, 13), None, None),
        "",
    ),
]


def _help_requests(story: Story) -> None:
    calendar, year = story.calendar, story.year
    coordinator = story.person("demo-coordinator")
    for requester_key, topic_name, text, consultant_key, days, answer in REQUESTS:
        requester = story.person(requester_key)
        topic = Topic.objects.get(name=topic_name)
        if HelpRequest.objects.filter(requester=requester, topic=topic).exists():
            continue
        filed, routed, answered, confirmed = (
            calendar.done_at(calendar.moment(year, *day, 11)) if day else None for day in days
        )
        request = services.help_request_file(topic=topic, description=text, by=requester)
        backdate(request, created_at=filed)
        consultant = story.person(consultant_key)
        request = services.help_request_route(
            help_request=request, consultant=consultant, by=coordinator
        )
        backdate(request, routed_at=routed)
        if answered:
            request = services.help_request_answer(
                help_request=request, answer=answer, consulted=True, by=consultant
            )
            backdate(request, answered_at=answered)
            request = services.help_request_confirm(help_request=request, helped=True, by=requester)
            backdate(request, confirmed_at=confirmed)


# --- Tutoring in the Pavlovsky subject communities (R-PAV-1.9) ---------------------------------------

TUTORING = [
    # sub-community (by moderator), tutor, teacher of a ШНОР, subject, sessions
    (
        "kravets",
        "zaitseva",
        "Математика",
        [
            ((10, 2), "Анализ стартовой диагностики 9 классов", "Выделены западающие темы."),
            ((10, 23), "Открытый урок «Текстовые задачи»", "Отработан приём «решение по шагам»."),
        ],
    ),
    (
        "bondarenko",
        "nesterenko",
        "Русский язык",
        [
            ((10, 7), "Подготовка к итоговому собеседованию", "Составлен план тренировок."),
            ((11, 11), "Работа с текстом на уроках литературы", "Подобраны задания."),
        ],
    ),
]


def _tutoring(story: Story) -> None:
    # Tutors and teachers are checked against the lists of the current school year, which the
    # networks demo loads; so the tutoring belongs to that year, not to the demo's «this year».
    calendar = story.calendar
    current = SchoolYear.of(calendar.today)
    for moderator, teacher_key, subject, sessions in TUTORING:
        community = story.structure(f"s8-{moderator}")
        tutor, teacher = story.person(moderator), story.person(teacher_key)
        if community.tutor_assignments.filter(tutor=tutor, teacher=teacher).exists():
            continue
        since = min(calendar.day(current, 9, 15), calendar.today)
        assignment = services.tutoring_assign(
            structure=community,
            tutor=tutor,
            teacher=teacher,
            subject=subject,
            since=since,
            by=story.person("shevchenko"),
        )
        if (calendar.today - since).days < 2 * (len(sessions) + 1):
            continue
        days = calendar.past(
            [calendar.moment(current, *day, 15) for day, _t, _o in sessions], since=since
        )
        for moment, (_day, topic, outcome) in zip(days, sessions, strict=True):
            services.tutoring_session_log(
                assignment=assignment,
                date=moment.date(),
                form=ContactForm.MENTORING,
                channel=Channel.COMMUNITY,
                topic=topic,
                outcome=outcome,
                by=tutor,
            )


# --- Online-group statistics ------------------------------------------------------------------------

MONTHS = 6
# Visitors in an ordinary month, by group; the council is smaller than the big subject groups.
AUDIENCE = [600, 900, 700, 800, 450, 200, 300, 350, 250, 200, 750, 180]
COUNCIL_AUDIENCE = 260
SEASON = {6: 0.6, 7: 0.4, 8: 0.7, 9: 1.15, 10: 1.05, 11: 1.0, 12: 0.9, 1: 0.85, 2: 1.0, 3: 1.0}


def _months(today: dt.date) -> list[tuple[dt.date, dt.date]]:
    """The last MONTHS full calendar months before today's month, oldest first."""
    periods = []
    first = today.replace(day=1)
    for _ in range(MONTHS):
        last = first - dt.timedelta(days=1)
        first = last.replace(day=1)
        periods.append((first, last))
    return periods[::-1]


def _statistics(story: Story) -> None:
    groups = [
        (story.structure(f"s3-{n}"), story.person(admins[0]), AUDIENCE[n - 1])
        for n, (_t, _l, _c, admins, _m) in enumerate(VZHURNALE, start=1)
    ]
    groups.append((story.structure("s2"), story.person("zakharova"), COUNCIL_AUDIENCE))
    periods = _months(story.calendar.today)
    for group, admin, audience in groups:
        if group.group_statistics.exists():
            continue
        for start, end in periods:
            # The same figures on every load: the generator is seeded by group and month.
            rng = random.Random(f"{group.name}:{start:%Y-%m}")
            visitors = int(audience * SEASON.get(start.month, 0.95) * rng.uniform(0.85, 1.15))
            services.group_statistics_add(
                structure=group,
                period_start=start,
                period_end=end,
                visitors=visitors,
                views=int(visitors * rng.uniform(3.0, 5.5)),
                actions=int(visitors * rng.uniform(0.08, 0.18)),
                feedback=int(visitors * rng.uniform(0.02, 0.05)),
                by=admin,
            )


def load(story: Story) -> None:
    _competences(story)
    _contacts(story)
    _questionnaire(story)
    _help_requests(story)
    _tutoring(story)
    _statistics(story)
