"""Issue 15: an XLSX decompression bomb uploaded as a group's statistics is refused on the form,
in Russian, within 2 s and 100 MB (it kept a web worker for 61 s and ended in a bare 500)."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.helpers import at_most, xlsx_bomb


def test_a_bomb_is_refused_on_the_upload_form_quickly_and_in_russian(client, group_cast):
    group = group_cast.group
    client.force_login(group_cast.people["administrator"])
    data = xlsx_bomb()
    with at_most(seconds=2, megabytes=100):
        response = client.post(
            reverse("mentoring:group_statistics_import", args=[group.pk]),
            {"file": SimpleUploadedFile("Статистика.xlsx", data)},
        )
    assert response.status_code == 200
    assert response.context["form"].errors["file"] == [
        "Файл «Статистика.xlsx» не принят: Книга XLSX слишком велика в распакованном виде: "
        "больше 8 МБ. Сохраните данные как CSV или разделите файл на части."
    ]
    assert "Книга XLSX слишком велика в распакованном виде" in response.content.decode()
