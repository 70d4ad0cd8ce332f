"""The search page: /search/?q=… for a signed-in person (issue 20)."""

from __future__ import annotations

from django import forms
from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import path
from django.utils.translation import gettext_lazy as _

from . import find
from .text import MAX_QUERY, words

app_name = "find"


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("Что найти"),
        max_length=MAX_QUERY,
        help_text=_(
            "Структуры, материалы, мероприятия, обсуждения и люди, которых вам можно видеть. "
            "Слова находятся в любой форме: «наставничеству» найдёт «Наставничество»."
        ),
    )

    def clean_q(self) -> str:
        query = " ".join(self.cleaned_data["q"].split())
        if not any(len(w) >= 2 for w in words(query)):
            raise forms.ValidationError(_("Введите хотя бы одно слово из двух букв или больше."))
        return query


@login_required
def search(request):
    form = SearchForm(request.GET or None)
    sections = find(request.user, form.cleaned_data["q"]) if form.is_valid() else []
    return render(
        request,
        "networks/search.html",
        {
            "form": form,
            "sections": sections,
            "total": sum(len(s.hits) for s in sections),
            "searched": form.is_bound and form.is_valid(),
        },
    )


urlpatterns = [path("search/", search, name="search")]
