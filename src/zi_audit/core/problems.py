"""What the walk could not list: a leaf type that reports, history and the email share."""

from __future__ import annotations

from typing import NamedTuple


class WalkProblem(NamedTuple):
    """Something under the root we could not list; shown in reports, never fatal."""

    path: str  # root-relative, `/`-separated, raw (may hold surrogate escapes)
    code: str  # unreadable | vanished | link_outside | link_folder | link_broken | link_special
    detail: str = ""
