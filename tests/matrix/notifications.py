from . import LOGIN, Case, all_roles


def _fellow_notification(cast):
    from ..factories.notifications import NotificationFactory

    cast.__dict__.setdefault("objects", {})
    cast.objects["note"] = NotificationFactory(recipient=cast.fellow)


def _fellow_token(cast):
    from notifications.services import settings_for

    return {"token": settings_for(user=cast.fellow).calendar_token}


def _unsubscribe_token(cast):
    from notifications.emails import unsubscribe_token

    return {"token": unsubscribe_token(cast.objects["note"])}


CASES = [
    Case("notifications:list", all_roles(200, anonymous=LOGIN)),
    Case("notifications:mark_all_read", all_roles(302, anonymous=LOGIN), method="post"),
    Case("notifications:preferences", all_roles(200, anonymous=LOGIN)),
    Case(
        "notifications:preferences",
        # Invalid input is shown again with its errors, never saved.
        all_roles(200, anonymous=LOGIN),
        method="post",
        data=lambda cast: {"quiet_start": "25:00", "quiet_end": "07:00", "topic_sessions": "x"},
        label="invalid",
    ),
    Case("notifications:calendar", all_roles(200, anonymous=LOGIN)),
    Case("notifications:calendar_regenerate", all_roles(302, anonymous=LOGIN), method="post"),
    # The secret token is the credential: calendar apps cannot log in.
    Case("notifications:calendar_feed", all_roles(200), kwargs=_fellow_token),
    Case(
        "notifications:open",
        {"fellow": 302},
        kwargs=lambda cast: {"code": cast.objects["note"].code},
        setup=_fellow_notification,
    ),
    # The signed token in the email is the credential: the person may not be signed in.
    Case(
        "notifications:unsubscribe",
        all_roles(200),
        kwargs=_unsubscribe_token,
        setup=_fellow_notification,
    ),
    Case(
        "notifications:unsubscribe",
        all_roles(200),
        kwargs=_unsubscribe_token,
        setup=_fellow_notification,
        method="post",
        label="one-click",
    ),
]


# Staff send failed notifications again from a reports page of their program (it scopes by
# the program's rosters, so it lives in reports); other programs' staff, coaches and fellows
# get 404, like the program's other reports.
def _program(cast):
    return {"slug": cast.program.slug}


def _fellow_failed(cast):
    from notifications.models import State

    from ..factories.notifications import NotificationFactory

    cast.__dict__.setdefault("objects", {})
    cast.objects["failed"] = NotificationFactory(
        recipient=cast.fellow,
        state=State.FAILED,
        sent_at=None,
        attempts=1,
        last_error="Rejected: 550 5.1.1 No such user here",
    )


PROGRAM_STAFF = {"admin": 200, "staff": 200}

CASES += [
    Case(
        "reports:failed_notifications",
        PROGRAM_STAFF,
        kwargs=_program,
        setup=_fellow_failed,
    ),
    Case(
        "reports:failed_notifications",
        {"admin": 302, "staff": 302},
        kwargs=_program,
        setup=_fellow_failed,
        method="post",
        data=lambda cast: {"codes": [str(cast.objects["failed"].code)]},
        label="send one again",
    ),
    Case(
        "reports:failed_notifications",
        # An unknown code: the page comes back with the error, nothing is sent.
        PROGRAM_STAFF,
        kwargs=_program,
        setup=_fellow_failed,
        method="post",
        data=lambda cast: {"codes": ["00000000-0000-0000-0000-000000000000"]},
        label="unknown code",
    ),
]
