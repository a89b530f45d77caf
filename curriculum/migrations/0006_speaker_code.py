import uuid

from django.db import migrations, models


def give_codes(apps, schema_editor):
    Speaker = apps.get_model("curriculum", "Speaker")
    for speaker in Speaker.objects.filter(code__isnull=True).only("pk"):
        speaker.code = uuid.uuid4()
        speaker.save(update_fields=["code"])


class Migration(migrations.Migration):
    dependencies = [("curriculum", "0005_domain_code_unique")]

    operations = [
        migrations.AddField(
            model_name="speaker",
            name="code",
            field=models.UUIDField(editable=False, null=True),
        ),
        migrations.RunPython(give_codes, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="speaker",
            name="code",
            field=models.UUIDField(default=uuid.uuid4, editable=False, unique=True),
        ),
    ]
