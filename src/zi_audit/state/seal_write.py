"""Keeping a scan's report whole (state/seal.py says what for and when): the body is
written while the JSON report is, the header once the run knows whether it was recorded."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import secrets
import time
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, BinaryIO

from zi_audit.core.schema import ReportDoc
from zi_audit.state.seal import (
    FORMAT,
    LATER,
    PER_RUN,
    Stamps,
    header_path,
    marker,
    seal_name,
    stamp_of,
    token,
)
from zi_audit.util.atomic import rewrite, take_over
from zi_audit.util.packed import pack_names, pack_stamps

_MARKED = json.dumps("\0zi-audit:seal:")[:-1]  # how a per-run part's marker begins (`token`)


def _by_folder(folders: list[str], files: list[str]) -> dict[str, Any]:
    """Files as their names and, for each run of them in one folder, [folder, count]: a
    share's long folder names written once each, not once per file."""
    index = {rel: n for n, rel in enumerate(folders)}
    groups: list[list[int]] = []
    names = []
    for path in files:
        folder, _, name = path.rpartition("/")
        at = index[folder]
        if groups and groups[-1][0] == at:
            groups[-1][1] += 1
        else:
            groups.append([at, 1])
        names.append(name)
    return {"groups": groups, "names": pack_names(names, "/")}


def _pending(doc: ReportDoc) -> list[dict[str, Any]]:
    """The items `due_soon` may name on another day: those pending, without their files."""
    out = []
    for ind in doc["indicators"]:
        items = [
            {k: ev[k] for k in ("key", "name", "deadline", "status", "expected")}
            for ev in ind["evidence"]
            if ev["status"] == "pending"
        ]
        if items:
            out.append({"id": ind["id"], "evidence": items})
    return out


class SealWriter:
    """Writes a scan's report into its kept form while the JSON report is written: the
    document is encoded once, its per-run parts stood in for by markers in the body."""

    def __init__(
        self,
        state: Path,
        root: str,
        key: str,
        span: tuple[dt.date, dt.date],
        whole: bool = True,
        over: Path | None = None,
    ) -> None:
        """`whole`: the scan was settled (its report is kept); else only its header is.
        `over`: the body of the report this one replaces, written over where no other run
        reads it (util/atomic.py, `take_over`: 9 MB a changed night into pages the file
        system holds, not new ones)."""
        self.state, self.root, self.key, self.span = state, root, key, span
        self.whole, self.over = whole, over
        self.head = header_path(state, root)
        self.body = state / f"{seal_name(root)}-{secrets.token_hex(8)}.body"  # this run's own
        self._tmp = self.body.with_name(self.body.name + ".tmp")
        self._size = 0
        self._ok = False
        self._fh: BinaryIO | None = None

    def marked(self, doc: ReportDoc) -> ReportDoc:
        """The document to encode: per-run parts as markers, `changes`/`trend` left out."""
        out = {k: v for k, v in doc.items() if k not in LATER}
        out.update({key: marker(key) for key in PER_RUN})
        return out  # type: ignore[return-value]

    def tee(self, doc: ReportDoc, pieces: Iterable[str]) -> Iterator[bytes]:
        """`pieces` of the marked document, kept as the body; yielded as the report's text
        with this run's values in (and changes and trend, if any, at the end), encoded:
        each piece is encoded once, for the body and the report both (9 MB a night)."""
        values = {key: json.dumps(doc[key], ensure_ascii=False) for key in PER_RUN}  # type: ignore[literal-required]
        later = "".join(
            f", {json.dumps(k)}: {json.dumps(doc[k], ensure_ascii=False)}"  # type: ignore[literal-required]
            for k in LATER
            if k in doc
        ).encode("utf-8", "surrogatepass")
        try:
            fd = take_over(self.over, self._tmp) if self.over is not None else None
            if fd is None:
                fd = os.open(self._tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            self._fh = open(fd, "wb")  # noqa: SIM115
        except OSError:
            self._fh = None  # the report is written all the same; nothing is kept
        try:
            last = b""
            for piece in pieces:
                data = piece.encode("utf-8", "surrogatepass")
                self._keep(data)
                if last:
                    yield last
                last = self._put_in(piece, values) if _MARKED in piece else data
            if later and last.endswith(b"}\n"):
                last = last[:-2] + later + b"}\n"
            yield last
            if self._fh is not None:
                self._fh.truncate()  # written over a longer body: its end goes
                self._fh.close()
                self._ok = True
        except OSError:
            pass  # the body could not be closed: nothing is kept
        finally:
            if not self._ok:  # the report's writing stopped (an error): no body half kept
                self._close()
                self.discard()
            self._fh = None

    def _keep(self, data: bytes) -> None:
        """Write a piece of the body; a full disk stops keeping it, never the report."""
        if self._fh is None:
            return
        self._size += len(data)
        try:
            self._fh.write(data)
        except OSError:
            self._close()

    def _close(self) -> None:
        if self._fh is not None:
            with contextlib.suppress(OSError):
                self._fh.close()
            self._fh = None

    @staticmethod
    def _put_in(piece: str, values: dict[str, str]) -> bytes:
        for key, value in values.items():
            piece = piece.replace(token(key), value)
        return piece.encode("utf-8", "surrogatepass")

    def finish(
        self,
        doc: ReportDoc,
        stamps: Stamps,
        files_seen: int,
        unmatched: Path,
        recorded: str | None,
    ) -> None:
        """Keep the body written by `tee` under its header; a failure keeps nothing. A
        scan that was not settled keeps its header only (no body: it never stands)."""
        if self.whole and not self._ok:
            self.discard()
            return
        try:  # KeyError: a matched file outside the folders walked (a mistake of ours)
            header = {
                "format": FORMAT,
                "key": self.key,
                "root": self.root,
                "span": [d.isoformat() for d in self.span],
                "files_seen": files_seen,
                "summary": doc["summary"],
                "plan": doc["plan"],
                "stats": doc["stats"],
                "pending": _pending(doc),
                "unmatched": stamp_of(unmatched),
                "recorded": recorded,
                "whole": self.whole,
                "body": self._size if self.whole else 0,
                "body_file": self.body.name if self.whole else None,
                "folders": pack_names(stamps.folders, "\0"),
                "folder_stamps": pack_stamps(stamps.folder_stamps),
                **_by_folder(stamps.folders, stamps.files),
                "file_stamps": pack_stamps(stamps.file_stamps),
                "digests": "".join(stamps.digests),
            }
            if self.whole:
                os.replace(self._tmp, self.body)
            rewrite(self.head, [json.dumps(header)])
        except (OSError, ValueError, KeyError, OverflowError):  # Overflow: not a stamp
            self.discard()
            return
        _remove_stale(self.state, self.root, keep=self.body if self.whole else None)

    def discard(self) -> None:
        with contextlib.suppress(OSError):
            os.unlink(self._tmp)


# A body still being written is this young at most; an older temporary one was left by a
# run that was killed.
STALE_SECONDS = 3600


def _remove_stale(state: Path, root: str, keep: Path | None = None) -> None:
    """Bodies no header names any more (`keep`: the one that does), and temporary ones
    that killed runs left. A body removed under a concurrent run's new header makes its
    next read a miss, never a wrong report."""
    name = seal_name(root)
    old = time.time() - STALE_SECONDS
    for path in state.glob(f"{name}*.body*"):
        with contextlib.suppress(OSError):
            unnamed = path.suffix == ".body" and path != keep
            if unnamed or (path.suffix == ".tmp" and path.stat().st_mtime < old):
                os.unlink(path)
