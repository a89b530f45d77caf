# Invitations belong to cohorts (accounts sits below every product app). The table is renamed
# here and the model leaves accounts' state; cohorts 0006 takes it over. Rows are kept.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0002_invitation'),
    ]

    operations = [
        migrations.AlterModelTable(name='invitation', table='cohorts_invitation'),
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name='Invitation')],
            database_operations=[],
        ),
    ]
