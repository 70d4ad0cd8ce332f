"""Two simultaneous submits of one questionnaire on PostgreSQL: one response. In a module of its
own: tests/mentoring/questionnaires/test_answering.py keeps a module-wide transaction open for its
shared data (conftest's module_questionnaire_cast), and the threads' connections would not see rows
written inside it — the test failed whenever it ran after those tests on the same worker."""

from __future__ import annotations

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from mentoring import services
from mentoring.models import Response

from .conftest import TODAY


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent writers: PostgreSQL")
def test_on_postgresql_two_simultaneous_submits_leave_one_response_with_the_first_answers():
    """Two connections submit at the same moment: one wins, the other waits on the row (or the
    unique index) and is refused with «уже отправили»; one submitted response."""
    from django.db import connections

    from mentoring.catalogue import load_topics
    from mentoring.models import Topic
    from networks.kinds import sync_kinds
    from networks.models import StructureKind
    from tests.factories import QuestionFactory, RoundFactory, make_pair

    sync_kinds(StructureKind)
    load_topics(Topic)
    pair = make_pair(year=2020)
    mentee = pair.memberships.get(role="mentee").user
    round_ = RoundFactory(questionnaire__region=pair.region)
    question = QuestionFactory(questionnaire=round_.questionnaire)
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def submit(score):
        try:
            barrier.wait()
            services.response_submit(
                round=round_, pair=pair, answers={str(question.pk): score}, by=mentee, today=TODAY
            )
            outcomes.append(f"submitted {score}")
        except ValidationError as error:
            outcomes.append(error.messages[0])
        finally:
            connections.close_all()

    threads = [threading.Thread(target=submit, args=(score,)) for score in (2, 5)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    winners = [o for o in outcomes if o.startswith("submitted")]
    assert len(winners) == 1 and any("уже отправили" in o for o in outcomes)
    response = Response.objects.get(round=round_, respondent=mentee)
    assert response.is_submitted and f"submitted {response.answers[str(question.pk)]}" == winners[0]
