"""Issue 18, speed: «memory does not grow with the number of rows». The summary's DOCX (and so its
PDF, which converts it) of 3,000 structures: the process's memory, read after each chunk of rows,
stays where it was after the first (python-docx holding every row grew it by ≈ 32 MB a thousand
rows); the XLSX streams through openpyxl's write-only sheets."""

from __future__ import annotations

import io
import os
from types import SimpleNamespace

import pytest

from reporting.summaries.exporters import EXPORTERS, SummaryDocument
from reporting.summaries.selectors import Row, Totals

pytestmark = pytest.mark.skipif(
    not os.path.exists("/proc/self/statm"), reason="reads the memory from Linux's /proc"
)

ROWS = 3_000
CHUNK = 100


def resident_bytes() -> int:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


class ManyStructures(SummaryDocument):
    """A territory of ROWS structures, made up row by row as selectors.iter_rows yields them."""

    def chunks(self, progress=None):
        self.totals = Totals()
        for start in range(0, ROWS, CHUNK):
            rows = [
                Row(
                    pk=n,
                    name=f"Профессиональное сообщество учителей математики № {n}",
                    kind_code="S1",
                    kind_name="Профессиональное сообщество",
                    municipality="Алексинский район",
                    programme="",
                    is_subcommunity=False,
                    meetings_required=4,
                    is_pair=False,
                    online=False,
                    members_shnor=n % 7,
                    members_total=n % 30,
                    meetings_held=n % 5,
                )
                for n in range(start, start + CHUNK)
            ]
            for row in rows:
                self.totals.add(row)
            yield rows
            if progress is not None:
                progress(start + CHUNK, ROWS)


@pytest.mark.parametrize("file_format", ["docx", "xlsx"])
def test_memory_does_not_grow_with_the_number_of_rows(file_format):
    scope = SimpleNamespace(
        territory_label="Тульская область",
        year=SimpleNamespace(label="2020/2021", start=2020),
        municipality=None,
        region=SimpleNamespace(name="Тульская область"),
        structures=None,
    )
    document = ManyStructures(scope=scope, organisation="Министерство образования Тульской области")
    if file_format == "xlsx":
        document.longest = lambda: {
            "name": 60,
            "kind_name": 30,
            "municipality": 20,
            "programme": 0,
            "title": 40,
            "plan_status": 20,
        }
    seen = []
    out = io.BytesIO()
    EXPORTERS[file_format].write(document, out, lambda done, total: seen.append(resident_bytes()))
    assert len(seen) == ROWS // CHUNK
    grown = seen[-1] - seen[0]
    assert grown < 4_000_000, f"{grown / 1e6:.1f} MB more after {ROWS} rows"
    assert len(out.getvalue()) > 50_000
