"""Set-based scans of 360° windows for the notification sweep: active fellows are asked to
nominate when a window opens (once), and told when their report is ready (once, in the two
weeks after the window closed). Three queries per sweep, whatever the number of fellows."""

from __future__ import annotations

import datetime
from collections import defaultdict

from django.db.models import Count, Q
from django.urls import reverse

from cohorts.models import Enrollment, EnrollmentStatus
from notifications.ledger import row, subject_label

from .models import FeedbackWindow, RaterCircle
from .notices import NOMINATE, REPORT_READY

READY_FOR = datetime.timedelta(days=14)


def scan(now) -> list:
    windows = FeedbackWindow.objects.filter(
        Q(closed_at__isnull=True) | Q(closed_at__gte=now - READY_FOR),
        opens_on__lte=now.date() + datetime.timedelta(days=1),
        closes_on__gte=now.date() - READY_FOR - datetime.timedelta(days=1),
    ).select_related("cohort")
    opened, closed = [], []
    for w in windows:
        today = w.cohort.local_date(now)
        if w.is_open_on(today):
            opened.append(w)
        elif today >= w.opens_on and w.ends_at <= now < w.ends_at + READY_FOR:
            closed.append(w)
    return _nominate_rows(opened, now) + _ready_rows(closed, now)


def _nominate_rows(windows, now) -> list:
    if not windows:
        return []
    started = set(
        RaterCircle.objects.filter(window__in=windows, nominations__isnull=False).values_list(
            "window_id", "enrollment_id"
        )
    )
    fellows = defaultdict(list)
    for e in Enrollment.objects.filter(
        cohort_id__in={w.cohort_id for w in windows}, status=EnrollmentStatus.ACTIVE
    ).values("pk", "user_id", "cohort_id"):
        fellows[e["cohort_id"]].append(e)
    rows = []
    for w in windows:
        url = reverse("feedback360:nominate", kwargs={"code": w.code})
        for e in fellows[w.cohort_id]:
            if (w.pk, e["pk"]) in started:
                continue
            rows.append(
                row(
                    recipient_id=e["user_id"],
                    kind=NOMINATE.key,
                    subject_type=subject_label(w),
                    subject_id=w.pk,
                    occurrence="open",
                    due_at=now,
                    expires_at=w.ends_at,
                    enrollment_id=e["pk"],
                    title=f"Nominate your raters for the {w.get_phase_display().lower()} 360°",
                    url=url,
                    payload={"phase": w.get_phase_display(), "closes_on": w.closes_on.isoformat()},
                )
            )
    return rows


def _ready_rows(windows, now) -> list:
    if not windows:
        return []
    circles = (
        RaterCircle.objects.filter(
            window__in=windows,
            enrollment__status__in=EnrollmentStatus.with_cohort_access(),
        )
        .annotate(answers=Count("responses"))
        .select_related("enrollment")
    )
    by_pk = {w.pk: w for w in windows}
    rows = []
    for c in circles:
        w = by_pk[c.window_id]
        rows.append(
            row(
                recipient_id=c.enrollment.user_id,
                kind=REPORT_READY.key,
                subject_type=subject_label(c),
                subject_id=c.pk,
                occurrence="ready",
                due_at=w.ends_at,
                enrollment_id=c.enrollment_id,
                title=f"Your {w.get_phase_display().lower()} 360° report is ready",
                url=c.get_absolute_url(),
                payload={"phase": w.get_phase_display(), "answers": c.answers},
            )
        )
    return rows
