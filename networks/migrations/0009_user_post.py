from django.db import migrations, models

BATCH = 2000


def read_posts(apps, schema_editor):
    """People who registered before the category was asked get the one their position's wording
    says (User.Post.of_position); they can correct it in their profile."""
    from networks.models.people import Post

    User = apps.get_model("networks", "User")
    found: dict[str, list[int]] = {}
    rows = User.objects.exclude(position="").values_list("pk", "position")
    for pk, position in rows.iterator(chunk_size=BATCH):
        found.setdefault(Post.of_position(position), []).append(pk)
    for post, pks in found.items():
        for start in range(0, len(pks), BATCH):
            User.objects.filter(pk__in=pks[start : start + BATCH]).update(post=post)


class Migration(migrations.Migration):
    dependencies = [
        ("networks", "0008_structure_name_index"),
    ]

    operations = [
        migrations.AddField(
            model_name="user",
            name="post",
            field=models.CharField(
                blank=True,
                choices=[
                    ("head", "Руководитель организации"),
                    ("deputy", "Заместитель руководителя"),
                    ("teacher", "Педагогический работник"),
                    ("other", "Другое (методист, специалист, сотрудник органа управления)"),
                ],
                max_length=10,
                verbose_name="категория должности",
            ),
        ),
        migrations.RunPython(read_posts, migrations.RunPython.noop),
    ]
