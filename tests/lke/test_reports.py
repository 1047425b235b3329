"""Every report leads with the LKE score: text, HTML, Markdown, CSV, JSON, email, history."""

from __future__ import annotations

from pathlib import Path

from tests.report.test_document import _outputs


def test_every_output_shows_the_score(example_tree: Path, tmp_path: Path) -> None:
    doc, out = _outputs(example_tree, tmp_path)
    lke = doc["lke"]
    score = f"{lke['pemenuhan']['value']:.2f}".replace(".", ",")
    top = lke["fix_first"][0]
    for fmt in ("text", "mail-text"):
        text = out[fmt]
        assert text.index("Nilai LKE yang didukung bukti") < text.index("Kekurangan, urut tenggat")
        assert f"Pemenuhan {score:>9} / 30" in text.replace("  ", " ") or f"{score} / 30" in text
        assert text.index("Perbaiki dulu") < text.index("Kekurangan, urut tenggat")
        assert f"{top['indicator']} {top['name']}" in text
    for fmt in ("html", "mail-html"):
        page = out[fmt]
        assert "Nilai LKE yang didukung bukti" in page and "WBK: belum" in page
        assert (
            'class="mark" style="left:60%"' in page and 'class="mark m75" style="left:75%"' in page
        )
    assert "## Nilai LKE yang didukung bukti" in out["md"]
    header = out["csv"].splitlines()[0]
    assert header.endswith("baris LKE;nilai baris LKE;poin bila diperbaiki")
    assert f"Pemenuhan {score}/30 · WBK: belum" in out["subject"]
    assert out["history"].splitlines()[-1].endswith(f"{score}/30")
    assert lke["readiness"]["wbk"]["reached"] is False
