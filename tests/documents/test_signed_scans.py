"""Signed scans (issue 18): a plan, minutes or report printed from «Скачать», signed on paper and
scanned, is attached back to the record and shown beside it — the latest first, the earlier kept.

Who attaches is whoever signs the record (the full role × view tables are in
tests/communities/test_permission_table_plans.py, …_events.py and
tests/reporting/test_permission_table_reports.py); here: the pages, the file check, the record's
state, the cells of each table's kinds of person once more on one S5 association, the query count,
and the person's own data (152-ФЗ)."""

from __future__ import annotations

import copy
import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from communities.models import Plan
from documents.models import SignedScan
from documents.personal_data import sections
from documents.selectors import signed_scans_of
from documents.services import signed_scan_attach
from networks.account.services import user_anonymise
from networks.models import Role, TerritoryRole
from reporting.models import Deadline, DeadlineRule, Report
from tests.factories import (
    MembershipFactory,
    MinutesFactory,
    PlanFactory,
    StructureFactory,
    TerritoryRoleFactory,
    UserFactory,
)
from tests.helpers import rolled_back_at_the_end

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def pdf(name="Скан.pdf", content=PDF):
    return SimpleUploadedFile(name, content)


@pytest.fixture(scope="module")
def _built_s5(django_db_setup, django_db_blocker):
    """The S5 association built once per test module inside a transaction rolled back at the
    module's end; each test changes it in a savepoint of its own."""
    with rolled_back_at_the_end(django_db_blocker):
        yield build_s5()


@pytest.fixture
def s5(_built_s5, db):
    """An S5 association: its head (signs minutes, writes reports), a member, the territory's
    coordinator (approves the plan, accepts the report) and methodist (reads), a stranger."""
    return copy.deepcopy(_built_s5)


def build_s5():
    structure = StructureFactory()
    people = {
        "head": MembershipFactory(structure=structure, role=Role.HEAD).user,
        "member": MembershipFactory(structure=structure, role=Role.MEMBER).user,
        "coordinator": TerritoryRoleFactory(
            role=TerritoryRole.Role.COORDINATOR, region=structure.region
        ).user,
        "methodist": TerritoryRoleFactory(
            role=TerritoryRole.Role.METHODIST, region=structure.region
        ).user,
        "stranger": UserFactory(),
    }
    rule = DeadlineRule.objects.create(
        title="Анализ работы за учебный год",
        deliverable="report",
        kind=structure.kind,
        due_month=7,
        due_day=15,
        deliverer_role=Role.HEAD,
        recipient="Региональный центр",
    )
    deadline = Deadline.objects.create(
        rule=rule, structure=structure, school_year=2020, due_on=dt.date(2021, 7, 15)
    )
    records = {
        "plan": PlanFactory(structure=structure, status=Plan.Status.APPROVED, created_by=None),
        "minutes": signed_minutes(structure),
        "report": Report.objects.create(
            structure=structure,
            school_year=2020,
            deadline=deadline,
            title=rule.title,
            status=Report.Status.SUBMITTED,
            analysis="Анализ",
        ),
    }
    return structure, people, records


def signed_minutes(structure):
    return MinutesFactory(
        event__structure=structure,
        status="signed",
        signed_at=dt.datetime(2020, 10, 16, 12, tzinfo=dt.UTC),
        attendee_count=1,
    )


def page(kind, structure, record):
    name = {
        "plan": "communities:plan_detail",
        "minutes": "communities:minutes_detail",
        "report": "reporting:report_detail",
    }[kind]
    return reverse(name, args=[structure.pk, record.pk])


def attach_url(kind, structure, record):
    app = "reporting" if kind == "report" else "communities"
    return reverse(f"{app}:{kind}_scan_attach", args=[structure.pk, record.pk])


def scan_url(kind, structure, record, scan):
    app = "reporting" if kind == "report" else "communities"
    return reverse(f"{app}:{kind}_scan", args=[structure.pk, record.pk, scan.pk])


# Who attaches on the S5 association: the centre approves its plan (R-TUL-A4-4.5), the head signs
# the minutes and hands in the report, the centre accepts it.
SIGNER = {"plan": "coordinator", "minutes": "head", "report": "head"}
KINDS = list(SIGNER)


@pytest.mark.parametrize("kind", KINDS)
def test_the_signer_attaches_a_scan_and_everybody_who_reads_the_record_sees_and_downloads_it(
    client, s5, kind
):
    structure, people, records = s5
    record = records[kind]
    client.force_login(people[SIGNER[kind]])
    response = client.post(
        attach_url(kind, structure, record),
        {"scan-file": pdf("Подписанный экземпляр.pdf"), "scan-note": "С печатью"},
    )
    assert response.status_code == 302
    assert response["Location"].endswith("#signed-scan")
    (scan,) = signed_scans_of(record)
    assert (scan.original_name, scan.file_kind, scan.note) == (
        "Подписанный экземпляр.pdf",
        "pdf",
        "С печатью",
    )
    assert scan.uploaded_by == people[SIGNER[kind]]
    assert "Подписанный" not in scan.file.name  # stored under a name of its own

    for reader in ("member", "methodist") if kind != "report" else ("methodist",):
        client.force_login(people[reader])
        text = client.get(page(kind, structure, record)).content.decode()
        assert "Подписанный экземпляр" in text
        assert "Подписанный экземпляр.pdf" in text
        assert scan_url(kind, structure, record, scan) in text
        assert 'name="scan-file"' not in text  # no upload form for those who do not sign
        download = client.get(scan_url(kind, structure, record, scan))
        assert download.status_code == 200
        assert download["Content-Type"] == "application/pdf"
        assert b"".join(download.streaming_content) == PDF


@pytest.mark.parametrize("kind", KINDS)
def test_the_signer_sees_the_upload_form_with_its_label_and_the_allowed_types(client, s5, kind):
    structure, people, records = s5
    client.force_login(people[SIGNER[kind]])
    text = client.get(page(kind, structure, records[kind])).content.decode()
    assert "Скан подписанного экземпляра" in text
    assert "PDF, JPG, PNG до 20 МБ" in text
    assert "Скан подписанного экземпляра ещё не приложен." in text


def test_the_latest_scan_comes_first_and_the_earlier_ones_are_kept_folded(client, s5):
    structure, people, records = s5
    plan = records["plan"]
    first = signed_scan_attach(record=plan, file=pdf("Первый.pdf"), by=people["coordinator"])
    second = signed_scan_attach(
        record=plan, file=SimpleUploadedFile("Второй.png", PNG), by=people["coordinator"]
    )
    SignedScan.objects.filter(pk=first.pk).update(uploaded_at=second.uploaded_at - dt.timedelta(1))
    assert signed_scans_of(plan) == [second, first]
    client.force_login(people["member"])
    text = client.get(page("plan", structure, plan)).content.decode()
    assert text.index("Второй.png") < text.index("<details") < text.index("Первый.pdf")


def test_a_text_file_renamed_pdf_is_refused_with_the_reason_and_the_note_is_kept(client, s5):
    structure, people, records = s5
    client.force_login(people["head"])
    response = client.post(
        attach_url("minutes", structure, records["minutes"]),
        {"scan-file": pdf("Протокол.pdf", "Это просто текст".encode()), "scan-note": "Второй лист"},
    )
    assert response.status_code == 400
    text = response.content.decode()
    assert "Файл «Протокол.pdf» не принят: по содержимому это не PDF, JPG, PNG." in text
    assert "Выберите файл ещё раз" in text
    assert 'value="Второй лист"' in text
    assert 'aria-invalid="true"' in text
    assert not SignedScan.objects.exists()


def test_a_word_document_is_no_scan(client, s5):
    structure, people, records = s5
    client.force_login(people["head"])
    docx = b"PK\x03\x04" + b"\x00" * 40
    response = client.post(
        attach_url("report", structure, records["report"]), {"scan-file": pdf("Отчёт.docx", docx)}
    )
    assert response.status_code == 400
    assert not SignedScan.objects.exists()


def test_a_file_above_the_upload_limit_is_refused(client, s5, settings):
    settings.FILE_UPLOAD_MAX_MB = 0
    structure, people, records = s5
    client.force_login(people["coordinator"])
    response = client.post(attach_url("plan", structure, records["plan"]), {"scan-file": pdf()})
    assert response.status_code == 400
    assert "больше 0 МБ" in response.content.decode()
    assert not SignedScan.objects.exists()


@pytest.mark.parametrize(
    ("kind", "status", "reason"),
    [
        ("plan", Plan.Status.SUBMITTED, "прикладывается к утверждённому плану"),
        ("minutes", "draft", "прикладывается к подписанному протоколу"),
        ("report", Report.Status.DRAFT, "прикладывается к сданному или принятому отчёту"),
    ],
)
def test_a_record_not_yet_signed_takes_no_scan_and_says_why(client, s5, kind, status, reason):
    structure, people, records = s5
    record = records[kind]
    type(record).objects.filter(pk=record.pk).update(status=status)
    client.force_login(people[SIGNER[kind]])
    response = client.post(attach_url(kind, structure, record), {"scan-file": pdf()}, follow=True)
    assert reason in response.content.decode()
    assert not SignedScan.objects.exists()
    # The page tells the signer the same instead of offering the form.
    text = client.get(page(kind, structure, record)).content.decode()
    assert reason in text and 'name="scan-file"' not in text


@pytest.mark.parametrize(
    ("kind", "status", "reason"),
    [
        ("plan", Plan.Status.SUBMITTED, "прикладывается к утверждённому плану"),
        ("minutes", "draft", "прикладывается к подписанному протоколу"),
        ("report", Report.Status.DRAFT, "прикладывается к сданному или принятому отчёту"),
    ],
)
def test_the_service_itself_refuses_a_record_not_yet_signed(s5, kind, status, reason):
    """Not only the pages: whoever calls signed_scan_attach (a task, an import, a new view) gets
    the owning app's rule."""
    _structure, people, records = s5
    record = records[kind]
    type(record).objects.filter(pk=record.pk).update(status=status)
    record.refresh_from_db()
    with pytest.raises(ValidationError) as refused:
        signed_scan_attach(record=record, file=pdf(), by=people[SIGNER[kind]])
    assert reason in " ".join(refused.value.messages)
    assert not SignedScan.objects.exists()


def test_a_record_of_a_kind_without_a_scan_rule_takes_none(s5):
    from django.core.exceptions import ImproperlyConfigured

    structure, people, _records = s5
    with pytest.raises(ImproperlyConfigured):
        signed_scan_attach(record=structure, file=pdf(), by=people["coordinator"])
    assert not SignedScan.objects.exists()


@pytest.mark.parametrize("kind", ["plan", "minutes"])
def test_a_closed_structures_documents_are_read_only_and_take_no_scan(client, s5, kind):
    structure, people, records = s5
    type(structure).objects.filter(pk=structure.pk).update(
        closed_on=dt.date(2021, 6, 30), closing_reason="term_ended"
    )
    client.force_login(people[SIGNER[kind]])
    response = client.post(
        attach_url(kind, structure, records[kind]), {"scan-file": pdf()}, follow=True
    )
    assert "Структура прекратила деятельность" in response.content.decode()
    assert not SignedScan.objects.exists()


def test_an_accepted_report_takes_a_scan(client, s5):
    structure, people, records = s5
    Report.objects.filter(pk=records["report"].pk).update(status=Report.Status.ACCEPTED)
    client.force_login(people["coordinator"])
    response = client.post(attach_url("report", structure, records["report"]), {"scan-file": pdf()})
    assert response.status_code == 302
    assert len(signed_scans_of(records["report"])) == 1


# --- Who may (the tables' kinds of person on one association) -------------------------------------

# person → expected answer to attaching a scan to plan, minutes, report
ATTACH = {
    "coordinator": {"plan": 302, "minutes": 302, "report": 302},
    "head": {"plan": 403, "minutes": 302, "report": 302},
    "member": {"plan": 403, "minutes": 403, "report": 403},
    "methodist": {"plan": 403, "minutes": 403, "report": 403},
    "stranger": {"plan": 404, "minutes": 404, "report": 404},
}


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("person", list(ATTACH))
def test_who_may_attach_a_scan(client, s5, kind, person):
    structure, people, records = s5
    client.force_login(people[person])
    response = client.post(attach_url(kind, structure, records[kind]), {"scan-file": pdf()})
    assert response.status_code == ATTACH[person][kind]
    assert SignedScan.objects.exists() == (ATTACH[person][kind] == 302)


@pytest.mark.parametrize("kind", KINDS)
def test_anonymous_visitors_are_sent_to_sign_in_to_attach_or_download(client, s5, kind):
    structure, people, records = s5
    record = records[kind]
    scan = signed_scan_attach(record=record, file=pdf(), by=people["coordinator"])
    login = reverse("account_login") + "?next="
    for response in (
        client.post(attach_url(kind, structure, record), {"scan-file": pdf()}),
        client.get(scan_url(kind, structure, record, scan)),
    ):
        assert response.status_code == 302 and response["Location"].startswith(login)
    assert len(signed_scans_of(record)) == 1


@pytest.mark.parametrize("kind", KINDS)
def test_a_stranger_cannot_download_a_scan_and_a_scan_is_found_only_through_its_record(
    client, s5, kind
):
    structure, people, records = s5
    record = records[kind]
    scan = signed_scan_attach(record=record, file=pdf(), by=people["coordinator"])
    client.force_login(people["stranger"])
    assert client.get(scan_url(kind, structure, record, scan)).status_code == 404
    # Another record of the same structure does not lead to this scan.
    other = {
        "plan": lambda: PlanFactory(structure=structure, school_year=2021, created_by=None),
        "minutes": lambda: signed_minutes(structure),
        "report": lambda: Report.objects.create(
            structure=structure, school_year=2021, title="Другой", status="submitted"
        ),
    }[kind]()
    client.force_login(people["coordinator"])
    assert client.get(scan_url(kind, structure, other, scan)).status_code == 404


# --- Speed ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
def test_the_records_page_reads_its_scans_in_one_query_however_many_there_are(client, s5, kind):
    structure, people, records = s5
    record = records[kind]
    signed_scan_attach(record=record, file=pdf(), by=people["head"])
    client.force_login(people["coordinator"])
    url = page(kind, structure, record)
    client.get(url)  # the caches that any first request fills
    with CaptureQueriesContext(connection) as one:
        assert client.get(url).status_code == 200
    for n in range(4):
        signed_scan_attach(record=record, file=pdf(f"Лист {n}.pdf"), by=people["member"])
    with CaptureQueriesContext(connection) as five:
        assert client.get(url).status_code == 200
    assert len(five) == len(one)
    scans = [q["sql"] for q in five.captured_queries if "documents_signedscan" in q["sql"]]
    assert len(scans) == 1


@pytest.mark.parametrize(("kind", "most"), [("plan", 11), ("minutes", 14), ("report", 17)])
def test_the_records_page_with_scans_stays_within_its_query_budget(
    client, s5, kind, most, django_assert_max_num_queries
):
    structure, people, records = s5
    for n in range(3):
        signed_scan_attach(record=records[kind], file=pdf(f"{n}.pdf"), by=people["head"])
    client.force_login(people["coordinator"])
    with django_assert_max_num_queries(most):
        assert client.get(page(kind, structure, records[kind])).status_code == 200


# --- The person's own data (152-ФЗ) --------------------------------------------------------------


def test_the_export_lists_the_scans_a_person_attached(s5):
    _structure, people, records = s5
    signed_scan_attach(
        record=records["minutes"], file=pdf("Протокол 1.pdf"), by=people["head"], note="Лист 2"
    )
    (section,) = sections(people["head"])
    assert section.key == "signed_scans"
    (row,) = section.rows
    assert row["file"] == "Протокол 1.pdf" and row["note"] == "Лист 2"
    assert row["document"] == str(records["minutes"])
    assert sections(people["member"])[0].rows == []


def test_deleting_an_account_takes_the_person_off_their_scans_and_the_scans_stay(s5):
    _structure, people, records = s5
    head = people["head"]
    named = signed_scan_attach(
        record=records["minutes"],
        file=pdf(f"Протокол_{head.last_name}.pdf"),
        by=head,
        note=f"Подписал {head.last_name}",
    )
    plain = signed_scan_attach(record=records["report"], file=pdf("Отчёт.pdf"), by=head)
    user_anonymise(user=head)
    named.refresh_from_db()
    plain.refresh_from_db()
    assert named.uploaded_by is None and plain.uploaded_by is None
    assert head.last_name not in named.original_name and named.original_name.endswith(".pdf")
    assert named.note == ""
    assert plain.original_name == "Отчёт.pdf"
    assert len(signed_scans_of(records["minutes"])) == 1
