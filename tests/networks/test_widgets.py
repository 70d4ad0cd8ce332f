"""QuickSelect writes the same <select> as Django's Select, only faster."""

import re

import pytest
from django import forms

from networks.models import Municipality
from networks.widgets import QuickSelect
from tests.factories import MunicipalityFactory


def _normalised(html: str) -> str:
    """Django's templates put line breaks between options; the browser ignores them."""
    return re.sub(r">\s+<", "><", html.strip())


CHOICES = [
    ("", "Все"),
    ("1", "Тула & <область>"),
    ("2", 'Кавычки "двойные"'),
    ("Группа", [("3", "Третий"), ("4", "Четвёртый")]),
]


@pytest.mark.parametrize("value", [None, "", "2", "4", ["1", "4"], "нет такого"])
@pytest.mark.parametrize("multiple", [False, True])
def test_quick_select_renders_what_django_select_renders(value, multiple):
    slow = (forms.SelectMultiple if multiple else forms.Select)(choices=CHOICES)
    quick_class = type("QuickMultiple", (QuickSelect,), {"allow_multiple_selected": True})
    quick = (quick_class if multiple else QuickSelect)(choices=CHOICES)
    attrs = {"id": "id_x", "class": "form-select", "aria-describedby": "id_x_help"}
    assert _normalised(quick.render("x", value, attrs)) == _normalised(
        slow.render("x", value, attrs)
    )


@pytest.mark.django_db
def test_quick_select_in_a_model_choice_field_marks_the_chosen_one():
    first, second = MunicipalityFactory(), MunicipalityFactory()

    class Form(forms.Form):
        municipality = forms.ModelChoiceField(
            Municipality.objects.order_by("pk"), widget=QuickSelect, empty_label="Все"
        )

    html = str(Form(data={"municipality": second.pk})["municipality"])
    slow = Form(data={"municipality": second.pk})
    slow.fields["municipality"].widget = forms.Select(choices=slow.fields["municipality"].choices)
    assert _normalised(html) == _normalised(str(slow["municipality"]))
    assert f'<option value="{second.pk}" selected>' in html
    assert f'<option value="{first.pk}">' in html


@pytest.mark.django_db
def test_the_structure_filter_narrows_its_lists_to_a_valid_region_only(client):
    from django.urls import reverse

    from tests.factories import OrganisationFactory, StructureFactory, UserFactory

    mine, other = MunicipalityFactory(), MunicipalityFactory()
    StructureFactory(host=OrganisationFactory(municipality=mine, region=mine.region))
    StructureFactory(host=OrganisationFactory(municipality=other, region=other.region))
    client.force_login(UserFactory())

    def municipalities(region) -> str:
        html = client.get(reverse("networks:structure_list"), {"region": region}).content.decode()
        return re.search(r'<select name="municipality".*?</select>', html, re.S).group(0)

    narrowed = municipalities(mine.region_id)
    assert f'<option value="{mine.pk}">' in narrowed
    assert f'<option value="{other.pk}">' not in narrowed
    unknown = municipalities(999_999)
    assert f'<option value="{mine.pk}">' in unknown and f'<option value="{other.pk}">' in unknown
    page = client.get(reverse("networks:structure_list"), {"region": 999_999}).content.decode()
    assert '<select name="region" class="form-select" aria-invalid="true"' in page
