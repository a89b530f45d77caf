"""Who reads which entries: the site admin all of them; program staff their programs'.

The audit app sits just above accounts, below the apps that own programs, so cohorts tells
it which programs a person is staff of (`programs_read_by`, registered in its ready())."""

from __future__ import annotations

from accounts.hooks import Hook
from accounts.roles import is_site_admin

# A function of a user giving {program id: program name} for the programs whose entries
# that user reads (cohorts: the programs they are staff of).
programs_read_by = Hook("the programs whose audit entries a person reads")


def readable_programs(user) -> dict[int, str]:
    programs: dict[int, str] = {}
    if not user.is_authenticated:
        return programs
    for function in programs_read_by.functions:
        programs.update(function(user))
    return programs


def reads_all(user) -> bool:
    return is_site_admin(user)
