"""National-scale generated data for the benchmark (issue 8): `manage.py generate_scale`.

Lives in devdata, above every domain app, because it fills the tables of every app: networks (territory,
organisations, statuses, people, orders, structures, memberships), communities (plans, events,
attendance, minutes, materials), mentoring (competences, pairs, contacts, questionnaires, tutoring,
help requests, group statistics), reporting (deadlines, reports) and schools (risk profiles,
development documents, curators).
"""

from .generator import (
    DEFAULT_SEED,
    FIXED_ACCOUNTS,
    FULL_SIZES,
    SCALE_DOMAIN,
    SCALE_PASSWORD,
    Result,
    existing_data,
    generate,
    generated_data_present,
)

__all__ = [
    "DEFAULT_SEED",
    "FIXED_ACCOUNTS",
    "FULL_SIZES",
    "SCALE_DOMAIN",
    "SCALE_PASSWORD",
    "Result",
    "existing_data",
    "generate",
    "generated_data_present",
]
