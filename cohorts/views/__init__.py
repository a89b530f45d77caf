"""The cohorts app's views, one module per area: programs and cohorts, the roster and
enrollments, CSV import, and people (fellow pages, profile, directory, invitations)."""
