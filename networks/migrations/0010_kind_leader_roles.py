from django.db import migrations, models


def load_rules(apps, schema_editor):
    """S4 (R-TUL-A3-1.1) and S5 (R-TUL-A4-1.1): their members are heads and deputy heads."""
    from networks.kinds import sync_kinds

    sync_kinds(apps.get_model("networks", "StructureKind"))


class Migration(migrations.Migration):

    dependencies = [
        ('networks', '0009_user_post'),
    ]

    operations = [
        migrations.AddField(
            model_name='historicalstructurekind',
            name='leader_roles',
            field=models.JSONField(blank=True, default=list, help_text='Человек в такой роли — руководитель или заместитель руководителя своей организации (категория должности в профиле); проверяется, когда он получает роль.', verbose_name='роли только для руководителей и заместителей'),
        ),
        migrations.AddField(
            model_name='structurekind',
            name='leader_roles',
            field=models.JSONField(blank=True, default=list, help_text='Человек в такой роли — руководитель или заместитель руководителя своей организации (категория должности в профиле); проверяется, когда он получает роль.', verbose_name='роли только для руководителей и заместителей'),
        ),
        migrations.RunPython(load_rules, migrations.RunPython.noop),
    ]
