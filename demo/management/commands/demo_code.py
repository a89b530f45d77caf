from django.core.management.base import BaseCommand

from demo.accounts import demo_totp_code


class Command(BaseCommand):
    help = "Prints the current two-factor code of the demo staff and site admin logins."

    def handle(self, *args, **options):
        self.stdout.write(demo_totp_code())
