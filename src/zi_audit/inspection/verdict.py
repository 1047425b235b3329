"""The outcome of judging one file, as a judge builds it up; `facts()` freezes it."""

from __future__ import annotations

import datetime as dt
import os
import sys
from dataclasses import dataclass, field

from zi_audit.core.facts import FileFacts, codes
from zi_audit.inspection.docwords import date_in_text, excerpt, years_named


@dataclass
class Verdict:
    valid: bool = True
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    detail: str = ""  # the library's own words for the first problem, for `explain`
    created: dt.datetime | None = None
    precision: str = "day"  # year | month | day: how much of `created` the file stated
    date_source: str | None = None  # pdf-xmp | pdf-info | exif | exif-ifd0 | office
    raw_date: str | None = None
    pages: int | None = None
    sha256: str | None = None
    words: str | None = None  # the text the judge read (text layer, Office XML, OCR)

    def fail(self, code: str, detail: str = "") -> Verdict:
        self.valid = False
        if code not in self.problems:
            self.problems.append(code)
        self.detail = self.detail or detail[:300]
        return self

    def note(self, code: str) -> None:
        if code not in self.notes:
            self.notes.append(code)

    def facts(self, st: os.stat_result) -> FileFacts:
        """The frozen facts the rest of the scan reads, for the file as it was stat-ed.
        Of its words, only what the rules need is kept: the date and years they state and
        an excerpt (docwords.py)."""
        said = date_in_text(self.words) if self.words else None
        return FileFacts(
            size=st.st_size,
            mtime=st.st_mtime,
            valid=self.valid,
            problems=codes(self.problems),  # one string per code, however many files
            notes=codes(self.notes),
            detail=sys.intern(self.detail),
            content_date=self.created,
            content_date_source=sys.intern(self.date_source) if self.date_source else None,
            content_precision=sys.intern(self.precision),
            raw_date=self.raw_date,
            pages=self.pages,
            sha256=self.sha256,
            text=excerpt(self.words) if self.words and self.words.strip() else None,
            text_date=said[0] if said else None,
            text_date_raw=said[1] if said else None,
            text_years=years_named(self.words) if self.words else (),
        )
