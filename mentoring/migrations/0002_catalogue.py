from django.db import migrations


def load(apps, schema_editor):
    from mentoring.catalogue import load_topics

    load_topics(apps.get_model("mentoring", "Topic"))


class Migration(migrations.Migration):
    dependencies = [("mentoring", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
