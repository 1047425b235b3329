"""A run that finds the share as the last scan left it: that scan's report, kept whole
(state/seal.py), stands for this one; nothing is walked, matched or evaluated.

The key says what else the document was made from: the whole package's code, the rules
and ignore files, the team's inputs, the root and the options the document depends on.
Email, history and the other formats take the kept report as the document they would
have built; a JSON run that records nothing writes its text without decoding it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from zi_audit.core.schema import ReportDoc
from zi_audit.evaluate.asof import bearing_span
from zi_audit.evaluate.model import Report
from zi_audit.pipeline import Pipeline
from zi_audit.report import render_json
from zi_audit.report.document import DocInputs
from zi_audit.state import seal
from zi_audit.state.fingerprint import canonical, package_print
from zi_audit.state.history import Snapshot
from zi_audit.state.paths import StateDir
from zi_audit.state.seal_write import SealWriter

UNMATCHED = "unmatched.txt"


@dataclass
class Standing:
    """One run's view of its root's kept report: the key it needs, the one found, and
    the writer that keeps this run's report for the next."""

    pipeline: Pipeline
    state: StateDir
    key: str
    as_of: dt.date
    record_history: bool
    # The body of the kept report found and not taken (the share moved): this run's body
    # is written over it (state/seal_write.py).
    replaced: Path | None = None

    @classmethod
    def of(
        cls,
        pipeline: Pipeline,
        state: StateDir,
        inputs: DocInputs,
        show_all: bool,
        record_history: bool,
    ) -> Standing:
        h = hashlib.sha256()
        parts = (
            package_print(),
            pipeline.fingerprint(),
            canonical(inputs),
            str(pipeline.root),
            str(pipeline.rules.path),
            pipeline.options.lang,
            str(show_all),
        )
        for part in parts:
            h.update(part.encode("utf-8", "surrogatepass") + b"\0")
        return cls(pipeline, state, h.hexdigest(), pipeline.as_of(), record_history)

    @property
    def root(self) -> str:
        return os.path.realpath(self.pipeline.root)

    @property
    def unmatched(self) -> Path:
        return self.state.path / UNMATCHED

    def find(self, prev: Snapshot | None) -> seal.Seal | None:
        """The kept report, if it stands for this run: made for this key and day, the share
        as it found it, and, for a run that records history, recorded as its last scan (the
        evidence of that scan is then this one's)."""
        if not self.pipeline.trust_folder_times:
            return None
        kept = seal.open_seal(self.state.path, self.root, self.key, self.as_of)
        if kept is None:
            return None
        try:  # a header that reads as JSON but lacks a part: not this run's report
            recorded = not self.record_history or (prev and kept.recorded == prev.scanned_at)
            kept.per_run(self.as_of)
            # Where that scan left scans waiting for OCR, a run that can read them scans.
            ocr = kept.header["stats"].get("ocr_waiting") and self._ocr_would_run()
            whole = recorded and kept.in_span and kept.whole and not ocr
            if whole and kept.holds(self.unmatched) and kept.load():
                return kept
            # Else its new files will be judged (the judges' server starts now, on the
            # other core), and the scan takes the matched files it finds as the kept report
            # did without looking them up (state/seal.py; scans waiting for OCR excepted).
            self.pipeline.prepare()
            self.pipeline.settled = kept.settled()
            self.replaced = kept.body
        except (KeyError, TypeError, ValueError, IndexError, AttributeError):
            pass
        return None

    def _ocr_would_run(self) -> bool:
        if self.pipeline.options.ocr_seconds() <= 0:
            return False
        from zi_audit.inspection import ocr  # its tools' check runs a program: only here

        return ocr.available()

    def writer(self) -> SealWriter | None:
        """Keeps this run's report where its scan was settled (pipeline.stamps), else its
        settled files only: that report cannot stand for a run (the share moved within
        the scan, a verdict holds for this run only), but the files still as it found them
        are taken from it by the next changed night (`find`)."""
        stamps = self.pipeline.stamps
        if stamps is None:
            return None
        span = bearing_span(self.pipeline.rules, self.as_of)
        return SealWriter(self.state.path, self.root, self.key, span, stamps.whole, self.replaced)

    def text(
        self, found: Report | seal.Seal, doc: ReportDoc, writer: SealWriter | None
    ) -> Iterable[str | bytes]:
        """The JSON report's text: a kept report's own (`doc` was decoded from it; only
        changes and trend are encoded), else the document's, kept whole as it is written."""
        if isinstance(found, seal.Seal):
            later = {key: doc[key] for key in seal.LATER if key in doc}  # type: ignore[literal-required]
            return found.pieces(self.as_of, later)
        if writer is not None and writer.whole:  # kept whole as written (state/seal.py)
            return writer.tee(doc, render_json.pieces(writer.marked(doc)))
        return render_json.pieces(doc)

    def header_path(self) -> Path:
        return seal.header_path(self.state.path, self.root)


def write_bytes(out: TextIO, pieces: Iterable[bytes]) -> None:
    """UTF-8 text to a stream: to its bytes where it has them (a terminal, a pipe)."""
    raw = getattr(out, "buffer", None)
    if raw is None:  # a stream of text only (a test's): pieces may split a character
        out.write(b"".join(pieces).decode("utf-8", "surrogatepass"))
        return
    out.flush()
    raw.writelines(pieces)
    raw.flush()
