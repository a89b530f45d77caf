"""Curriculum pages, grouped by what they are about: the framework library, the cohort's
schedule and modules, and each fellow's progress (attendance, assignments, self-assessment)."""
