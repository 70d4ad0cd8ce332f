"""Sample data of each kind of document: an uploaded template must render them before it is used
(and they list every field a template may use: a field not here is refused as unknown)."""

from __future__ import annotations

from collections.abc import Callable

from .models import DocumentKind


def minutes() -> dict:
    attendees = [f"Иванова Мария Петровна, учитель математики, школа № {n}" for n in range(1, 4)]
    return {
        "organisation": "Муниципальное бюджетное общеобразовательное учреждение «Школа № 1»",
        "structure": "Межшкольное методическое объединение учителей математики",
        "document_type": "ПРОТОКОЛ",
        "title": "заседания межшкольного методического объединения",
        "date": "14.10.2026",
        "number": "3",
        "place": "г. Тула",
        "draft": False,
        "version": 1,
        "correction": "",
        "chair": "Т.И. Макарова",
        "secretary": "А.С. Петров",
        "attendee_count": len(attendees) + 1,
        "attendees": attendees,
        "guests": ["Смирнова Ольга Ивановна (ЦНППМ)"],
        "annex": False,
        "items": [
            {
                "position": 1,
                "question": "О плане работы на учебный год",
                "spoke": "",
                "decision": "Утвердить план работы.",
                "recommendations": "Провести открытые уроки.",
                "decisions": [
                    {
                        "text": "Подготовить график уроков.",
                        "owner": "А.С. Петров",
                        "due": "01.11.2026",
                        "done": False,
                    },
                ],
            }
        ],
        "attachments": ["План работы.docx"],
    }


def plan() -> dict:
    step = {"post": "Директор МБОУ «Школа № 1»", "name": "Т.И. Макарова", "date": "01.09.2026"}
    return {
        "organisation": "Муниципальное бюджетное общеобразовательное учреждение «Школа № 1»",
        "structure": "Межшкольное методическое объединение учителей математики",
        "document_type": "ПЛАН",
        "title": "работы межшкольного методического объединения на 2026/2027 учебный год",
        "year": "2026/2027",
        "date": "01.09.2026",
        "number": "",
        "place": "г. Тула",
        "status": "",
        "approval": step,
        "agreements": [dict(step, post="Руководитель ЦНППМ", name="О.И. Смирнова")],
        "items": [
            {
                "position": 1,
                "title": "Заседание объединения",
                "form": "Заседание",
                "when": "14.10.2026",
                "responsible": "Т.И. Макарова",
                "audience": "Учителя математики",
                "result": "План утверждён",
                "done": False,
            }
        ],
    }


SAMPLES: dict[str, Callable[[], dict]] = {DocumentKind.MINUTES: minutes, DocumentKind.PLAN: plan}
