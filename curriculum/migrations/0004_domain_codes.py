import uuid

from django.db import migrations


def give_codes(apps, schema_editor):
    CompetencyDomain = apps.get_model("curriculum", "CompetencyDomain")
    for domain in CompetencyDomain.objects.filter(code__isnull=True):
        domain.code = uuid.uuid4()
        domain.save(update_fields=["code"])


class Migration(migrations.Migration):
    dependencies = [("curriculum", "0003_sessions_attendance_assignments_assessments")]

    operations = [migrations.RunPython(give_codes, migrations.RunPython.noop)]
