"""Seeded fuzzing in every CI run: mutated PDFs and JPEGs through the real worker pool,
mutated rule files through the loader. 0 tracebacks, 0 hangs, every file a verdict.
bench/fuzz.py runs the same at 10x for a soak."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.helpers import REPO, broken, jpeg_bytes, pdf_bytes
from tests.helpers.fuzz import mutate, mutate_text
from zi_audit.cli.main import cli
from zi_audit.inspection.facts import Candidate, ContentInspector

SEED = 20261201


def test_mutated_documents_all_get_a_verdict(
    tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    rng = random.Random(SEED)
    seeds = [pdf_bytes(), broken.text_pdf(), broken.encrypted_pdf("x"), broken.signed_field_pdf()]
    photos = [jpeg_bytes(), jpeg_bytes(None)]
    files: list[Candidate] = []
    for n in range(400):
        ext, data = (
            ("pdf", mutate(rng.choice(seeds), rng))
            if n < 300
            else ("jpg", mutate(rng.choice(photos), rng))
        )
        path = tmp_path / f"f{n:03d}.{ext}"
        path.write_bytes(data)
        files.append(Candidate(path.name, str(path), path.stat()))
    inspector = ContentInspector(tmp_path / "facts.sqlite3", workers=2, timeout=10)
    facts = inspector(files)
    assert set(facts) == {c.rel for c in files}  # every file got a verdict
    assert inspector.stats["opened"] + sum(1 for c in files if c.stat.st_size == 0) == 400
    assert not [c.rel for c in files if "timeout" in facts[c.rel].problems]  # no hangs
    _, err = capfd.readouterr()
    assert "Traceback" not in err


def test_mutated_rule_files_load_or_say_why(tmp_path: Path) -> None:
    rng = random.Random(SEED)
    text = (REPO / "rules" / "bukti_fisik.yaml").read_text(encoding="utf-8")
    head = text[: text.index('  - id: "3"')]  # components 1 and 2: quick to load
    runner = CliRunner()
    codes = {0: 0, 2: 0}
    for n in range(300):
        path = tmp_path / f"r{n:03d}.yaml"
        path.write_text(mutate_text(head, rng), encoding="utf-8")
        result = runner.invoke(cli, ["rules", "check", str(path)], catch_exceptions=False)
        assert result.exit_code in (0, 2), (path.read_text()[:2000], result.output)
        if result.exit_code == 2:
            assert len(result.stderr.strip().splitlines()) == 1, result.stderr
            assert str(path) in result.stderr
        codes[result.exit_code] += 1
    assert codes[2] > 100  # the mutations do break files


def _plan_documents(tmp_path: Path) -> dict[str, bytes]:
    """A plan in each form `rules import` reads: csv, Markdown, xlsx, docx, a ruled PDF and
    a PDF's text layer as `pdftotext -layout` lays it out."""
    from openpyxl import Workbook

    from tests.rules.test_import import _docx
    from tests.rules.test_import_plans import _laid_out, _ruled_pdf

    rows = [
        ["No", "Komponen", "Indikator", "Rencana Aksi", "Bukti", "Target Waktu"],
        ["I", "Manajemen Perubahan", "", "", "", ""],
        [
            "1",
            "Tim Kerja",
            "a. Tim dibentuk",
            "Membentuk tim",
            "SK Tim; Notulen rapat",
            "Agustus 2025",
        ],
        ["", "", "b. Rencana kerja", "Menyusun rencana", "Dokumen rencana kerja", ""],
    ]
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    book.save(tmp_path / "seed.xlsx")
    _ruled_pdf(tmp_path / "seed.pdf", [rows], [30, 120, 120, 120, 150, 100])
    _docx(tmp_path / "seed.docx", rows, merged={(3, 1)})
    return {
        "docx": (tmp_path / "seed.docx").read_bytes(),
        "csv": "\n".join(";".join(r) for r in rows).encode(),
        "md": "\n".join("| " + " | ".join(r) + " |" for r in rows).encode(),
        "xlsx": (tmp_path / "seed.xlsx").read_bytes(),
        "pdf": (tmp_path / "seed.pdf").read_bytes(),
        "txt": "\n".join(_laid_out([tuple(r) for r in rows], (0, 6, 26, 46, 66, 90))).encode(),
    }


def test_mutated_plan_documents_import_or_say_why(tmp_path: Path) -> None:
    """Documents cut short, shuffled, emptied or flipped: a draft that loads, or one message
    (exit 2), never a traceback and never a draft that does not load."""
    rng = random.Random(SEED)
    seeds = _plan_documents(tmp_path)
    peak = _peak_mb()
    runner = CliRunner()
    outcomes = {0: 0, 1: 0, 2: 0}
    for n in range(120):
        ext = list(seeds)[n % len(seeds)]
        data = seeds[ext]
        how = n // len(seeds) % 4
        if how == 0:
            data = data[: rng.randrange(len(data) + 1)]  # cut short
        elif how == 1 and ext in ("csv", "md", "txt"):
            lines = data.split(b"\n")
            rng.shuffle(lines)
            data = b"\n".join(lines)  # shuffled rows
        elif how == 2:
            data = b""  # emptied
        else:
            data = mutate(data, rng)
        doc = tmp_path / f"d{n:03d}.{ext}"
        doc.write_bytes(data)
        out = tmp_path / f"d{n:03d}.yaml"
        result = runner.invoke(
            cli, ["rules", "import", str(doc), "--output", str(out)], catch_exceptions=False
        )
        assert result.exit_code in (0, 1, 2), result.output
        if result.exit_code == 2:
            assert not out.exists() and len(result.stderr.strip().splitlines()) == 1, result.stderr
        else:
            assert runner.invoke(cli, ["rules", "check", str(out)]).exit_code == 0
        outcomes[result.exit_code] += 1
    assert outcomes[2] > 20 and outcomes[0] > 5
    assert _peak_mb() - peak < 300  # bounded: no mutation made a reader build a huge table


CONFIG = """\
root: /srv/bukti
state: /var/lib/zi-audit
lang: id
email:
  sender: zi-audit@kpu.go.id
  recipients: [tim.zi@kpu.go.id]
  retries: 2
  smtp: {host: 127.0.0.1, port: 2525, security: plain, username: zi, password_env: ZI_PW}
owners:
  "1": {name: Pokja Satu, email: satu@kpu.go.id}
  "2": {email: dua@kpu.go.id}
pics:
  Kasubbag Umum: umum@kpu.go.id
lke: {ipak: 3.6, ipkp: 3.5, capaian_kinerja: B}
"""


def test_mutated_configurations_load_or_say_why(tmp_path: Path) -> None:
    """zi-audit.yaml with its owners, email, pics and lke sections mutated: config check
    answers with its findings or one message, never a traceback, in bounded time."""
    rng = random.Random(SEED)
    runner = CliRunner()
    codes = {0: 0, 2: 0}
    peak = _peak_mb()
    for n in range(200):
        path = tmp_path / f"c{n:03d}.yaml"
        path.write_text(mutate_text(CONFIG, rng), encoding="utf-8")
        result = runner.invoke(
            cli, ["config", "check", "--config", str(path)], catch_exceptions=False
        )
        assert result.exit_code in (0, 2), (path.read_text()[:2000], result.output)
        if result.exit_code == 2:
            assert "Traceback" not in result.stderr and len(result.stderr) < 2000, result.stderr
        codes[result.exit_code] += 1
    assert codes[2] > 50
    assert _peak_mb() - peak < 300  # bounded: no alias tree was expanded


def _peak_mb() -> float:
    """This process's peak resident memory so far, in MB (Linux reports KB)."""
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
