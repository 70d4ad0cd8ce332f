"""The default risk factors of the federal project «500+» (Рособрнадзор, ФИОКО), loaded by a data
migration for the current and the previous school year. Operators edit the list per year in the
admin: it changes between years, so it is data, never an enum."""

from __future__ import annotations

DEFAULT_FACTORS: tuple[tuple[str, str], ...] = (
    ("equipment", "Низкий уровень оснащения школы"),
    ("staff_shortage", "Дефицит педагогических кадров"),
    (
        "teacher_competence",
        "Недостаточная предметная и методическая компетентность педагогических работников",
    ),
    ("adaptivity", "Риски низкой адаптивности учебного процесса"),
    (
        "professional_development",
        "Несформированность внутришкольной системы повышения квалификации",
    ),
    ("failure_risk", "Высокая доля обучающихся с рисками учебной неуспешности"),
    ("language_barriers", "Низкое качество преодоления языковых и культурных барьеров"),
    ("parents", "Низкий уровень вовлечённости родителей"),
    ("environment", "Пониженный уровень качества школьной образовательной и воспитательной среды"),
    ("disabilities", "Высокая доля обучающихся с ОВЗ"),
)


def load_default_factors(model, years) -> None:
    """Idempotent: a factor already there (by year and code) is left as the operator edited it."""
    for year in years:
        for ordering, (code, name) in enumerate(DEFAULT_FACTORS, start=1):
            model.objects.get_or_create(
                school_year=year, code=code, defaults={"name": name, "ordering": ordering}
            )
