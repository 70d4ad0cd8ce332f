from django.db import migrations


def load(apps, schema_editor):
    from networks.kinds import sync_kinds

    sync_kinds(apps.get_model("networks", "StructureKind"))


class Migration(migrations.Migration):
    dependencies = [("networks", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
