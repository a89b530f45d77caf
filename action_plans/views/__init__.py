"""Action plan pages, grouped by area: the plan itself and its workflow (`plans`), goals and
milestones (`milestones`), progress updates and comments (`discussion`), and the staff
table of a cohort's plans (`cohort`). Every view is thin: the access helper first, then a
form and a service, then render (shared steps in `_common`)."""
