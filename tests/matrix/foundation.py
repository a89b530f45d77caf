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
    Case("cohorts:staff_home", all_roles(200, anonymous=LOGIN)),
    Case("cohorts:fellow_home", all_roles(200, anonymous=LOGIN)),
    Case(
        "cohorts:program_detail",
        {"admin": 200, "staff": 200},
        kwargs=lambda cast: {"slug": cast.program.slug},
    ),
    Case(
        "cohorts:cohort_detail",
        {
            "admin": 200,
            "staff": 200,
            "coach": 200,
            "other_coach": 200,
            "fellow": 200,
            "peer": 200,
            "classmate": 200,
        },
        kwargs=lambda cast: {"code": cast.cohort.code},
    ),
    Case(
        "cohorts:enrollment_detail",
        {"admin": 200, "staff": 200, "coach": 200, "fellow": 200},
        kwargs=lambda cast: {"code": cast.enrollments["fellow"].code},
    ),
]
