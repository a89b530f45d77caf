from celery import shared_task

from . import services


@shared_task
def complete_plans_of_ended_cohorts() -> int:
    """Closes approved plans whose cohort has ended (daily; see the beat schedule)."""
    return services.complete_plans_of_ended_cohorts()
