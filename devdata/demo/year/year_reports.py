"""The year of reporting: deadlines, reports and notices — through reporting.reminders and
reporting.reports.services.

- Deadlines of the current and the previous school year (reminders.deadlines_instantiate; also of
  the demo's «this year» and the one before it, should that be a year earlier, in September).
- Last year's reports handed in: the S5 association's results by 25 December and annual analysis
  by 15 July (R-TUL-A4-4.6), both accepted by the centre; the council's and the groups' results
  and the curators' reports on the pairs (R-TUL-A3-5.4), handed in by the demo coordinator, who
  cannot accept her own.
- This year: the S5 head hands in the results by 25 December, so the coordinator has a report to
  accept; the council's report by 25 December is a draft its chair (the coordinator) is writing.
  (S5's head is the only Tula deliverer besides the coordinator, and nobody accepts their own
  report: that is why S5's, not a draft, is the one waiting.)
- A few notices for the demo director and coordinator, some unread, on what the reminder sweep
  does not send by itself (a questionnaire opened, a request routed, a report handed in), so the
  two never tell the same thing twice. Invitations to the coming meetings are not made here: the
  event service wrote them when the demo planned the meetings, as it does for everyone.
"""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from mentoring.models import HelpRequest, Round
from networks.schoolyear import SchoolYear
from reporting import reminders
from reporting.models import Deadline, Deliverable, Notice, Report
from reporting.reports import services

from . import year_mentoring
from .calendar import DemoCalendar
from .story import Story, backdate, create

# A report's draft is started two weeks before its deadline.
DRAFT_AHEAD = dt.timedelta(weeks=2)

# structure key, "last" or "this" year, due month of the rule, author, narrative,
# handed in (month, day) or None for a draft, accepted (month, day) or None
# fmt: off
REPORTS = [
    ("s5", "last", 12, "makarova", {
        "analysis": "В первом полугодии проведено два заседания объединения (октябрь, декабрь), "
                    "оба оформлены протоколами. Рассмотрены итоги ГИА и ВПР, управление "
                    "подготовкой к ОГЭ и ЕГЭ в ШНОР. Работают три сетевые пары руководителей; "
                    "проводятся адресные консультации по запросам руководителей ШНОР.",
        "problems": "Не все руководители ШНОР посещают заседания; запросы на консультации "
                    "поступают в основном от двух школ.",
        "plans": "Во втором полугодии — заседания в феврале и апреле, взаимопосещения уроков и "
                 "стажировки руководителей ШНОР в школах-партнёрах.",
    }, (12, 23), (12, 26)),
    ("s5", "last", 7, "makarova", {
        "analysis": "Проведено четыре заседания объединения (норматив — не реже четырёх раз в "
                    "учебный год), все оформлены протоколами с решениями и рекомендациями. План "
                    "работы, утверждённый МКУ «ЦНППМ г. Тулы», выполнен. Руководители ШНОР "
                    "актуализировали программы перехода в эффективный режим работы; по итогам "
                    "ВПР в двух ШНОР доля работ с отметкой «2» по математике снизилась.",
        "problems": "Остаётся низкой вовлечённость родителей обучающихся группы риска; "
                    "взаимопосещения уроков проводились нерегулярно.",
        "plans": "На следующий учебный год: внутренняя система оценки качества образования в "
                 "ШНОР, работа с родителями, развитие кадрового потенциала; сохранить выездные "
                 "заседания на базе школ-партнёров.",
    }, (7, 10), (7, 14)),
    ("s2", "last", 12, "demo-coordinator", {
        "analysis": "Проведены онлайн-консультации для руководителей ШНОР, в сообществе «РОСТ» "
                    "размещены обзоры нормативных документов и успешных управленческих практик. "
                    "Статистика страницы совета вносится ежемесячно.",
    }, (12, 24), None),
    ("s3", "last", 12, "demo-coordinator", {
        "analysis": "Двенадцать сетевых групп «Вжурнале» регулярно обновляли контент; "
                    "администраторы информировали участников об образовательных событиях и "
                    "модерировали обсуждения. Наиболее активны группы учителей начальных классов "
                    "и гуманитарного цикла.",
    }, (12, 24), None),
    *[
        (f"s4-{mentee}", "last", 6, "demo-coordinator", {
            "analysis": "Пара работала в течение учебного года: встречи и консультации по темам, "
                        "которые руководитель ШНОР указал как дефициты. Контакты отмечены в "
                        "журнале пары.",
        }, (6, 26), None)
        for mentee in ("demo-director", "nikitina", "zhuravlev")
    ],
    ("s5", "this", 12, "makarova", {
        "analysis": "План работы на учебный год утверждён МКУ «ЦНППМ г. Тулы». Проведено два "
                    "заседания объединения с подписанными протоколами: итоги ГИА и ВПР, "
                    "внутренняя система оценки качества образования в ШНОР. Руководители ШНОР "
                    "актуализируют положения о ВСОКО; работают три сетевые пары.",
        "problems": "Протокол выездного заседания на базе МБОУ «Гимназия № 1» ещё не оформлен. "
                    "В одной сетевой паре нет регулярных контактов с октября.",
        "plans": "Заседание о развитии кадрового потенциала ШНОР, семинар-практикум по работе с "
                 "родителями, итоговое заседание в мае.",
    }, (12, 18), None),
    ("s2", "this", 12, "demo-coordinator", {
        "analysis": "Сообщество «РОСТ» во «ВКонтакте» работает в штатном режиме; статистика "
                    "посещений вносится ежемесячно. План работы на учебный год представлен "
                    "рабочей группой.",
    }, None, None),
]
# fmt: on


def _deadlines(story: Story) -> None:
    current = SchoolYear.of(story.calendar.today)
    years = {current, SchoolYear(current.start - 1), story.year, story.last}
    for year in sorted(years):
        reminders.deadlines_instantiate(year=year)


def _reports(story: Story) -> None:
    calendar = story.calendar
    centre = story.person("demo-coordinator")
    for key, which, month, author_key, narrative, handed, accepted in REPORTS:
        structure = story.structure(key)
        year = story.last if which == "last" else story.year
        deadline = Deadline.objects.filter(
            structure=structure,
            school_year=year.start,
            rule__deliverable=Deliverable.REPORT,
            rule__due_month=month,
        ).first()
        if deadline is None or Report.objects.filter(deadline=deadline).exists():
            continue
        author = story.person(author_key)
        report = services.report_start(
            structure=structure, by=author, deadline=deadline, narrative=narrative
        )
        backdate(
            report, created_at=calendar.done_at(DemoCalendar.at(deadline.due_on, 9) - DRAFT_AHEAD)
        )
        if handed is None:
            continue
        report = services.report_submit(
            report=report, by=author, now=calendar.done_at(calendar.moment(year, *handed, 16))
        )
        if accepted is None:
            continue
        report = services.report_accept(report=report, by=centre)
        moment = calendar.done_at(calendar.moment(year, *accepted, 11))
        backdate(report, decided_at=moment)
        # report_accept told the author in the portal; that was long ago, and read.
        Notice.objects.filter(user=author, url=services.report_url(report)).update(
            created_at=moment, read_at=moment + dt.timedelta(hours=2)
        )


def _notice(user, title: str, body: str, url: str, at: dt.datetime, *, read: bool) -> None:
    if Notice.objects.filter(user=user, title=title).exists():
        return
    notice = create(
        Notice,
        user=user,
        title=title[:300],
        body=body,
        url=url,
        read_at=at + dt.timedelta(hours=3) if read else None,
    )
    backdate(notice, created_at=at)


def _notices(story: Story) -> None:
    calendar, year = story.calendar, story.year
    director, centre = story.person("demo-director"), story.person("demo-coordinator")
    s5 = story.structure("s5")

    december = (
        Round.objects.filter(
            questionnaire__title=year_mentoring.QUESTIONNAIRE,
            title=year_mentoring.ROUND,
            school_year=year.start,
        )
        .select_related("questionnaire")
        .first()
    )
    if december is not None:
        _notice(
            director,
            f"Открыт этап анкетирования «{december.title}»: {december.questionnaire.title}",
            f"Ответьте на анкету до {december.closes_on:%d.%m.%Y}. Ответы наставника и "
            "наставляемого куратор сравнивает, чтобы вовремя поддержать пару.",
            reverse("mentoring:my_questionnaires"),
            calendar.done_at(DemoCalendar.at(december.opens_on, 9)),
            read=False,
        )
        _notice(
            centre,
            f"Анкета «{december.questionnaire.title}»: идёт этап «{december.title}»",
            f"Этап открыт до {december.closes_on:%d.%m.%Y}. Ответы сторон сетевых пар видны на "
            "странице этапа.",
            reverse("mentoring:round_overview", args=[december.pk]),
            calendar.done_at(DemoCalendar.at(december.opens_on, 10)),
            read=False,
        )

    # Invitations to the coming meetings are the portal's own notices now (issue 17,
    # communities.services.event_invitations): planning them in the demo wrote them.

    request = (
        HelpRequest.objects.filter(requester=director, consultant__isnull=False)
        .select_related("consultant__organisation", "topic")
        .order_by("-created_at")
        .first()
    )
    if request is not None:
        consultant = request.consultant
        url = reverse("mentoring:request_detail", args=[request.pk])
        _notice(
            director,
            f"Запрос о помощи передан консультанту: {request.topic.name}",
            f"Консультант: {consultant.short_name}, {consultant.organisation}. Он свяжется с "
            "вами, ответ появится на странице запроса.",
            url,
            request.routed_at,
            read=True,
        )

    waiting = (
        Report.objects.filter(structure=s5, school_year=year.start, status=Report.Status.SUBMITTED)
        .select_related("author")
        .first()
    )
    if waiting is not None:
        _notice(
            centre,
            f"Сдан отчёт: {waiting.title} — {s5.name}",
            f"{waiting.author.short_name}, {year.label} учебный год. Отчёт ждёт принятия.",
            services.report_url(waiting),
            waiting.submitted_at,
            read=False,
        )


def load(story: Story) -> None:
    _deadlines(story)
    _reports(story)
    _notices(story)
