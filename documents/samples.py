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


def _table(number: int, title: str, headers: list[str], *rows: list[str]) -> dict:
    return {
        "present": True,
        "number": number,
        "title": title,
        "headers": headers,
        "rows": [list(r) for r in rows],
    }


def report() -> dict:
    """A structure's report on its school year (reporting.reports.documents.docx_context): the
    figures tables the XLSX and PDF have too, the minutes' decisions, the author's text."""
    return {
        "organisation": "Муниципальное бюджетное общеобразовательное учреждение «Школа № 1»",
        "territory": "Тульская область, г. Тула",
        "structure": "Межшкольное методическое объединение учителей математики",
        "document_type": "ОТЧЁТ О РЕЗУЛЬТАТАХ ДЕЯТЕЛЬНОСТИ СООБЩЕСТВА",
        "title": "Отчёт о результатах деятельности сообщества",
        "year": "2026/2027",
        "date": "25.12.2026",
        "number": "",
        "place": "г. Тула",
        "recipient": "МКУ «ЦНППМ г. Тулы», заместитель директора",
        "basis": "приказ от 16.09.2020 № 83-а, приложение 4, п. 4.6",
        "status": "Сдан 20.12.2026.",
        "tables": {
            "figures": _table(
                1, "Показатели", ["Показатель", "Значение"], ["Проведено заседаний", "2"]
            ),
            "members": _table(
                2,
                "Участники по организациям",
                ["Организация", "Муниципальное образование", "Категория", "Участников"],
                ["МБОУ «Школа № 1»", "г. Тула", "ШНОР", "3"],
            ),
            "meetings": _table(
                3,
                "Проведённые заседания",
                ["№", "Дата", "Тема", "Формат", "Место", "Присутствовало"],
                ["1", "14.10.2026", "О плане работы", "Очно", "Школа № 1", "12"],
            ),
            "plan": _table(
                4,
                "Выполнение плана",
                ["№", "Мероприятие", "Форма", "Срок", "Ответственный", "Выполнено", "Отметка"],
                ["1", "Заседание", "Заседание", "14.10.2026", "Т.И. Макарова", "да", "—"],
            ),
            "pairs": _table(
                5,
                "Сетевые пары",
                [
                    "Пара",
                    "ШНОР (наставляемый)",
                    "Организация-партнёр (наставник)",
                    "Контактов",
                    "Последний контакт",
                    "Без контактов",
                    "Нужен новый наставник",
                ],
                ["Пара 1", "Школа № 2", "Школа № 1", "4", "10.12.2026", "нет", "нет"],
            ),
            "online": _table(
                6,
                "Статистика онлайн-группы",
                [
                    "Период с",
                    "по",
                    "Посетители",
                    "Просмотры",
                    "Активные действия",
                    "Обратная связь",
                ],
                ["01.09.2026", "30.09.2026", "120", "300", "40", "5"],
            ),
        },
        "minutes_number": 7,
        "minutes": [
            {
                "heading": "Протокол № 1 от 14.10.2026 — О плане работы",
                "questions": [
                    {
                        "position": 1,
                        "question": "О плане работы на учебный год",
                        "decision": "Утвердить план работы.",
                        "recommendations": "Провести открытые уроки.",
                    }
                ],
            }
        ],
        "narrative": [
            {"number": 8, "title": "Анализ работы", "lines": ["Проведены два заседания."]}
        ],
        "signer": {
            "post": "Руководитель объединения",
            "name": "Т.И. Макарова",
        },
    }


def annual_analysis() -> dict:
    sample = report()
    sample["document_type"] = "АНАЛИЗ РАБОТЫ МЕЖШКОЛЬНОГО ОБЪЕДИНЕНИЯ ЗА УЧЕБНЫЙ ГОД"
    sample["title"] = "Анализ работы межшкольного объединения за учебный год"
    sample["date"] = "10.07.2027"
    return sample


def curators_report() -> dict:
    """The curators' year-end report on a programme's network pairs (mentoring.curators_report):
    a row per pair, the summary, the curators who sign."""
    pair = {
        "position": 1,
        "name": "Сетевая пара: МБОУ «Школа № 2» — МБОУ «Лицей № 1»",
        "mentee": "А.С. Петров",
        "mentee_organisation": "Муниципальное бюджетное общеобразовательное учреждение «Школа № 2»",
        "mentor": "Т.И. Макарова",
        "mentor_organisation": "Муниципальное бюджетное общеобразовательное учреждение «Лицей № 1»",
        "curators": "О.И. Смирнова",
        "deficits": ["Анализ результатов ВПР и ОГЭ"],
        "strengths": ["Управление качеством образования"],
        "contacts": 4,
        "last_contact": "10.12.2026",
        "rounds": ["Декабрь: наставник, наставляемый"],
        "state": "действует",
        # Paragraphs of one field, parted by rendering.NEW_PARAGRAPH ("\a"); "" keeps the lines.
        "conclusions": "\a".join(
            [
                "Из отчёта «Отчёт о результатах деятельности сетевой пары» от 20.12.2026:",
                "Анализ работы: наставляемый освоил анализ результатов ВПР.",
                "Результаты контактов: 10.12.2026 — составили план работы с учителями математики.",
            ]
        ),
    }
    return {
        "organisation": "МКУ «Центр непрерывного повышения профессионального мастерства "
        "педагогических работников города Тулы»",
        "territory": "Тульская область, г. Тула",
        "document_type": "ОТЧЁТ КУРАТОРОВ О ДЕЯТЕЛЬНОСТИ СЕТЕВЫХ ПАР РУКОВОДИТЕЛЕЙ",
        "title": "Отчёт кураторов о деятельности сетевых пар руководителей",
        "programme": "Муниципальная программа сопровождения ШНОР",
        "year": "2026/2027",
        "date": "30.06.2027",
        "number": "",
        "place": "г. Тула",
        "recipient": "Рабочая группа по реализации программы",
        "basis": "приказ от 16.09.2020 № 83-а, приложение 3, п. 5.3–5.4",
        "summary": {
            "pairs": 1,
            "active": 1,
            "dormant": 0,
            "closed": 0,
            "contacts": 4,
            "responses": 2,
        },
        "pairs": [pair],
        "conclusions": "Нет контактов дольше установленного срока: Сетевая пара: МБОУ «Школа № 3» "
        "— МБОУ «Гимназия № 4».",
        "curators": [{"post": "Куратор", "name": "О.И. Смирнова"}],
    }


SAMPLES: dict[str, Callable[[], dict]] = {
    DocumentKind.MINUTES: minutes,
    DocumentKind.PLAN: plan,
    DocumentKind.ANNUAL_ANALYSIS: annual_analysis,
    DocumentKind.REPORT: report,
    DocumentKind.CURATORS_REPORT: curators_report,
}
