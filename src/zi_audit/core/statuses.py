"""The words every stage shares: statuses, their precedence, what counts as done or as a gap.

Defined once here so that the evaluation, every report, the email, the history and
`--fail-on` cannot drift apart. docs/statuses.md is the written contract.
"""

from __future__ import annotations

from typing import Final

STATUSES: Final = (
    "present",
    "late",
    "outdated",
    "invalid",
    "missing",
    "pending",
    "not_planned",
    "provided",  # another office supplies it (provided_by), and the unit keeps no copy
    "not_required",  # required only if an event happened (only_if), and no file shows it
    "not_applicable",  # for other kinds of unit (applies_to): counts nowhere
    "unreadable",  # its folder could not be read: what is there is unknown, never lost
)
# Best first inside one item; worst first across an indicator's items.
ITEM_PRECEDENCE: Final = ("present", "late", "outdated", "invalid")
INDICATOR_ORDER: Final = (
    "not_planned",
    "missing",
    "invalid",
    "unreadable",
    "outdated",
    "pending",
    "late",
    "present",
    "provided",
    "not_required",
    "not_applicable",
)
# An indicator is complete ("selesai") when the evidence is there, on time or late.
COMPLETE: Final = ("present", "late", "provided", "not_required")
# Indicators that count toward "planned": not those with no evidence, nor another unit's.
UNPLANNED: Final = ("not_planned", "not_applicable")
# Items that need work now; `pending` ones join them only when due soon.
GAP_STATUSES: Final = ("missing", "invalid", "unreadable", "outdated", "late")
# Pending items due within this many days are "due soon": in full in every report,
# louder at 7 days and at 1.
SOON_DAYS: Final = 30
SOON_LEVELS: Final = (1, 7, SOON_DAYS)
