"""What a plan row's cells say: its time window, its documents, the names files get.

Time cells as units write them: `Januari 2021.`, `Januari s/d Desember 2021`, `April –
Des 2021`, `Juni, Desember 2021`, `Juli dan Desember`, a bulleted month list, `Triwulan I`,
`TW I-IV`, `Semester II`, a time followed by the outcome targets of a merged cell (`Januari
2021 / 1. Meningkatnya komitmen …`), a date inside the evidence text (`(Mei 2021)`).
Documents: each bullet, line, `;` or `,` item of the evidence cell is one document (`LHKPN
dan LHKASN` is one, either counts). Name patterns are built from the document's kind and
subject (`SK Tim Kerja`, `Rekap absensi`), without frequency words, years, the unit's name
or clauses such as "yang ditandatangani oleh …".
"""

from __future__ import annotations

import difflib
import itertools
import re
from collections import Counter
from collections.abc import Iterable

from zi_audit.rules.periods import Period, WindowError, parse_window
from zi_audit.util.months import MONTHS_ID, month_number
from zi_audit.util.numbering import ROMAN
from zi_audit.util.textnorm import fold
from zi_audit.util.words import FUNCTION, REGION

YEAR = re.compile(r"\b(19|20)\d{2}\b")
OUTCOME = re.compile(r"^\s*\d{1,2}[.)]\s+\S")
_BULLET = re.compile(r"^\s*[-\u2022*]\s*")
_QUARTER = re.compile(
    r"\b(?:triwulan|tw)\s*(i{1,3}|iv|[1-4])\b(?:\s*[-\u2013s/d.]+\s*(i{1,3}|iv|[1-4])\b)?", re.I
)
_SEMESTER = re.compile(r"\bsemester\s*(i{1,2}|[12])\b", re.I)
EVERY = (
    ("month", re.compile(r"\b(setiap|per|tiap)\s+bulan|\bbulanan\b|\bsetiap\s+\d+\s+bulan", re.I)),
    (
        "quarter",
        re.compile(r"\b(setiap|per|tiap)\s+triwulan|\btriwulanan\b|\bsetiap\s+3\s+bulan", re.I),
    ),
    # 'Hasil pengukuran kinerja semester' recurs too; 'semester I' names one half-year.
    (
        "semester",
        re.compile(r"\bsemester(an)?\b(?!\s*(i{1,2}|[12]|pertama|kedua)\b)|\benam\s+bulan\b", re.I),
    ),
)
WHOLE_YEAR = "Januari - Desember"


def everies(text: str) -> list[str]:
    """Frequencies in the order the text says them: 'per semester atau per triwulan'."""
    found = ((rx.search(text), e) for e, rx in EVERY)
    return [e for _, e in sorted((m.start(), e) for m, e in found if m)]


def time_lines(cell: str) -> list[str]:
    """The time part of a target cell: its lines up to the outcome targets a merged cell
    adds (`1. Meningkatnya …`), bullets and `: what` tails dropped."""
    cell = re.sub(r"\bs\s*/\s*d\b|\bs\.d\.?|\bsd\b", " s.d. ", cell, flags=re.I)
    cell = re.sub(r"\s/\s", "\n", cell)  # 'Januari 2025 / 1. Meningkatnya …' on one line
    out: list[str] = []
    bulleted = bool(_BULLET.match(cell))
    for line in cell.split("\n"):
        if OUTCOME.match(line) and out:
            break
        line = _BULLET.sub("", line).split(":")[0]
        line = re.sub(r"^\W+|[\s,.;:]+$", "", line)
        if line:
            out.append(line)
    if bulleted and len(out) == 1:  # '- Maret - Juni - Sept' written on one line
        out = [p.strip(" ,;") for p in re.split(r"\s[-\u2022]\s+", f" {out[0]}") if p.strip(" ,;")]
    return out


def window(cell: str, year: int) -> tuple[str | None, str | None]:
    """(window for the rule file, why it is unsure) from a target-time cell."""
    if cell.strip() in ("-", "\u2013", "\u2014"):
        return "-", None  # the table says no target time, as the rule file can
    lines = time_lines(cell)
    if not lines:
        return None, "no target time"
    spans: list[str] = []
    fixed: list[str] = []
    for line in lines:
        text, note = _one(line, year)
        if text is None:
            if spans:
                break  # words after the time: an outcome without a number
            if not names_a_month(line):
                continue  # a status before the time: 'Tercapai / 4 Januari 2021'
            return None, note or f"target time '{cell.strip()[:40]}' not read"
        spans.append(text)
        if note:
            fixed.append(note)
    if not spans:
        return None, f"target time '{cell.strip()[:40]}' not read"
    windows = [parse_window(s, year) for s in spans]
    if len(spans) > 1 and all(w is not None and len(w.parts) == 1 for w in windows):
        parts = sorted(
            (p for w in windows if w is not None for p in w.parts), key=lambda p: p.start
        )
        if all(p.kind == "month" or p.start.month == p.end.month for p in parts) and _apart(parts):
            text = ", ".join(spans)  # the months as the plan writes them
        else:
            first, last = parts[0].start.month, max(p.end for p in parts).month
            text = f"{MONTHS_ID[first - 1]} - {MONTHS_ID[last - 1]}"
        return text, "; ".join(fixed) or None
    return spans[0], "; ".join(fixed) or None


def _apart(parts: list[Period]) -> bool:
    return all(b.start > a.end for a, b in itertools.pairwise(parts))


def _one(line: str, year: int) -> tuple[str | None, str | None]:
    """One time line as a window text, and a note when it was mended (an OCR slip)."""
    cell = YEAR.sub("", line)
    cell = cell.replace("TW I-IV", WHOLE_YEAR).replace("TW I - IV", WHOLE_YEAR)
    cell = re.sub(r"\b(setiap|per|tiap)\s+(bulan|triwulan|semester)\b", "", cell, flags=re.I)
    cell = _periods(cell)
    cell = re.sub(r"^\W+|[\s,.;:]+$", "", " ".join(cell.split()))
    if not cell:
        return None, "no target time"
    try:
        parse_window(cell, year)
        return cell, None
    except WindowError as exc:
        fixed = _month_typos(cell)
        if fixed != cell:
            try:
                parse_window(fixed, year)
                return (
                    fixed,
                    f"target time '{line.strip()[:40]}' read as '{fixed}' (a typo or OCR slip)",
                )
            except WindowError:
                pass
        return None, f"target time '{line.strip()[:40]}' not read ({exc})"


def _periods(cell: str) -> str:
    """`Triwulan I` -> `Januari - Maret`, `TW I-IV` -> the year, `Semester II` -> `Juli -
    Desember`: the months a period names."""

    def number(text: str) -> int:
        return int(text) if text.isdigit() else ROMAN[text.lower()]

    def quarter(m: re.Match[str]) -> str:
        first = number(m[1])
        last = number(m[2]) if m[2] else first
        return f"{MONTHS_ID[first * 3 - 3]} - {MONTHS_ID[last * 3 - 1]}"

    def semester(m: re.Match[str]) -> str:
        n = number(m[1])
        return f"{MONTHS_ID[n * 6 - 6]} - {MONTHS_ID[n * 6 - 1]}"

    return _SEMESTER.sub(semester, _QUARTER.sub(quarter, cell))


def _month_typos(cell: str) -> str:
    """The cell with each word that is nearly a month name (OCR's 'DeRember', 'Agusttls')
    replaced by that month; the draft says so, so a person checks it."""
    months = [m.lower() for m in MONTHS_ID]

    def fix(match: re.Match[str]) -> str:
        word = match[0]
        if month_number(word) is not None or len(word) < 4:
            return word
        close = difflib.get_close_matches(word.lower(), months, n=1, cutoff=0.75)
        return close[0].capitalize() if close else word

    return re.sub(r"[A-Za-z]+", fix, cell)


def names_a_month(cell: str) -> bool:
    """Whether a cell names a month or a period at all (else it is an outcome's text)."""
    words = re.findall(r"[A-Za-z]+", cell)
    return any(month_number(w) for w in words) or bool(
        _QUARTER.search(cell) or _SEMESTER.search(cell)
    )


def reads_as_time(cells: Iterable[str], year: int) -> bool:
    """Whether a 'Target' column holds times (most filled cells read), not outcomes."""
    filled = [c for c in cells if c.strip()]
    read = sum(1 for c in filled if window(c, year)[0] is not None)
    return bool(filled) and read * 2 >= len(filled)


_DATED = re.compile(r"\(([^()]*)\)")


def dated(cell: str) -> str:
    """A date written inside the evidence text, '(Juli, Des 2021)', or ''."""
    for found in _DATED.finditer(cell):
        inner = found[1]
        if any(month_number(w) for w in re.findall(r"[A-Za-z]+", inner)):
            return " ".join(inner.split())
    return ""


_ITEM_SPLIT = re.compile(
    r"\s*(?:;|\n|(?<![A-Za-z])[0-9]{1,2}[.)]\s|(?<=\s)[ivx]{1,4}[.)]\s|^-\s|\s-\s)\s*"
)


def documents(cell: str) -> list[str]:
    """The documents an evidence cell names, one per bullet, line, `;` or `,` item."""
    cell = re.sub(r"\(([^()]*)\)", lambda m: "" if m[0] and dated(m[0]) else m[0], cell)
    # A line break inside a cell is the width of its column, unless a bullet starts a line.
    cell = re.sub(r"\n(?!\s*(?:[-\u2022*]|\d{1,2}[.)]|[ivx]{1,4}[.)])\s)", " ", cell)
    out = []
    for part in _ITEM_SPLIT.split(cell):
        for piece in re.split(r",\s*(?:dan\s+|serta\s+)?", part):
            piece = re.sub(r"^(?:dan|serta|dll)\b\.?|\bdll\.?$", "", piece.strip(" -•.:")).strip(
                " -•.:"
            )
            if len(piece) > 2:
                out.append(piece)
    return out


# Words that start a clause of a document's name, which a file's name does not carry.
_CLAUSE = frozenset(
    "yang oleh di pada untuk dengan sesuai dalam melalui kepada dari tepat terkait "
    "mencakup meliputi berupa beserta sebagai bagi".split()
)
# Words that say nothing of which document it is.
_EMPTY = (
    FUNCTION
    | REGION
    | frozenset(
        "tahun setiap per tiap bulan bulanan triwulan triwulanan semester semesteran berkala "
        "terdapat adanya membuat menyusun melakukan melaksanakan telah sudah bukti dokumen "
        "kegiatan pelaksanaan seluruh satuan kerja unit".split()
    )
)
# A document's kind, and the other names teams give the same kind.
_KINDS = {
    "lakip": ("lakip", "lkjip", "lkip", "laporan kinerja"),
    "lkjip": ("lakip", "lkjip", "lkip", "laporan kinerja"),
    "sk": ("sk", "surat keputusan"),
    "skm": ("skm", "survei kepuasan"),
    "absensi": ("absensi", "absen", "kehadiran", "presensi"),
    "notulen": ("notulen", "notula", "notulensi"),
    "notulensi": ("notulen", "notula", "notulensi"),
    "dokumentasi": ("dokumentasi", "foto"),
    "foto": ("foto", "dokumentasi"),
}
# Documents any meeting leaves: counted only in the indicator's own folder.
GENERIC = frozenset(
    "undangan notulen notula notulensi foto dokumentasi absensi rapat screenshot tangkapan".split()
)
# Kinds so common that a kind and one other word would name many documents.
_COMMON_HEADS = frozenset("sk surat laporan dokumen rekap daftar formulir data".split())


# What the text of a document of a kind says, whatever the team named the file: proposed
# as the item's `words` (a document of another kind under its name does not count).
_SAYS = {
    "sk": "keputusan",
    "notulen": "notulen|notula|notulensi|risalah",
    "notulensi": "notulen|notula|notulensi|risalah",
    "notula": "notulen|notula|notulensi|risalah",
    "undangan": "undangan",
    "laporan": "laporan",
    "skm": "kepuasan|skm|ikm",
    "lakip": "kinerja",
    "lkjip": "kinerja",
    "absensi": "hadir|presensi|absensi",
    "rekap": "rekap|rekapitulasi|jumlah",
    "pakta": "pakta integritas",
}


def says(name: str, unit: frozenset[str] = frozenset()) -> list[str]:
    """The words a document of this kind holds, to propose as the item's `words`."""
    words = _words(name, unit)
    if not words:
        return []
    if words[:2] == ["daftar", "hadir"]:
        return ["hadir|presensi|absensi"]
    found = _SAYS.get(words[0])
    return [found] if found else []


def patterns(name: str, unit: frozenset[str] = frozenset()) -> tuple[list[str], bool]:
    """Name patterns for a document, and whether it is a generic one (an invitation, an
    attendance list, minutes, photos) that counts only in its own folder. `LHKPN dan
    LHKASN` gives a pattern for each; `unit`: the words of the unit's own name."""
    sides = [s for s in re.split(r"\s+(?:dan|atau)\s+", name) if s.strip()]
    whole = all(len(s.split()) <= 2 and _words(s, unit) for s in sides)
    if len(sides) > 1 and whole:
        found = [patterns(s, unit) for s in sides]
        return list(dict.fromkeys(p for ps, _ in found for p in ps)), all(g for _, g in found)
    words = _words(name, unit)
    if not words:
        return [], False
    head = words[:3]
    generic = head[0] in GENERIC or " ".join(head[:2]) == "daftar hadir"
    if head[0] in _COMMON_HEADS:  # 'sk tim*zi': 'sk tim' alone names too many decrees
        out = [f"{head[0]} {head[1]}*{head[2]}" if len(head) == 3 else " ".join(head) + "*"]
    else:  # 'pakta integritas*', and 'maklumat*pelayanan' for 'maklumat standar pelayanan'
        out = [" ".join(head[:2]) + "*"]
        if len(head) == 3:
            out.append(f"{head[0]}*{head[2]}")
    for other in _KINDS.get(head[0], ()):
        if other != head[0]:
            out.append(f"{other}*{head[1]}" if len(head) > 1 else f"{other}*")
    if len(head) >= 2 and head[0].endswith("an") and len(head[0]) > 8:
        out.append(" ".join(head[1:3]) + "*")  # 'penandatanganan pakta integritas'
    return list(dict.fromkeys(out)), generic


def _words(name: str, unit: frozenset[str]) -> list[str]:
    """The words that say which document it is, up to the first clause word."""
    words: list[str] = []
    for word in fold(YEAR.sub(" ", re.sub(r"\([^)]*\)", " ", name))).split():
        if word in _CLAUSE and words:
            break
        if word not in _EMPTY and word not in unit and len(word) > 1 and not word.isdigit():
            words.append(word)
    return words


_REGION_NAME = re.compile(r"\b([A-Z]{2,6})?\s*(?:Kabupaten|Kota|Provinsi|Kab\.)\s+([A-Z][a-z]+)")


def unit_words(texts: list[str]) -> frozenset[str]:
    """The words of the unit's own name as the plan writes it again and again ("KPU
    Kabupaten Banyuwangi", "BPS Provinsi Aceh"): they name no document."""
    seen: Counter[str] = Counter()
    for text in texts:
        for m in _REGION_NAME.finditer(text):
            seen.update(fold(w) for w in (m[1], m[2]) if w)
    return frozenset(w for w, n in seen.items() if n >= 3)


def lke_code(code: str, sub: str = "") -> str:
    """An LKE code as tables write it, as the LKE key: `1.i.a`, `1.I.b.`, `A.1.I.i` + `a`
    (aspek A, part 1 Pemenuhan / 2 Reform, area I, sub-area i, question a)."""
    parts = [p for p in re.split(r"[.\s]+", f"{code}.{sub}".strip(". ")) if p]
    part = "pemenuhan"
    if len(parts) == 5 and parts[0].upper() in ("A", "B") and parts[1] in ("1", "2"):
        part = "reform" if parts[1] == "2" else "pemenuhan"
        parts = parts[2:]
    if len(parts) != 3:
        return f"{part}:{'.'.join(parts).lower()}"
    area, sub_area, letter = parts
    number = area if area.isdigit() else str(ROMAN.get(area.lower(), area))
    return f"{part}:{number}.{sub_area.lower()}.{letter.lower()}"
