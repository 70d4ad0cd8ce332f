"""Requests that carry a NUL byte are refused with a 400 page in Russian (issue 15).

A NUL (\\x00, %00 in a URL) is never part of what a person types, and PostgreSQL refuses it in a
text value: `GET /organisations/search/?q=a%00b` ended in a 500 there while SQLite answered. Rather
than have every view and form guard against it, this middleware refuses a request whose path, query
string or form fields (their names too) contain one, before any view runs. Uploaded files are
not looked into (a file may hold anything); Django's forms also refuse a NUL in a text field
(forms.CharField's ProhibitNullCharactersValidator) where a request reaches them some other way.
"""

from __future__ import annotations

from urllib.parse import unquote_to_bytes

from django.http import HttpRequest, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

NUL = "\x00"


def has_nul(request: HttpRequest) -> bool:
    if NUL in request.path_info:
        return True
    query = request.META.get("QUERY_STRING", "")
    if NUL in query or b"\x00" in unquote_to_bytes(query):
        return True
    if request.method == "POST" and _form_content(request):
        return any(
            NUL in key or any(NUL in value for value in values)
            for key, values in request.POST.lists()
        )
    return False


def _form_content(request: HttpRequest) -> bool:
    return request.content_type in ("application/x-www-form-urlencoded", "multipart/form-data")


def _wants_json(request: HttpRequest) -> bool:
    accept = request.headers.get("Accept", "")
    return "application/json" in accept and "text/html" not in accept


class RefuseNulMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        if has_nul(request):
            if _wants_json(request):
                # The organisation picker asks for JSON and announces `message` in its status line.
                return JsonResponse(
                    {"results": [], "message": _("Запрос содержит недопустимый символ (NUL).")},
                    status=400,
                )
            return render(request, "400_nul.html", status=400)
        return self.get_response(request)
