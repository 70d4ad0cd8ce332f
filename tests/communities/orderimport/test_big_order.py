"""A 40-page order with a 500-row annex is read and previewed (issue 16's speed bar: ≤ 5 s; the
measured figure is in docs/PERFORMANCE.md — no timing is asserted here, the machines differ)."""

from __future__ import annotations

from django.urls import reverse

from networks.models import OrderImport

from . import documents


def test_a_forty_page_order_with_a_500_row_annex_is_read_and_previewed(client, coordinator, read):
    order_import = read(documents.big_order(pages=40, rows=500), "большой приказ.docx")
    assert order_import.status == OrderImport.Status.STAGED
    (section,) = order_import.proposal["sections"]
    assert len(section["structures"]) == 500
    assert len(order_import.proposal["people"]) == 1000
    client.force_login(coordinator)
    page = client.get(reverse("orderimport:detail", args=[order_import.pk]))
    assert page.status_code == 200
    assert "Вжурнале/группа № 500" in page.content.decode()
