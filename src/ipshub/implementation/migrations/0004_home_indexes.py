from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("implementation", "0003_tick_box_records"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="assignment",
            index=models.Index(
                condition=models.Q(("status_source", "work")),
                fields=["program", "status_changed_at"],
                name="assignment_closed_by_work",
            ),
        ),
    ]
