"""The PDF of one document — minutes, a plan, a structure's report — as an ExportJob of the
worker (issue 18): the exporter renders the very DOCX its download view gives the same person
and converts it with LibreOffice (documents.pdf, whose docstring says why a conversion).

Each exporter loads its object with the access check of the DOCX view (404 to outsiders, 403 to
insiders without the right) — when the job is asked for, and again in the worker, for the person
who asked; `params` hold only the primary keys."""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import Any, ClassVar

from django.utils.translation import gettext_lazy

from documents.pdf import docx_to_pdf
from networks.models import User


@dataclass(frozen=True)
class Loaded:
    """A document the person may download: its title (the job page's heading), the URL of its
    page and of its DOCX, and how to render that DOCX."""

    title: str
    page_url: str
    docx_url: str
    obj: Any
    context: Any = None


class DocumentPdf(ABC):
    """One kind of document: `load(user, params)` checks the access and returns Loaded;
    `docx(loaded, user)` gives (filename, content type, bytes) of its DOCX."""

    name: ClassVar[str]
    title: ClassVar[Any]
    keys: ClassVar[tuple[str, ...]]

    @abstractmethod
    def load(self, user: User, params: dict) -> Loaded:
        """The object, or Http404 / PermissionDenied as the DOCX view answers."""

    @abstractmethod
    def docx(self, loaded: Loaded, user: User) -> tuple[str, str, bytes]:
        """What the DOCX download of `loaded` gives this person."""

    def render(self, user: User, params: dict, *, timeout: float) -> tuple[str, bytes]:
        """(filename, bytes) of the PDF: the DOCX of the same object for the same person,
        converted."""
        loaded = self.load(user, params)
        filename, _mime, content = self.docx(loaded, user)
        stem = filename.rsplit(".", 1)[0] if filename.lower().endswith(".docx") else filename
        return f"{stem}.pdf", docx_to_pdf(content, timeout=timeout)


class MinutesPdf(DocumentPdf):
    name = "minutes_pdf"
    title = gettext_lazy("Протокол")
    keys = ("structure", "minutes")

    def load(self, user: User, params: dict) -> Loaded:
        from django.urls import reverse

        from communities import permissions, selectors
        from communities.views.events import _minutes

        structure = permissions.structure_for_events(user, params["structure"])
        minutes = _minutes(structure, params["minutes"])
        args = [structure.pk, minutes.pk]
        return Loaded(
            title=str(
                gettext_lazy("Протокол № %(n)s от %(date)s")
                % {"n": minutes.number, "date": f"{minutes.date:%d.%m.%Y}"}
            ),
            page_url=reverse("communities:minutes_detail", args=args),
            docx_url=reverse("communities:minutes_docx", args=args),
            obj=minutes,
            context=selectors.minutes_attendees(minutes, viewer=user, access=structure.access),
        )

    def docx(self, loaded: Loaded, user: User) -> tuple[str, str, bytes]:
        from communities.services.documents import MinutesDocx

        members, guests = loaded.context
        return MinutesDocx(loaded.obj, members, guests).render()


class PlanPdf(DocumentPdf):
    name = "plan_pdf"
    title = gettext_lazy("План работы")
    keys = ("structure", "plan")

    def load(self, user: User, params: dict) -> Loaded:
        from django.urls import reverse

        from communities.views.plans import _plan
        from networks.permissions import structure_for

        structure = structure_for(user, params["structure"], to="see_years")
        plan = _plan(structure, params["plan"])
        args = [structure.pk, plan.pk]
        return Loaded(
            title=f"{plan} — {structure.name}",
            page_url=reverse("communities:plan_detail", args=args),
            docx_url=reverse("communities:plan_docx", args=args),
            obj=plan,
            context=structure.access,
        )

    def docx(self, loaded: Loaded, user: User) -> tuple[str, str, bytes]:
        from communities.services.documents import PlanDocx
        from networks.permissions import can_see_name

        access = loaded.context

        def shows(person) -> bool:
            return person is not None and can_see_name(access, user, person)

        return PlanDocx(loaded.obj, shows=shows).render()


class ReportPdf(DocumentPdf):
    name = "report_pdf"
    title = gettext_lazy("Отчёт")
    keys = ("structure", "report")

    def load(self, user: User, params: dict) -> Loaded:
        from django.urls import reverse

        from .. import permissions

        report = permissions.report_of(user, params["structure"], params["report"])
        args = [report.structure.pk, report.pk]
        return Loaded(
            title=f"{report.deadline.rule.title} — {report.structure.name}",
            page_url=reverse("reporting:report_detail", args=args),
            docx_url=reverse("reporting:report_download", args=[*args, "docx"]),
            obj=report,
        )

    def docx(self, loaded: Loaded, user: User) -> tuple[str, str, bytes]:
        from ..reports import documents

        return documents.EXPORTERS["docx"].render(documents.document_data(loaded.obj))


class CuratorsReportPdf(DocumentPdf):
    """The curators' year-end report on a programme's pairs (001 appendix 3, p. 5.4) for a school
    year: whoever may download its DOCX (mentoring.curators_report's check: 404 to those who do
    not know the programme, 403 to a member of its structures who curates none of its pairs)."""

    name = "curators_report_pdf"
    title = gettext_lazy("Отчёт кураторов")
    keys = ("programme", "year")

    def load(self, user: User, params: dict) -> Loaded:
        from django.http import Http404
        from django.urls import reverse

        from mentoring.curators_report import programme_for_curators_report
        from networks.orders.permissions import programmes_read
        from networks.schoolyear import SchoolYear

        programme = programme_for_curators_report(user, params["programme"])
        year = SchoolYear.parse(str(params["year"]))
        if year is None:
            raise Http404
        docx_url = reverse("mentoring:curators_report", args=[programme.pk])
        # Back to where the person found it: the programmes register for those who read the
        # territory's programmes, «Мои пары» for a curator of its pairs (the register is not theirs).
        reads = programmes_read(user).filter(pk=programme.pk).exists()
        return Loaded(
            title=f"{self.title} — {programme.title}, {year.label}",
            page_url=reverse("networks:orders:programme_list" if reads else "mentoring:my_pairs"),
            docx_url=f"{docx_url}?year={year.start}",
            obj=programme,
            context=year,
        )

    def docx(self, loaded: Loaded, user: User) -> tuple[str, str, bytes]:
        from documents.rendering import DOCX_CONTENT_TYPE
        from mentoring.curators_report import curators_report

        report = curators_report(loaded.obj, loaded.context)
        return report.filename, DOCX_CONTENT_TYPE, report.render()


DOCUMENT_PDFS: dict[str, DocumentPdf] = {
    e.name: e for e in (MinutesPdf(), PlanPdf(), ReportPdf(), CuratorsReportPdf())
}
