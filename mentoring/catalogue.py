"""The starting catalogue of managerial deficits and requests (coordinators extend it in the admin).

Drawn from the orders: management of education quality and of the school's transfer to an effective
mode of work (001 app. 1 p. 4.1.2), resources (app. 3 p. 3.1.3), staff development (app. 3
p. 2.2.5), preparation for assessments — PISA, ЕГЭ, ОГЭ, ВПР, РКР (app. 1 p. 4.1.2), work with
parents.
"""

TOPICS = [
    ("quality", "Внутренняя система оценки качества образования"),
    ("quality", "Анализ образовательных результатов и управленческие решения по ним"),
    ("quality", "Программа перехода школы в эффективный режим работы"),
    ("resources", "Оценка и использование кадровых, материально-технических, программных ресурсов"),
    ("resources", "Сетевое взаимодействие и привлечение ресурсов партнёров"),
    ("staff", "Профессиональное развитие педагогов и наставничество в школе"),
    ("staff", "Выявление и устранение профессиональных дефицитов педагогов"),
    ("assessment", "Подготовка к ОГЭ"),
    ("assessment", "Подготовка к ЕГЭ"),
    ("assessment", "Всероссийские проверочные работы (ВПР)"),
    ("assessment", "Функциональная грамотность и PISA"),
    ("parents", "Работа с родителями и вовлечение семей"),
    ("climate", "Школьный климат, мотивация обучающихся, профилактика неуспешности"),
]


def load_topics(Topic) -> None:
    for position, (area, name) in enumerate(TOPICS, start=1):
        Topic.objects.get_or_create(name=name, defaults={"area": area, "position": position * 10})
