"""The signed-scan block the record pages share (issue 18): the upload form, the block's content,
the upload and download answers. The apps that own the records (communities: plans, minutes;
reporting: reports) load the record with their access checks, say who may attach and whether the
record is signed yet, and hand the rest to these helpers, so the three pages behave alike."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from networks.uploads import content_type, label

from .models import SignedScan
from .selectors import signed_scans_of
from .services import SCAN_KINDS, signed_scan_attach

__all__ = ["ScanBlock", "SignedScanForm", "scan_attach", "scan_block", "scan_download"]

ANCHOR = "signed-scan"


class SignedScanForm(forms.Form):
    prefix = "scan"  # the record's page has forms of its own

    file = forms.FileField(
        label=gettext_lazy("Скан подписанного экземпляра"),
        widget=forms.FileInput(
            attrs={"accept": ".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"}
        ),
    )
    note = forms.CharField(
        label=gettext_lazy("Примечание"),
        required=False,
        max_length=300,
        help_text=gettext_lazy("Необязательно: например, «с подписью директора и печатью»."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _(
            "%(kinds)s до %(limit)s МБ. Проверяется содержимое файла, а не только расширение."
        ) % {"kinds": label(SCAN_KINDS), "limit": settings.FILE_UPLOAD_MAX_MB}


@dataclass
class ScanBlock:
    """What the include template «documents/_signed_scans.html» shows."""

    scans: list[SignedScan]
    upload_url: str
    may_attach: bool
    refusal: str | None = None
    form: SignedScanForm | None = None
    anchor: str = ANCHOR
    latest: SignedScan | None = field(init=False)
    earlier: list[SignedScan] = field(init=False)

    def __post_init__(self) -> None:
        self.latest = self.scans[0] if self.scans else None
        self.earlier = self.scans[1:]


def scan_block(
    record,
    *,
    download_url: Callable[[SignedScan], str],
    upload_url: str,
    may_attach: bool,
    refusal: str | None,
    shows: Callable,
) -> ScanBlock:
    """`may_attach`: the person's right (the page shows the form, or the refusal, only to them);
    `refusal`: why the record takes no scan yet, or None; `shows(person)`: whether the viewer may
    see that person's name (networks.permissions.can_see_name)."""
    scans = signed_scans_of(record)
    for scan in scans:
        scan.download_url = download_url(scan)
        scan.shows_name = scan.uploaded_by is not None and shows(scan.uploaded_by)
    return ScanBlock(
        scans=scans,
        upload_url=upload_url,
        may_attach=may_attach,
        refusal=refusal,
        form=SignedScanForm() if may_attach and refusal is None else None,
    )


def scan_attach(request, *, record, refusal: str | None, back_url: str, title: str):
    """POST of the upload form. A record that takes no scan yet: back to its page with the reason.
    A refused file: the form again (400) with the reason at the field and the note kept; a
    browser cannot keep a chosen file, so the page asks to choose it again."""
    if refusal is not None:
        messages.error(request, refusal)
        return redirect(back_url)
    form = SignedScanForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            signed_scan_attach(
                record=record,
                file=form.cleaned_data["file"],
                by=request.user,
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            by_field = error.message_dict if hasattr(error, "error_dict") else {}
            for message in by_field.get("file") or error.messages:
                form.add_error("file", message)
        else:
            messages.success(request, _("Подписанный экземпляр приложен."))
            return redirect(f"{back_url}#{ANCHOR}")
    return render(
        request,
        "documents/signed_scan_form.html",
        {"form": form, "title": title, "back_url": back_url, "upload_url": request.path},
        status=400,
    )


def scan_download(scan: SignedScan) -> FileResponse:
    return FileResponse(
        scan.file.open("rb"),
        as_attachment=True,
        filename=scan.original_name,
        content_type=content_type(scan.file_kind),
    )
