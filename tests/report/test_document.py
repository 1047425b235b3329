"""One report document, one set of figures: every output of one scan says the same."""

from __future__ import annotations

import csv
import io
import json
import re
from email import message_from_bytes, policy
from html import escape as html_escape
from pathlib import Path

from tests.helpers import nightly, run_cli

CONFIG = """state: {state}
email:
  sender: zi-audit@kpu.go.id
  recipients: [tim.zi@kpu.go.id]
  smtp: {{host: 127.0.0.1, port: 2525, security: plain}}
"""


def test_every_output_gives_the_same_complete_count(example_tree: Path, tmp_path: Path) -> None:
    state = tmp_path / "state"
    config = tmp_path / "zi-audit.yaml"
    config.write_text(CONFIG.format(state=state))
    code, out, err = nightly(example_tree, state, "--config", str(config))
    assert code == 0, err
    doc = json.loads(out)
    complete, planned = doc["summary"]["complete"], doc["summary"]["planned"]
    by = doc["summary"]["by_status"]
    assert complete == by["present"] + by["late"] and planned == 86
    figure = f"{complete}/{planned}"

    def report(fmt: str) -> str:
        code, text, err = run_cli("report", "--config", str(config), "--format", fmt)
        assert code == 0, err
        return text

    text = report("text")  # from the last scan, without scanning again
    assert re.search(rf"Ringkasan: {figure} indikator selesai", text)
    assert f'<div class="card good headline"><b>{figure}</b>' in report("html")
    assert f"**{figure}** indikator selesai" in report("md")
    rows = list(csv.reader(io.StringIO(report("csv").lstrip("\ufeff")), delimiter=";"))
    done = {r[0] for r in rows[1:] if r[2] in ("lengkap", "terlambat")}
    assert len(done) == complete
    assert json.loads(report("json"))["summary"]["complete"] == complete

    assert run_cli("email", "--config", str(config), "--dry-run")[0] == 0
    tim = sorted((state / "outbox").rglob("*.eml"))[0]
    message = message_from_bytes(tim.read_bytes(), policy=policy.default)
    assert f"{figure} indikator selesai" in message["Subject"]
    body = message.get_body(("plain",))
    assert body is not None and f"{figure} indikator selesai" in body.get_content()

    code, history, _ = run_cli("history", "--config", str(config))
    assert code == 0 and history.splitlines()[-1].split()[-2] == figure


def test_a_damaged_last_report_gives_a_message(tmp_path: Path) -> None:
    state = tmp_path / "state"
    state.mkdir()
    for content in ("{}", "[]", "null", "not json", '{"as_of": "2025-11-15"}'):
        (state / "last-report.json").write_text(content)
        code, _, err = run_cli("report", "--state", str(state), "--format", "text")
        assert code == 2 and "last-report.json" in err and "Traceback" not in err


def _outputs(example_tree: Path, tmp_path: Path) -> tuple[dict, dict[str, str]]:
    """One recorded scan of the example tree, and every output made from it."""
    state = tmp_path / "state"
    config = tmp_path / "zi-audit.yaml"
    config.write_text(CONFIG.format(state=state))
    code, out, err = nightly(example_tree, state, "--config", str(config))
    assert code == 0, err
    outputs = {
        fmt: run_cli("report", "--config", str(config), "--format", fmt)[1]
        for fmt in ("text", "json", "html", "md", "csv")
    }
    assert run_cli("email", "--config", str(config), "--dry-run")[0] == 0
    tim = sorted((state / "outbox").rglob("*.eml"))[0]
    message = message_from_bytes(tim.read_bytes(), policy=policy.default)
    text, html = message.get_body(("plain",)), message.get_body(("html",))
    assert text is not None and html is not None
    outputs["subject"] = str(message["Subject"])
    outputs["mail-text"] = text.get_content()
    outputs["mail-html"] = html.get_content()
    outputs["history"] = run_cli("history", "--config", str(config))[1]
    return json.loads(out), outputs


def test_every_output_counts_alike(example_tree: Path, tmp_path: Path) -> None:
    doc, out = _outputs(example_tree, tmp_path)
    s = doc["summary"]
    by = s["by_status"]
    figure = f"{s['complete']}/{s['planned']}"
    assert f"{figure} indikator selesai" in out["text"]
    assert f"{by['missing']} kurang" in out["text"] and f"{by['late']} terlambat" in out["text"]
    assert f"{by['invalid']} tidak valid" in out["text"]
    for fmt in ("html", "mail-html"):
        page = out[fmt]
        assert f"<b>{figure}</b>" in page
        for status, word in (
            ("missing", "kurang"),
            ("invalid", "tidak valid"),
            ("late", "terlambat"),
        ):
            assert f"<b>{by[status]}</b><span>{word}</span>" in page
    assert f"**{figure}** indikator selesai" in out["md"]
    assert f"{by['missing']} kurang · {by['invalid']} tidak valid" in out["md"]
    rows = list(csv.reader(io.StringIO(out["csv"].lstrip("\ufeff")), delimiter=";"))
    status_of = {r[0]: r[2] for r in rows[1:] if r[2]}
    counted = {w: sum(1 for v in status_of.values() if v == w) for w in set(status_of.values())}
    assert counted.get("lengkap", 0) + counted.get("terlambat", 0) == s["complete"]
    assert counted.get("kurang", 0) == by["missing"]
    assert counted.get("tidak valid", 0) == by["invalid"]
    assert counted.get("terlambat", 0) == by["late"]
    assert json.loads(out["json"])["summary"] == s
    assert (
        f"{figure} indikator selesai, {by['missing']} kurang, {by['invalid']} tidak valid"
        in out["subject"]
    )
    assert (
        f"{figure} indikator selesai (lengkap atau terlambat); {by['missing']} kurang; "
        f"{by['invalid']} tidak valid" in out["mail-text"]
    )
    assert out["history"].splitlines()[-1].split()[-2] == figure


def test_every_invalid_and_unmatched_file_is_in_every_output(
    example_tree: Path, tmp_path: Path
) -> None:
    doc, out = _outputs(example_tree, tmp_path)
    invalid = {
        f["path"]
        for i in doc["indicators"]
        for e in i["evidence"]
        for f in e["files"]
        if not f["valid"]
    }
    unmatched = set(doc["unmatched_files"])
    assert invalid and unmatched
    for fmt in ("text", "json", "html", "md", "csv", "mail-text", "mail-html"):
        for path in invalid | unmatched:
            shown = html_escape(path) if "html" in fmt else path
            assert shown in out[fmt], (fmt, path)


def test_the_csv_opens_in_excel_set_to_indonesian(example_tree: Path, tmp_path: Path) -> None:
    """Excel with the id-ID locale expects ';' between fields where numbers use a decimal
    comma, and a UTF-8 BOM to read the names right; English keeps ',' and points (#21 point 4)."""
    state = tmp_path / "state"
    assert (
        run_cli("scan", str(example_tree), "--as-of", "2025-11-15", "--state", str(state))[0] == 0
    )
    ind = run_cli("report", "--state", str(state), "--format", "csv")[1]
    eng = run_cli("report", "--state", str(state), "--format", "csv", "--lang", "en")[1]
    assert ind.startswith("\ufeff") and eng.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(ind.lstrip("\ufeff")), delimiter=";"))
    assert len({len(r) for r in rows}) == 1 and len(rows[0]) == 14
    values = [r[12] for r in rows[1:] if r[12]]
    assert values and all("." not in v for v in values) and any("," in v for v in values)
    english = list(csv.reader(io.StringIO(eng.lstrip("\ufeff"))))
    assert len(english[0]) == 14 and any("." in r[12] for r in english[1:] if r[12])


def test_the_summary_alone_counts_as_the_whole_document(example_tree: Path, tmp_path: Path) -> None:
    """Watch keeps summary_of() between updates: the same figures as build(), from full
    results and from kept ones, on days before, within and after the plan's windows."""
    import datetime as dt

    from zi_audit.pipeline import Pipeline, ScanOptions
    from zi_audit.report import document
    from zi_audit.report.figures import invalid_paths
    from zi_audit.rules.loader import load_rules
    from zi_audit.rules.model import bundled_rules_path
    from zi_audit.state.paths import prepare_state_dir

    (example_tree / "1. Manajemen Perubahan" / "SK Tim ZI rusak.pdf").write_bytes(b"%PDF-1.4")
    rules = load_rules(bundled_rules_path())
    state = prepare_state_dir(tmp_path / "state", example_tree)
    for day in (dt.date(2025, 3, 1), dt.date(2025, 9, 20), dt.date(2025, 11, 15)):
        for keep in (False, True, True):  # full results; kept ones made, then read
            options = ScanOptions(as_of=day)
            report = Pipeline(example_tree, rules, options, state=state, keep_results=keep).run()
            built = document.build(report)
            whole = built["summary"]
            assert document.summary_of(report) == whole
            assert whole["invalid_files"] >= 1 and whole["gaps"] >= 1
            # Counted from the kept heads: as the files the document shows count them.
            assert whole["invalid_files"] == len(invalid_paths(built["indicators"]))
    assert report.stats["evaluated"] == 0  # the last one was kept whole


def test_a_json_only_document_decodes_no_kept_fragment(example_tree: Path, tmp_path: Path) -> None:
    """A run that writes JSON only builds its document from the kept fragments' heads and
    texts (document.build, files=False): the same text and figures as from the decoded
    fragments, owners spliced into the text, and not one fragment decoded."""
    import datetime as dt

    from zi_audit.evaluate.model import KeptIndicator
    from zi_audit.pipeline import Pipeline, ScanOptions
    from zi_audit.report import document, render_json
    from zi_audit.report.figures import invalid_paths
    from zi_audit.rules.loader import load_rules
    from zi_audit.rules.model import bundled_rules_path
    from zi_audit.state.paths import prepare_state_dir

    (example_tree / "1. Manajemen Perubahan" / "SK Tim ZI rusak.pdf").write_bytes(b"%PDF-1.4")
    rules = load_rules(bundled_rules_path())
    state = prepare_state_dir(tmp_path / "state", example_tree)
    options = ScanOptions(as_of=dt.date(2025, 11, 15))
    agen = next(example_tree.rglob("1.4.2 Sudah ditetapkan agen perubahan"))
    (agen / "SK Agen Perubahan 2025-08-01.pdf").write_bytes(b"%PDF-1.4 torn")  # kept, reused
    Pipeline(example_tree, rules, options, state=state, keep_results=True).run()
    (agen / "SK Agen Perubahan 2025-09-01.pdf").write_bytes(b"%PDF-1.4 not whole")
    report = Pipeline(example_tree, rules, options, state=state, keep_results=True).run()
    kept = [r for r in report.indicators if isinstance(r, KeptIndicator)]
    assert len(kept) == len(rules.indicators) and report.stats["evaluated"] >= 1
    inputs = document.DocInputs(owners={"1": "Budi <budi@kpu.go.id>"})

    heads = document.build(report, inputs, files=False)
    assert not any("doc" in vars(r) for r in kept)  # no fragment decoded
    whole = document.build(report, inputs)
    assert render_json.render(heads) == render_json.render(whole)
    assert heads["summary"] == whole["summary"]
    invalid = invalid_paths(whole["indicators"])
    assert whole["summary"]["invalid_files"] == len(invalid) >= 3
    torn = [p for p in invalid if p.endswith("SK Agen Perubahan 2025-08-01.pdf")]
    assert torn and report.stats["reused"] > 0  # an invalid file's kept result, reused
    owned = [
        i for i in json.loads(render_json.render(heads))["indicators"] if i["component"] == "1"
    ]
    assert owned and all(i["pic"] == "Budi <budi@kpu.go.id>" for i in owned)
    assert "pic" not in kept[0].head and "pic" not in kept[0].doc  # the kept part untouched


def test_an_owner_is_added_to_a_written_part_from_its_whole_text() -> None:
    """A written part is spliced where it can be; else read from its text, never from
    its dict (a kept fragment's dict may be its head, its files left out)."""
    import json as json_

    from zi_audit.core.schema import Written
    from zi_audit.report import document

    whole = {"id": "1.1.1", "evidence": [{"key": "1.1.1/1", "files": [{"path": "a.pdf"}]}]}
    text = json_.dumps(whole, ensure_ascii=False)
    head = {"id": "1.1.1", "evidence": [{"key": "1.1.1/1", "files": []}]}
    spliced = document.with_pic(Written(head, text), "Budi")  # type: ignore[arg-type]
    assert isinstance(spliced, Written)
    assert spliced.text == json_.dumps({**whole, "pic": "Budi"}, ensure_ascii=False)
    named = Written({**head, "pic": "Ani"}, json_.dumps({**whole, "pic": "Ani"}))
    read = document.with_pic(named, "Budi")  # type: ignore[arg-type]
    assert read == {**whole, "pic": "Budi"}  # its files, from the text
