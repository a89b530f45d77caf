from . import LOGIN, Case, all_roles

CASES = [
    Case(
        "home",
        # Everyone logged in is sent on to the start page of their role.
        all_roles(302, anonymous=LOGIN, withdrawn=200, other_staff=302),
    ),
    Case("health", all_roles(200)),
    Case("accounts:settings", all_roles(200, anonymous=LOGIN)),
    Case(
        "accounts:settings",
        all_roles(200, anonymous=LOGIN),
        method="post",
        data=lambda cast: {"full_name": "", "time_zone": "Mars/Olympus"},
        label="invalid",
    ),
    # The cohorts app's pages are in tests/matrix/cohorts.py.
]

# Security pages of accounts (two-factor enrolment, the session clock) and privacy.
CASES += [
    # Nobody here must enrol (client_for used a second factor): sent on to the start page.
    Case("accounts:mfa_required", all_roles(302, anonymous=LOGIN)),
    Case("accounts:session_status", all_roles(200, anonymous=LOGIN)),
    Case("accounts:session_keepalive", all_roles(200, anonymous=LOGIN), method="post"),
    Case("privacy:my_data", all_roles(200, anonymous=LOGIN)),
    Case("privacy:my_data_download", all_roles(200, anonymous=LOGIN)),
]

# Erasure on request: the site admin alone; anyone else is not told the pages exist.
CASES += [
    Case("privacy:erase_find", all_roles(404, anonymous=LOGIN, admin=200)),
    Case(
        "privacy:erase_person",
        all_roles(404, anonymous=LOGIN, admin=200),
        kwargs=lambda cast: {"code": cast.fellow.code},
    ),
    Case(
        "privacy:erase_person",
        all_roles(404, anonymous=LOGIN, admin=200),
        kwargs=lambda cast: {"code": cast.fellow.code},
        method="post",
        data=lambda cast: {"confirm_email": "someone.else@example.org"},
        label="wrong confirmation",
    ),
]
