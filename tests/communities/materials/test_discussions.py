"""Discussions (R-PAV-6.2): a moderator opens a problem, members reply, outsiders cannot; the
moderator hides posts and closes the discussion; sub-communities; escaping; query counts."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from communities import services
from communities.models import Discussion, Post
from communities.views.materials import POSTS_PAGE_SIZE
from networks.models import Role
from tests.factories import (
    DiscussionFactory,
    MembershipFactory,
    PostFactory,
    StructureFactory,
    UserFactory,
    kind,
)

from .conftest import messages_of, url

pytestmark = pytest.mark.django_db

PROBLEM = {
    "title": "Как организовать адресную помощь учителю ШНОР?",
    "body": "Предлагаю обсудить формы наставничества для молодых педагогов.",
}


def test_r_pav_6_2_a_moderator_opens_a_problem_and_members_reply(client, community):
    client.force_login(community.moderator)
    response = client.post(url("discussion_open", community.structure), PROBLEM)
    discussion = Discussion.objects.get(title=PROBLEM["title"])
    assert response["Location"] == url("discussion_detail", community.structure, discussion)
    assert discussion.opened_by == community.moderator

    client.force_login(community.member)
    response = client.post(
        url("post_reply", community.structure, discussion),
        {"body": "В нашей школе работают пары «наставник — молодой педагог»."},
    )
    assert response.status_code == 302
    assert "Сообщение опубликовано." in messages_of(response)
    post = Post.objects.get(discussion=discussion)
    assert post.author == community.member
    page = client.get(response["Location"]).text
    assert "пары «наставник — молодой педагог»" in page


def test_r_pav_6_2_a_member_does_not_open_discussions(client, community):
    client.force_login(community.member)
    assert client.post(url("discussion_open", community.structure), PROBLEM).status_code == 403
    assert not Discussion.objects.exists()


def test_r_pav_6_2_outsiders_neither_read_nor_reply(client, community):
    discussion = DiscussionFactory(structure=community.structure)
    client.force_login(community.outsider)
    assert client.get(url("discussion_detail", community.structure, discussion)).status_code == 404
    response = client.post(url("post_reply", community.structure, discussion), {"body": "Спам"})
    assert response.status_code == 404
    assert not Post.objects.exists()


def test_a_methodist_reads_but_does_not_reply(client, community):
    discussion = DiscussionFactory(structure=community.structure, title="Тема для чтения")
    client.force_login(community.methodist)
    page = client.get(url("discussion_detail", community.structure, discussion))
    assert page.status_code == 200 and "Ответить" not in page.text
    response = client.post(url("post_reply", community.structure, discussion), {"body": "Я тут"})
    assert response.status_code == 403


def test_in_a_sub_community_people_of_the_parent_community_reply():
    """R-PAV-1.7: subject sub-communities; a member of the whole community takes part in them."""
    parent = StructureFactory(kind=kind("S8"), name="Сетевое сообщество педагогов")
    child = StructureFactory(kind=kind("S8"), name="Предметное сообщество учителей истории")
    child.parent = parent
    child.save()
    tutor = MembershipFactory(structure=child, role=Role.MODERATOR).user
    teacher = MembershipFactory(structure=parent, role=Role.MEMBER).user
    discussion = services.discussion_open(structure=child, by=tutor, **PROBLEM)
    client = Client()
    client.force_login(teacher)
    response = client.post(url("post_reply", child, discussion), {"body": "Поддерживаю."})
    assert response.status_code == 302
    assert discussion.posts.get().author == teacher


def test_an_empty_reply_is_refused_and_the_page_says_why(client, community):
    discussion = DiscussionFactory(structure=community.structure)
    client.force_login(community.member)
    response = client.post(url("post_reply", community.structure, discussion), {"body": "  "})
    assert response.status_code == 200 and "Обязательное поле." in response.text


def test_the_moderator_hides_a_post_and_it_shows_as_hidden(client, community):
    discussion = DiscussionFactory(structure=community.structure)
    post = PostFactory(discussion=discussion, body="Реклама курсов", author=community.member)
    client.force_login(community.member)
    assert client.post(url("post_hide", community.structure, discussion, post)).status_code == 403
    client.force_login(community.moderator)
    response = client.post(url("post_hide", community.structure, discussion, post))
    assert response.status_code == 302
    post.refresh_from_db()
    assert post.removed_at is not None
    client.force_login(community.colleague)
    page = client.get(url("discussion_detail", community.structure, discussion)).text
    assert "Сообщение скрыто модератором." in page and "Реклама курсов" not in page


def test_a_closed_discussion_takes_no_replies(client, community):
    discussion = DiscussionFactory(structure=community.structure)
    client.force_login(community.moderator)
    client.post(url("discussion_close", community.structure, discussion))
    discussion.refresh_from_db()
    assert discussion.closed_at is not None

    client.force_login(community.member)
    page = client.get(url("discussion_detail", community.structure, discussion)).text
    assert "Обсуждение закрыто" in page and 'name="body"' not in page
    response = client.post(url("post_reply", community.structure, discussion), {"body": "Ещё"})
    assert response.status_code == 200 and "новые сообщения не принимаются" in response.text
    assert not Post.objects.exists()


def test_a_reply_lands_on_the_last_page_of_a_long_discussion(client, community):
    discussion = DiscussionFactory(structure=community.structure)
    PostFactory.create_batch(POSTS_PAGE_SIZE, discussion=discussion, author=community.colleague)
    client.force_login(community.member)
    response = client.post(url("post_reply", community.structure, discussion), {"body": "Итог"})
    post = Post.objects.get(body="Итог")
    assert response["Location"].endswith(f"?page=2#post-{post.pk}")
    assert "Итог" in client.get(response["Location"]).text


def test_script_in_discussions_and_posts_stays_text(client, community, only_these_panels):
    discussion = DiscussionFactory(
        structure=community.structure,
        title="<script>alert('title')</script>",
        body="<script>alert('body')</script>",
    )
    PostFactory(discussion=discussion, body="<script>alert('post')</script>")
    client.force_login(community.member)
    for page in (
        client.get(url("discussion_list", community.structure)).text,
        client.get(url("discussion_detail", community.structure, discussion)).text,
        client.get(reverse("networks:structure_detail", args=[community.structure.pk])).text,
    ):
        assert "<script>alert(" not in page and "&lt;script&gt;alert(" in page


# --- Query counts ------------------------------------------------------------------------------


def count_queries(client, address) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(address)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_a_discussion_page_with_many_posts_runs_the_same_queries(client, community):
    discussion = DiscussionFactory(structure=community.structure)
    authors = [UserFactory(show_name_consent_at=timezone.now()) for _ in range(3)]

    def posts(n):
        for i in range(n):
            PostFactory(discussion=discussion, author=authors[i % 3])

    client.force_login(community.moderator)
    address = url("discussion_detail", community.structure, discussion)
    posts(3)
    small = count_queries(client, address)
    posts(60)
    assert count_queries(client, address) == small
    assert count_queries(client, address + "?page=3") == small


def test_the_discussion_list_runs_the_same_queries_with_ten_times_the_discussions(
    client, community
):
    def discussions(n):
        for _ in range(n):
            PostFactory.create_batch(2, discussion=DiscussionFactory(structure=community.structure))

    client.force_login(community.member)
    address = url("discussion_list", community.structure)
    discussions(2)
    small = count_queries(client, address)
    discussions(20)
    assert count_queries(client, address) == small


def test_the_panel_lists_open_discussions_in_a_fixed_number_of_queries(
    client, community, only_these_panels
):
    DiscussionFactory(structure=community.structure, title="Открытое обсуждение")
    DiscussionFactory(
        structure=community.structure, title="Закрытое обсуждение", closed_at=timezone.now()
    )
    client.force_login(community.administrator)
    address = reverse("networks:structure_detail", args=[community.structure.pk])
    page = client.get(address).text
    assert "Открытое обсуждение" in page and "Закрытое обсуждение" not in page
    small = count_queries(client, address)
    DiscussionFactory.create_batch(10, structure=community.structure)
    assert count_queries(client, address) == small
