"""Coaching sessions that fellows book themselves against their coach's availability.

`slots.py` computes open slots (no queries), `selectors.py` reads what the pages show,
`services.py` writes availability and bookings. A booking is an ordinary `CoachingSession`
(with `booked_at` set), so it gets the same reminders, calendar feed and pages as the
sessions coaches add; the one rule the database adds is that no two scheduled bookings of a
coach start at the same moment (`coaching_coachingsession_one_booking_per_slot`).
"""
