"""Deadline rules from the orders, loaded by migration 0002; operators edit these national rules in
the admin, and a region's coordinator adds the region's own (reporting/deadline_rules/).

A deadline is a rule of its kind, so it is declared with the kind's row (`deadlines` in
networks/kinds.py); this module only turns those declarations into DeadlineRule rows.
"""

from networks.kinds import COMMUNITY_RESULTS, KINDS

# 001 order p. 2.2 names the communities of appendices 1–4 for the results by 25 December; the
# network pairs are appendix 3, so they report too. The pair's curator hands it in (001 appendix 3,
# p. 5.3: the curators analyse and report on the pairs' work). Kept here, not in the kinds table,
# since a new rule row needs a reporting data migration (0006), not a networks one.
PAIR_RESULTS = {
    **COMMUNITY_RESULTS,
    "title": "Отчёт о результатах деятельности сетевой пары",
    "deliverer_role": "curator",
    "kind": next(row["code"] for row in KINDS if row.get("is_pair")),
}

RULES = [{**rule, "kind": row["code"]} for row in KINDS for rule in row.get("deadlines", [])]
RULES.append(PAIR_RESULTS)


def load_rules(DeadlineRule, StructureKind) -> None:
    kinds = {k.code: k for k in StructureKind.objects.all()}
    for row in RULES:
        values = dict(row)
        kind = kinds.get(values.pop("kind"))
        if kind is None:
            continue
        DeadlineRule.objects.get_or_create(kind=kind, title=values.pop("title"), defaults=values)
