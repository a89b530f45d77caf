from __future__ import annotations

from dataclasses import dataclass

from django.http import Http404

from accounts.viewer import Viewer

from .roles import readable_programs, reads_all


@dataclass(frozen=True)
class LogAccess:
    all_programs: bool
    programs: dict[int, str]  # id -> name: the programs the viewer reads


def get_log_for_viewer(user: Viewer) -> LogAccess:
    """The audit log as the viewer may read it: the site admin everything, program staff
    their programs' entries; anyone else gets 404 (the page is not theirs to know of)."""
    programs = readable_programs(user)
    everything = reads_all(user)
    if not (everything or programs):
        raise Http404("No audit log here.")
    return LogAccess(all_programs=everything, programs=programs)
