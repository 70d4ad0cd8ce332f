"""Network pairs (S4, 001 appendix 3) report their results by 25 December like the other
communities of 001 order p. 2.2: the rule row of reporting.rules.PAIR_RESULTS, loaded by the same
function as tests/conftest.py load_reference_data (get_or_create: the rows already there stay)."""

from django.db import migrations


def load(apps, schema_editor):
    from reporting.rules import load_rules

    load_rules(
        apps.get_model("reporting", "DeadlineRule"), apps.get_model("networks", "StructureKind")
    )


class Migration(migrations.Migration):
    dependencies = [("reporting", "0005_notification_centre")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
