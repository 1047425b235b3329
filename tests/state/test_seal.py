"""A report kept whole (state/seal.py, app/standing.py): a rescan that finds the share as
the last scan left it writes that report again, and must equal a fresh scan, on any day
of its span; any change to the share, the rules, the ignores or the day's bearing makes
the scan do its work again."""

from __future__ import annotations

import datetime as dt
import json
import os
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.helpers import REPO, file_statuses, pdf_bytes, run_cli
from zi_audit.evaluate.asof import bearing_span
from zi_audit.report import render_json
from zi_audit.rules.loader import load_rules
from zi_audit.rules.model import bundled_rules_path
from zi_audit.state.seal import PER_RUN, Stamps, open_seal, settled_stamps, stamps_stand
from zi_audit.state.seal_write import SealWriter
from zi_audit.util.atomic import open_held
from zi_audit.walk.record import FolderRecord

AS_OF = "2025-11-15"


def settle(root: Path) -> None:
    """Folders an hour old, files older than the racy interval: what a share is at night."""
    hour_ago = time.time() - 3600
    for folder in [root, *(p for p in root.rglob("*") if p.is_dir())]:
        os.utime(folder, (hour_ago, hour_ago))
    time.sleep(2.1)


def scan(root: Path, state: Path, *extra: str, as_of: str | None = AS_OF) -> dict:
    dated = ["--as-of", as_of] if as_of else []
    code, out, err = run_cli(
        "scan", str(root), *dated, "--format", "json", "--state", str(state), *extra
    )
    assert code == 0, err
    return json.loads(out)


def same(a: dict, b: dict) -> bool:
    return {k: v for k, v in a.items() if k != "stats"} == {
        k: v for k, v in b.items() if k != "stats"
    }


@pytest.fixture
def settled(example_tree: Path) -> Path:
    settle(example_tree)
    return example_tree


def test_an_unchanged_share_is_reported_whole_on_every_day_of_the_span(
    settled: Path, tmp_path: Path
) -> None:
    warm = tmp_path / "warm"
    first = scan(settled, warm)
    assert "whole" not in first["stats"]
    again = scan(settled, warm)
    assert again["stats"]["whole"] == 1
    work = ("folders_listed", "names_matched", "evaluated", "decoded", "opened")
    assert [again["stats"][k] for k in work] == [0] * len(work)
    assert again["stats"]["matched"] == first["stats"]["matched"] > 15
    assert same(again, first)
    assert same(again, scan(settled, tmp_path / "fresh"))
    # Another day of the same span: kept, with that day's date and due-soon list.
    lo, hi = bearing_span(load_rules(bundled_rules_path()), dt.date.fromisoformat(AS_OF))
    other = (hi if hi != dt.date.fromisoformat(AS_OF) else lo).isoformat()
    assert other != AS_OF
    kept = scan(settled, warm, as_of=other)
    assert kept["stats"]["whole"] == 1 and kept["as_of"] == other
    assert same(kept, scan(settled, tmp_path / "fresh2", as_of=other))
    # The day after the span: a window closed, the scan evaluates again.
    after = (hi + dt.timedelta(days=1)).isoformat()
    moved = scan(settled, warm, as_of=after)
    assert "whole" not in moved["stats"] and moved["stats"]["evaluated"] > 0
    assert same(moved, scan(settled, tmp_path / "fresh3", as_of=after))


def _rewrite_in_place(path: Path) -> None:
    """Same size, same modification time, the folder's time untouched: only the file's
    ctime tells (a restore from a backup that keeps times)."""
    st = path.stat()
    with path.open("r+b") as fh:
        fh.write(b"%PDF-1.4 " + b"x" * (st.st_size - 9))  # not a PDF that opens
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))


def test_every_change_is_seen_and_the_rescan_equals_a_fresh_scan(
    settled: Path, tmp_path: Path
) -> None:
    warm = tmp_path / "warm"
    pakta = next(settled.rglob("Pakta Integritas 2025-08-20.pdf"))
    agen = next(settled.rglob("1.4.2 Sudah ditetapkan agen perubahan"))
    rules = tmp_path / "rules.yaml"
    text = (REPO / "rules" / "bukti_fisik.yaml").read_text(encoding="utf-8")
    rules.write_text(text.replace("\n  title: ", "\n  title: (uji) ", 1), encoding="utf-8")
    ignore = tmp_path / "ignore"
    ignore.write_text("*.jpg\n", encoding="utf-8")
    steps: list[tuple[str, Callable[[], object], tuple[str, ...]]] = [
        ("changed in place", lambda: _rewrite_in_place(pakta), ()),
        ("added", lambda: (agen / "SK Agen Perubahan 2025-09-01.pdf").write_bytes(pdf_bytes()), ()),
        ("other rules", lambda: None, ("--rules", str(rules))),
        ("ignore file", lambda: None, ("--ignore-file", str(ignore))),
        ("unmatched.txt gone", lambda: (warm / "unmatched.txt").unlink(), ()),
        ("other language", lambda: None, ("--lang", "en")),
    ]
    scan(settled, warm)
    for n, (what, step, extra) in enumerate(steps):
        settle(settled)
        scan(settled, warm)  # settled: kept whole for the next run
        assert scan(settled, warm)["stats"].get("whole") == 1, what
        step()
        warm_doc = scan(settled, warm, *extra)
        assert "whole" not in warm_doc["stats"], what
        assert same(warm_doc, scan(settled, tmp_path / f"fresh{n}", *extra)), what
    assert file_statuses(warm_doc, "Pakta Integritas 2025-08-20.pdf") == {"invalid"}


def test_a_damaged_kept_report_is_a_scan_like_any_other(settled: Path, tmp_path: Path) -> None:
    warm = tmp_path / "warm"
    scan(settled, warm)
    (body,) = warm.glob("seal-*.body")
    body.write_bytes(body.read_bytes()[:-100])  # a torn write
    doc = scan(settled, warm)
    assert "whole" not in doc["stats"]
    assert same(doc, scan(settled, tmp_path / "fresh"))
    (head,) = warm.glob("seal-*.json")
    head.write_text("{not json", encoding="utf-8")
    assert "whole" not in scan(settled, warm)["stats"]
    assert scan(settled, warm)["stats"].get("whole") == 1  # written anew


def test_a_recorded_night_is_recorded_again_from_the_kept_report(
    settled: Path, tmp_path: Path
) -> None:
    warm = tmp_path / "warm"
    first = scan(settled, warm, as_of=None)  # the nightly run: today, history recorded
    assert "whole" not in first["stats"]
    code, text, err = run_cli("scan", str(settled), "--format", "json", "--state", str(warm))
    assert code == 0, err
    second = json.loads(text)
    assert second["stats"]["whole"] == 1
    # The kept text with this night's parts and its changes and trend put in: byte for
    # byte what the document it stands for encodes to.
    assert text == render_json.render(second)
    assert len(second["trend"]) == 2
    assert all(not v for v in second["changes"].values() if isinstance(v, list))
    third = scan(settled, warm, as_of=None)
    assert third["stats"]["whole"] == 1 and len(third["trend"]) == 3
    assert same({**third, "trend": []}, {**second, "trend": []})
    # A what-if in between rewrites STATE/unmatched.txt: the next night scans, then keeps.
    assert scan(settled, warm)["stats"].get("whole") is None  # kept for today, not AS_OF
    assert "whole" not in scan(settled, warm, as_of=None)["stats"]
    assert scan(settled, warm, as_of=None)["stats"]["whole"] == 1
    # A file removed after that: seen as gone, as in any night's scan.
    gone = next(settled.rglob("Pakta Integritas 2025-08-20.pdf"))
    gone.unlink()
    fourth = scan(settled, warm, as_of=None)
    assert "whole" not in fourth["stats"]
    assert any(gone.name in p for p in fourth["changes"]["disappeared"])


def test_only_a_settled_scan_is_kept_whole() -> None:
    """An unsettled scan keeps its settled files only (no report that could stand)."""
    now = time.time_ns()
    old = FolderRecord(1, now - 10**12, now - 10**12, now, [], ["a.pdf"])
    files = (["a.pdf"], [5, now - 10**12, now - 10**12])
    digests = {"a.pdf": "d" * 32}

    def kept(record: FolderRecord, files: tuple[list[str], list[int]], *rest: object) -> object:
        got = settled_stamps({"": record}, files, (), *rest)  # type: ignore[arg-type]
        return got.whole, got.files

    assert kept(old, files, (), digests) == (True, ["a.pdf"])
    assert kept(old, files, {"a.pdf"}, digests) == (False, [])  # a verdict to judge again
    assert kept(old, files, (), {}) == (False, [])  # a verdict not digested
    assert kept(old, files, (), {"a.pdf": "d"}) == (False, [])  # not a digest
    fresh_file = (["a.pdf"], [5, now, now])
    assert kept(old, fresh_file, (), digests) == (False, [])  # changed just now
    # A folder changed just now, or holding links: its files are settled all the same.
    racy = FolderRecord(1, now, now, now, [], ["a.pdf"])
    assert kept(racy, files, (), digests) == (False, ["a.pdf"])
    linked = FolderRecord(1, now - 10**12, now - 10**12, now, [], ["a.pdf"], links=True)
    assert kept(linked, files, (), digests) == (False, ["a.pdf"])
    two = (["a.pdf", "b.pdf"], [5, now - 10**12, now - 10**12, 6, now, now])
    got = settled_stamps({"": old}, two, (), (), {**digests, "b.pdf": "e" * 32})
    assert not got.whole and got.files == ["a.pdf"] and got.file_stamps == files[1]
    assert got.digests == ["d" * 32]


def test_a_run_that_stops_leaves_no_half_kept_report(settled: Path, tmp_path: Path) -> None:
    """`--email` without an email section is the user's mistake: said before the share is
    scanned, and nothing of the run is left in the state directory (a stray temporary
    body of the kept report was, beside the last report)."""
    state = tmp_path / "state"
    code, _, err = run_cli(
        "scan", str(settled), "--as-of", AS_OF, "--format", "json", "--state", str(state), "--email"
    )
    assert code != 0 and "email" in err
    assert not list(state.glob("*.tmp")) and not (state / "last-report.json").exists()


def test_a_report_whose_writing_stops_keeps_no_body(tmp_path: Path) -> None:
    span = (dt.date(2025, 11, 1), dt.date(2025, 11, 30))
    writer = SealWriter(tmp_path, "/share", "key", span)
    doc = {"a": 1, **{k: 0 for k in PER_RUN}}
    pieces = writer.tee(doc, iter(['{"a": 1', ", ", "2", "}\n"]))
    next(pieces)
    assert list(tmp_path.glob("*.tmp"))  # being written
    pieces.close()  # the report's writer failed: the body is not kept half written
    assert not list(tmp_path.iterdir())
    writer.finish(doc, Stamps([], [], [], [], []), 0, tmp_path / "unmatched.txt", None)
    assert not list(tmp_path.iterdir())


def test_stamps_that_do_not_add_up_keep_nothing(tmp_path: Path) -> None:
    """A matched file outside the folders walked (a mistake of ours) keeps no report and
    stops nothing."""
    span = (dt.date(2025, 11, 1), dt.date(2025, 11, 30))
    writer = SealWriter(tmp_path, "/share", "key", span)
    doc = {"indicators": [], **{k: {} for k in PER_RUN}}
    list(writer.tee(doc, iter(['{"indicators": []}\n'])))
    stamps = Stamps([""], [1, 2, 3], ["elsewhere/a.pdf"], [1, 2, 3], ["d"])
    writer.finish(doc, stamps, 1, tmp_path / "unmatched.txt", None)
    assert not list(tmp_path.iterdir())


def test_two_runs_keeping_at_once_never_mix_their_reports(tmp_path: Path) -> None:
    """A what-if run (no lock) beside the nightly run of the same root: each writes a body
    of its own, and the header written last names a whole one. (One temporary name for
    both let the second truncate the first's file and the first write on into the body
    the second had kept: a report of the right length, made of both.)"""
    span = (dt.date(2025, 11, 1), dt.date(2025, 11, 30))
    day, root = dt.date(2025, 11, 15), "/share"
    unmatched = tmp_path / "unmatched.txt"
    unmatched.write_text("", encoding="utf-8")
    per_run = {
        "as_of": day.isoformat(),
        "summary": {"due_soon": 0},
        "stats": {"matched": 0},
        "plan": {"year": 2025, "ended": False},
        "due_soon": [],
    }

    def doc_of(word: str) -> dict[str, object]:
        return {"indicators": [{"id": word * 40, "evidence": []}], **per_run}

    def pieces_of(writer: SealWriter, doc: dict[str, object]) -> list[str]:
        text = json.dumps(writer.marked(doc), ensure_ascii=False) + "\n"
        return [text[:30], text[30:60], text[60:]]

    def kept_indicators() -> object:
        kept = open_seal(tmp_path, root, "k", day)
        assert kept is not None and kept.load()
        return kept.document(day)["indicators"]

    stamps = Stamps([""], [1, 2, 3], [], [], [])
    first, second = doc_of("a"), doc_of("b")
    a = SealWriter(tmp_path, root, "k", span)
    b = SealWriter(tmp_path, root, "k", span)
    a_out = a.tee(first, iter(pieces_of(a, first)))
    next(a_out)  # the first run has begun its body
    b"".join(b.tee(second, iter(pieces_of(b, second))))
    b.finish(second, stamps, 1, unmatched, None)
    b"".join(a_out)  # the first run writes the rest of its body
    assert kept_indicators() == second["indicators"]  # read meanwhile: the second's, whole
    a.finish(first, stamps, 1, unmatched, None)
    assert kept_indicators() == first["indicators"]
    assert len(list(tmp_path.glob("seal-*.body"))) == 1  # the other body is removed
    assert not list(tmp_path.glob("*.tmp"))


def test_keeping_a_report_clears_what_killed_runs_left(tmp_path: Path) -> None:
    """A body no header names (the format before, a run since replaced) goes when a report
    is kept; a temporary body goes once it is an hour old (a run killed mid-write), not
    while it may still be another run's."""
    span = (dt.date(2025, 11, 1), dt.date(2025, 11, 30))
    writer = SealWriter(tmp_path, "/share", "k", span)
    stem = writer.head.stem
    legacy, old_tmp, fresh_tmp = (
        tmp_path / f"{stem}.body",
        tmp_path / f"{stem}-{'0' * 16}.body.tmp",
        tmp_path / f"{stem}-{'1' * 16}.body.tmp",
    )
    for path in (legacy, old_tmp, fresh_tmp):
        path.write_bytes(b"{}\n")
    two_hours_ago = time.time() - 7200
    os.utime(old_tmp, (two_hours_ago, two_hours_ago))
    doc = {"indicators": [], **{k: {} for k in PER_RUN}}
    list(writer.tee(doc, iter(['{"indicators": []}\n'])))
    writer.finish(doc, Stamps([""], [1, 2, 3], [], [], []), 0, tmp_path / "unmatched.txt", None)
    assert writer.body.exists() and fresh_tmp.exists()
    assert not legacy.exists() and not old_tmp.exists()


def test_a_busy_night_keeps_exactly_its_settled_files() -> None:
    """settled_stamps cuts its lists around the files that are not settled (changed in
    the scan's last seconds, holding a verdict for this run only, without a digest): the
    same files, stamps and digests a file-by-file filter keeps."""
    import random

    from zi_audit.state.seal import DIGEST, NO_DIGEST
    from zi_audit.walk.record import RACY_NS

    rng = random.Random(5)
    now = time.time_ns()
    paths = [f"a/{n:05d}.pdf" for n in range(3000)]
    stamps: list[int] = []
    for _ in paths:
        recent = rng.random() < 0.01
        stamps += [rng.randrange(1, 9999), now - 10**12, now if recent else now - 10**12]
    unsettled = {p for p in paths if rng.random() < 0.01}
    waiting = {p for p in paths if rng.random() < 0.01}
    digests = {p: f"{n:0{DIGEST}x}" for n, p in enumerate(paths) if rng.random() > 0.01}
    got = settled_stamps({}, (paths, stamps), [], unsettled, digests, waiting)
    known = {p: NO_DIGEST if p in waiting else digests.get(p, "") for p in paths}
    expected = [
        (p, stamps[3 * n : 3 * n + 3], known[p])
        for n, p in enumerate(paths)
        if stamps[3 * n + 2] < now - RACY_NS // 2 and p not in unsettled and len(known[p]) == DIGEST
    ]
    assert not got.whole
    assert got.files == [p for p, _, _ in expected]
    assert got.file_stamps == [s for _, stamp, _ in expected for s in stamp]
    assert got.digests == [d for _, _, d in expected]
    assert NO_DIGEST in got.digests  # a scan waiting for OCR is kept, to be looked up
    assert 2850 < len(got.files) < 2990  # some of each kind left out


def test_stamps_stand_only_for_folders_and_files_as_they_were(tmp_path: Path) -> None:
    """Folder by folder, stopping at the first that moved; stamps that do not add up (a
    damaged header) never stand, and never raise."""
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "x.pdf").write_bytes(b"x")
    folders = []
    for rel in ("", "a"):
        st = os.stat(tmp_path / rel)
        folders += [st.st_ino, st.st_mtime_ns, st.st_ctime_ns]
    st = os.stat(tmp_path / "a" / "x.pdf")
    files = [st.st_size, st.st_mtime_ns, st.st_ctime_ns]
    root = str(tmp_path)
    assert stamps_stand(root, Stamps(["", "a"], folders, ["a/x.pdf"], files, []))
    for wrong in (folders[:-1], [*folders, 1], [*folders[:3], None, *folders[4:]], None):
        assert not stamps_stand(root, Stamps(["", "a"], wrong, ["a/x.pdf"], files, []))  # type: ignore[arg-type]
    moved = [*folders[:4], folders[4] + 1, folders[5]]
    assert not stamps_stand(root, Stamps(["", "a"], moved, ["a/x.pdf"], files, []))
    assert not stamps_stand(root, Stamps(["", "a"], folders, ["a/x.pdf"], [2, *files[1:]], []))


def test_a_changed_night_writes_its_body_over_the_last_ones(settled: Path, tmp_path: Path) -> None:
    """The body of the report a changed night replaces is written over (its pages reused:
    9 MB on the bench share), never while another run reads it; what is kept reads as a
    fresh scan's report, and the next run takes it whole."""
    warm = tmp_path / "warm"
    pakta = next(settled.rglob("Pakta Integritas 2025-08-20.pdf"))
    scan(settled, warm)
    (body,) = warm.glob("seal-*.body")
    inode = body.stat().st_ino
    _rewrite_in_place(pakta)
    settle(settled)
    assert "whole" not in scan(settled, warm)["stats"]
    (again,) = warm.glob("seal-*.body")
    assert again != body and again.stat().st_ino == inode
    kept = scan(settled, warm)
    assert kept["stats"].get("whole") == 1
    assert same(kept, scan(settled, tmp_path / "fresh"))
    _rewrite_in_place(pakta)
    settle(settled)
    with open_held(again) as reader:  # another run reading it: a body of its own
        text = reader.read()
        scan(settled, warm)
        reader.seek(0)
        assert reader.read() == text and not again.exists()
    (last,) = warm.glob("seal-*.body")
    assert last.stat().st_ino != inode and text.endswith(b"}\n")
    assert same(scan(settled, warm), scan(settled, tmp_path / "fresh2"))
