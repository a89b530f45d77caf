"""The one way to hand work to Celery: after the current transaction commits.

Outside a transaction the task is sent at once; inside one it waits for the commit, and a
rollback means it is never sent. Tasks take ids, never objects.
"""

from __future__ import annotations

from django.db import transaction


def enqueue_on_commit(task, *args, **kwargs) -> None:
    transaction.on_commit(lambda: task.apply_async(args=args, kwargs=kwargs))
