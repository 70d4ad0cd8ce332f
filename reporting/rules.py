"""Deadline rules from the orders, loaded by migration 0002; operators edit these national rules in
the admin, and a region's coordinator adds the region's own (reporting/deadline_rules/).

A deadline is a rule of its kind, so it is declared with the kind's row (`deadlines` in
networks/kinds.py); this module only turns those declarations into DeadlineRule rows.
"""

from networks.kinds import KINDS

RULES = [{**rule, "kind": row["code"]} for row in KINDS for rule in row.get("deadlines", [])]


def load_rules(DeadlineRule, StructureKind) -> None:
    kinds = {k.code: k for k in StructureKind.objects.all()}
    for row in RULES:
        values = dict(row)
        kind = kinds.get(values.pop("kind"))
        if kind is None:
            continue
        DeadlineRule.objects.get_or_create(kind=kind, title=values.pop("title"), defaults=values)
