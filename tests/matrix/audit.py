from . import LOGIN, Case, all_roles

# The audit log: program staff read their program's entries, the site admin all of them;
# nobody else knows the page exists.
CASES = [
    Case("audit:log", all_roles(404, anonymous=LOGIN, admin=200, staff=200, other_staff=200)),
    Case(
        "audit:log",
        all_roles(404, anonymous=LOGIN, admin=200, staff=200, other_staff=200),
        data=lambda cast: {"since": "not a date", "program": "x"},
        label="bad filter",
    ),
    Case("audit:export", all_roles(404, anonymous=LOGIN, admin=200, staff=200, other_staff=200)),
]
