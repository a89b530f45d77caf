from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from accounts import backup


class Command(BaseCommand):
    help = (
        "Restore a folder written by `backup` into the configured database, which must be "
        "empty (create it anew first), and its uploaded files into MEDIA_ROOT. Then compares "
        "the rows per table with the backup's manifest."
    )

    def add_arguments(self, parser):
        parser.add_argument("folder", help="A folder written by `manage.py backup`.")
        parser.add_argument("--no-media", action="store_true", help="Leave MEDIA_ROOT alone.")

    def handle(self, *args, **options):
        db = connection.settings_dict
        with connection.cursor() as cursor:
            if connection.introspection.table_names(cursor):
                raise CommandError(
                    "The database is not empty. Restore into a new, empty database "
                    "(dropdb/createdb, or a new SQLite file)."
                )
        connection.close()
        try:
            manifest = backup.restore(
                Path(options["folder"]),
                db=db,
                media_root=None if options["no_media"] else Path(settings.MEDIA_ROOT),
            )
        except (ValueError, OSError) as exc:
            raise CommandError(str(exc)) from exc
        found = backup.table_counts()
        different = {
            t: (n, found.get(t)) for t, n in manifest["tables"].items() if found.get(t) != n
        }
        if different:
            raise CommandError(f"Restored, but rows per table differ: {different}")
        self.stdout.write(f"Restored {sum(found.values())} rows in {len(found)} tables.")
