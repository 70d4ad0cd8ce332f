"""How a rule is cited to people: by its order — name, date, number and clause — never by the
code's rule id (R-TUL-A4-4.6) or the seeds' short names («001 приказ п. 2.2»), which are for code,
tests and commits (CONVENTIONS: rules have ids; issue 18: no internal identifiers in what people
read). The orders' dates and numbers are those of DOMAIN.md's table of orders (the seeds 000–004).

`cite("R-TUL-A4-4.6")` → «приказ от 16.09.2020 № 83-а, приложение 4, п. 4.6»;
`cite("R-DMI-4.2")` → «положение о центре сетевого взаимодействия, утверждённое приказом от
22.05.2017 № 1-139/1, п. 4.2»; text that is not an id (a region's own «приказ от 01.09.2025 № 12,
п. 3») is returned as it is, and an id this table does not know gives "" rather than the id.
"""

from __future__ import annotations

import re

# place of a rule id → (the order, the положение it approves or None when the clauses are the
# order's appendices)
ORDERS = {
    "VLG": (
        "приказ от 29.05.2021 № 129",
        "положение о деятельности профессионального сообщества «Мастерская управления "
        "„Траектория развития школы“», утверждённое приказом от 29.05.2021 № 129",
    ),
    "TUL": ("приказ от 16.09.2020 № 83-а", None),
    "PRI": (
        "распоряжение от 11.03.2021 № 364-р",
        "положение о муниципальной стажировочной площадке, утверждённое распоряжением от "
        "11.03.2021 № 364-р",
    ),
    "DMI": (
        "приказ от 22.05.2017 № 1-139/1",
        "положение о центре сетевого взаимодействия, утверждённое приказом от 22.05.2017 № 1-139/1",
    ),
    "PAV": (
        "приказ от 11.02.2022 № 79",
        "положение о сетевом сообществе педагогов, утверждённое приказом от 11.02.2022 № 79",
    ),
}
# The seeds' numbers (DOMAIN.md: 000 … 004), as the kinds table writes «001 приказ п. 2.2».
SEEDS = {"000": "VLG", "001": "TUL", "002": "PRI", "003": "DMI", "004": "PAV"}
# Clauses that are not numbered as «п.» (DOMAIN.md: how an id reads).
CLAUSES = {
    "R-VLG-5.1": "разд. 5, абз. 1–2",
    "R-VLG-5.3": "разд. 5, абз. 3",
    "R-VLG-6": "разд. 6",
    "R-PRI-5.3": "разд. II",
}

RULE_ID = re.compile(
    r"R-(?P<place>[A-Z]{3})(?:-A(?P<appendix>\d))?(?:-(?P<clause>order-[\d.]+|[\d.]+))?"
)
SEED_REF = re.compile(r"(?P<seed>00\d) приказ п\. (?P<clause>[\d.]+)")


def cite(ref: str) -> str:
    """The order's citation for a rule id or a seed reference; other text as it is."""
    ref = (ref or "").strip()
    seed = SEED_REF.fullmatch(ref)
    if seed and seed["seed"] in SEEDS:
        order, _ = ORDERS[SEEDS[seed["seed"]]]
        return f"{order}, п. {seed['clause']}"
    found = RULE_ID.fullmatch(ref)
    if found is None:
        return "" if ref.startswith("R-") or SEED_REF.match(ref) else ref
    if found["place"] not in ORDERS:
        return ""
    order, regulation = ORDERS[found["place"]]
    clause = found["clause"] or ""
    if ref in CLAUSES:
        return f"{regulation or order}, {CLAUSES[ref]}"
    if clause.startswith("order-"):
        return f"{order}, п. {clause.removeprefix('order-')}"
    if found["appendix"]:
        appendix = f"{order}, приложение {found['appendix']}"
        return f"{appendix}, п. {clause}" if clause else appendix
    if not clause:
        return regulation or order
    return f"{regulation or order}, п. {clause}"
