"""The house rules that no single app's tests can see: each rule has one home."""

import ast
import re
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)
DOMAIN = ["networks", "communities", "mentoring", "reporting", "config"]
KIND_CODE = re.compile(r"S[1-8]")


def _domain_modules():
    """Every module of the domain apps and config, except the kinds table and the migrations that
    load it (devdata is tooling, not domain: it is not scanned)."""
    for app in DOMAIN:
        for path in sorted((ROOT / app).rglob("*.py")):
            relative = path.relative_to(ROOT)
            if "migrations" in relative.parts or relative == Path("networks/kinds.py"):
                continue
            yield relative, path


def _kind_code_literals(source: str) -> list[int]:
    """Lines of string constants whose whole value is a kind code ("S5"). A docstring or a
    comment that names a kind in prose is not a value, so it is not found."""
    return sorted(
        node.lineno
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and KIND_CODE.fullmatch(node.value.strip())
    )


def test_the_scan_finds_a_code_used_as_a_value_and_not_one_named_in_prose():
    source = '''
def f(structure):
    """Only the association (S5) elects its head."""
    # S2 is the council
    return structure.kind.code == "S5" or structure.kind.code in {'S2'}
'''
    assert _kind_code_literals(source) == [5, 5]


def test_no_kind_code_literal_in_domain_code():
    """A kind's behaviour is a column of the kinds table (networks/kinds.py → StructureKind), so
    domain code reads the column and never asks which kind it is (CONVENTIONS: kinds as data)."""
    found = [
        f"{relative}:{line}"
        for relative, path in _domain_modules()
        for line in _kind_code_literals(path.read_text(encoding="utf-8"))
    ]
    assert found == []


RULE_ID = re.compile(r"\bR-[A-Z]{2,4}-[A-Za-z0-9.-]*\d")


def test_no_rule_id_in_what_people_read_in_templates():
    """Rule ids are for code, tests and commits; a page cites the order's name, date, number and
    clause. Template comments ({# … #}) may name a rule."""
    found = []
    for path in sorted((ROOT / "templates").rglob("*.html")):
        text = re.sub(r"{#.*?#}", "", path.read_text("utf-8"), flags=re.S)
        text = re.sub(r"{% comment %}.*?{% endcomment %}", "", text, flags=re.S)
        found += [f"{path.relative_to(ROOT)}: {m.group(0)}" for m in RULE_ID.finditer(text)]
    assert not found, "cite the order instead:\n" + "\n".join(found)
