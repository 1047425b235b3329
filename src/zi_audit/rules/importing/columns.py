"""Which row is the header, and what each column means, from the words plans use.

The header may stand anywhere (a decree's table starts on its eleventh page, after its
prose); it is the first row naming an indicator, an activity or an LKE code, and the
evidence. Header words come from the plans units publish: KOMPONEN / INDIKATOR / LANGKAH
AKSI / BUKTI FISIK / TARGET DAN WAKTU; Rencana Aksi / Kegiatan / Output / Bukti Dukung /
Penanggung Jawab / PIC / Tim Kerja Terkait; the LKE's own hierarchy (aspek / area / pilar /
sub_pilar / pertanyaan); database columns (`deskripsi_rencana_aksi`).
"""

from __future__ import annotations

from typing import NamedTuple

from zi_audit.core.errors import ZiAuditError
from zi_audit.rules.importing.layout import Table
from zi_audit.util.textnorm import fold

# Meaning -> header phrases; the first meaning a header names wins, so narrower meanings
# (sub-area before area, evidence before output) come first.
COLUMNS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("lke_sub", ("sub deskripsi",)),
    ("lke", ("kode lke", "id deskripsi", "lke", "kode")),
    ("area", ("sub komponen", "subkomponen", "sub area", "sub pilar")),
    ("part", ("aspek",)),
    ("component", ("komponen", "pilar", "area")),
    ("indicator", ("indikator", "pertanyaan", "rencana kinerja")),
    ("action", ("rencana aksi", "langkah aksi", "kegiatan", "langkah", "aksi", "uraian")),
    ("output", ("bukti", "dokumen", "rencana output", "keluaran", "output")),
    ("target", ("target", "waktu", "jadwal", "tenggat")),
    ("pic", ("pic", "penanggung jawab", "pj", "pjk", "pelaksana", "tim kerja terkait")),
    ("year", ("tahun",)),
    ("no", ("no", "nomor")),
)
# Columns whose cells say where a row belongs rather than what it is.
PLACES = ("component", "area", "part")
_SEEN_ROWS = 20  # the rows a failed search lists


class NoHeader(ZiAuditError):
    """No row of the document names the columns of a Rencana Aksi table."""


class Header(NamedTuple):
    row: int  # index of the header row in its table
    cols: dict[str, int]  # meaning -> column index
    lkeish: bool  # the LKE's own hierarchy: pilar = component, the `area` column a part


def meaning(cell: str) -> str | None:
    head = f" {fold(cell)} "
    for name, phrases in COLUMNS:
        if any(f" {p} " in head for p in phrases):
            return name
    return None


def find_header(table: Table) -> Header:
    """The first row naming an indicator (or an activity, or an LKE code) and the evidence."""
    for n, row in enumerate(table):
        found: dict[str, int] = {}
        for col, cell in enumerate(row):
            name = meaning(cell) if len(cell) < 80 else None
            if name == "output" and "output" in found and _is_evidence(cell):
                found["output"] = col  # "Dokumen"/"Bukti" over a plain "Output" column
            elif name is not None and name not in found:
                found[name] = col
        if ("indicator" in found or "action" in found or "lke" in found) and "output" in found:
            lkeish = any(" pilar " in f" {fold(c)} " for c in row)
            if lkeish and "component" in found and "area" in found:
                # the LKE hierarchy: aspek / area (the part) / pilar / sub_pilar / pertanyaan
                pilar = next(i for i, c in enumerate(row) if fold(c) == "pilar")
                area_col = next((i for i, c in enumerate(row) if fold(c) == "area"), None)
                found["component"] = pilar
                if area_col is not None:
                    found["part"] = area_col
            return Header(n, found, lkeish)
    raise NoHeader(_not_found(table))


def _is_evidence(cell: str) -> bool:
    head = f" {fold(cell)} "
    return " bukti " in head or " dokumen " in head


def _not_found(table: Table) -> str:
    seen = [" | ".join(c.split("\n")[0][:30] for c in row if c) for row in table if any(row)]
    words = "indikator / rencana aksi / kegiatan / kode LKE, and bukti / output / dokumen"
    shown = "; ".join(seen[:3]) or "(no rows)"
    return (
        f"no Rencana Aksi table found: no row names an indicator (or activity) column and an "
        f"output (bukti) column. Expected header words: {words}. "
        f"Looked at {min(len(seen), _SEEN_ROWS)} of {len(seen)} rows, e.g. {shown}"
    )


def is_header_again(row: list[str], header: Header) -> bool:
    """The header repeated after a page break: most cells name their own column's meaning
    (OCR joins and bends header words, 'LANGKAHAKSI', 'BUKTI FIZIK')."""
    named = [(n, cell) for n, cell in enumerate(row) if cell.strip()]
    if len(named) < 3 or any(len(cell) > 30 for _, cell in named):
        return False
    columns = {col: name for name, col in header.cols.items()}
    agree = sum(1 for n, cell in named if meaning(cell) == columns.get(n, meaning(cell)))
    known = sum(1 for _, cell in named if meaning(cell) is not None)
    return agree * 3 >= len(named) * 2 and known * 3 >= len(named) * 2
