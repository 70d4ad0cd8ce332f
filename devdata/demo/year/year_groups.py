"""The year of the Tula «Вжурнале» subject groups (S3): the physics and mathematics group's
administrator informs its members of a coming event (R-TUL-A2-4.2.2, 001 прил. 2 п. 4.2.2).

She plans a webinar ahead (the event service invites every member of the group, a notice and a
mail with the calendar file each) and posts an announcement to the group's members with the link
to it (a notice and a mail each). Both go through communities' services exactly as the pages do;
the mails land in the outbox like every other mail of the demo.

The piece is keyed by the webinar (the group and its title): once it exists, nothing here is
looked at again, so the members' answers and the administrator's own changes survive `make run`.
"""

from __future__ import annotations

import datetime as dt

from communities import services
from communities.models import EventForm, EventFormat
from communities.services.announcements import announcement_post

from .story import Story, backdate

GROUP = "s3-1"  # «Вжурнале / дисциплины физико-математического цикла»
ADMINISTRATOR = "razarenova"
WEBINAR = "Вебинар «Задачи с параметром: подготовка обучающихся к ОГЭ и ЕГЭ по математике»"
WEBINAR_LINK = "https://vks.cnppm-tula.example.ru/vzhurnale-fizmat"
ANNOUNCEMENT = "Приглашаем на вебинар по задачам с параметром"
ANNOUNCEMENT_TEXT = (
    "Коллеги, в группе пройдёт вебинар о подготовке обучающихся к решению задач с параметром на "
    "ОГЭ и ЕГЭ. Учителя МБОУ «Лицей № 2» покажут приёмы, которые помогли их ученикам, и разберут "
    "задачи, присланные участниками группы. Особенно ждём учителей школ с низкими "
    "образовательными результатами. Задачи для разбора присылайте в обсуждение группы «ВКонтакте» "
    "до дня вебинара; ссылка на подключение — на странице мероприятия."
)


def _group_webinar(story: Story) -> None:
    calendar, year = story.calendar, story.year
    group, administrator = story.structure(GROUP), story.person(ADMINISTRATOR)
    if group.events.filter(title=WEBINAR).exists():
        return
    starts_at = calendar.ahead(calendar.moment(year, 12, 9, 16))
    event = services.event_create(
        structure=group,
        by=administrator,
        title=WEBINAR,
        form=EventForm.WEBINAR,
        format=EventFormat.REMOTE,
        starts_at=starts_at,
        ends_at=starts_at + dt.timedelta(hours=1),
        link=WEBINAR_LINK,
        description="Разбор задач с параметром из открытого банка заданий ФИПИ.",
    )
    planned = calendar.done_at(starts_at - dt.timedelta(days=12))
    backdate(event, created_at=planned)
    announcement_post(
        structure=group,
        by=administrator,
        title=ANNOUNCEMENT,
        text=ANNOUNCEMENT_TEXT,
        event=event,
    )


def load(story: Story) -> None:
    _group_webinar(story)
