"""Coaching pages, by area: coaches.py (coach pages, profiles, a program's coaches),
fellows.py (a fellow's coaching, assigning and ending coaches, preferences), sessions.py
(one session), cohorts.py (cohort-wide pages for staff), availability.py (a coach's booking
settings) and booking.py (a fellow books, moves and cancels sessions). Every view calls an
access helper first (coaching/access.py), then a form, selector or service."""
