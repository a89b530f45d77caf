from pathlib import Path

from django.core.management.base import BaseCommand

from accounts import backup


class Command(BaseCommand):
    help = (
        "Back up the database (pg_dump on PostgreSQL, SQLite's online backup otherwise) and "
        "the uploaded files into a new folder under --to, with a manifest of rows per table."
    )

    def add_arguments(self, parser):
        parser.add_argument("--to", required=True, help="The folder that receives the backup.")
        parser.add_argument("--no-media", action="store_true", help="Leave out MEDIA_ROOT.")

    def handle(self, *args, **options):
        folder = backup.backup(Path(options["to"]), media=not options["no_media"])
        self.stdout.write(f"Backup written to {folder}")
