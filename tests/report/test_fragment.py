"""An indicator's fragment written in parts (report/fragment.py) is the encoder's text,
byte for byte, and each file's part lies where it says: a rescan splices kept parts into
new fragments by those places (state/filememo.py)."""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path

from tests.helpers import pdf_bytes
from zi_audit.evaluate.model import IndicatorResult
from zi_audit.pipeline import Pipeline, ScanOptions
from zi_audit.report.document import indicator_doc
from zi_audit.report.fragment import file_text, indicator_text
from zi_audit.rules.loader import load_rules
from zi_audit.rules.model import bundled_rules_path
from zi_audit.state.paths import prepare_state_dir


def test_a_fragment_in_parts_is_the_encoders_text(example_tree: Path, tmp_path: Path) -> None:
    pakta = next(example_tree.rglob("Pakta Integritas 2025-08-20.pdf"))
    # Names the encoder escapes: quotes, a backslash, non-ASCII, bytes that are not UTF-8.
    pakta.with_name('Pakta "Integritas" \\ é 2025-08-21.pdf').write_bytes(pdf_bytes())
    folder = os.fsencode(pakta.parent)
    with open(folder + b"/Pakta Integritas \xff 2025-08-22.pdf", "wb") as fh:
        fh.write(pdf_bytes())
    rules = load_rules(bundled_rules_path())
    state = prepare_state_dir(tmp_path / "state", example_tree)
    report = Pipeline(example_tree, rules, ScanOptions(as_of=dt.date(2025, 11, 15)), state=state)
    results = [r for r in report.run().indicators if isinstance(r, IndicatorResult)]
    assert len(results) == len(rules.indicators)
    files = 0
    for res in results:
        text, spans, head = indicator_text(res)
        assert text == json.dumps(indicator_doc(res), ensure_ascii=False)
        parts = [file_text(f) for item in res.items for f in item.files]
        assert [text[a:b] for a, b in zip(spans[::2], spans[1::2], strict=True)] == parts
        assert head == indicator_doc(res, files=False)  # what a JSON-only run counts from
        files += len(parts)
    assert files > 20
    names = [f.path for r in results for i in r.items for f in i.files]
    assert any("\udcff" in n for n in names) and any('"' in n for n in names)
