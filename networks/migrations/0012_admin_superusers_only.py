"""Issue 15, «a municipal coordinator makes himself superuser»: the admin is for superusers only
(config/admin_site.py), so nobody else needs `is_staff`, and the «Координаторы» group, which held
every permission of the networks app (User included), holds none. Reversing changes nothing: the
old rights are not given back."""

from django.db import migrations

COORDINATORS_GROUP = "Координаторы"


def take_admin_rights_away(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    User = apps.get_model("networks", "User")
    for group in Group.objects.filter(name=COORDINATORS_GROUP):
        group.permissions.clear()
    User.objects.filter(is_staff=True, is_superuser=False).update(is_staff=False)


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("networks", "0011_kind_head_elected_consultative"),
    ]

    operations = [
        migrations.RunPython(take_admin_rights_away, migrations.RunPython.noop),
    ]
