# 152-ФЗ, ст. 10.1: the name on the pages anybody reads without signing in needs a consent of its own,
# separate from showing it to other members. Adds the consent's kind, the quick answer on the user
# (`public_name_consent_at`, empty for everybody: nobody has agreed to it yet) and version 1 of its
# words, frozen here as templates/legal/public_name_consent_text.html shows them
# (tests/account/test_consents.py keeps the two equal).

import datetime

from django.db import migrations, models

PUBLIC_NAME_V1 = (
    "В соответствии со статьёй 10.1 Федерального закона от 27.07.2006 № 152-ФЗ «О персональных данных» я свободно, своей волей и в своём интересе даю оператору портала сетевых структур сопровождения школ — [наименование оператора, ИНН, адрес] (далее — оператор) — согласие на распространение моих персональных данных, то есть на их раскрытие неопределённому кругу лиц, на условиях, изложенных ниже. Это согласие отдельное: оно не входит в согласие на обработку персональных данных и в согласие показывать ФИО и должность другим участникам структур.\n"
    "1. Какие персональные данные распространяются\n"
    "Фамилия, имя, отчество; должность; наименование организации, в которой я работаю, — вместе с моей ролью в сетевой структуре. Адрес электронной почты, телефон и другие сведения обо мне на открытых страницах не показываются.\n"
    "2. Где и с какой целью\n"
    "На открытых страницах сетевых структур портала [адрес портала в сети Интернет] — страницах, которые может прочитать любой человек без входа на портал, — в сведениях о контактном лице структуры, где я руководитель, председатель, координатор, куратор или администратор. Цель — чтобы педагоги и школы знали, к кому обратиться по вопросам работы структуры и участия в ней.\n"
    "3. Срок действия и отзыв согласия\n"
    "Согласие необязательно и действует до его отзыва. Я могу отозвать его в любой момент: снять отметку в профиле на портале или направить оператору требование о прекращении распространения (часть 12 статьи 10.1 Федерального закона № 152-ФЗ). После отзыва мои ФИО, должность и организация в течение 5 минут исчезают с открытых страниц портала: вместо них указывается только роль в структуре. Согласие прекращается и при удалении учётной записи."
)

EDITION = datetime.date(2026, 12, 6)


def publish_text(apps, schema_editor):
    ConsentText = apps.get_model("networks", "ConsentText")
    ConsentText.objects.get_or_create(
        kind="public_name",
        version=1,
        defaults={"text": PUBLIC_NAME_V1, "published_on": EDITION},
    )


def unpublish_text(apps, schema_editor):
    ConsentText = apps.get_model("networks", "ConsentText")
    ConsentText.objects.filter(kind="public_name", consents__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("networks", "0017_closing_reasons_without_rule_ids"),
    ]

    operations = [
        migrations.AddField(
            model_name="user",
            name="public_name_consent_at",
            field=models.DateTimeField(
                blank=True,
                null=True,
                verbose_name="согласие показывать ФИО и должность на открытых страницах",
            ),
        ),
        migrations.AlterField(
            model_name="consenttext",
            name="kind",
            field=models.CharField(
                choices=[
                    ("personal_data", "Обработка персональных данных (152-ФЗ)"),
                    ("show_name", "Показывать ФИО и должность другим участникам"),
                    ("public_name", "Показывать ФИО и должность на открытых страницах портала"),
                ],
                max_length=20,
                verbose_name="согласие",
            ),
        ),
        migrations.RunPython(publish_text, unpublish_text),
    ]
