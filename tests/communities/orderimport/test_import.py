"""Founding structures from the order document (issue 16): the preview proposes, nothing is
saved until the coordinator confirms; confirming creates the order with its file, the structures
with their founding acts, memberships of matched accounts, invitations, named contacts; the same
file twice changes nothing; bad input is named in the preview."""

from __future__ import annotations

import datetime as dt

import docx
from django.core import mail

from communities.models import Invitation
from communities.orderimport import services
from networks.models import (
    Membership,
    Order,
    OrderImport,
    Role,
    Structure,
    StructureAct,
    StructureContact,
)
from tests.factories import OrganisationFactory, UserFactory

from . import documents


def counts():
    return (
        Order.objects.count(),
        Structure.objects.count(),
        Membership.objects.count(),
        StructureContact.objects.count(),
        Invitation.objects.count(),
    )


def confirm(order_import, by, **decisions):
    return services.order_import_confirm(order_import=order_import, by=by, decisions=decisions)


def test_order_001_proposes_twelve_groups_of_one_community_and_saves_nothing(read, centre):
    before = counts()
    order_import = read(documents.order_001())
    assert order_import.status == OrderImport.Status.STAGED
    proposal = order_import.proposal
    assert proposal["requisites"]["number"] == "83-а"
    assert proposal["requisites"]["date"] == "2020-09-16"
    assert proposal["requisites"]["issuer_id"] == centre.pk
    (section,) = proposal["sections"]
    assert section["kind_name"] == "Сетевая профессиональная группа"
    assert section["parent"]["name"] == "Вжурнале"
    assert len(section["structures"]) == 12
    first = section["structures"][0]
    assert first["name"] == "Вжурнале/дисциплины физико-математического цикла"
    assert first["url"] == "https://vk.com/club195082605"
    names = [proposal["people"][k]["name"] for k in first["people"]]
    assert names == ["Разаренова А.В.", "Стародубцева А.В."]
    assert proposal["counts"]["structures"] == 13  # the community and its twelve groups
    assert proposal["flags"] == []
    assert counts() == before


def test_confirming_creates_the_order_structures_acts_contacts_and_memberships(
    read, coordinator, centre
):
    known = UserFactory(
        last_name="Пудова", first_name="Елена", patronymic="Дмитриевна", organisation=centre
    )
    order_import = read(documents.order_001())
    people = order_import.proposal["people"]
    pudova = [k for k, p in people.items() if p["name"] == "Пудова Е.Д."]
    assert all(people[k]["user_id"] == known.pk for k in pudova)
    razarenova = next(k for k, p in people.items() if p["name"] == "Разаренова А.В.")
    order_import = confirm(
        order_import,
        coordinator,
        requisites={**_requisites(order_import)},
        emails={razarenova: "razarenova@tula.example"},
        base_url="https://portal.example/",
    )
    assert order_import.status == OrderImport.Status.APPLIED, order_import.error
    order = Order.objects.get()
    assert (order.number, order.date, order.issuer) == ("83-а", dt.date(2020, 9, 16), centre)
    assert order.file.read().startswith(b"PK")
    parent = Structure.objects.get(name="Вжурнале")
    groups = Structure.objects.filter(parent=parent)
    assert groups.count() == 12
    group = groups.get(name="Вжурнале/дисциплины физико-математического цикла")
    assert group.platform_url == "https://vk.com/club195082605"
    assert group.participant_category.startswith("Учителя математики")
    assert group.founding_order == order and group.host == centre
    assert StructureAct.objects.filter(kind=StructureAct.Kind.FOUNDED).count() == 13
    # Pudova is an account: a member in both her groups, as administrator.
    assert Membership.objects.filter(user=known, role=Role.ADMINISTRATOR).count() == 2
    # Razarenova is invited; Starodubtseva stays a named contact with her phone.
    invitation = Invitation.objects.get()
    assert invitation.email == "razarenova@tula.example" and invitation.structure == group
    assert len(mail.outbox) == 1
    contact = StructureContact.objects.get(structure=group)
    assert (contact.full_name, contact.phone, contact.role) == (
        "Стародубцева А.В.",
        "8-910-555-74-40",
        Role.ADMINISTRATOR,
    )
    assert order_import.result["counts"]["structures"] == 13


def _requisites(order_import):
    r = order_import.proposal["requisites"]
    return {
        "kind": r["kind"],
        "number": r["number"],
        "date": r["date"],
        "title": r["title"],
        "issuer_id": r["issuer_id"],
    }


def test_the_same_file_twice_changes_nothing(read, coordinator):
    # One file read twice: python-docx stamps a new document with the current second, so two
    # documents built a second apart are two different files.
    data = documents.order_001()
    first = read(data)
    again = read(data)
    assert again.pk == first.pk
    confirm(first, coordinator, requisites=_requisites(first))
    before = counts()
    assert confirm(first, coordinator, requisites=_requisites(first)).status == "applied"
    assert counts() == before


def test_the_same_order_in_another_file_creates_nothing_new(read, coordinator):
    first = read(documents.order_001())
    confirm(first, coordinator, requisites=_requisites(first))
    before = counts()
    other = read(documents.order_001(merged_header=False))
    assert other.pk != first.pk
    assert other.proposal["requisites"]["existing_order_id"]
    confirm(other, coordinator, requisites=_requisites(other))
    other.refresh_from_db()
    assert other.status == OrderImport.Status.APPLIED
    assert counts() == before


def test_a_document_without_a_recognisable_table_is_named_and_proposes_nothing(read):
    order_import = read(documents.no_table_order())
    assert order_import.status == OrderImport.Status.STAGED
    (flag,) = order_import.proposal["flags"]
    assert "нет таблиц" in flag["message"]
    assert order_import.proposal["counts"]["structures"] == 0


def test_a_missing_column_and_a_duplicate_group_are_flagged_with_table_row_and_column(read):
    rows = [*documents.GROUPS_001[:3], documents.GROUPS_001[0]]
    order_import = read(
        documents.order_001(rows=[r[:2] for r in rows], merged_header=False, columns=3)
    )
    flags = order_import.proposal["flags"]
    messages = [f["message"] for f in flags]
    assert "В таблице нет столбца «Администраторы»." in messages
    duplicate = next(f for f in flags if "уже есть в строке 2" in f["message"])
    assert (duplicate["table"], duplicate["line"]) == (1, 5)
    assert "Название" in duplicate["column"]
    assert len(order_import.proposal["sections"][0]["structures"]) == 3


def test_a_link_that_is_not_a_url_and_an_unknown_organisation_are_flagged(read, region):
    document = docx.Document()
    documents.header(document)
    table = document.add_table(rows=1, cols=4)
    for cell, text in zip(
        table.rows[0].cells, ("№", "Название группы", "Ссылка", "Администраторы"), strict=True
    ):
        cell.text = text
    for cell, text in zip(
        table.add_row().cells,
        ("1", "Вжурнале/музыка", "группа ВКонтакте", "Иванова А.В."),
        strict=True,
    ):
        cell.text = text
    documents.working_group_table(
        document, [("Петров Сергей Иванович", "учитель", "Школа, которой нет")]
    )
    order_import = read(documents.to_bytes(document))
    messages = [f["message"] for f in order_import.proposal["flags"]]
    assert "«группа ВКонтакте» — не ссылка: группа будет создана без ссылки." in messages
    assert "Организация «Школа, которой нет» не найдена в реестре региона." in messages


def test_pairs_become_pairs_and_a_breach_of_the_pair_rules_is_a_line_not_a_crash(
    read, coordinator, region, tula
):
    lyceum = OrganisationFactory(region=region, municipality=tula, short_name="МБОУ «Лицей № 2»")
    school = OrganisationFactory(region=region, municipality=tula, short_name="МБОУ «ЦО № 1»")
    UserFactory(
        last_name="Иванова",
        first_name="Анна",
        patronymic="Викторовна",
        organisation=lyceum,
        position="Директор",
    )
    UserFactory(
        last_name="Петров",
        first_name="Сергей",
        patronymic="Иванович",
        organisation=school,
        position="Директор",
    )
    document = docx.Document()
    documents.header(document)
    documents.pairs_table(
        document, [("Иванова А.В.", "МБОУ «Лицей № 2»", "Петров С.И.", "МБОУ «ЦО № 1»")]
    )
    order_import = read(documents.to_bytes(document))
    (section,) = order_import.proposal["sections"]
    (pair,) = section["structures"]
    assert pair["host_id"] == lyceum.pk
    order_import = confirm(order_import, coordinator, requisites=_requisites(order_import))
    assert order_import.status == OrderImport.Status.APPLIED
    structure = Structure.objects.get(kind__is_pair=True)
    assert structure.memberships.get(role=Role.MENTOR).user.organisation == lyceum
    # The mentee's school is no ШНОР in 2020/2021 (R-TUL-A3-1.1): said, not raised.
    (problem,) = order_import.result["problems"]
    assert "Петров С.И." in problem and "ШНОР" in problem


def test_the_sweep_fails_imports_a_killed_worker_left_and_removes_old_unconfirmed_ones(
    read, centre, settings
):
    """An import left «Читается» or «Сохраняется» by a killed worker does not wait for ever; an
    unconfirmed upload is not kept longer than REGISTRY_STAGED_KEEP_DAYS."""
    from django.utils import timezone

    staged = read(documents.order_001())
    reading = OrderImport.objects.create(
        region=staged.region, filename="a.docx", sha256="a" * 64, status=OrderImport.Status.READING
    )
    applying = OrderImport.objects.create(
        region=staged.region,
        filename="b.docx",
        sha256="b" * 64,
        status=OrderImport.Status.APPLYING,
        confirmed_at=timezone.now(),
    )
    now = timezone.now()
    assert services.order_imports_sweep(now=now) == (0, 0)
    later = now + dt.timedelta(hours=2)
    assert services.order_imports_sweep(now=later) == (2, 0)
    reading.refresh_from_db()
    applying.refresh_from_db()
    assert reading.status == applying.status == OrderImport.Status.FAILED
    assert "загрузите файл ещё раз" in reading.error
    assert "Ничего не сохранено" in applying.error
    much_later = now + dt.timedelta(days=settings.REGISTRY_STAGED_KEEP_DAYS + 1)
    assert services.order_imports_sweep(now=much_later) == (0, 3)
    assert not OrderImport.objects.exists()
