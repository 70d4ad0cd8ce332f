from django.db import migrations


def load(apps, schema_editor):
    from networks.schoolyear import SchoolYear
    from schools.factors import load_default_factors

    current = SchoolYear.current().start
    load_default_factors(apps.get_model("schools", "RiskFactor"), (current - 1, current))


class Migration(migrations.Migration):
    dependencies = [("schools", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
