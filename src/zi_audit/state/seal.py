"""A report kept whole: a rescan that finds the share as the last scan left it writes
that scan's report again, with this run's date and figures, and does nothing else.

The folder memo and the kept results make an unchanged rescan cheap, but it still loads
97,000 names, walks 3,000 folders and reads 87 fragments to write what it wrote last
night. What decides the report is known at the end of a scan, so it is written down
(state/seal_write.py, a header and a body per root in the state directory) and held against the
share at the start of the next (`Seal.holds`):
- the key: the code of the whole package, the rules and ignore files, the team's inputs
  (answers, Hasil, owners) and the options the document depends on (the caller's);
- the as-of date within the span of days on which no indicator's result moves
  (evaluate/asof.py, `bearing_span`);
- every folder walked with the identity and times the folder memo trusts, and every
  matched file with the size and times its verdict is stored under (a file changed in
  place leaves its folder's time as it was: each one is stat-ed).
A scan keeps its report only when nothing in it is unsettled: no folder listed within the
memo's racy interval or holding links, no problem but names claiming another folder's id,
no verdict left for a later run (OCR waiting, a timeout). One that is not keeps a header
without a body: its matched files that are settled, which the next changed night takes
without looking them up (`Seal.settled`). The per-run parts (the as-of
date, the summary's due-soon count, stats, the plan's `ended`, `due_soon`) are recomputed;
the rest is the text the last scan wrote. Lost or damaged, it is only a memo: the scan
does its work, and says nothing. docs/state.md, "What a rescan reuses".
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import hashlib
import json
import os
import re
import time
from collections.abc import Collection, Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

from zi_audit.core.problems import WalkProblem
from zi_audit.core.schema import DueSoonDoc, ReportDoc
from zi_audit.report.figures import due_soon
from zi_audit.util.atomic import open_held, read_whole, rewrite
from zi_audit.util.packed import unpack_names, unpack_stamps
from zi_audit.walk.record import RACY_NS, FolderRecord

# 4: a scan not settled keeps its settled files (no body: never whole)
# 5: the header's lists of folders, names and stamps packed as strings (`pack_stamps`)
FORMAT = "seal-5"
PER_RUN = ("as_of", "summary", "stats", "plan", "due_soon")  # recomputed at each run
LATER = ("changes", "trend")  # added by a run that records history, after the rest
# The work a kept report did not do, as the report's stats say it (docs/json-report.md).
NOTHING_DONE = {
    "opened": 0,
    "replaced_workers": 0,
    "folders_listed": 0,
    "names_matched": 0,
    "evaluated": 0,
    "decoded": 0,
    "reused": 0,
    "rows_read": 0,
    "settled": 0,
    "ocr": 0,
}


# Each file's verdict digest (state/filememo.py, `digest`: 16 bytes as hex), kept in the
# header as one string: 18,000 strings of their own cost an unchanged rescan 5 MB.
DIGEST = 32
NO_DIGEST = "-" * DIGEST


def _encoded(value: object) -> bytes:
    return json.dumps(value, ensure_ascii=False).encode("utf-8", "surrogatepass")


def marker(key: str) -> str:
    return f"\0zi-audit:seal:{key}\0"  # no path or name holds NUL


def token(key: str) -> str:
    return json.dumps(marker(key))


@dataclass
class Stamps:
    """What a scan saw of the share (pipeline/__init__.py fills it): folders with
    (inode, mtime, ctime), matched files with (size, mtime, ctime), as flat lists of
    numbers, and each file's verdict digest (state/filememo.py, `digest`). `whole`: the
    scan was settled and its report can stand for a run; else only its files that are
    settled are here, for the next changed night (`Seal.settled`)."""

    folders: list[str]
    folder_stamps: list[int]
    files: list[str]
    file_stamps: list[int]
    digests: list[str]  # DIGEST characters each; NO_DIGEST: a scan waiting for OCR
    whole: bool = True


class Settled(NamedTuple):
    """The matched files a changed night finds as the last settled scan left them: their
    (size, mtime, ctime) as stat-ed now and their verdicts' digests as that scan kept them.
    The scan takes them without a stat or a verdict look-up (pipeline/walking.py) and
    keeps their indicators whole where nothing else of them moved (state/kept.py)."""

    stamps: dict[str, tuple[int, int, int]]
    digests: dict[str, str]


def settled_stamps(
    records: Mapping[str, FolderRecord],
    files: tuple[list[str], list[int]],
    problems: Iterable[WalkProblem],
    unsettled: Collection[str],
    digests: Mapping[str, str],
    waiting: Collection[str] = (),
) -> Stamps:
    """What a scan saw: whole if nothing in it is unsettled (the module's docstring);
    else its files that are, for the next changed night. `files`: the matched files and
    their stamps, as the walk stat-ed them; `unsettled`: files whose verdicts hold for this
    run only; `digests`: the verdicts' (a file without one is not settled); `waiting`: scans
    whose words are still unread, kept with no digest (a changed night looks them up, and
    reads them if it can)."""
    whole = not unsettled and all(p.code == "id_conflict" for p in problems)
    folders: list[str] = []
    folder_stamps: list[int] = []
    for rel, record in records.items():
        if record.links or record.racy():
            whole = False
        folders.append(rel)
        folder_stamps.extend((record.ino, record.mtime_ns, record.ctime_ns))
    paths, stamps = files
    recent = time.time_ns() - RACY_NS  # changed within a tick of the scan: may change unseen
    get = digests.get
    digested = [NO_DIGEST if rel in waiting else get(rel, "") for rel in paths]
    # The lists as they are where every file is settled (a night with no change in its
    # last seconds): one pass each, no loop of our own; file by file where some are not.
    if (
        (not stamps or max(stamps[2::3]) < recent)
        and not (unsettled and any(rel in unsettled for rel in paths))
        and (not digested or set(map(len, digested)) == {DIGEST})
    ):
        return Stamps(folders, folder_stamps, list(paths), list(stamps), digested, whole)
    kept: list[str] = []
    kept_stamps: list[int] = []
    kept_digests: list[str] = []
    was = iter(stamps)
    for rel, size, mtime, ctime, known in zip(paths, was, was, was, digested, strict=True):
        if ctime >= recent or rel in unsettled or len(known) != DIGEST:
            continue
        kept.append(rel)
        kept_stamps.extend((size, mtime, ctime))
        kept_digests.append(known)
    return Stamps(folders, folder_stamps, kept, kept_stamps, kept_digests, False)


def seal_name(root: str) -> str:
    return "seal-" + hashlib.sha256(root.encode("utf-8", "surrogatepass")).hexdigest()[:16]


def header_path(state: Path, root: str) -> Path:
    return state / f"{seal_name(root)}.json"


def body_path(state: Path, root: str, header: Mapping[str, Any]) -> Path:
    """The body a header names. Each scan writes a body of its own and never writes into
    another's: two runs of one root at once (a what-if beside the nightly run) cannot mix
    their bodies; the header swapped last names a whole one (or one since removed: a miss)."""
    name = header["body_file"]
    if not (isinstance(name, str) and _BODY.fullmatch(name) and name.startswith(seal_name(root))):
        raise ValueError("not a body of this root")
    return state / name


_BODY = re.compile(r"seal-[0-9a-f]{16}-[0-9a-f]{16}\.body")


def stamp_of(path: Path) -> list[int] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return [st.st_size, st.st_mtime_ns]


def _file_stamps(paths: list[str]) -> list[int] | None:
    fresh: list[int] = []
    add = fresh.extend
    stat = os.stat
    try:
        for path in paths:
            st = stat(path)
            add((st.st_size, st.st_mtime_ns, st.st_ctime_ns))
    except OSError:
        return None
    return fresh


def stamps_stand(root: str, stamps: Stamps) -> bool:
    """Whether every folder and file is as the stamps say: one stat each, no listing."""
    return folders_stand(root, stamps.folders, stamps.folder_stamps) and files_stand(
        root, stamps.files, stamps.file_stamps
    )


def folders_stand(root: str, folders: list[str], stamps: list[int]) -> bool:
    """Whether every folder has the (inode, mtime, ctime) it had. Folder by folder,
    stopping at the first that moved: a changed night (100 changes over 3,000 folders)
    meets one within the first few dozen, and its files' stamps are not even unpacked."""
    base = os.path.join(root, "")
    lstat = os.lstat
    try:
        was = iter(stamps)
        for rel, ino, mtime, ctime in zip(folders, was, was, was, strict=True):
            st = lstat(base + rel) if rel else os.stat(root)  # the root followed if a link
            if st.st_mtime_ns != mtime or st.st_ctime_ns != ctime or st.st_ino != ino:
                return False
    except (OSError, TypeError, ValueError):  # not numbers, or the lists' lengths disagree
        return False
    return True


def files_stand(root: str, files: list[str], stamps: list[int]) -> bool:
    """Whether every file has the (size, mtime, ctime) it had. The stats are the whole
    cost (the kernel's path look-ups); split over two threads they took longer (measured:
    0.084 s against 0.059 s for 22,000 stats)."""
    base = os.path.join(root, "")
    done = _file_stamps([base + rel for rel in files])
    return done is not None and done == stamps


def _paths(folders: list[str], groups: list[list[int]], names: list[str]) -> list[str]:
    out: list[str] = []
    done = 0
    for at, count in groups:
        prefix = f"{folders[at]}/" if folders[at] else ""
        out.extend(prefix + name for name in names[done : done + count])
        done += count
    if done != len(names):
        raise ValueError("names left over")
    return out


class Seal:
    """A kept report: its header (read at the start of a run) and its body's file."""

    def __init__(self, header: dict[str, Any], body: Path | None) -> None:
        """`body`: None where the scan was not settled (its header keeps its files only)."""
        self.header, self.body = header, body
        self._text = b""
        self._paths: list[str] | None = None
        # Made for this day's bearing (open_seal): only then can it stand for the run. A
        # changed night, or the day a window closes, takes its settled files either way:
        # a verdict does not depend on the day.
        self.in_span = True

    @property
    def whole(self) -> bool:
        """Whether this report can stand for a run at all (its scan was settled)."""
        return self.body is not None

    @property
    def files_seen(self) -> int:
        return int(self.header["files_seen"])

    @property
    def recorded(self) -> str | None:
        """The history scan this report was last recorded as (None: not recorded)."""
        return self.header.get("recorded")

    def holds(self, unmatched: Path) -> bool:
        """Whether the share is as the report found it (and STATE/unmatched.txt as it
        left it)."""
        if stamp_of(unmatched) != self.header["unmatched"]:
            return False
        h = self.header
        try:
            if not folders_stand(h["root"], self._folders, unpack_stamps(h["folder_stamps"])):
                return False
            stand = files_stand(h["root"], self._files(), unpack_stamps(h["file_stamps"]))
        except (IndexError, TypeError, ValueError, AttributeError):
            return False
        if stand:  # the report stands: nothing asks for the paths again (2.5 MB at 18,000)
            self._paths = None
        return stand

    def _files(self) -> list[str]:
        """The matched files' paths (made once: `holds`, then `settled`, ask for them)."""
        if self._paths is None:
            h = self.header
            self._paths = _paths(self._folders, h["groups"], unpack_names(h["names"], "/"))
        return self._paths

    @functools.cached_property
    def _folders(self) -> list[str]:  # asked for by `holds` and `_files`: unpacked once
        return unpack_names(self.header["folders"], "\0")

    def settled(self) -> Settled | None:
        """The matched files still as this report found them (one stat each), where the
        share moved since (`holds` said no); None if the header does not read as written."""
        h = self.header
        try:
            files = self._files()
            stamps, joined = unpack_stamps(h["file_stamps"]), h["digests"]
            if len(stamps) != 3 * len(files) or len(joined) != DIGEST * len(files):
                return None
            digests = [joined[at : at + DIGEST] for at in range(0, len(joined), DIGEST)]
            base = os.path.join(h["root"], "")
            kept: dict[str, tuple[int, int, int]] = {}
            known: dict[str, str] = {}
            stat = os.stat
            was = iter(stamps)
            # zip walks the flat list three at a time: no slice or list per file (18,000
            # files a night; the stats are the cost, not the comparison).
            for rel, size, mtime, ctime, digested in zip(
                files, was, was, was, digests, strict=True
            ):
                try:
                    st = stat(base + rel)
                except OSError:
                    continue  # gone, or not readable now: the walk says which
                # A scan waiting for OCR (no digest) is looked up, and read if it can be;
                # an empty file is never looked up (the inspector says it is empty).
                same = st.st_mtime_ns == mtime and st.st_ctime_ns == ctime and st.st_size == size
                if same and size and digested != NO_DIGEST:
                    kept[rel] = (size, mtime, ctime)
                    known[rel] = digested
        except (IndexError, TypeError, ValueError, AttributeError):
            return None
        return Settled(kept, known)

    def per_run(self, as_of: dt.date) -> dict[str, Any]:
        """The parts of the document that depend on the day, not on the share."""
        h = self.header
        soon: list[DueSoonDoc] = due_soon(h["pending"], as_of)
        return {
            "as_of": as_of.isoformat(),
            "summary": {**h["summary"], "due_soon": len(soon)},
            "stats": {**h["stats"], **NOTHING_DONE, "cached": h["stats"]["matched"], "whole": 1},
            "plan": {**h["plan"], "ended": as_of > dt.date(h["plan"]["year"], 12, 31)},
            "due_soon": soon,
        }

    def load(self) -> bool:
        """Read the body; False if it is not the one the header describes (a torn write)."""
        if self.body is None:
            return False
        try:
            with open_held(self.body) as fh:  # not written over by another run meanwhile
                self._text = fh.read()
        except OSError:
            return False
        return len(self._text) == self.header["body"] and self._text.endswith(b"}\n")

    def pieces(self, as_of: dt.date, later: dict[str, Any] | None = None) -> Iterator[bytes]:
        """The JSON report's text as `render_json.pieces` writes it, encoded: the body as
        kept (`load`), the per-run parts put in; `later`: changes and trend, at the end."""
        text = self._text
        values = self.per_run(as_of)
        done = 0
        for key in PER_RUN:
            mark = token(key).encode()
            at = text.index(mark, done)
            yield text[done:at] + _encoded(values[key])
            done = at + len(mark)
        tail = text[done:-2]
        for key, value in (later or {}).items():
            tail += b", " + _encoded(key) + b": " + _encoded(value)
        yield tail + b"}\n"

    def document(self, as_of: dt.date) -> ReportDoc:
        """The whole document, for a run that renders or mails it."""
        doc: ReportDoc = json.loads(b"".join(self.pieces(as_of)).decode("utf-8", "surrogatepass"))
        return doc

    def mark_recorded(self, scanned_at: str, header_path: Path) -> None:
        """This report was recorded again in the history, as `scanned_at`."""
        self.header["recorded"] = scanned_at
        with contextlib.suppress(OSError):
            rewrite(header_path, [json.dumps(self.header)])


def open_seal(state: Path, root: str, key: str, as_of: dt.date) -> Seal | None:
    """The kept report of this root, if it was made for this key. `Seal.in_span`: whether
    for this day's bearing too (else only its files serve: `settled`)."""
    try:
        header = json.loads(read_whole(header_path(state, root)).decode("utf-8"))
        lo, hi = (dt.date.fromisoformat(d) for d in header["span"])
        if header["format"] != FORMAT or header["key"] != key or header["root"] != root:
            return None
        whole = header["whole"] is True
        kept = Seal(header, body_path(state, root, header) if whole else None)
        kept.in_span = lo <= as_of <= hi
        return kept
    except (OSError, ValueError, KeyError, TypeError):
        return None
