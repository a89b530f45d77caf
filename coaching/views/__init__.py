"""Coaching pages, by area: coaches.py (coach pages, profiles, a program's coaches),
fellows.py (a fellow's coaching, assigning and ending coaches, preferences), sessions.py
(one session) and cohorts.py (cohort-wide pages for staff). Every view calls an access helper
first (coaching/access.py), then a form, selector or service."""
