"""A cast for monitoring questionnaires in Тульская область, school year 2020/2021, frozen on
10.12.2020:

- `pair`: a network pair in город Тула — its mentee (director of a ШНОР, who stated deficits in
  ВПР and ОГЭ), mentor (director of a leader school) and curator (a methodist of the centre);
- `other_pair`: a pair in Алексинский район with its own mentee, mentor and curator;
- `association`: an S5 association of the region with its head and a member;
- the territory's coordinator, a coordinator of Алексинский район only, the territory's methodist,
  a coordinator and a methodist of another region, an outsider;
- `questionnaire`: «Мониторинг наставнических отношений» with five questions (a scale, a single
  choice whose «не подходит» asks for a new mentor, a multiple choice, a free text, a scale about
  the ВПР topic) sent out in rounds «Октябрь» (closed), «Декабрь» (open now) and, to the
  association's members, «Декабрь: объединение» (open now); `draft` is a questionnaire not sent yet.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import transaction
from django.utils import timezone

from mentoring.models import Competence, Question, Questionnaire, Response, Round
from networks.models import OrganisationKind, Role, Structure, TerritoryRole, User
from tests.factories import (
    CompetenceFactory,
    MembershipFactory,
    MunicipalityFactory,
    OrganisationFactory,
    OrganisationStatusFactory,
    QuestionFactory,
    QuestionnaireFactory,
    RegionFactory,
    RoundFactory,
    StructureFactory,
    TerritoryRoleFactory,
    UserFactory,
    kind,
    make_pair,
    topic,
)

MOSCOW = ZoneInfo("Europe/Moscow")
YEAR = 2020
TODAY = dt.date(2020, 12, 10)
NOW = dt.datetime(2020, 12, 10, 12, 0, tzinfo=MOSCOW)

FIT = "Подходит ли вам наставник?"
NOT_A_FIT = "не подходит"


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def school(municipality, status: str | None, **kwargs):
    organisation = OrganisationFactory(municipality=municipality, **kwargs)
    if status:
        OrganisationStatusFactory(organisation=organisation, school_year=YEAR, status=status)
    return organisation


@dataclass
class QuestionnaireCast:
    region: object
    pair: Structure
    other_pair: Structure
    association: Structure
    questionnaire: Questionnaire
    q: dict[str, Question]  # scale, fit, forms, text, vpr
    october: Round
    december: Round
    members_round: Round
    draft: Questionnaire
    people: dict[str, User | None] = field(default_factory=dict)

    def answers(self, **values) -> dict:
        """Answers keyed as the service takes them: answers(scale=4, fit="подходит")."""
        return {str(self.q[name].pk): value for name, value in values.items()}

    def post(self, **values) -> dict:
        """The same, as the answer form posts them."""
        data = {}
        for name, value in values.items():
            data[f"q{self.q[name].pk}"] = value
        return data

    def submitted(self, round: Round, who: str, pair: Structure | None = None, **values):
        return Response.objects.create(
            round=round,
            respondent=self.people[who],
            pair=pair,
            side=who if who in ("mentor", "mentee") else Response.Side.MEMBER,
            answers=self.answers(**values),
            submitted_at=timezone.now(),
        )


def build_cast() -> QuestionnaireCast:
    region = RegionFactory(code="71", name="Тульская область")
    city = MunicipalityFactory(region=region, name="город Тула")
    district = MunicipalityFactory(region=region, name="Алексинский район")
    far = MunicipalityFactory(region=RegionFactory(code="34", name="Волгоградская область"))
    centre = school(city, None, kind=OrganisationKind.METHODICAL, short_name="МКУ «ЦНППМ»")
    far_centre = school(far, None, kind=OrganisationKind.METHODICAL, short_name="ВГАПО")

    def person(email, organisation, position="Директор"):
        return UserFactory(email=email, organisation=organisation, position=position)

    def territory(email, role, region_, municipality=None):
        user = person(email, centre if region_ == region else far_centre, "Методист")
        TerritoryRoleFactory(user=user, role=role, region=region_, municipality=municipality)
        return user

    people: dict[str, User | None] = {
        "mentee": person("mentee@school.example", school(city, "shnor", short_name="ЦО № 12")),
        "mentor": person("mentor@school.example", school(city, "leader", short_name="Лицей № 1")),
        "curator": person("curator@school.example", centre, "Методист"),
        "other_mentee": person("mentee2@school.example", school(district, "shnor")),
        "other_mentor": person("mentor2@school.example", school(district, "leader")),
        "other_curator": person("curator2@school.example", centre, "Методист"),
        "territory_coordinator": territory(
            "coordinator@school.example", TerritoryRole.Role.COORDINATOR, region
        ),
        "district_coordinator": territory(
            "district@school.example", TerritoryRole.Role.COORDINATOR, region, district
        ),
        "methodist": territory("methodist@school.example", TerritoryRole.Role.METHODIST, region),
        "coordinator_elsewhere": territory(
            "coordinator2@school.example", TerritoryRole.Role.COORDINATOR, far.region
        ),
        "methodist_elsewhere": territory(
            "methodist2@school.example", TerritoryRole.Role.METHODIST, far.region
        ),
        "association_head": person("head@school.example", centre),
        "association_member": person("member@school.example", centre, "Заместитель директора"),
        "outsider": person("outsider@school.example", far_centre),
        "anonymous": None,
    }
    pair = make_pair(
        year=YEAR,
        mentee=people["mentee"],
        mentor=people["mentor"],
        curator=people["curator"],
        host=centre,
        municipality=city,
    )
    other_pair = make_pair(
        year=YEAR,
        mentee=people["other_mentee"],
        mentor=people["other_mentor"],
        curator=people["other_curator"],
        host=centre,
        municipality=district,
    )
    association = StructureFactory(kind=kind("S5"), host=centre, name="Объединение руководителей")
    MembershipFactory(structure=association, user=people["association_head"], role=Role.HEAD)
    MembershipFactory(structure=association, user=people["association_member"], role=Role.MEMBER)
    for name in ("ВПР", "ОГЭ"):
        CompetenceFactory(
            user=people["mentee"],
            topic=topic(name),
            side=Competence.Side.DEFICIT,
            stated_at=dt.datetime(2020, 10, 1, 10, 0, tzinfo=MOSCOW),
        )

    questionnaire = QuestionnaireFactory(
        region=region, created_by=people["territory_coordinator"], title="Мониторинг пар"
    )
    q = {
        "scale": QuestionFactory(
            questionnaire=questionnaire, position=1, text="Насколько полезно взаимодействие?"
        ),
        "fit": QuestionFactory(
            questionnaire=questionnaire,
            position=2,
            text=FIT,
            kind=Question.Kind.SINGLE,
            options=["подходит", "скорее подходит", NOT_A_FIT],
            rematch_answers=[NOT_A_FIT],
        ),
        "forms": QuestionFactory(
            questionnaire=questionnaire,
            position=3,
            text="Какие формы работы были?",
            kind=Question.Kind.MULTIPLE,
            options=["наставничество", "консультирование", "мозговой штурм"],
            required=False,
        ),
        "text": QuestionFactory(
            questionnaire=questionnaire,
            position=4,
            text="Что стоит изменить?",
            kind=Question.Kind.TEXT,
            required=False,
        ),
        "vpr": QuestionFactory(
            questionnaire=questionnaire,
            position=5,
            text="Насколько вы готовы организовать работу по итогам ВПР?",
            topic=topic("ВПР"),
            required=False,
        ),
    }

    def round_(title, opens_on, closes_on, **kwargs):
        return RoundFactory(
            questionnaire=questionnaire,
            title=title,
            school_year=YEAR,
            opens_on=opens_on,
            closes_on=closes_on,
            created_by=people["territory_coordinator"],
            **kwargs,
        )

    october = round_("Октябрь", dt.date(2020, 10, 5), dt.date(2020, 10, 20))
    december = round_("Декабрь", dt.date(2020, 12, 1), dt.date(2020, 12, 25))
    members_round = round_(
        "Декабрь: объединение",
        dt.date(2020, 12, 1),
        dt.date(2020, 12, 25),
        audience=Round.Audience.MEMBERS,
        structure=association,
    )
    draft = QuestionnaireFactory(region=region, title="Анкета в работе")
    QuestionFactory(questionnaire=draft, position=1, text="Оцените семинар")
    return QuestionnaireCast(
        region,
        pair,
        other_pair,
        association,
        questionnaire,
        q,
        october,
        december,
        members_round,
        draft,
        people,
    )


@pytest.fixture(scope="module")
def module_questionnaire_cast(django_db_setup, django_db_blocker):
    """Built once per test module inside a transaction rolled back at the module's end; each test
    runs in a savepoint inside it (as Django's setUpTestData does)."""
    with django_db_blocker.unblock(), transaction.atomic():
        with time_machine.travel(NOW, tick=False):
            cast = build_cast()
        yield cast
        transaction.set_rollback(True)


@pytest.fixture
def qcast(module_questionnaire_cast, db) -> QuestionnaireCast:
    return module_questionnaire_cast
