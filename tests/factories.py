"""Factories for every app's tests. Made-up people at real-looking schools."""

import datetime as dt

import factory
from allauth.account.models import EmailAddress
from factory.django import DjangoModelFactory

from networks.models import (
    Membership,
    Municipality,
    Order,
    Organisation,
    OrganisationKind,
    OrganisationStatus,
    Programme,
    Region,
    Structure,
    StructureKind,
    TerritoryRole,
    User,
)
from networks.schoolyear import SchoolYear
from networks.validators import _INN10, _check_digit


def valid_inn(n: int) -> str:
    body = f"71{n:07d}"[-9:]
    return body + str(_check_digit(body, _INN10))


class RegionFactory(DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ["code"]

    code = factory.Sequence(lambda n: f"{n % 900 + 100}")
    name = factory.Sequence(lambda n: f"Регион {n}")
    timezone = "Europe/Moscow"


class MunicipalityFactory(DjangoModelFactory):
    class Meta:
        model = Municipality

    region = factory.SubFactory(RegionFactory)
    name = factory.Sequence(lambda n: f"Муниципальный район {n}")


class OrganisationFactory(DjangoModelFactory):
    class Meta:
        model = Organisation

    kind = OrganisationKind.SCHOOL
    municipality = factory.SubFactory(MunicipalityFactory)
    region = factory.SelfAttribute("municipality.region")
    # Numbers from 1000 on: a test that names its own «СОШ № 4» and searches for «№ 4» must find
    # one school, whichever number the sequence has reached in this process (the registration
    # story failed when the joining story's factory school happened to be «МБОУ СОШ № 4»).
    full_name = factory.Sequence(
        lambda n: (
            f"Муниципальное бюджетное общеобразовательное учреждение «Средняя школа № {1000 + n}»"
        )
    )
    short_name = factory.Sequence(lambda n: f"МБОУ СОШ № {1000 + n}")
    inn = factory.Sequence(valid_inn)


class OrganisationStatusFactory(DjangoModelFactory):
    class Meta:
        model = OrganisationStatus

    organisation = factory.SubFactory(OrganisationFactory)
    school_year = factory.LazyFunction(lambda: SchoolYear.current().start)
    status = "shnor"


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ["email"]
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@school.example")
    last_name = factory.Iterator(["Иванова", "Петров", "Сидорова", "Кузнецов", "Смирнова"])
    first_name = factory.Iterator(["Анна", "Сергей", "Мария", "Павел", "Ольга"])
    patronymic = factory.Iterator(["Викторовна", "Иванович", "Петровна", "Андреевич", "Юрьевна"])
    position = "Заместитель директора"
    post = factory.LazyAttribute(lambda person: User.Post.of_position(person.position))
    organisation = factory.SubFactory(OrganisationFactory)
    password = factory.django.Password("pass-Word-2026")

    @classmethod
    def _get_or_create(cls, model_class, *args, **kwargs):
        # As django_get_or_create, in two statements instead of four: the suite makes thousands of
        # people, and get_or_create's savepoint around the INSERT is two more round trips each.
        manager = cls._get_manager(model_class)
        found = manager.filter(email=kwargs["email"]).first()
        return found if found is not None else manager.create(*args, **kwargs)

    @factory.post_generation
    def verified_email(self, create, extracted, **kwargs):
        # Sign-in requires a confirmed address (ACCOUNT_EMAIL_VERIFICATION = "mandatory"); one
        # INSERT … ON CONFLICT DO NOTHING, so a person made twice keeps one address.
        if create and extracted is not False:
            EmailAddress.objects.bulk_create(
                [EmailAddress(user=self, email=self.email, verified=True, primary=True)],
                ignore_conflicts=True,
            )


class TerritoryRoleFactory(DjangoModelFactory):
    class Meta:
        model = TerritoryRole

    user = factory.SubFactory(UserFactory)
    role = TerritoryRole.Role.METHODIST
    region = factory.SubFactory(RegionFactory)


class OrderFactory(DjangoModelFactory):
    class Meta:
        model = Order

    issuer = factory.SubFactory(OrganisationFactory, kind=OrganisationKind.AUTHORITY)
    number = factory.Sequence(lambda n: f"{n}-осн")
    date = dt.date(2020, 9, 16)
    title = "Об утверждении положения"


class ProgrammeFactory(DjangoModelFactory):
    class Meta:
        model = Programme

    title = "Муниципальная программа сопровождения ШНОР"
    region = factory.SubFactory(RegionFactory)
    starts_on = dt.date(2020, 9, 1)
    ends_on = dt.date(2021, 8, 31)


def kind(code: str) -> StructureKind:
    return StructureKind.objects.get(code=code)


class StructureFactory(DjangoModelFactory):
    class Meta:
        model = Structure

    kind = factory.LazyFunction(lambda: kind("S5"))
    name = factory.Sequence(lambda n: f"Межшкольное объединение № {n}")
    host = factory.SubFactory(OrganisationFactory, kind=OrganisationKind.METHODICAL)
    region = factory.SelfAttribute("host.region")
    municipality = factory.SelfAttribute("host.municipality")
    founding_order = factory.SubFactory(OrderFactory)
    established_on = dt.date(2020, 9, 16)


class MembershipFactory(DjangoModelFactory):
    class Meta:
        model = Membership

    structure = factory.SubFactory(StructureFactory)
    user = factory.SubFactory(UserFactory)
    role = "member"
    since = dt.date(2020, 9, 16)


# --- communities: joining structures ------------------------------------------------------------

from communities.models import Invitation, JoinRequest, MembershipBlock, hash_token  # noqa: E402


class JoinRequestFactory(DjangoModelFactory):
    class Meta:
        model = JoinRequest

    structure = factory.SubFactory(StructureFactory, kind=factory.LazyFunction(lambda: kind("S1")))
    user = factory.SubFactory(UserFactory)
    reason = "Курирую ШНОР в своём районе, хочу обмениваться опытом."


class InvitationFactory(DjangoModelFactory):
    """Pass `token="..."` to know the link; only its hash is stored."""

    class Meta:
        model = Invitation

    class Params:
        token = factory.Sequence(lambda n: f"invitation-token-{n}")

    structure = factory.SubFactory(StructureFactory)
    email = factory.Sequence(lambda n: f"invited{n}@school.example")
    role = "member"
    token_hash = factory.LazyAttribute(lambda o: hash_token(o.token))
    invited_by = factory.SubFactory(UserFactory)


class MembershipBlockFactory(DjangoModelFactory):
    class Meta:
        model = MembershipBlock

    structure = factory.SubFactory(StructureFactory)
    user = factory.SubFactory(UserFactory)
    blocked_by = factory.SubFactory(UserFactory)
    reason = "Нарушал правила сообщества."


# --- networks.account: requests for missing organisations ---------------------------------------

from networks.models import OrganisationRequest  # noqa: E402


class OrganisationRequestFactory(DjangoModelFactory):
    class Meta:
        model = OrganisationRequest

    user = factory.SubFactory(UserFactory, organisation=None)
    name = factory.Sequence(lambda n: f"МКОУ «Основная общеобразовательная школа № {n}»")
    region = factory.SubFactory(RegionFactory)
    municipality = "Дмитриевский район"


# --- The year of a structure: plans, events and minutes, materials and discussions ----------------


class PlanFactory(DjangoModelFactory):
    class Meta:
        model = "communities.Plan"

    structure = factory.SubFactory(StructureFactory)
    school_year = 2020
    created_by = factory.SubFactory(UserFactory)


class PlanItemFactory(DjangoModelFactory):
    class Meta:
        model = "communities.PlanItem"

    plan = factory.SubFactory(PlanFactory)
    position = factory.Sequence(lambda n: n + 1)
    title = factory.Iterator(
        [
            "Анализ результатов ВПР в ШНОР",
            "Управление качеством образования: адресные консультации",
            "Обмен опытом школ-лидеров",
        ]
    )
    form = "seminar"
    month = 10
    responsible = "Руководитель объединения"
    audience = "Руководители и заместители руководителей ШНОР"
    expected_result = "Рекомендации для школ"


class EventFactory(DjangoModelFactory):
    class Meta:
        model = "communities.Event"

    structure = factory.SubFactory(StructureFactory)
    title = factory.Sequence(lambda n: f"Заседание объединения № {n + 1}")
    form = "meeting"
    format = "in_person"
    starts_at = factory.LazyFunction(lambda: dt.datetime(2020, 10, 15, 15, 0, tzinfo=dt.UTC))
    place = "МБОУ «Центр образования № 12», актовый зал"
    status = "scheduled"


class AttendanceFactory(DjangoModelFactory):
    class Meta:
        model = "communities.Attendance"

    event = factory.SubFactory(EventFactory)
    user = factory.SubFactory(UserFactory)
    attended = True


class MinutesFactory(DjangoModelFactory):
    class Meta:
        model = "communities.Minutes"

    event = factory.SubFactory(EventFactory, status="held")
    number = factory.Sequence(lambda n: str(n + 1))
    date = dt.date(2020, 10, 15)


class MinutesItemFactory(DjangoModelFactory):
    class Meta:
        model = "communities.MinutesItem"

    minutes = factory.SubFactory(MinutesFactory)
    position = factory.Sequence(lambda n: n + 1)
    question = "О результатах ВПР в школах с низкими образовательными результатами"
    decision = "Принять к сведению; провести адресные консультации"
    recommendations = "Руководителям ШНОР проанализировать результаты по классам"


class MaterialFactory(DjangoModelFactory):
    class Meta:
        model = "communities.Material"

    structure = factory.SubFactory(StructureFactory)
    title = factory.Sequence(lambda n: f"Методические рекомендации № {n + 1}")
    subject = "Математика"
    kind = "recommendations"
    link = "https://example.ru/materials/1"
    author = factory.SubFactory(UserFactory)


class DiscussionFactory(DjangoModelFactory):
    class Meta:
        model = "communities.Discussion"

    structure = factory.SubFactory(StructureFactory)
    title = "Как удержать мотивацию учеников к концу года?"
    body = "Поделитесь приёмами, которые работают в ваших классах."
    opened_by = factory.SubFactory(UserFactory)


class PostFactory(DjangoModelFactory):
    class Meta:
        model = "communities.Post"

    discussion = factory.SubFactory(DiscussionFactory)
    author = factory.SubFactory(UserFactory)
    body = "У нас помогают короткие проекты по две недели."


class PollFactory(DjangoModelFactory):
    class Meta:
        model = "communities.Poll"

    structure = factory.SubFactory(StructureFactory)
    question = "Когда удобнее проводить заседания?"
    created_by = factory.SubFactory(UserFactory)


class PollOptionFactory(DjangoModelFactory):
    class Meta:
        model = "communities.PollOption"

    poll = factory.SubFactory(PollFactory)
    position = factory.Sequence(lambda n: n + 1)
    text = factory.Iterator(["Вторник, 15:00", "Четверг, 15:00", "Пятница, 14:00"])


# --- Mentoring: pairs, requests, questionnaires, tutoring, group statistics ----------------------


def topic(name_part: str):
    """A topic of the catalogue that migration mentoring 0002 loads."""
    from mentoring.models import Topic

    return Topic.objects.get(name__contains=name_part)


class CompetenceFactory(DjangoModelFactory):
    class Meta:
        model = "mentoring.Competence"

    user = factory.SubFactory(UserFactory)
    topic = factory.LazyFunction(lambda: topic("ОГЭ"))
    side = "deficit"


def make_pair(*, year: int = 2020, mentee=None, mentor=None, curator=None, **structure):
    """A network pair (S4) that keeps R-TUL-A3-1.1: the mentee heads a ШНОР in that school year,
    the mentor a partner organisation; with a curator. Returns the pair's Structure."""
    from networks import figures, services

    since = dt.date(year, 10, 1)
    if mentee is None:
        school = OrganisationFactory()
        OrganisationStatusFactory(organisation=school, school_year=year, status="shnor")
        mentee = UserFactory(organisation=school, position="Директор")
    if mentor is None:
        partner = OrganisationFactory()
        OrganisationStatusFactory(organisation=partner, school_year=year, status="leader")
        mentor = UserFactory(organisation=partner, position="Директор")
    structure.setdefault("kind", kind("S4"))
    structure.setdefault("established_on", since)
    pair = StructureFactory(
        name=f"Сетевая пара: {mentee.organisation} — {mentor.organisation}", **structure
    )
    # As mentoring.services.pair_create does: the three sides' figures counted once.
    curator = curator or UserFactory(position="Методист")
    with figures.batched():
        services.membership_add(structure=pair, user=mentee, role="mentee", since=since)
        services.membership_add(structure=pair, user=mentor, role="mentor", since=since)
        services.membership_add(structure=pair, user=curator, role="curator", since=since)
    return pair


class ContactFactory(DjangoModelFactory):
    class Meta:
        model = "mentoring.Contact"

    pair = factory.LazyFunction(make_pair)
    date = dt.date(2020, 11, 10)
    form = "mentoring"
    channel = "phone"
    topic = "Анализ результатов ВПР по математике"
    outcome = "Составили план работы с учителями математики"
    next_step = "Встреча в школе-партнёре в декабре"


class HelpRequestFactory(DjangoModelFactory):
    class Meta:
        model = "mentoring.HelpRequest"

    requester = factory.SubFactory(UserFactory, position="Заместитель директора")
    organisation = factory.SelfAttribute("requester.organisation")
    region = factory.SelfAttribute("organisation.region")
    topic = factory.LazyFunction(lambda: topic("ВПР"))
    description = "Как организовать работу по результатам ВПР в 5-х классах?"


class QuestionnaireFactory(DjangoModelFactory):
    class Meta:
        model = "mentoring.Questionnaire"

    title = "Мониторинг наставнических отношений"
    region = factory.SubFactory(RegionFactory)
    created_by = factory.SubFactory(UserFactory)


class QuestionFactory(DjangoModelFactory):
    class Meta:
        model = "mentoring.Question"

    questionnaire = factory.SubFactory(QuestionnaireFactory)
    position = factory.Sequence(lambda n: n + 1)
    text = "Насколько полезно взаимодействие в паре?"
    kind = "scale"


class RoundFactory(DjangoModelFactory):
    class Meta:
        model = "mentoring.Round"

    questionnaire = factory.SubFactory(QuestionnaireFactory)
    title = "Декабрь"
    audience = "pairs"
    school_year = 2020
    opens_on = dt.date(2020, 12, 1)
    closes_on = dt.date(2020, 12, 25)


class TutorAssignmentFactory(DjangoModelFactory):
    class Meta:
        model = "mentoring.TutorAssignment"

    structure = factory.SubFactory(StructureFactory, kind=factory.LazyFunction(lambda: kind("S8")))
    tutor = factory.SubFactory(UserFactory, position="Учитель математики, педагог-тьютор")
    teacher = factory.SubFactory(UserFactory, position="Учитель математики")
    subject = "Математика"
    since = dt.date(2022, 2, 15)


class GroupStatisticsFactory(DjangoModelFactory):
    class Meta:
        model = "mentoring.GroupStatistics"

    structure = factory.SubFactory(StructureFactory, kind=factory.LazyFunction(lambda: kind("S3")))
    period_start = dt.date(2020, 9, 1)
    period_end = dt.date(2020, 9, 30)
    visitors = 120
    views = 860
    actions = 95
    feedback = 14
    source = "manual"
