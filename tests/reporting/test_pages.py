import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from networks.models import Role
from networks.schoolyear import SchoolYear
from reporting import reminders
from reporting.models import Notice, ReminderPreference
from tests.factories import MembershipFactory, StructureFactory, UserFactory, kind

pytestmark = pytest.mark.django_db


def queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_notices_show_the_unread_count_and_open_marks_read(client):
    user = UserFactory()
    first = Notice.objects.create(user=user, title="Срок 25.12.2020", body="Отчёт", url="/")
    Notice.objects.create(user=user, title="Срок 15.07.2021", body="Анализ")
    client.force_login(user)
    html = client.get(reverse("reporting:notices")).content.decode()
    assert "Срок 25.12.2020" in html and ">2<span" in html.replace(" ", "").replace("\n", "")
    response = client.get(reverse("reporting:notice_open", args=[first.pk]))
    assert response.status_code == 302 and response["Location"] == "/"
    first.refresh_from_db()
    assert first.read_at is not None
    client.post(reverse("reporting:notices_read"))
    assert not Notice.objects.filter(user=user, read_at=None).exists()


def test_someone_elses_notice_is_404(client):
    notice = Notice.objects.create(user=UserFactory(), title="Чужое", body="")
    client.force_login(UserFactory())
    assert client.get(reverse("reporting:notice_open", args=[notice.pk])).status_code == 404
    notice.refresh_from_db()
    assert notice.read_at is None


def test_notices_text_is_escaped(client):
    user = UserFactory()
    Notice.objects.create(user=user, title="<script>alert(1)</script>", body="<b>x</b>")
    client.force_login(user)
    html = client.get(reverse("reporting:notices")).content.decode()
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;" in html


def test_notices_query_count_does_not_grow(client):
    user = UserFactory()
    client.force_login(user)
    Notice.objects.create(user=user, title="Одно", body="")
    small = queries(client, reverse("reporting:notices"))
    Notice.objects.bulk_create([Notice(user=user, title=f"№ {n}", body="") for n in range(30)])
    assert queries(client, reverse("reporting:notices")) == small


def test_preferences_turn_off_and_on_and_keep_mandatory_ones_explained(client):
    user = UserFactory()
    client.force_login(user)
    page = client.get(reverse("reporting:preferences")).content.decode()
    assert "отключить нельзя: они всегда появляются на портале" in page
    client.post(reverse("reporting:preferences"), {"deadlines": "on", "plans": "on"})
    off = set(
        ReminderPreference.objects.filter(user=user, enabled=False).values_list("kind", flat=True)
    )
    assert off == {"minutes", "pairs", "requests"}


def test_my_deadlines_lists_what_i_deliver_and_what_i_oversee(client):
    head = UserFactory()
    association = StructureFactory(kind=kind("S5"), established_on=dt.date(2020, 9, 1))
    MembershipFactory(structure=association, user=head, role=Role.HEAD)
    other = StructureFactory(kind=kind("S5"), established_on=dt.date(2020, 9, 1))
    reminders.deadlines_instantiate(year=SchoolYear(2020))
    client.force_login(head)
    response = client.get(reverse("reporting:deadlines"), {"year": 2020})
    rows = response.context["deadlines"]
    assert {d.structure_id for d in rows} == {association.pk}
    assert [d.due_on for d in rows] == [dt.date(2020, 12, 25), dt.date(2021, 7, 15)]
    assert "25.12.2020" in response.content.decode() and other.name not in response.content.decode()


def test_deadlines_query_count_does_not_grow(client):
    head = UserFactory()
    client.force_login(head)
    for _ in range(2):
        s = StructureFactory(kind=kind("S5"), established_on=dt.date(2020, 9, 1))
        MembershipFactory(structure=s, user=head, role=Role.HEAD)
    reminders.deadlines_instantiate(year=SchoolYear(2020))
    url = reverse("reporting:deadlines") + "?year=2020"
    small = queries(client, url)
    for _ in range(10):
        s = StructureFactory(kind=kind("S5"), established_on=dt.date(2020, 9, 1))
        MembershipFactory(structure=s, user=head, role=Role.HEAD)
    reminders.deadlines_instantiate(year=SchoolYear(2020))
    assert queries(client, url) == small


@pytest.mark.parametrize("name", ["notices", "preferences", "deadlines"])
def test_anonymous_visitors_are_sent_to_sign_in(client, name):
    response = client.get(reverse(f"reporting:{name}"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_a_methodist_sees_the_deadlines_of_the_territory(client):
    from networks.models import TerritoryRole
    from tests.factories import TerritoryRoleFactory

    mine = StructureFactory(kind=kind("S5"), established_on=dt.date(2020, 9, 1))
    StructureFactory(kind=kind("S5"), established_on=dt.date(2020, 9, 1))  # another region
    reminders.deadlines_instantiate(year=SchoolYear(2020))
    methodist = TerritoryRoleFactory(role=TerritoryRole.Role.METHODIST, region=mine.region).user
    client.force_login(methodist)
    rows = client.get(reverse("reporting:deadlines"), {"year": 2020}).context["deadlines"]
    assert {d.structure_id for d in rows} == {mine.pk}


def test_the_home_page_counts_the_bell_with_the_persons_flags(client):
    """Issue 19: the home page's flags query counts the unread notices (reporting.context_processors
    .count_unread); the other pages count them with a query of their own, as before."""
    user = UserFactory()
    for n in range(3):
        Notice.objects.create(user=user, title=f"Срок {n + 1}", body="")
    Notice.objects.create(user=user, title="Прочитано", body="", read_at=dt.datetime.now(dt.UTC))
    Notice.objects.create(user=UserFactory(), title="Чужое", body="")
    client.force_login(user)
    for url in (reverse("home"), reverse("reporting:notices")):
        with CaptureQueriesContext(connection) as ctx:
            html = client.get(url).content.decode()
        assert ">3<span" in html.replace(" ", "").replace("\n", ""), url
        separate = [
            q
            for q in ctx.captured_queries
            if q["sql"].startswith('SELECT COUNT(*) AS "__count" FROM "reporting_notice"')
            and '"read_at" IS NULL' in q["sql"]
        ]
        assert len(separate) == (0 if url == reverse("home") else 1), url
    Notice.objects.filter(user=user).update(read_at=dt.datetime.now(dt.UTC))
    html = client.get(reverse("home")).content.decode()
    assert "непрочитанных" not in html
