from django.db import migrations


def load(apps, schema_editor):
    from reporting.rules import load_rules

    load_rules(
        apps.get_model("reporting", "DeadlineRule"), apps.get_model("networks", "StructureKind")
    )


class Migration(migrations.Migration):
    dependencies = [("reporting", "0001_initial"), ("networks", "0006_kind_year_rules")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
