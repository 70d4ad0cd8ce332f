"""Staging and applying registry files (networks.registry.services): what the preview finds, what
the confirmation writes, and that the same file twice changes nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from networks.models import (
    Order,
    Organisation,
    OrganisationKind,
    OrganisationStatus,
    RegistryImport,
)
from networks.registry import services
from networks.registry.plan import search_text
from tests.factories import (
    OrderFactory,
    OrganisationFactory,
    OrganisationStatusFactory,
    RegionFactory,
)

from .conftest import HEADER, csv_file, inn, school_line, xlsx_file

pytestmark = pytest.mark.django_db

STATUS_HEADER = "ИНН;Статус;Учебный год"


def snapshot():
    """Every organisation's and status's fields, to compare before and after."""
    return (
        sorted(
            Organisation.objects.values_list(
                "pk",
                "kind",
                "full_name",
                "short_name",
                "inn",
                "municipality_id",
                "address",
                "successor_id",
                "search_text",
            )
        ),
        sorted(
            OrganisationStatus.objects.values_list(
                "pk", "organisation_id", "school_year", "status", "order_id"
            )
        ),
        Order.objects.count(),
        OrganisationStatus.history.count(),
    )


def test_a_windows_1251_file_with_semicolons_creates_schools_statuses_and_the_order(
    stage, apply, tula, ministry
):
    data = csv_file(school_line(1), school_line(2, status="школа-лидер")).encode("cp1251")

    staged = stage(data)

    assert staged.status == RegistryImport.Status.STAGED
    assert staged.file_kind == "csv"
    counts = staged.summary["counts"]
    assert counts["organisations"] == {"created": 2, "changed": 0, "unchanged": 0}
    assert counts["statuses"] == {"created": 2, "changed": 0, "unchanged": 0}
    assert counts["orders"] == {"created": 1}
    assert counts["error_lines"] == 0
    assert not Organisation.objects.filter(inn=inn(1)).exists()  # nothing saved yet

    applied = apply(staged)

    assert applied.status == RegistryImport.Status.APPLIED
    assert applied.applied_at is not None
    school = Organisation.objects.get(inn=inn(1))
    assert school.full_name == (
        "Муниципальное бюджетное общеобразовательное учреждение «Средняя школа № 1»"
    )
    assert school.short_name == "МБОУ СШ № 1"
    assert school.kind == OrganisationKind.SCHOOL
    assert school.municipality == tula
    assert school.address == "г. Тула, ул. Школьная, 1"
    order = Order.objects.get(number="640")
    assert (order.issuer, order.date) == (ministry, dt.date(2020, 5, 28))
    assert order.title == "Об утверждении перечня школ"
    statuses = dict(OrganisationStatus.objects.values_list("organisation__inn", "status"))
    assert statuses == {inn(1): "shnor", inn(2): "leader"}
    assert set(OrganisationStatus.objects.values_list("order", flat=True)) == {order.pk}
    assert OrganisationStatus.history.count() == 2  # the statuses' history is kept


def test_the_statuses_history_says_who_why_and_what_as_simple_history_writes_it(
    stage, apply, coordinator
):
    """Issue 19: on PostgreSQL the import writes organisations, statuses and the statuses'
    historical rows by COPY; the rows are those bulk_create_with_history writes elsewhere."""
    apply(stage(csv_file(school_line(1), school_line(2, status="школа-лидер"))))

    statuses = OrganisationStatus.objects.order_by("pk")
    assert statuses.count() == 2
    for status in statuses:
        row = status.history.get()
        assert (row.history_type, row.history_user, row.history_change_reason) == (
            "+",
            coordinator,
            "Загрузка реестра из файла",
        )
        assert (row.organisation_id, row.school_year, row.status, row.order_id) == (
            status.organisation_id,
            status.school_year,
            status.status,
            status.order_id,
        )
        assert row.instance == status
    first, second = (s.organisation for s in statuses)
    assert first.pk != second.pk and {first.inn, second.inn} == {inn(1), inn(2)}


def test_the_folded_search_text_is_the_one_save_would_keep(stage, apply):
    apply(stage(csv_file(school_line(1))))
    school = Organisation.objects.get(inn=inn(1))
    stored = school.search_text
    school.save()
    school.refresh_from_db()
    assert stored == school.search_text
    assert stored == search_text(
        short_name=school.short_name,
        full_name=school.full_name,
        municipality="город Тула",
        inn=school.inn,
    )


def test_a_utf8_file_with_commas_and_a_bom_is_read_the_same(stage, apply):
    header = HEADER.replace(";", ",")
    data = "\ufeff" + csv_file(school_line(1, sep=",", order="№ 640 от 28.05.2020"), header=header)
    staged = stage(data.encode())
    assert staged.summary["counts"]["organisations"]["created"] == 1
    assert staged.summary["counts"]["error_lines"] == 0
    apply(staged)
    assert Organisation.objects.get(inn=inn(1)).short_name == "МБОУ СШ № 1"


def test_an_xlsx_book_is_read_with_numbers_as_numbers(stage, apply, tula):
    rows = [
        ["Реестр образовательных организаций"],  # a title above the header
        [],
        [
            "  полное   НАИМЕНОВАНИЕ ",
            "ИНН",
            "Тип",
            "Муниципальное образование",
            "Статус",
            "Учебный год",
            "Приказ",
        ],
        [
            "МБОУ «Лицей № 1»",
            int(inn(1)),
            "Общеобразовательная организация",
            "город Тула",
            "ШССУ",
            2020,
            "№ 640 от 28.05.2020",
        ],
    ]
    staged = stage(xlsx_file(rows), filename="реестр.xlsx")
    assert staged.file_kind == "xlsx"
    assert staged.summary["errors"] == []
    apply(staged)
    school = Organisation.objects.get(inn=inn(1))
    assert school.full_name == "МБОУ «Лицей № 1»"
    assert school.statuses.get().school_year == 2020


def test_a_bad_line_is_named_with_its_reason_and_nothing_is_saved(stage):
    bad = school_line(2).replace(inn(2), inn(2)[:-1] + str((int(inn(2)[-1]) + 1) % 10))
    before = snapshot()

    staged = stage(csv_file(school_line(1), bad).encode("cp1251"))

    assert staged.summary["errors"] == [
        [
            3,
            f"«ИНН»: ИНН «{bad.split(';')[4]}» неверен — нужно 10 или 12 цифр с верным "
            "контрольным числом",
        ]
    ]
    assert staged.error_count == 1
    assert snapshot() == before


def test_a_file_with_errors_is_applied_for_its_good_lines(stage, apply):
    staged = stage(csv_file(school_line(1), school_line(2, status="отличник")))
    assert staged.summary["errors"][0][0] == 3
    assert "неизвестный статус «отличник»" in staged.summary["errors"][0][1]

    applied = apply(staged)

    assert applied.status == RegistryImport.Status.APPLIED
    assert applied.error_count == 1
    assert Organisation.objects.filter(inn=inn(1)).exists()
    # The bad line is left out whole: its school is not created without its status either.
    assert not Organisation.objects.filter(inn=inn(2)).exists()


def test_the_same_file_twice_changes_nothing(stage, apply):
    data = csv_file(school_line(1), school_line(2), school_line(3, status="лидер"))
    apply(stage(data))
    before = snapshot()

    again = stage(data)

    counts = again.summary["counts"]
    assert counts["organisations"] == {"created": 0, "changed": 0, "unchanged": 3}
    assert counts["statuses"] == {"created": 0, "changed": 0, "unchanged": 3}
    assert counts["orders"] == {"created": 0}
    assert (again.created_count, again.updated_count) == (0, 0)
    applied = apply(again)
    assert (applied.created_count, applied.updated_count, applied.unchanged_count) == (0, 0, 6)
    assert snapshot() == before


def test_a_status_list_for_a_new_school_year_adds_statuses_and_keeps_the_old_ones(
    stage, apply, ministry
):
    apply(stage(csv_file(school_line(1), school_line(2, status="школа-лидер"))))
    first_year = set(OrganisationStatus.objects.values_list("pk", "school_year", "status"))
    next_year = "\r\n".join(
        [
            STATUS_HEADER + ";Приказ",
            f"{inn(1)};ШССУ;2021/2022;№ 700 от 01.06.2021",
            f"{inn(2)};лидер;2021;№ 700 от 01.06.2021",
        ]
    )

    staged = stage(next_year, options={})
    assert staged.summary["counts"]["organisations"] == {"created": 0, "changed": 0, "unchanged": 0}
    # The order's issuer is not in the file and no order was chosen: an error on each line.
    assert [e[0] for e in staged.summary["errors"]] == [2, 3]
    assert "не указано, кем издан приказ" in staged.summary["errors"][0][1]

    staged = stage(next_year)  # now the form names the ministry as the issuer
    assert staged.summary["errors"] == []
    apply(staged)

    assert first_year <= set(OrganisationStatus.objects.values_list("pk", "school_year", "status"))
    assert set(
        OrganisationStatus.objects.filter(school_year=2021).values_list(
            "organisation__inn", "status", "order__number"
        )
    ) == {(inn(1), "sssu", "700"), (inn(2), "leader", "700")}
    assert OrganisationStatus.objects.filter(school_year=2020).count() == 2


def test_statuses_by_exact_full_name_find_the_school(stage, apply, tula):
    school = OrganisationFactory(
        region=tula.region, municipality=tula, inn="", full_name="МБОУ «Школа № 5» г. Тулы"
    )
    data = "Полное наименование;Статус;Учебный год\r\n«мбоу  школа № 5» Г. ТУЛЫ;ШНОР;2020/2021\r\n"
    staged = stage(data)
    assert staged.summary["errors"] == []
    apply(staged)
    assert school.statuses.get().status == "shnor"


def test_a_name_that_matches_two_organisations_is_an_error(stage, tula, aleksin):
    for municipality, number in ((tula, "1"), (aleksin, "2")):
        OrganisationFactory(
            region=tula.region,
            municipality=municipality,
            full_name="МБОУ «СОШ № 1»",
            inn=inn(100 + int(number)),
        )
    staged = stage("Полное наименование;Статус;Учебный год\r\nМБОУ «СОШ № 1»;ШНОР;2020\r\n")
    ((line, reason),) = staged.summary["errors"]
    assert line == 2
    assert reason == (
        f"наименование «МБОУ «СОШ № 1»» совпадает у нескольких организаций региона "
        f"(ИНН: {inn(101)}, {inn(102)}); укажите ИНН"
    )


def test_the_municipality_tells_two_schools_of_the_same_name_apart(stage, apply, tula, aleksin):
    here = OrganisationFactory(region=tula.region, municipality=tula, full_name="МБОУ «СОШ № 1»")
    OrganisationFactory(region=tula.region, municipality=aleksin, full_name="МБОУ «СОШ № 1»")
    data = (
        "Муниципальное образование;Полное наименование;Статус;Учебный год\r\n"
        "город Тула;МБОУ «СОШ № 1»;ШНОР;2020\r\n"
    )
    staged = stage(data)
    assert staged.summary["errors"] == []
    apply(staged)
    assert here.statuses.count() == 1


def test_leader_and_shnor_in_one_year_clash_in_the_file_and_with_the_registry(stage, tula):
    school = OrganisationFactory(region=tula.region, municipality=tula, inn=inn(7))
    OrganisationStatusFactory(organisation=school, school_year=2020, status="leader")
    data = "\r\n".join(
        [
            STATUS_HEADER,
            f"{inn(7)};ШНОР;2020/2021",  # clashes with the registry
            f"{inn(7)};ШССУ;2021/2022",
            f"{inn(7)};школа-лидер;2021/2022",  # clashes with the line above
            f"{inn(7)};ШНОР;2021/2022",  # ШНОР and ШССУ together are fine
        ]
    )
    staged = stage(data)
    errors = dict(staged.summary["errors"])
    assert set(errors) == {2, 4}
    assert errors[2] == (
        "в 2020/2021 учебном году школа уже отмечена в реестре как «Школа-лидер»: "
        "школа-лидер не может одновременно быть ШНОР или ШССУ"
    )
    assert "в строке 3 как «ШССУ»" in errors[4]
    assert staged.summary["counts"]["statuses"]["created"] == 2


def test_a_reorganised_school_points_to_its_successor_and_keeps_its_history(stage, apply, tula):
    old = OrganisationFactory(region=tula.region, municipality=tula, inn=inn(1))
    OrganisationStatusFactory(organisation=old, school_year=2019, status="shnor")
    header = "Полное наименование;Тип;ИНН;Муниципальное образование;Правопреемник (ИНН)"
    data = "\r\n".join(
        [
            header,
            f"{old.full_name};школа;{inn(1)};город Тула;{inn(2)}",  # the successor comes later
            f"МБОУ «Центр образования № 1»;школа;{inn(2)};город Тула;",
        ]
    )
    staged = stage(data)
    assert staged.summary["errors"] == []
    (changed,) = staged.summary["organisations_changed"]
    assert changed["changes"] == [["Правопреемник", "—", "МБОУ «Центр образования № 1»"]]

    apply(staged)

    old.refresh_from_db()
    successor = Organisation.objects.get(inn=inn(2))
    assert old.successor == successor
    assert old.statuses.get().school_year == 2019  # history stays with the old organisation
    assert list(successor.predecessors.all()) == [old]


def test_a_changed_field_is_shown_old_to_new_and_blank_cells_leave_fields_alone(
    stage, apply, tula, aleksin
):
    school = OrganisationFactory(
        region=tula.region,
        municipality=tula,
        inn=inn(1),
        short_name="СОШ 1",
        address="г. Тула, ул. Старая, 1",
    )
    data = (
        "ИНН;Краткое наименование;Муниципальное образование;Адрес\r\n"
        f"{inn(1)};МБОУ СОШ № 1;Алексинский район;\r\n"
    )
    staged = stage(data)
    (changed,) = staged.summary["organisations_changed"]
    assert changed["line"] == 2
    assert changed["changes"] == [
        ["Краткое наименование", "СОШ 1", "МБОУ СОШ № 1"],
        ["Муниципальное образование", "город Тула", "Алексинский район"],
    ]
    apply(staged)
    school.refresh_from_db()
    assert (school.short_name, school.municipality, school.address) == (
        "МБОУ СОШ № 1",
        aleksin,
        "г. Тула, ул. Старая, 1",
    )
    assert "алексинский район" in school.search_text


@pytest.mark.parametrize(
    ("cells", "reason"),
    [
        (
            {"municipality": "город Москва"},
            "неизвестное муниципальное образование «город Москва» в регионе «Тульская область»",
        ),
        ({"kind": "пекарня"}, "неизвестный тип организации «пекарня»"),
        ({"year": "2020/2022"}, "неверный учебный год «2020/2022»; пример: 2020/2021 или 2020"),
        ({"order": "приказ министра"}, "не удалось прочитать приказ «приказ министра»"),
        ({"order": "№ 5 от 31.02.2020"}, "не удалось прочитать приказ «№ 5 от 31.02.2020»"),
    ],
)
def test_bad_cells_are_named(stage, cells, reason):
    line = school_line(
        1,
        municipality=cells.get("municipality", "город Тула"),
        year=cells.get("year", "2020/2021"),
        order=cells.get("order", "№ 640 от 28.05.2020"),
    )
    if "kind" in cells:
        line = line.replace(";школа;", f";{cells['kind']};")
    staged = stage(csv_file(line))
    ((number, text),) = staged.summary["errors"]
    assert number == 2
    assert reason in text


def test_rows_of_another_region_are_errors(stage, region):
    RegionFactory(code="40", name="Калужская область")
    header = "Регион;" + HEADER
    staged = stage(
        csv_file(
            "Калужская область;" + school_line(1),
            "Марсианская область;" + school_line(2),
            "Тульская область;" + school_line(3),
            header=header,
        )
    )
    errors = dict(staged.summary["errors"])
    assert errors[2] == (
        "строка относится к другому региону («Калужская область»): загружать можно только "
        "организации региона «Тульская область»"
    )
    assert errors[3] == "неизвестный регион «Марсианская область»"
    assert staged.summary["counts"]["organisations"]["created"] == 1


def test_an_inn_of_another_regions_organisation_is_an_error(stage):
    OrganisationFactory(inn=inn(1), short_name="Чужая школа")
    staged = stage(csv_file(school_line(1)))
    ((_line, reason),) = staged.summary["errors"]
    assert reason.startswith(f"ИНН {inn(1)} уже принадлежит организации «Чужая школа»")


def test_orders_from_the_file_with_their_issuer_or_an_existing_order_chosen(
    stage, apply, ministry, tula
):
    existing = OrderFactory(issuer=ministry, number="12", date=dt.date(2021, 6, 1))
    header = "ИНН;Статус;Учебный год;Приказ;Кем издан"
    OrganisationFactory(region=tula.region, municipality=tula, inn=inn(1))
    OrganisationFactory(region=tula.region, municipality=tula, inn=inn(2))
    OrganisationFactory(region=tula.region, municipality=tula, inn=inn(3))
    data = "\r\n".join(
        [
            header,
            f"{inn(1)};ШНОР;2021;приказ от 01.06.2021 № 12;Минобразования ТО",
            f"{inn(2)};ШНОР;2021;распоряжение № 3-р от 02.06.2021;{ministry.inn}",
            f"{inn(3)};ШНОР;2021;;",
        ]
    )
    staged = stage(data, options={"order_id": existing.pk})
    assert staged.summary["errors"] == []
    apply(staged)
    by_inn = {
        s.organisation.inn: s.order
        for s in OrganisationStatus.objects.select_related("order", "organisation")
    }
    assert by_inn[inn(1)] == existing
    assert by_inn[inn(3)] == existing
    new = by_inn[inn(2)]
    assert (new.kind, new.number, new.date, new.issuer) == (
        Order.Kind.RASPORYAZHENIE,
        "3-р",
        dt.date(2021, 6, 2),
        ministry,
    )


def test_an_order_of_another_region_is_refused(stage):
    foreign = OrderFactory()
    with pytest.raises(ValidationError):
        stage(csv_file(school_line(1)), options={"order_id": foreign.pk})


def test_statuses_only_for_schools(stage, ministry):
    staged = stage(f"{STATUS_HEADER}\r\n{ministry.inn};ШНОР;2020\r\n")
    ((_line, reason),) = staged.summary["errors"]
    assert "только у общеобразовательной организации" in reason


def test_an_organisation_not_in_the_registry_is_an_error_in_a_status_list(stage):
    staged = stage(f"{STATUS_HEADER}\r\n{inn(42)};ШНОР;2020\r\n")
    assert staged.summary["errors"] == [
        [2, f"организация с ИНН {inn(42)} не найдена в реестре региона «Тульская область»"]
    ]


def test_confirming_twice_applies_once(stage, coordinator):
    staged = stage(csv_file(school_line(1)))
    services.registry_import_confirm(registry_import=staged, by=coordinator)
    again = services.registry_import_confirm(registry_import=staged, by=coordinator)
    assert again.status == RegistryImport.Status.APPLIED
    assert Organisation.objects.filter(inn=inn(1)).count() == 1
    assert OrganisationStatus.objects.count() == 1


def test_a_long_file_is_queued_for_the_worker_after_commit(
    stage, coordinator, monkeypatch, django_capture_on_commit_callbacks
):
    from networks import tasks

    queued = []
    monkeypatch.setattr(services, "INLINE_MAX_LINES", 1)
    monkeypatch.setattr(tasks.apply_registry_import, "delay", queued.append)
    staged = stage(csv_file(school_line(1), school_line(2)))

    with django_capture_on_commit_callbacks(execute=True):
        confirmed = services.registry_import_confirm(registry_import=staged, by=coordinator)

    assert confirmed.status == RegistryImport.Status.APPLYING
    assert queued == [staged.pk]
    assert not Organisation.objects.filter(inn=inn(1)).exists()

    # The task itself, called synchronously as the worker would, and once more: applies once.
    assert tasks.apply_registry_import(staged.pk) == RegistryImport.Status.APPLIED
    assert tasks.apply_registry_import(staged.pk) == RegistryImport.Status.APPLIED
    staged.refresh_from_db()
    assert (staged.progress, staged.total, staged.created_count) == (2, 2, 4)
    assert Organisation.objects.filter(inn__in=[inn(1), inn(2)]).count() == 2


def test_a_failure_while_writing_saves_nothing_and_says_so(stage, apply, monkeypatch):
    staged = stage(csv_file(school_line(1)))

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(services, "_insert_with_history", broken)  # the statuses, written last
    failed = apply(staged)

    assert failed.status == RegistryImport.Status.FAILED
    assert "Ничего не сохранено" in failed.error
    assert not Organisation.objects.filter(inn=inn(1)).exists()
    assert not Order.objects.filter(number="640").exists()


def test_a_file_that_cannot_be_read_is_refused_before_anything_is_kept(stage):
    with pytest.raises(services.FileRefused, match="не найдена строка заголовков"):
        stage("какой-то текст\r\nещё текст\r\n")
    assert not RegistryImport.objects.exists()


def test_a_long_file_name_is_kept_and_the_file_stored_under_a_short_one(stage):
    name = "Приложение к приказу министерства образования " * 5 + ".csv"
    staged = stage(csv_file(school_line(1)), filename=name)
    assert staged.filename == name[:255]
    assert staged.file.name.startswith("registry/")
    assert len(staged.file.name) <= 100
    with staged.file.open("rb") as stored:
        assert stored.read() == csv_file(school_line(1)).encode()
