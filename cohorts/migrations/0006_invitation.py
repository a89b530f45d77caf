# The Invitation model moves here from accounts with its rows: accounts 0003 renamed the table
# to cohorts_invitation, this migration adds the model to cohorts' state without touching the
# table, then gives its constraints cohorts' names and moves the admin's content type (and so
# its permissions and log entries) along.

import django.db.models.deletion
import uuid
from django.conf import settings
from django.db import migrations, models

ROLE_CHOICES = [
    ('fellow', 'Fellow'),
    ('coach', 'Coach'),
    ('facilitator', 'Peer-group facilitator'),
    ('director', 'Program director'),
    ('coordinator', 'Program coordinator'),
]
RULES = ['token_unique', 'one_open_per_role', 'fellow_has_enrollment', 'not_accepted_and_revoked']


def constraints(app_label):
    prefix = f'{app_label}_invitation_'
    return [
        models.UniqueConstraint(condition=models.Q(('token_hash', ''), _negated=True), fields=('token_hash',), name=prefix + 'token_unique'),
        models.UniqueConstraint(condition=models.Q(('accepted_at__isnull', True), ('revoked_at__isnull', True)), fields=('program', 'user', 'role'), name=prefix + 'one_open_per_role'),
        models.CheckConstraint(condition=models.Q(models.Q(('enrollment__isnull', False), ('role', 'fellow')), models.Q(models.Q(('role', 'fellow'), _negated=True), ('enrollment__isnull', True)), _connector='OR'), name=prefix + 'fellow_has_enrollment'),
        models.CheckConstraint(condition=models.Q(('accepted_at__isnull', True), ('revoked_at__isnull', True), _connector='OR'), name=prefix + 'not_accepted_and_revoked'),
    ]


def move_content_type(apps, schema_editor, old='accounts', new='cohorts'):
    ContentType = apps.get_model('contenttypes', 'ContentType')
    db = schema_editor.connection.alias
    if not ContentType.objects.using(db).filter(app_label=new, model='invitation').exists():
        ContentType.objects.using(db).filter(app_label=old, model='invitation').update(app_label=new)


def move_content_type_back(apps, schema_editor):
    move_content_type(apps, schema_editor, old='cohorts', new='accounts')


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0003_invitation_moves_to_cohorts'),
        ('cohorts', '0005_program_facilitators'),
        ('contenttypes', '0002_remove_content_type_name'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='Invitation',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('updated_at', models.DateTimeField(auto_now=True)),
                        ('code', models.UUIDField(default=uuid.uuid4, editable=False, unique=True)),
                        ('role', models.CharField(choices=ROLE_CHOICES, max_length=20)),
                        ('token_hash', models.CharField(blank=True, editable=False, max_length=64)),
                        ('sent_at', models.DateTimeField(blank=True, null=True)),
                        ('send_count', models.PositiveSmallIntegerField(default=0)),
                        ('expires_at', models.DateTimeField(blank=True, null=True)),
                        ('accepted_at', models.DateTimeField(blank=True, null=True)),
                        ('revoked_at', models.DateTimeField(blank=True, null=True)),
                        ('enrollment', models.ForeignKey(blank=True, help_text='For fellows: the enrollment that becomes active on acceptance.', null=True, on_delete=django.db.models.deletion.CASCADE, related_name='invitations', to='cohorts.enrollment')),
                        ('invited_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('program', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='invitations', to='cohorts.program')),
                        ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='invitations', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'ordering': ['-created_at'],
                        'constraints': constraints('accounts'),
                    },
                ),
            ],
            database_operations=[],
        ),
        *[migrations.RemoveConstraint(model_name='invitation', name=f'accounts_invitation_{rule}') for rule in RULES],
        *[migrations.AddConstraint(model_name='invitation', constraint=constraint) for constraint in constraints('cohorts')],
        migrations.RunPython(move_content_type, move_content_type_back),
    ]
