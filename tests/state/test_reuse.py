"""What a rescan reuses (verdicts, suggestions) never changes what it reports: after each
change to the share or the rules, a warm rescan equals a scan with an empty state."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

from tests.helpers import REPO, file_statuses, pdf_bytes, run_cli


def scan(root: Path, state: Path, rules: Path | None = None) -> dict:
    extra = ["--rules", str(rules)] if rules else []
    code, out, err = run_cli(
        "scan",
        str(root),
        "--as-of",
        "2025-11-15",
        "--format",
        "json",
        "--state",
        str(state),
        *extra,
    )
    assert code == 0, err
    doc = json.loads(out)
    for key in ("stats",):
        doc.pop(key)
    return doc


def test_a_warm_rescan_equals_a_fresh_scan_after_each_change(
    example_tree: Path, tmp_path: Path
) -> None:
    warm = tmp_path / "warm"
    scan(example_tree, warm)
    assert (warm / "suggestions.json").exists()
    agen = next(example_tree.rglob("1.4.2 Sudah ditetapkan agen perubahan"))
    misc = example_tree / "Foto Kegiatan 2025-09-10.jpg"
    sk = agen / "SK Tim Agen Perubahan 20251020.pdf"
    steps = [
        lambda: (agen / "SK Agen Perubahan 2025-09-01.pdf").write_bytes(pdf_bytes()),  # added
        lambda: sk.rename(agen / "SK Tim Agen Perubahan 2025-09-15.pdf"),  # renamed
        lambda: shutil.move(str(misc), str(agen / misc.name)),  # moved to another folder
        lambda: (agen / "SK Agen Perubahan 2025-09-01.pdf").unlink(),  # deleted
    ]
    for n, step in enumerate(steps):
        step()
        assert scan(example_tree, warm) == scan(example_tree, tmp_path / f"fresh{n}"), n


def test_a_same_size_same_time_replacement_is_judged_again_where_its_folder_changed(
    example_tree: Path, tmp_path: Path
) -> None:
    warm = tmp_path / "warm"
    scan(example_tree, warm)
    target = next(example_tree.rglob("Pakta Integritas 2025-08-20.pdf"))
    st = target.stat()
    broken = b"%PDF-1.4 " + b"x" * (st.st_size - 9)  # same size, not a PDF that opens
    target.unlink()
    target.write_bytes(broken)
    os.utime(target, ns=(st.st_atime_ns, st.st_mtime_ns))  # as `cp -p` or rsync leave it
    assert (target.stat().st_size, target.stat().st_mtime_ns) == (st.st_size, st.st_mtime_ns)
    warm_doc = scan(example_tree, warm)
    assert warm_doc == scan(example_tree, tmp_path / "fresh")
    assert file_statuses(warm_doc, "Pakta Integritas 2025-08-20.pdf") == {"invalid"}


def test_a_changed_rule_file_invalidates_the_suggestions(
    example_tree: Path, tmp_path: Path
) -> None:
    warm = tmp_path / "warm"
    scan(example_tree, warm)
    before = json.loads((warm / "suggestions.json").read_text())["fingerprint"]
    rules = tmp_path / "rules.yaml"
    text = (REPO / "rules" / "bukti_fisik.yaml").read_text(encoding="utf-8")
    rules.write_text(text.replace("\n  title: ", "\n  title: (uji) ", 1), encoding="utf-8")
    assert scan(example_tree, warm, rules) == scan(example_tree, tmp_path / "fresh", rules)
    assert json.loads((warm / "suggestions.json").read_text())["fingerprint"] != before


def test_the_json_report_says_what_the_rescan_redid(example_tree: Path, tmp_path: Path) -> None:
    """An IT admin reading the nightly JSON can see the memo at work."""
    day_ago = os.stat(example_tree).st_mtime - 86_400
    for folder in [example_tree, *(p for p in example_tree.rglob("*") if p.is_dir())]:
        os.utime(folder, (day_ago, day_ago))
    args = ["scan", str(example_tree), "--as-of", "2025-11-15", "--format", "json"]
    args += ["--state", str(tmp_path / "s")]
    first = json.loads(run_cli(*args)[1])["stats"]
    again = json.loads(run_cli(*args)[1])["stats"]
    assert first["folders_listed"] == first["folders"] == again["folders"] > 30
    assert first["names_matched"] > 20
    assert (again["folders_listed"], again["names_matched"], again["opened"]) == (0, 0, 0)
