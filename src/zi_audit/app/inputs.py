"""What the team tells zi-audit beside the share, read once per run from the configuration.

Scan, the nightly run and watch all build their document from these, so the same share
gives the same LKE block, PICs and claims in every output.
"""

from __future__ import annotations

from pathlib import Path

from zi_audit.config import Config
from zi_audit.lke.answers import Hasil, load_answers
from zi_audit.report.document import DocInputs


def document_inputs(config: Config, answers: Path | None = None) -> DocInputs:
    """`answers`: the team's LKE answers file given for this run, else the configuration's.
    A mistake in it stops the run here, before anything is scanned or written."""
    path = answers or config.answers
    given, survey = load_answers(path) if path else (None, Hasil())
    owners = {o.component: o.name or o.email for o in config.owners}
    return DocInputs(config.hasil.merged(survey), given, owners)
