"""The JSON report written in pieces is the same text as written at once."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, cast

from tests.helpers import run_cli
from zi_audit.core.schema import ReportDoc
from zi_audit.report.render_json import pieces, render


def test_pieces_make_the_same_text_as_one_dump() -> None:
    files = [f'Foto/IMG "{n}" ë\\{n}.jpg' for n in range(6001)]
    indicators = [
        {
            "id": str(n),
            "indicators": [],
            "evidence": [{"files": [{"path": p} for p in files[:900]]}],
        }
        for n in range(7)
    ]
    doc = cast(
        ReportDoc,
        {
            "a": 1,
            "summary": {"indicators": 7},
            "indicators": indicators,
            "unmatched_files": files,
            "unmatched": [],
            "z": {"k": [1]},
        },
    )
    parts = list(pieces(doc))
    assert len(parts) > 3 + 7  # written in pieces, an indicator at a time
    assert "".join(parts) == json.dumps(doc, ensure_ascii=False) + "\n" == render(doc)
    small = cast(
        ReportDoc,
        {**cast(dict[str, Any], doc), "indicators": indicators[:1], "unmatched_files": files[:10]},
    )
    assert list(pieces(small)) == [json.dumps(small, ensure_ascii=False) + "\n"]


def test_a_big_share_prints_the_json_it_keeps(tmp_path: Path) -> None:
    root = tmp_path / "share"
    (root / "Foto").mkdir(parents=True)
    for n in range(5200):
        (root / "Foto" / f"IMG_{n:05d}.txt").write_text("x")
    state = tmp_path / "s"
    args = ["scan", str(root), "--as-of", "2025-11-15", "--format", "json", "--state", str(state)]
    code, out, _ = run_cli(*args)
    assert code == 0
    assert out == (state / "last-report.json").read_text(encoding="utf-8")
    # #23.5: the report carries the first thousand, their count and their folders; every
    # one is in STATE/unmatched.txt, and in the report with --all.
    doc = json.loads(out)
    assert (len(doc["unmatched_files"]), doc["unmatched_count"]) == (1000, 5200)
    assert doc["unmatched_folders"] == [{"folder": "Foto", "files": 5200}]
    kept = (state / "unmatched.txt").read_text(encoding="utf-8").splitlines()
    assert len(kept) == 5200 and kept[0] == "Foto/IMG_00000.txt"
    code, out, _ = run_cli(*args, "--all")
    assert code == 0 and len(json.loads(out)["unmatched_files"]) == 5200


def test_more_likely_homes_than_the_report_keeps() -> None:
    """The 100k bench had 3,875 unmatched files with a likely home: more than are kept."""
    from types import SimpleNamespace

    from zi_audit.report.unmatched import UNMATCHED_KEPT, kept_unmatched

    paths = [f"Arsip/SK {n}.pdf" for n in range(3000)] + [f"Foto/{n}.jpg" for n in range(500)]
    report = SimpleNamespace(unmatched=paths, suggestions={p: None for p in paths[:2500]})
    kept = kept_unmatched(cast(Any, report), False)
    assert kept == paths[:UNMATCHED_KEPT]
    assert kept_unmatched(cast(Any, report), True) == paths


def test_kept_fragments_are_written_as_the_encoder_writes_them(
    example_tree: Path, tmp_path: Path
) -> None:
    """A rescan writes its kept indicators' fragments as it read them (core/schema.py
    `Written`): the text must be the very text encoding the document gives."""
    import shutil

    pakta = next(example_tree.rglob("Pakta Integritas 2025-08-20.pdf"))
    shutil.copy2(pakta, pakta.with_name("Pakta Integritas Bu\u0308di «ZI» 2025-08-21.pdf"))
    (example_tree / "Foto").mkdir()
    for n in range(5200):  # past the size at which the report is written in pieces
        (example_tree / "Foto" / f"IMG_{n:05d}.txt").write_text("x")
    state = tmp_path / "s"
    args = ["scan", str(example_tree), "--as-of", "2025-11-15", "--format", "json"]
    args += ["--all", "--state", str(state)]
    code, first, _ = run_cli(*args)
    assert code == 0
    code, again, _ = run_cli(*args)
    assert code == 0
    doc = json.loads(again)
    assert doc["stats"]["evaluated"] == 0  # every fragment kept, written as read
    assert again == json.dumps(doc, ensure_ascii=False) + "\n"
    assert "Bu\u0308di «ZI»" in again
    without_stats = [
        {k: v for k, v in json.loads(t).items() if k != "stats"} for t in (first, again)
    ]
    assert without_stats[0] == without_stats[1]
