"""The events pages in a client: planning, proposals, attendance, minutes with their versions,
uploads, the DOCX, the structure panel and the home blocks, with pinned query counts."""

from __future__ import annotations

import datetime as dt
import io
from urllib.parse import quote

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from docx import Document

from communities import services
from communities.models import Event, Minutes
from networks import figures
from networks.charts import COLOURS
from networks.models import Role
from tests.factories import (
    MembershipFactory,
    PlanFactory,
    PlanItemFactory,
    StructureFactory,
    kind,
)
from tests.helpers import kept_forgotten, mentoring_limits_kept

from .conftest import QUESTIONS, file_minutes, hold, plan_meeting

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def minutes_data(number="3", questions=QUESTIONS, **extra) -> dict:
    data = {
        "minutes-number": number,
        "minutes-date": "2021-02-15",
        "items-TOTAL_FORMS": str(len(questions) + 1),
        "items-INITIAL_FORMS": "0",
        "items-MIN_NUM_FORMS": "1",
        "items-MAX_NUM_FORMS": "100",
    }
    for n, q in enumerate(questions):
        data[f"items-{n}-question"] = q.question
        data[f"items-{n}-speakers"] = q.speakers
        data[f"items-{n}-decision"] = q.decision
        data[f"items-{n}-recommendations"] = q.recommendations
    data.update(extra)
    return data


def held_meeting(s5, day=dt.date(2021, 2, 15)):
    event = plan_meeting(s5, day)
    hold(s5, event)
    return event


# --- Planning --------------------------------------------------------------------------------------


def test_the_head_plans_a_meeting_with_every_member_invited(client, s5):
    client.force_login(s5.head)
    url = reverse("communities:event_create", args=[s5.structure.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert sorted(page.context["form"].initial["invitees"]) == sorted(u.pk for u in s5.everyone)
    assert page.context["form"].initial["format"] == "in_person"
    response = client.post(
        url,
        {
            "event-title": "Заседание № 3: итоги полугодия",
            "event-form": "meeting",
            "event-format": "in_person",
            "event-starts_at": "2021-03-18T15:00",
            "event-place": "ЦНППМ, ауд. 5",
            "event-invitees": [str(u.pk) for u in s5.everyone],
            "event-guests": "Орлова Елена Николаевна; ЦНППМ г. Тулы",
        },
    )
    event = Event.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "communities:event_detail", args=[s5.structure.pk, event.pk]
    )
    assert event.attendance.count() == 6 and event.starts_at.hour == 12  # 15:00 in Moscow


def test_a_remote_event_without_a_link_keeps_what_was_typed(client, s5):
    client.force_login(s5.head)
    response = client.post(
        reverse("communities:event_create", args=[s5.structure.pk]),
        {
            "event-title": "Вебинар для заместителей",
            "event-form": "webinar",
            "event-format": "remote",
            "event-starts_at": "2021-03-18T15:00",
        },
    )
    assert response.status_code == 200
    assert "Для дистанционного участия нужна ссылка" in response.content.decode()
    assert response.context["form"]["title"].value() == "Вебинар для заместителей"
    assert not Event.objects.exists()


def test_an_event_from_a_plan_item_is_prefilled(client, s5):
    plan = PlanFactory(structure=s5.structure, school_year=2020)
    item = PlanItemFactory(plan=plan, title="Заседание: обмен опытом", form="meeting", month=4)
    client.force_login(s5.head)
    page = client.get(
        reverse("communities:event_create", args=[s5.structure.pk]), {"plan_item": item.pk}
    )
    initial = page.context["form"].initial
    assert (initial["title"], initial["form"], initial["plan_item"]) == (
        "Заседание: обмен опытом",
        "meeting",
        item,
    )
    assert initial["starts_at"].date() == dt.date(2021, 4, 1)


def test_members_of_an_s5_association_do_not_plan(client, s5):
    client.force_login(s5.members[0])
    assert (
        client.get(reverse("communities:event_create", args=[s5.structure.pk])).status_code == 403
    )


def test_r_dmi_4_1_4_2_a_participant_school_proposes_in_the_browser_and_the_centre_schedules(
    client,
):
    centre = StructureFactory(kind=kind("S7"), name="Центр сетевого взаимодействия")
    director = MembershipFactory(structure=centre, role=Role.HEAD).user
    school = MembershipFactory(structure=centre, role=Role.MEMBER).user
    client.force_login(school)
    url = reverse("communities:event_create", args=[centre.pk])
    form_page = client.get(url)
    assert "Предложить мероприятие" in form_page.content.decode()
    assert "place" not in form_page.context["form"].fields
    client.post(
        url,
        {
            "event-title": "Мастер-класс по смысловому чтению",
            "event-form": "master_class",
            "event-starts_at": "2021-03-20T14:00",
        },
    )
    event = Event.objects.get()
    assert event.status == Event.Status.PROPOSED and event.proposed_by == school.organisation
    edit = reverse("communities:event_edit", args=[centre.pk, event.pk])
    assert client.get(edit).status_code == 403  # the school does not decide place and form

    client.force_login(director)
    assert "Определить место и форму" in client.get(edit).content.decode()
    client.post(
        edit,
        {
            "event-title": event.title,
            "event-form": "seminar",
            "event-format": "mixed",
            "event-starts_at": "2021-03-22T14:00",
            "event-place": "МБОУ «Дмитриевская СОШ № 1»",
            "event-link": "https://sferum.ru/?call_link=xyz",
            "event-invitees": [str(director.pk), str(school.pk)],
        },
    )
    event.refresh_from_db()
    assert (event.status, event.form, event.format) == ("scheduled", "seminar", "mixed")


# --- Attendance -----------------------------------------------------------------------------------


def test_attendance_is_marked_from_the_invited_list(client, s5):
    event = plan_meeting(s5, dt.date(2021, 2, 15))
    rows = list(event.attendance.order_by("pk"))
    client.force_login(s5.head)
    url = reverse("communities:attendance", args=[s5.structure.pk, event.pk])
    page = client.get(url)
    assert s5.members[0].full_name in page.content.decode()
    client.post(
        url,
        {
            "attendance-present": [str(rows[0].pk), str(rows[2].pk)],
            "attendance-guests": "Орлова Елена Николаевна; ЦНППМ",
        },
    )
    event.refresh_from_db()
    assert event.status == Event.Status.HELD
    assert event.attendance.filter(attended=True).count() == 3


def test_attendance_page_of_a_future_event_has_no_form(client, s5):
    event = plan_meeting(s5, dt.date(2021, 3, 10))
    client.force_login(s5.head)
    page = client.get(reverse("communities:attendance", args=[s5.structure.pk, event.pk]))
    assert "ещё не началось" in page.content.decode()
    assert "Сохранить присутствие" not in page.content.decode()


# --- Minutes -------------------------------------------------------------------------------------


def test_minutes_are_written_with_two_questions_and_the_date_of_the_event(client, s5):
    event = held_meeting(s5)
    client.force_login(s5.head)
    url = reverse("communities:minutes_create", args=[s5.structure.pk, event.pk])
    page = client.get(url)
    assert page.context["form"].initial == {"number": "1", "date": dt.date(2021, 2, 15)}
    response = client.post(url, minutes_data())
    minutes = Minutes.objects.get()
    assert response["Location"] == reverse(
        "communities:minutes_detail", args=[s5.structure.pk, minutes.pk]
    )
    assert minutes.items.count() == 2
    # «ВЫСТУПИЛИ» of the first question (issue 18), on the minutes' page too.
    assert minutes.items.first().speakers == QUESTIONS[0].speakers
    html = client.get(response["Location"]).content.decode()
    assert f"ВЫСТУПИЛИ:</strong> {QUESTIONS[0].speakers}" in html


def test_a_rejected_upload_says_why_and_keeps_the_rest_of_the_form(client, s5):
    event = held_meeting(s5)
    client.force_login(s5.head)
    fake = SimpleUploadedFile("Приложение.pdf", b"<html>not a pdf</html>", "application/pdf")
    response = client.post(
        reverse("communities:minutes_create", args=[s5.structure.pk, event.pk]),
        minutes_data(number="7", **{"minutes-attachments": [fake]}),
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Файл «Приложение.pdf» не принят: по содержимому это не PDF" in html
    assert QUESTIONS[1].recommendations in html and 'value="7"' in html
    assert not Minutes.objects.exists()


def test_a_script_typed_into_minutes_stays_text(client, s5):
    event = held_meeting(s5)
    minutes = file_minutes(
        s5,
        event,
        questions=[
            services.MinutesQuestion(
                "<script>alert('вопрос')</script>", "<b>решение</b>", "<img src=x onerror=1>"
            )
        ],
    )
    client.force_login(s5.members[0])
    html = client.get(
        reverse("communities:minutes_detail", args=[s5.structure.pk, minutes.pk])
    ).content.decode()
    assert "<script>alert" not in html and "&lt;script&gt;alert(&#x27;вопрос&#x27;)" in html
    assert "<b>решение</b>" not in html and "<img src=x" not in html


def test_signed_minutes_have_no_edit_form_and_a_post_changes_nothing(client, s5):
    minutes = file_minutes(s5, held_meeting(s5), sign=True)
    client.force_login(s5.head)
    detail = reverse("communities:minutes_detail", args=[s5.structure.pk, minutes.pk])
    edit = reverse("communities:minutes_edit", args=[s5.structure.pk, minutes.pk])
    page = client.get(detail).content.decode()
    assert edit not in page and "Подписать протокол" not in page
    assert client.get(edit)["Location"] == detail
    response = client.post(edit, minutes_data(number="99"), follow=True)
    assert "Протокол подписан и больше не меняется" in response.content.decode()
    minutes.refresh_from_db()
    assert minutes.number == "3" and minutes.items.count() == 2


def test_a_correction_makes_version_2_with_a_reason(client, s5):
    v1 = file_minutes(s5, held_meeting(s5), sign=True)
    client.force_login(s5.head)
    url = reverse("communities:minutes_correct", args=[s5.structure.pk, v1.pk])
    refused = client.post(url, {"reason": ""})
    assert refused.status_code == 200 and "Обязательное поле" in refused.content.decode()
    response = client.post(url, {"reason": "Уточнена формулировка решения"})
    v2 = Minutes.objects.get(version=2)
    assert response["Location"] == reverse(
        "communities:minutes_edit", args=[s5.structure.pk, v2.pk]
    )
    old = client.get(reverse("communities:minutes_detail", args=[s5.structure.pk, v1.pk]))
    assert "Это прежняя версия протокола" in old.content.decode()
    new = client.get(reverse("communities:minutes_detail", args=[s5.structure.pk, v2.pk]))
    assert "Уточнена формулировка решения" in new.content.decode()


def test_the_minutes_page_prints_without_navigation(client, s5):
    minutes = file_minutes(s5, held_meeting(s5), sign=True)
    client.force_login(s5.head)
    html = client.get(
        reverse("communities:minutes_detail", args=[s5.structure.pk, minutes.pk])
    ).content.decode()
    assert 'href="/static/css/minutes-print.css" media="print"' in html
    assert "ПРОТОКОЛ № 3" in html and "Присутствовали: 4 чел." in html


def test_the_docx_opens_and_holds_the_number_questions_decisions_and_recommendations(client, s5):
    minutes = file_minutes(s5, held_meeting(s5), sign=True)
    client.force_login(s5.coordinator)
    response = client.get(reverse("communities:minutes_docx", args=[s5.structure.pk, minutes.pk]))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    # Kind, number, the structure's name, date (issue 18), under 100 characters.
    disposition = response["Content-Disposition"]
    assert quote("Протокол_№_3_") in disposition and quote("_от_15.02.2021.docx") in disposition
    text = "\n".join(p.text for p in Document(io.BytesIO(response.content)).paragraphs)
    assert "ПРОТОКОЛ" in text and "№ 3" in text and s5.structure.host.full_name in text
    assert "Присутствовали: 4 чел." in text and s5.head.full_name in text
    for q in QUESTIONS:
        assert q.question in text and q.decision in text and q.recommendations in text


def test_attachments_download_with_their_cyrillic_name(client, s5):
    upload = SimpleUploadedFile("Справка о посещении уроков.pdf", PDF, "application/pdf")
    minutes = file_minutes(s5, held_meeting(s5), files=[upload])
    attachment = minutes.attachments.get()
    client.force_login(s5.members[1])
    response = client.get(
        reverse("communities:minutes_attachment", args=[s5.structure.pk, minutes.pk, attachment.pk])
    )
    assert response["Content-Type"] == "application/pdf"
    assert quote("Справка о посещении уроков.pdf") in response["Content-Disposition"]
    assert b"".join(response.streaming_content) == PDF


def test_an_anonymised_attendee_shows_as_deleted(client, s5):
    minutes = file_minutes(s5, held_meeting(s5), sign=True)
    gone = s5.head
    client.force_login(s5.coordinator)
    gone.anonymised_at = dt.datetime(2021, 2, 20, tzinfo=dt.UTC)
    gone.save()
    html = client.get(
        reverse("communities:minutes_detail", args=[s5.structure.pk, minutes.pk])
    ).content.decode()
    assert "Удалённый пользователь" in html and "Руденко Ирина" not in html


# --- The structure panel, the list, the home blocks -------------------------------------------


def count_queries(client, url, **params) -> tuple[int, str]:
    kept_forgotten()
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(ctx.captured_queries), response.content.decode()


def make_year(s5, n: int) -> None:
    """n held meetings with signed minutes, n without, n upcoming. The structure's figures are
    recounted once at the end (figures.batched), as a service writing many rows at once does,
    not after each of the 3n meetings: the same figures, a second less of the suite's time."""
    with figures.batched():
        _make_year(s5, n)


def _make_year(s5, n: int) -> None:
    for i in range(n):
        event = held_meeting(s5, dt.date(2020, 10, 1) + dt.timedelta(days=i))
        file_minutes(s5, event, number=str(Minutes.objects.count() + 1), sign=True)
        held_meeting(s5, dt.date(2021, 1, 10) + dt.timedelta(days=i))
        plan_meeting(s5, dt.date(2021, 3, 10) + dt.timedelta(days=i))


def test_r_tul_a4_4_3_the_coordinator_sees_meetings_held_of_four_on_the_structure_page(client, s5):
    make_year(s5, 1)
    client.force_login(s5.territory_coordinator)
    url = reverse("networks:structure_detail", args=[s5.structure.pk])
    small, html = count_queries(client, url)
    assert "Проведено заседаний: 2 из 4" in html
    assert "Прошедшие заседания без подписанного протокола: 1" in html
    make_year(s5, 10)
    assert count_queries(client, url)[0] == small


def test_r_tul_a4_4_3_the_structure_page_charts_meetings_by_school_year_against_four(client, s5):
    """Issue 20: the bars are the meetings held each school year, the dashed line the minimum of
    four, and a table beside the chart says the same."""
    s5.structure.established_on = dt.date(2019, 9, 1)
    s5.structure.save(update_fields=["established_on"])
    held_meeting(s5, dt.date(2019, 10, 1))
    make_year(s5, 3)  # six meetings held in 2020/2021
    client.force_login(s5.territory_coordinator)
    url = reverse("networks:structure_detail", args=[s5.structure.pk])
    response = client.get(url)
    panel = next(p for p in response.context["panels"] if p.get("chart"))
    chart = panel["chart"]

    assert [(b.label, b.value) for b in chart.bars] == [("2019/2020", 1), ("2020/2021", 6)]
    assert chart.marker.value == 4
    # One scale: the longest bar is the six, the line at four sixths of it, the one a sixth.
    longest = chart.bars[1].width
    assert chart.marker.x - chart.label_width == round(longest * 4 / 6)
    assert chart.bars[0].width == round(longest / 6)
    # Red where the year ended short, blue where the minimum is met.
    assert [b.colour for b in chart.bars] == [COLOURS["missing"], COLOURS["held"]]
    html = response.content.decode()
    assert 'aria-labelledby="meetings-by-year-title"' in html
    assert "2019/2020: 1; 2020/2021: 6; минимум — 4" in html
    table = html[html.index('id="meetings-by-year-caption"') :]
    table = table[: table.index("</table>")]
    assert ">2020/2021</th>" in table and "выполнен (4)" in table and "не выполнен (4)" in table
    # The chart reads every year in the query the panel already ran for the shown year.
    small = count_queries(client, url)[0]
    held_meeting(s5, dt.date(2019, 11, 1))
    assert count_queries(client, url)[0] == small


def test_outsiders_do_not_see_the_year_panel(client, s5):
    make_year(s5, 1)
    client.force_login(MembershipFactory().user)
    html = client.get(reverse("networks:structure_detail", args=[s5.structure.pk])).content
    assert "Проведено заседаний" not in html.decode()


def test_the_events_list_filters_and_pins_its_query_count(client, s5):
    make_year(s5, 1)
    client.force_login(s5.members[0])
    url = reverse("communities:events", args=[s5.structure.pk])
    small, html = count_queries(client, url)
    assert html.count("/events/") >= 3
    make_year(s5, 10)
    assert count_queries(client, url)[0] == small
    upcoming = client.get(url, {"when": "upcoming"}).context["page"].object_list
    assert len(upcoming) == 11 and all(e.status == "scheduled" for e in upcoming)
    past = client.get(url, {"when": "past"}).context["page"].object_list
    assert len(past) == 22


def test_home_blocks_for_the_coordinator_the_head_and_a_member(client, s5):
    mentoring_limits_kept()  # read once, as on every page after the first (mentoring.limits)
    make_year(s5, 1)
    home = reverse("home")
    client.force_login(s5.territory_coordinator)
    # Asked once first: the territory's deadline figures are kept in the shared cache
    # (reporting.summaries.nearest), as every home after the first finds them.
    client.get(home)
    small, html = count_queries(client, home)
    assert "Заседания без протокола" in html and "Протоколы, которые нужно оформить" not in html
    client.force_login(s5.head)
    head_small, html = count_queries(client, home)
    assert "Протоколы, которые нужно оформить" in html and "Ближайшие мероприятия" in html
    client.force_login(s5.members[0])
    member_small, html = count_queries(client, home)
    assert "Ближайшие мероприятия" in html and "Протоколы, которые нужно оформить" not in html

    make_year(s5, 10)
    for user, before in (
        (s5.territory_coordinator, small),
        (s5.head, head_small),
        (s5.members[0], member_small),
    ):
        client.force_login(user)
        assert count_queries(client, home)[0] == before
