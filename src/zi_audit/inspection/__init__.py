"""Judging a file's content: does it open, is it complete, when was it made.

Runs inside worker processes (see workers.py) so that a file that hangs or
exhausts memory in pypdf or Pillow costs one worker, never the scan.
Each judge returns a `Verdict`; problem codes are stable (docs/problems.md).
"""

from __future__ import annotations

from zi_audit.inspection.verdict import Verdict, judge

__all__ = ["Verdict", "judge"]
