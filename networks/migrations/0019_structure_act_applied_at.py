# Issue 16, «each change applies from the order's date»: an act recorded before its day waits
# (applied_at empty) until the daily task applies it, may be withdrawn before that, and says why when
# it could not be applied on its day. Every act recorded so far was applied when it was recorded, so
# the data step sets applied_at = created_at.

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


def applied_when_recorded(apps, schema_editor):
    StructureAct = apps.get_model("networks", "StructureAct")
    StructureAct.objects.update(applied_at=models.F("created_at"))


class Migration(migrations.Migration):
    dependencies = [
        ("networks", "0018_public_name_consent"),
    ]

    operations = [
        migrations.AddField(
            model_name="structureact",
            name="applied_at",
            field=models.DateTimeField(
                blank=True, default=django.utils.timezone.now, null=True, verbose_name="применено"
            ),
        ),
        migrations.AddField(
            model_name="structureact",
            name="not_applied",
            field=models.TextField(blank=True, verbose_name="почему не применено"),
        ),
        migrations.AddField(
            model_name="structureact",
            name="withdrawn_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="отозвано"),
        ),
        migrations.AddField(
            model_name="structureact",
            name="withdrawn_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="отозвал",
            ),
        ),
        migrations.RunPython(applied_when_recorded, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name="structureact",
            index=models.Index(
                condition=models.Q(("applied_at__isnull", True)),
                fields=["applies_on"],
                name="structure_act_pending",
            ),
        ),
    ]
