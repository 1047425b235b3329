"""A changed night from the kept report (state/seal.py `Settled`, app/standing.py): the
matched files still as the last settled scan found them are taken without a stat or a
verdict look-up, and their indicators are kept where nothing else of them moved. The
report must be a fresh scan's, and the work must follow the change."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from tests.helpers import drawn_pdf
from tests.state.test_seal import AS_OF, _rewrite_in_place, same, scan, settle
from zi_audit.evaluate.asof import bearing_span
from zi_audit.rules.loader import load_rules
from zi_audit.rules.model import bundled_rules_path
from zi_audit.util.packed import unpack_names


def _change(root: Path) -> None:
    """One file added, one changed in place (its folder's time untouched), one removed."""
    agen = next(root.rglob("1.4.2 Sudah ditetapkan agen perubahan"))
    words = ["BT /F1 12 Tf 60 780 Td (Surat Keputusan Agen Perubahan 2025) Tj ET"]
    drawn_pdf(agen / "SK Agen Perubahan 2025-09-01.pdf", [words])  # words: not a scan
    _rewrite_in_place(next(root.rglob("Pakta Integritas 2025-08-20.pdf")))
    next(root.rglob("*.pdf")).unlink()


def _forget_seal(state: Path) -> None:
    for path in state.glob("seal-*"):
        path.unlink()


def test_a_changed_night_looks_up_only_what_moved(example_tree: Path, tmp_path: Path) -> None:
    settle(example_tree)
    warm, plain = tmp_path / "warm", tmp_path / "plain"
    scan(example_tree, warm)
    scan(example_tree, plain)
    _forget_seal(plain)  # the same state but the kept report: a rescan as before this change
    _change(example_tree)
    settle(example_tree)
    doc = scan(example_tree, warm)
    other = scan(example_tree, plain)
    stats = doc["stats"]
    assert "whole" not in stats and other["stats"]["settled"] == 0
    # The file added and the one changed in place are judged; of the rest, only the scans
    # waiting for OCR are looked up (to be read where Tesseract is): the others are
    # neither stat-ed by the walk nor looked up.
    waiting = stats["ocr_waiting"]
    assert waiting > 0  # the example's scans
    assert stats["opened"] == 2
    assert stats["settled"] == stats["cached"] - waiting > 0
    assert stats["cached"] == other["stats"]["cached"]  # the figure as any rescan says it
    assert same(doc, other)
    assert same(doc, scan(example_tree, tmp_path / "fresh"))


def test_a_night_that_cannot_keep_its_report_keeps_its_settled_files(
    example_tree: Path, tmp_path: Path
) -> None:
    """A scan right after a change is unsettled: its report can never stand, but its
    files that are settled serve the next night. (Before, it kept nothing and the last
    kept report stayed: on a share changed every evening, each night looked up every file
    changed since that report.)"""
    settle(example_tree)
    warm = tmp_path / "warm"
    scan(example_tree, warm)
    _change(example_tree)  # two files judged at the next scan
    settle(example_tree)
    agen = next(example_tree.rglob("1.4.2 Sudah ditetapkan agen perubahan"))
    late = agen / "SK Agen Perubahan Tambahan 2025-10-02.pdf"
    drawn_pdf(late, [["BT /F1 12 Tf 60 780 Td (Surat Keputusan Agen Perubahan 2025) Tj ET"]])
    busy = scan(example_tree, warm)  # within 2 s of that: unsettled
    assert busy["stats"]["opened"] == 3
    (head,) = warm.glob("seal-*.json")
    header = json.loads(head.read_text(encoding="utf-8"))
    assert header["whole"] is False and header["body_file"] is None
    assert not list(warm.glob("seal-*.body"))  # nothing that could stand for a run
    names = unpack_names(header["names"], "/")
    assert late.name not in names  # changed just now: not settled
    assert {"SK Agen Perubahan 2025-09-01.pdf", "Pakta Integritas 2025-08-20.pdf"} <= set(names)
    settle(example_tree)
    calm = scan(example_tree, warm)  # the same share, settled now: no report stands
    stats = calm["stats"]
    assert "whole" not in stats and stats["opened"] == 0
    # Looked up: the scans waiting for OCR and the one file added just before the busy
    # scan (the files changed before it are settled: they were not, from the first one).
    assert stats["cached"] - stats["settled"] == stats["ocr_waiting"] + 1
    assert same(calm, scan(example_tree, tmp_path / "fresh"))
    assert scan(example_tree, warm)["stats"]["whole"] == 1  # that one was settled


def test_settled_files_whose_results_are_lost_are_looked_up(
    example_tree: Path, tmp_path: Path
) -> None:
    """The kept results gone (a damaged store set aside): every indicator is computed
    again, its settled files' verdicts read from the cache, not judged again."""
    settle(example_tree)
    warm, plain = tmp_path / "warm", tmp_path / "plain"
    for state in (warm, plain):
        scan(example_tree, state)
        (state / "results.sqlite3").unlink()
    _forget_seal(plain)
    _change(example_tree)
    settle(example_tree)
    doc = scan(example_tree, warm)
    other = scan(example_tree, plain)
    stats = doc["stats"]
    assert stats["settled"] > 0 and stats["evaluated"] == len(doc["indicators"])
    assert stats["opened"] == 2  # the added and the changed file only: none judged again
    # The figures are the walk's: the files looked up during evaluation are not counted
    # again, nor do they reset the scans waiting for OCR.
    figures = ("cached", "ocr_waiting")
    assert [stats[k] for k in figures] == [other["stats"][k] for k in figures]
    assert same(doc, other)
    assert same(doc, scan(example_tree, tmp_path / "fresh"))


def test_a_header_whose_digests_do_not_add_up_is_no_shortcut(
    example_tree: Path, tmp_path: Path
) -> None:
    settle(example_tree)
    warm = tmp_path / "warm"
    scan(example_tree, warm)
    (head,) = warm.glob("seal-*.json")
    header = json.loads(head.read_text(encoding="utf-8"))
    header["digests"] = header["digests"][1:]
    head.write_text(json.dumps(header), encoding="utf-8")
    _change(example_tree)
    settle(example_tree)
    doc = scan(example_tree, warm)
    assert doc["stats"]["settled"] == 0 and doc["stats"]["opened"] == 2
    assert same(doc, scan(example_tree, tmp_path / "fresh"))


def test_the_day_a_window_closes_still_takes_the_settled_files(
    example_tree: Path, tmp_path: Path
) -> None:
    """Past the kept report's span (a window closed: every nightly run of a month-end) the
    report cannot stand, but its files' verdicts do not depend on the day."""
    settle(example_tree)
    warm = tmp_path / "warm"
    scan(example_tree, warm)
    _, hi = bearing_span(load_rules(bundled_rules_path()), dt.date.fromisoformat(AS_OF))
    after = (hi + dt.timedelta(days=1)).isoformat()
    doc = scan(example_tree, warm, as_of=after)  # nothing of the share moved
    assert "whole" not in doc["stats"] and doc["stats"]["settled"] > 0
    assert doc["stats"]["opened"] == 0
    assert same(doc, scan(example_tree, tmp_path / "fresh", as_of=after))
