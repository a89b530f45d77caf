"""Every write of the curriculum app. Each function is atomic and validates with
`full_clean()`, so a bad value gives a clear message and nothing half-saved.

Grouped like the views: the framework library, the cohort's schedule, each fellow's
progress. Callers use `from curriculum import services` and `services.<name>`."""

from .frameworks import (
    DEFAULT_SCALE,
    EXPORT_FORMAT,
    competency_save,
    domain_save,
    framework_create,
    framework_import,
    framework_update,
    scale_save,
)
from .progress import (
    assignment_delete,
    assignment_save,
    attendance_record,
    self_assessment_submit,
    submission_review,
    submission_submit,
    window_delete,
    window_save,
)
from .schedule import (
    SESSION_FIELDS,
    TIME_AND_PLACE,
    material_add,
    material_remove,
    module_delete,
    module_save,
    session_cancel,
    session_create,
    session_delete,
    session_series_create,
    session_update,
    speaker_add,
    speaker_remove,
    speaker_update,
)

__all__ = [
    "DEFAULT_SCALE",
    "EXPORT_FORMAT",
    "SESSION_FIELDS",
    "TIME_AND_PLACE",
    "assignment_delete",
    "assignment_save",
    "attendance_record",
    "competency_save",
    "domain_save",
    "framework_create",
    "framework_import",
    "framework_update",
    "material_add",
    "material_remove",
    "module_delete",
    "module_save",
    "scale_save",
    "self_assessment_submit",
    "session_cancel",
    "session_create",
    "session_delete",
    "session_series_create",
    "session_update",
    "speaker_add",
    "speaker_remove",
    "speaker_update",
    "submission_review",
    "submission_submit",
    "window_delete",
    "window_save",
]
