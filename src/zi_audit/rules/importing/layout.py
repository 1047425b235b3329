"""Rows of a table laid out as text (`pdftotext -layout`, a PDF without ruled cells).

Laid-out text has no cells: a column is a band of character positions, and a cell that
wraps is several lines. Two things are read here, both from the text itself:

- the columns. Header words are centred over their columns while the cells below are left
  aligned, and pdftotext lays out each page at its own scale, so the header's positions are
  only a guide. Between two header words the cut is put where the page's lines are blank
  just before it (the gutter between two columns); every word goes to the column it starts in.
- the rows. Where items are lettered (`a.`, `b.`), a row starts at a line with a number in
  the first column or a letter in the item column, and the lines below it, also those on the
  next page, are its wrapped lines. Without letters every line is a row, as before, and a
  row cut short is joined later (rows.py) where its tail starts in lower case.

Each row keeps the line number of its first line, so messages point into the text.
"""

from __future__ import annotations

import itertools
import re

Table = list[list[str]]

_CHUNK = re.compile(r"(?:^|(?<=\s{2}))\S.*?(?=\s{2}|$)")
_WORD = re.compile(r"\S+")
_HEADER_WORD = re.compile(
    r"\b(no|komponen|indikator|kegiatan|aksi|bukti|output|target|waktu|pic)\b", re.I
)
_ITEM = re.compile(r"^[a-z][.)]$")
_MARK = re.compile(r"^(?:[a-z]|\d{1,2})[.)]$|^[-•*]$")
_SHOUT = re.compile(r"^[A-Z][A-Z/&-]+[.,]?$")
_NUMBER = re.compile(r"^\s{0,3}(?:\d{1,2}|[IVX]{1,4})[.)]?\s")  # a numbered row
_PAGE_NUMBER = re.compile(r"^\s*\d{1,3}\s*$")


def layout_table(text: str) -> Table:
    pages = [[line.rstrip() for line in page.splitlines()] for page in text.split("\f")]
    if _header_at(pages) is None:
        return _by_widest_line(pages)
    rows: Table = []
    placed: list[tuple[int, list[str]]] = []  # (row index, cells) of each line in the table
    centres: list[float] = []
    for page in pages:
        start = len(rows)
        rows += [[] for _ in page]
        head = next((n for n, line in enumerate(page) if _is_header(line)), None)
        if head is not None:
            chunks = [(m.start(), m.group()) for m in _CHUNK.finditer(page[head])]
            centres = [start + len(chunk) / 2 for start, chunk in chunks]
            rows[start + head] = [chunk for _, chunk in chunks]
        if not centres:
            continue  # prose before the table's first header
        body = [n for n in range(len(page)) if page[n].strip() and (head is None or n > head)]
        if body and _PAGE_NUMBER.match(page[body[-1]]):
            body.pop()  # the page's number at its foot
        cuts = _cuts([page[n] for n in body], centres)
        local = cuts
        for n in body:
            cells, local = _split(page[n], cuts if _NUMBER.match(page[n]) else local)
            placed.append((start + n, cells))
    return _rows(rows, placed)


def _header_at(pages: list[list[str]]) -> tuple[int, int] | None:
    for p, page in enumerate(pages):
        for n, line in enumerate(page):
            if _is_header(line):
                return p, n
    return None


def _is_header(line: str) -> bool:
    return sum(1 for m in _CHUNK.finditer(line) if _HEADER_WORD.search(m.group())) >= 3


def _cuts(lines: list[str], centres: list[float]) -> list[int]:
    """Where each column after the first starts on this page: between two header centres,
    the position fewest words run across (a word or two that ran long may), then the one
    where most words start (cells are left aligned)."""
    if not lines:
        return [round(c) for c in centres[1:]]
    width = max(len(line) for line in lines) + 1
    crossed = [0] * (width + 1)
    starts = [0] * (width + 1)
    for line in lines:
        for m in _WORD.finditer(line):
            if line[max(0, m.start() - 2) : m.start()].strip() == "":
                starts[m.start()] += 1  # a cell's text begins after a gap, not one space
            for x in range(m.start() + 1, m.end()):
                crossed[x] += 1
    cuts = []
    for left, right in itertools.pairwise(centres):
        lo, hi = int(left) + 1, min(int(right) + 1, width)
        if lo > hi:
            cuts.append(hi)
            continue
        cuts.append(max(range(lo, hi + 1), key=lambda x: (-crossed[x], starts[x], x)))
    return cuts


def _split(line: str, cuts: list[int]) -> tuple[list[str], list[int]]:
    """The line's words by the column each starts in, and the cuts for the lines below.

    A list mark (`a.`, `1.`, `-`) hangs left of its column's text and goes with the word
    after it; a heading in capitals (`III. PENATAAN SISTEM MANAJEMEN SDM`) that runs across
    columns stays in one. Where pdftotext set a row's cell a few characters left of where
    the page's other rows have it, two pieces of text fall in one column while the next is
    empty: the second piece is that next column's, and so are the row's lines below it."""
    words = list(_WORD.finditer(line))
    cols: list[int] = []
    for n, m in enumerate(words):
        col = _column(m.start(), cuts)
        after = words[n + 1] if n + 1 < len(words) else None
        mark = col and _MARK.match(m.group())  # the first column's mark is the row's number
        if mark and after is not None and after.start() - m.end() <= 4:
            col = _column(after.start(), cuts)
        elif n and _SHOUT.match(m.group()) and m.start() - words[n - 1].end() == 1:
            col = cols[-1] if _SHOUT.match(words[n - 1].group()) else col
        cols.append(col)
    cuts = list(cuts)
    for first, last in _chunks(words):
        col, start = cols[first], words[first].start()
        if (
            first
            and not _MARK.match(words[first - 1].group())
            and cols[first - 1] == col < len(cuts)
            and 0 < cuts[col] - start <= 8
            and all(c in (col, col + 1) for c in cols[first:last])
            and col + 1 not in cols[:first] + cols[last:]
        ):
            cuts[col] = start
            cols[first:last] = [col + 1] * (last - first)
    cells = [""] * (len(cuts) + 1)
    for col, m in zip(cols, words, strict=True):
        cells[col] = f"{cells[col]} {m.group()}".lstrip()
    return cells, cuts


def _chunks(words: list[re.Match[str]]) -> list[tuple[int, int]]:
    """(first, end) word indexes of each run of words set one space apart."""
    out, first = [], 0
    for n in range(1, len(words) + 1):
        if n == len(words) or words[n].start() - words[n - 1].end() >= 2:
            out.append((first, n))
            first = n
    return out


def _column(start: int, cuts: list[int]) -> int:
    return sum(1 for cut in cuts if start >= cut)


def _rows(rows: Table, placed: list[tuple[int, list[str]]]) -> Table:
    """One row per lettered or numbered item, its wrapped lines joined with newlines."""
    item = _item_column([cells for _, cells in placed])
    if item is None:
        for n, cells in placed:
            rows[n] = cells
        return rows
    first = -1
    for n, cells in placed:
        starts = bool(cells[0]) or bool(_ITEM.match(cells[item].split(" ", 1)[0]))
        if starts or first < 0:
            first = n
            rows[n] = cells
            continue
        above = rows[first]
        for col, text in enumerate(cells):
            if text:
                above[col] = f"{above[col]}\n{text}" if above[col] else text
    return rows


def _item_column(lines: list[list[str]]) -> int | None:
    """The column whose cells start with `a.`, `b.` … on at least three lines, if any."""
    counts: dict[int, int] = {}
    for cells in lines:
        for col, text in enumerate(cells):
            if col and _ITEM.match(text.split(" ", 1)[0]):
                counts[col] = counts.get(col, 0) + 1
    best = max(counts, key=lambda c: counts[c], default=None)
    return best if best is not None and counts[best] >= 3 else None


def _by_widest_line(pages: list[list[str]]) -> Table:
    """A laid-out page without header words: cut at the cell starts of its widest line."""
    rows: Table = []
    for lines in pages:
        chunks = [[(m.start(), m.group()) for m in _CHUNK.finditer(line)] for line in lines]
        widest = max(range(len(lines)), key=lambda n: len(chunks[n]), default=0)
        if not lines or len(chunks[widest]) < 2:
            rows += [[] for _ in lines]
            continue
        cuts = [start for start, _ in chunks[widest]]
        for found in chunks:
            cells = [""] * len(cuts)
            for start, chunk in found:
                col = max((i for i, c in enumerate(cuts) if c <= start + 2), default=0)
                cells[col] = f"{cells[col]} {chunk}".strip()
            rows.append(cells if found else [])
    return rows
