"""Issue 17, «One notification centre»: one function sends every message; per person and kind the
mail goes at once, in the daily or weekly digest at 08:00 region time (once), or not at all (portal
only); every mail can be unsubscribed from, one kind only; a person who chose English reads English.
"""

import datetime as dt

import pytest
import time_machine
from django.core import mail, signing
from django.urls import reverse

from networks.messages import (
    Delivery,
    MessageKind,
    deliver,
    in_language_of,
    unsubscribe_read,
    unsubscribe_token,
)
from reporting import notification_centre, reminders
from reporting.models import DigestItem, Notice, ReminderPreference
from tests.factories import (
    MembershipFactory,
    MunicipalityFactory,
    OrganisationFactory,
    RegionFactory,
    StructureFactory,
    UserFactory,
    kind,
)

pytestmark = pytest.mark.django_db

UTC = dt.UTC
# Novosibirsk: UTC+7, so 08:00 there is 01:00 UTC. 2020-12-07 is a Monday.
NSK = "Asia/Novosibirsk"


def person(tz: str = NSK, **kwargs):
    region = RegionFactory(timezone=tz)
    school = OrganisationFactory(municipality=MunicipalityFactory(region=region))
    return UserFactory(organisation=school, **kwargs)


def choose(user, kind, delivery):
    ReminderPreference.objects.update_or_create(
        user=user, kind=kind, defaults={"delivery": delivery}
    )


def send(user, kind=MessageKind.ANNOUNCEMENTS, subject="Объявление: субботник", at=None):
    at = at or dt.datetime(2020, 12, 8, 5, 0, tzinfo=UTC)
    with time_machine.travel(at, tick=False):
        return deliver(
            user,
            kind=kind,
            subject=subject,
            text=f"{subject}: текст",
            html=f"<p>{subject}</p>",
            url="/structures/1/",
        )


def digests_at(moment):
    with time_machine.travel(moment, tick=False):
        return notification_centre.digests_send(now=moment)


def test_at_once_is_the_default_a_mail_now_and_a_notice():
    user = person()
    assert send(user) is True
    (message,) = mail.outbox
    assert message.to == [user.email] and message.subject.endswith("Объявление: субботник")
    assert Notice.objects.filter(user=user, title="Объявление: субботник").count() == 1
    assert DigestItem.objects.count() == 0


def test_portal_only_writes_a_notice_and_no_mail():
    user = person()
    choose(user, MessageKind.ANNOUNCEMENTS, Delivery.PORTAL)
    assert send(user) is False
    assert mail.outbox == []
    assert Notice.objects.filter(user=user).count() == 1
    assert digests_at(dt.datetime(2020, 12, 9, 2, 0, tzinfo=UTC)) == 0
    assert mail.outbox == []


def test_daily_digest_collects_the_days_messages_into_one_mail_at_eight_once():
    user = person()
    other = person()
    choose(user, MessageKind.ANNOUNCEMENTS, Delivery.DAILY)
    choose(user, MessageKind.DECISIONS, Delivery.DAILY)
    # Tuesday 8 December, Novosibirsk afternoon: three messages of two kinds, none mailed now.
    send(user, subject="Объявление: первое", at=dt.datetime(2020, 12, 8, 5, 0, tzinfo=UTC))
    send(user, subject="Объявление: второе", at=dt.datetime(2020, 12, 8, 9, 0, tzinfo=UTC))
    send(
        user, MessageKind.DECISIONS, "Поручение № 3", at=dt.datetime(2020, 12, 8, 12, 0, tzinfo=UTC)
    )
    send(other, subject="Объявление: сразу")  # another person, at once: unaffected
    assert [m.to for m in mail.outbox] == [[other.email]]
    assert Notice.objects.filter(user=user).count() == 3
    mail.outbox.clear()
    # 07:45 in Novosibirsk on the 9th: not yet.
    assert digests_at(dt.datetime(2020, 12, 9, 0, 45, tzinfo=UTC)) == 0
    # 08:00 there: one mail with all three; run twice (a retried beat): nothing more.
    assert digests_at(dt.datetime(2020, 12, 9, 1, 0, tzinfo=UTC)) == 1
    assert digests_at(dt.datetime(2020, 12, 9, 1, 0, tzinfo=UTC)) == 0
    assert digests_at(dt.datetime(2020, 12, 9, 1, 15, tzinfo=UTC)) == 0
    (digest,) = mail.outbox
    assert digest.to == [user.email]
    for subject in ("Объявление: первое", "Объявление: второе", "Поручение № 3"):
        assert subject in digest.body
    assert digest.subject.endswith("Сводка уведомлений портала (сообщений: 3)")
    assert digest.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert DigestItem.objects.filter(claim="").count() == 0


def test_a_message_after_eight_waits_for_the_next_days_digest():
    user = person()
    choose(user, MessageKind.ANNOUNCEMENTS, Delivery.DAILY)
    # 9 December 09:00 Novosibirsk (02:00 UTC), after that day's 08:00.
    send(user, at=dt.datetime(2020, 12, 9, 2, 0, tzinfo=UTC))
    assert digests_at(dt.datetime(2020, 12, 9, 3, 0, tzinfo=UTC)) == 0
    assert digests_at(dt.datetime(2020, 12, 10, 1, 0, tzinfo=UTC)) == 1
    assert len(mail.outbox) == 1


def test_weekly_digest_goes_on_monday_only():
    user = person()
    choose(user, MessageKind.DECISIONS, Delivery.WEEKLY)
    send(
        user, MessageKind.DECISIONS, "Поручение № 1", at=dt.datetime(2020, 12, 8, 5, 0, tzinfo=UTC)
    )
    send(
        user, MessageKind.DECISIONS, "Поручение № 2", at=dt.datetime(2020, 12, 11, 5, 0, tzinfo=UTC)
    )
    assert digests_at(dt.datetime(2020, 12, 12, 1, 0, tzinfo=UTC)) == 0  # Saturday
    assert mail.outbox == []
    assert digests_at(dt.datetime(2020, 12, 14, 1, 0, tzinfo=UTC)) == 1  # Monday 08:00
    assert digests_at(dt.datetime(2020, 12, 14, 1, 0, tzinfo=UTC)) == 0
    (digest,) = mail.outbox
    assert "Поручение № 1" in digest.body and "Поручение № 2" in digest.body


def test_every_mail_carries_one_click_unsubscribe_for_its_kind(settings):
    settings.SITE_URL = "https://portal.example"
    user = person()
    send(user)
    (message,) = mail.outbox
    header = message.extra_headers["List-Unsubscribe"]
    assert header.startswith("<https://portal.example/unsubscribe/") and header.endswith("/>")
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    token = header.removeprefix("<https://portal.example/unsubscribe/").removesuffix("/>")
    assert unsubscribe_read(token) == (user.pk, MessageKind.ANNOUNCEMENTS)


def test_unsubscribe_stops_that_kind_only_and_a_get_changes_nothing(client):
    user = person()
    url = reverse("reporting:unsubscribe", args=[unsubscribe_token(user.pk, "announcements")])
    page = client.get(url)  # a link scanner, or the person following the link
    assert page.status_code == 200 and "Отписаться" in page.content.decode()
    assert not ReminderPreference.objects.filter(user=user).exists()
    # RFC 8058: the mail client posts without a session or a CSRF token.
    client.handler.enforce_csrf_checks = True
    done = client.post(url, {"List-Unsubscribe": "One-Click"})
    assert done.status_code == 200 and "только на портале" in done.content.decode()
    assert ReminderPreference.objects.get(user=user, kind="announcements").delivery == "portal"
    mail.outbox.clear()
    send(user)  # announcements: portal only now
    send(user, MessageKind.DECISIONS, "Поручение № 5")  # decisions: still at once
    assert [m.subject.endswith("Поручение № 5") for m in mail.outbox] == [True]
    assert Notice.objects.filter(user=user).count() == 2


def test_a_forged_or_altered_token_is_refused(client):
    user = person()
    forged = signing.dumps({"u": user.pk, "k": "announcements"}, salt="another salt")
    for token in (forged, unsubscribe_token(user.pk, "announcements")[:-2] + "xx", "nonsense"):
        response = client.post(reverse("reporting:unsubscribe", args=[token]))
        assert response.status_code == 400
    assert not ReminderPreference.objects.filter(user=user).exists()


def test_the_preferences_page_stores_a_choice_per_kind(client):
    user = person()
    client.force_login(user)
    page = client.get(reverse("reporting:preferences")).content.decode()
    for label in ("Сразу", "Ежедневная сводка", "Еженедельная сводка", "Только на портале"):
        assert label in page
    assert 'for="id_delivery_announcements"' in page
    client.post(
        reverse("reporting:preferences"),
        {
            "deadlines": "on",
            "delivery_announcements": "daily",
            "delivery_decisions": "portal",
            "delivery_events": "weekly",
        },
    )
    chosen = dict(ReminderPreference.objects.filter(user=user).values_list("kind", "delivery"))
    assert chosen["announcements"] == "daily" and chosen["decisions"] == "portal"
    assert chosen["events"] == "weekly" and chosen["deadlines"] == "now"


def test_the_profile_stores_the_language_of_mails(client):
    user = person()
    client.force_login(user)
    page = client.get(reverse("people:profile")).content.decode()
    assert "Язык писем" in page
    data = {
        f: getattr(user, f)
        for f in ("last_name", "first_name", "patronymic", "position", "post", "phone")
    }
    client.post(reverse("people:profile"), {**data, "language": "en"})
    user.refresh_from_db()
    assert user.language == "en"


def test_a_person_with_english_gets_an_english_mail():
    """A real sender (a plan waiting for approval is a reminder; here a deadline reminder's
    template) renders in the recipient's language: the greeting is in the English catalogue."""
    user = person(first_name="Anna", language="en")
    with in_language_of(user):
        from django.template.loader import render_to_string

        text = render_to_string(
            "reporting/email/digest.txt",
            {"name": user.first_name, "items": [], "site_url": "https://portal.example"},
        )
    deliver(user, kind=MessageKind.DECISIONS, subject="Decision", text=text)
    (message,) = mail.outbox
    assert "Hello, Anna!" in message.body
    assert message.extra_headers["Content-Language"] == "en"


def test_a_reminder_in_english_and_a_reminder_portal_only():
    """reminders.py goes through the centre: English for «en», no mail for «только на портале»."""
    region = RegionFactory(name="Новосибирская область", timezone=NSK)
    school = OrganisationFactory(municipality=MunicipalityFactory(region=region))
    structure = StructureFactory(
        kind=kind("S5"), host=school, established_on=dt.date(2020, 9, 1), name="Ассоциация"
    )
    from networks.models import Role
    from networks.schoolyear import SchoolYear

    head = UserFactory(email="head@x.ru", organisation=school, first_name="Anna", language="en")
    MembershipFactory(structure=structure, user=head, role=Role.HEAD, since=dt.date(2020, 9, 1))
    reminders.deadlines_instantiate(year=SchoolYear(2020))
    moment = dt.datetime(2020, 12, 11, 3, 0, tzinfo=UTC)  # 10:00 in Novosibirsk, 14 days before
    with time_machine.travel(moment, tick=False):
        reminders.sweep(clock=reminders.Clock(now=moment))
    english = [m for m in mail.outbox if m.to == ["head@x.ru"]]
    assert english and all("Hello, Anna!" in m.body for m in english)
    assert all(m.extra_headers["Content-Language"] == "en" for m in english)
    notices = Notice.objects.filter(user=head).count()
    mail.outbox.clear()
    choose(head, MessageKind.DEADLINES, Delivery.PORTAL)
    moment = dt.datetime(2020, 12, 18, 3, 0, tzinfo=UTC)  # 7 days before
    with time_machine.travel(moment, tick=False):
        reminders.sweep(clock=reminders.Clock(now=moment))
    assert [m for m in mail.outbox if m.to == ["head@x.ru"]] == []
    assert Notice.objects.filter(user=head).count() > notices


def test_an_announcement_follows_each_persons_choice_and_language(client, settings):
    """A real sender of communities: each member as they chose — at once (in English for one),
    digest, portal only — and everyone gets the notice."""
    from outbox.models import OutboundMail
    from tests.communities.test_announcements import Community, post

    settings.EMAIL_BACKEND = "outbox.backends.OutboxBackend"
    settings.OUTBOX_DELIVERY_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    community = Community()
    daily, portal, english = community.members
    choose(daily, MessageKind.ANNOUNCEMENTS, Delivery.DAILY)
    choose(portal, MessageKind.ANNOUNCEMENTS, Delivery.PORTAL)
    english.language = "en"
    english.first_name = "Anna"
    english.save()
    assert post(client, community).status_code == 302
    mailed = {m.to[0]: m for m in OutboundMail.objects.all()}
    assert daily.email not in mailed and portal.email not in mailed
    assert len(mailed) == len(community.everyone) - 2
    assert "Hello, Anna!" in mailed[english.email].body
    assert mailed[english.email].headers["Content-Language"] == "en"
    assert mailed[community.north_only.email].headers["Content-Language"] == "ru"
    assert "Здравствуйте, Пётр!" in mailed[community.north_only.email].body
    assert "List-Unsubscribe" in mailed[community.north_only.email].headers
    assert list(DigestItem.objects.values_list("user_id", flat=True)) == [daily.pk]
    assert Notice.objects.filter(user__in=community.everyone).count() == len(community.everyone)
