"""First and cached scans of a share with 2,000 PDFs and 2,000 JPEGs among 50,000 files.

    python bench/inspect.py [--files 50000] [--pdfs 2000] [--jpegs 2000] [--keep DIR] [--repeat 5]
    python bench/inspect.py --scans 12     # OCR: a share of scanned two-page decrees

With --scans N: the first scan's OCR of N scanned PDFs (two pages each) per page, against
`pdftoppm -r 200` + `tesseract -l ind+eng` run directly on the same pages, two at a time
(both cores, as the scan's workers); and a cached rescan, which must read no text again.

Prints, beside `find`'s time on the same tree: the first scan (empty cache: every
matched document is opened in the worker processes), the second scan (same state
directory: nothing should be opened), their ratios to `find`, and the first scan's
CPU time over wall time (about 2.0 means both cores were busy). Where poppler's `pdfinfo`
(and ImageMagick's `identify`) are installed, also the anchor #14 names: `find | xargs -P2
pdfinfo` over the same PDFs (`+ identify` over the JPEGs), and the first scan's ratio to it;
with poppler's `pdftotext`, the anchor for a scan that reads the text layers too.
"""

from __future__ import annotations

import os
import sys

# This file is named like the standard library's `inspect`; run as a script, its folder
# would come first on sys.path and shadow it for every library that imports it.
_HERE = os.path.dirname(os.path.abspath(__file__))
sys.path[:] = [p for p in sys.path if os.path.abspath(p or ".") != _HERE]

import argparse
import datetime as dt
import io
import json
import random
import shutil
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

from PIL import Image
from pypdf import PdfReader, PdfWriter

SRC = Path(__file__).resolve().parent.parent / "src"
sys.path.insert(0, str(SRC))

from zi_audit.match.folders import folder_names
from zi_audit.rules.loader import load_rules
from zi_audit.rules.model import bundled_rules_path

PDF_NAMES = [
    "Rekap Absensi {month} 2025 ({n}).pdf",
    "Pakta Integritas Pegawai {n}.pdf",
    "Laporan SKM {n}.pdf",
    "Laporan Rapat Evaluasi SOP {n}.pdf",
    "SKP {n} Tahun 2025.pdf",
]
JPEG_FOLDERS = [
    "Tagline Budaya Kerja",
    "Banner Tolak Gratifikasi",
    "Banner Kawasan Zona Integritas",
]
MONTHS = ["Agustus", "September", "Oktober", "November"]


def _text_page() -> bytes:
    """One A4 page with a line of text, as Word prints a page to PDF: evidence has a text
    layer, which the first scan reads (a page without one would wait for OCR, which has a
    bench of its own: --scans)."""
    line = b"(Notulen Rapat Koordinasi Zona Integritas, Banyuwangi 12 Agustus 2025)"
    content = b"BT /F1 11 Tf 72 770 Td " + line + b" Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = io.BytesIO(b"%PDF-1.4\n")
    out.seek(0, io.SEEK_END)
    offsets = []
    for n, body in enumerate(objects, 1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % n + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    out.write(b"".join(b"%010d 00000 n \n" % off for off in offsets))
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\n" % (len(objects) + 1))
    out.write(b"startxref\n%d\n%%%%EOF\n" % xref)
    return out.getvalue()


def pdf_bytes(rng: random.Random, pages: int) -> bytes:
    page = PdfReader(io.BytesIO(_text_page())).pages[0]
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_page(page)
    day = dt.date(2025, 8, 1) + dt.timedelta(days=rng.randrange(120))
    writer.add_metadata({"/CreationDate": f"D:{day:%Y%m%d}090000+07'00'"})
    buf = io.BytesIO()
    writer.write(buf)
    return buf.getvalue()


def jpeg_bytes(rng: random.Random) -> bytes:
    image = Image.effect_noise((640, 480), 40).convert("RGB")
    exif = Image.Exif()
    day = dt.date(2025, 8, 1) + dt.timedelta(days=rng.randrange(120))
    exif.get_ifd(0x8769)[0x9003] = f"{day:%Y:%m:%d} 10:00:00"
    buf = io.BytesIO()
    image.save(buf, "JPEG", quality=70, exif=exif)
    return buf.getvalue()


def build(root: Path, total: int, pdfs: int, jpegs: int, seed: int = 11) -> None:
    rng = random.Random(seed)
    rules = load_rules(bundled_rules_path())
    indicator_dirs = [p for ident, p in folder_names(rules).items() if ident.count(".") == 2]
    samples = [pdf_bytes(rng, pages) for pages in (1, 2, 5)]
    photos = [jpeg_bytes(rng) for _ in range(8)]
    for n in range(pdfs):
        folder = root / indicator_dirs[n % len(indicator_dirs)] / f"Arsip {n // 200}"
        folder.mkdir(parents=True, exist_ok=True)
        name = PDF_NAMES[n % len(PDF_NAMES)].format(n=n, month=MONTHS[n % len(MONTHS)])
        # Distinct bytes per file so that no two are the same document.
        (folder / name).write_bytes(samples[n % 3] + f"\n% {n}\n".encode())
    for n in range(jpegs):
        folder = root / indicator_dirs[n % len(indicator_dirs)] / JPEG_FOLDERS[n % 3]
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"IMG_{n:05d}.jpg").write_bytes(photos[n % 8])
    for n in range(total - pdfs - jpegs):
        folder = root / indicator_dirs[n % len(indicator_dirs)] / f"Lain-lain {n // 500}"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"catatan {n}.txt").write_bytes(b"x")


def busy_seconds() -> float:
    """CPU seconds the whole machine has spent busy (Linux /proc/stat): counts the
    scan's worker processes too, which are not its children under forkserver."""
    with open("/proc/stat") as fh:
        fields = [int(x) for x in fh.readline().split()[1:]]
    idle = fields[3] + fields[4]
    return (sum(fields[:8]) - idle) / os.sysconf("SC_CLK_TCK")


def timed(cmd: list[str], env: dict[str, str] | None = None) -> tuple[float, float, str]:
    """Wall time, machine-wide busy CPU time during the run, stdout."""
    busy, start = busy_seconds(), time.perf_counter()
    proc = subprocess.run(cmd, stdout=subprocess.PIPE, env=env, check=True)
    return time.perf_counter() - start, busy_seconds() - busy, proc.stdout.decode()


def anchors(root: Path) -> list[tuple[str, float]]:
    """(what, seconds) of opening the same documents with the usual command-line tools, two
    at a time like our two workers: pdfinfo over the PDFs, then also identify over the
    JPEGs where ImageMagick is installed. Empty where pdfinfo is not installed."""
    if shutil.which("pdfinfo") is None:
        return []
    pdfs = f"find {root} -name '*.pdf' -print0 | xargs -0 -P2 -n 1 pdfinfo >/dev/null 2>&1; true"
    jpegs = f"find {root} -name '*.jpg' -print0 | xargs -0 -P2 -n 50 identify >/dev/null 2>&1; true"
    start = time.perf_counter()
    subprocess.run(["sh", "-c", pdfs], check=True)
    out = [("find | xargs -P2 pdfinfo", time.perf_counter() - start)]
    if shutil.which("identify") is not None:
        start = time.perf_counter()
        subprocess.run(["sh", "-c", jpegs], check=True)
        out.append(("  + identify over the JPEGs", out[0][1] + time.perf_counter() - start))
    if shutil.which("pdftotext") is not None:  # the anchor for reading the text layers too
        text = f"find {root} -name '*.pdf' -print0 | xargs -0 -P2 -I{{}} pdftotext {{}} - >/dev/null 2>&1; true"
        start = time.perf_counter()
        subprocess.run(["sh", "-c", text], check=True)
        out.append(("find | xargs -P2 pdftotext", time.perf_counter() - start))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--files", type=int, default=50_000)
    parser.add_argument("--pdfs", type=int, default=2_000)
    parser.add_argument("--jpegs", type=int, default=2_000)
    parser.add_argument("--keep", type=Path, help="build (or reuse) the tree here")
    parser.add_argument("--repeat", type=int, default=5, help="rounds; medians are shown")
    parser.add_argument("--scans", type=int, default=0, help="OCR bench: N scanned PDFs")
    args = parser.parse_args()
    if args.scans:
        ocr_bench(args.scans)
        return

    work = Path(tempfile.mkdtemp(prefix="zi-bench-"))
    root = args.keep or work / "share"
    try:
        if not (root.exists() and any(root.iterdir())):
            t0 = time.perf_counter()
            build(root, args.files, args.pdfs, args.jpegs)
            print(
                f"built {args.files:,} files ({args.pdfs:,} PDFs, {args.jpegs:,} JPEGs) in {time.perf_counter() - t0:.1f}s"
            )
        find = statistics.median(
            timed(["find", str(root), "-type", "f"])[0] for _ in range(args.repeat)
        )
        env = {**os.environ, "PYTHONPATH": str(SRC)}
        env.pop("PYTHONDONTWRITEBYTECODE", None)  # as installed: byte code kept (bench/walk.py)
        firsts, cpus, seconds, ratios = [], [], [], {}
        for n in range(args.repeat):  # each round: empty state, then the same state again
            scan = [sys.executable, "-m", "zi_audit", "scan", str(root), "--as-of", "2025-11-15"]
            scan += ["--format", "json", "--state", str(work / f"state{n}")]
            first, first_cpu, out = timed(scan, env)
            stats = json.loads(out)["stats"]
            second, _, out2 = timed(scan, env)
            stats2 = json.loads(out2)["stats"]
            shutil.rmtree(work / f"state{n}")
            firsts.append(first)
            cpus.append(first_cpu / first)
            seconds.append(second)
            for what, took in anchors(root):  # paired with this round's first scan
                ratios.setdefault(what, []).append((took, first / took))
        first, second = statistics.median(firsts), statistics.median(seconds)
        print(f"medians of {args.repeat} rounds")
        print(f"find -type f            {find:7.3f} s")
        print(
            f"first scan (opens all)  {first:7.3f} s   ratio to find: {first / find:6.1f}"
            f"   opened {stats['opened']:,}"
        )
        print(
            f"  busy CPU / wall       {statistics.median(cpus):7.2f}"
            f"   (cores: {os.cpu_count()}; 2.0 = both busy)"
        )
        print(
            f"second scan (cached)    {second:7.3f} s   ratio to find: {second / find:6.1f}   "
            f"opened {stats2['opened']:,}, from cache {stats2['cached']:,}"
        )
        if not ratios:
            print(
                "pdfinfo not installed: no anchor for opening documents (apt install poppler-utils)"
            )
        for what, pairs in ratios.items():
            took = statistics.median(t for t, _ in pairs)
            ratio = statistics.median(r for _, r in pairs)
            print(f"{what:<28}{took:7.3f} s   first scan / this: {ratio:6.2f}")
        if ratios and args.jpegs and "  + identify over the JPEGs" not in ratios:
            print(
                f"  (these anchors open the PDFs only, the scan the {args.jpegs:,} JPEGs too:"
                " --jpegs 0 compares like with like)"
            )
    finally:
        shutil.rmtree(work)


DECREE = [
    "KEPUTUSAN KETUA KPU KABUPATEN CONTOH NOMOR {n}/HK.03/2025",
    "TENTANG TIM KERJA PEMBANGUNAN ZONA INTEGRITAS TAHUN 2025",
    "Menimbang: bahwa untuk melaksanakan pembangunan zona integritas",
    "perlu menetapkan keputusan tentang tim kerja.",
    "Ditetapkan di Contoh",
    "pada tanggal {day} Agustus 2025",
]


def scanned_pdf(n: int) -> bytes:
    """Two pages as a scanner gives them: images of type, no text layer."""
    from PIL import ImageDraw, ImageFont

    font = ImageFont.truetype("DejaVuSans.ttf", 30)
    pages = []
    for _ in range(2):
        page = Image.new("L", (1240, 1754), 255)
        draw = ImageDraw.Draw(page)
        for k, line in enumerate(DECREE):
            draw.text((110, 180 + 56 * k), line.format(n=n, day=1 + n % 28), fill=0, font=font)
        pages.append(page.convert("RGB"))
    buf = io.BytesIO()
    pages[0].save(buf, "PDF", resolution=150, save_all=True, append_images=pages[1:])
    return buf.getvalue()


def ocr_bench(count: int) -> None:
    from concurrent.futures import ThreadPoolExecutor

    work = Path(tempfile.mkdtemp(prefix="zi-bench-ocr-"))
    try:
        rules = load_rules(bundled_rules_path())
        folder = work / "share" / folder_names(rules)["1.1.1"]
        folder.mkdir(parents=True)
        for n in range(count):
            (folder / f"SK Tim Kerja ZI {n:03d}.pdf").write_bytes(scanned_pdf(n))
        env = {**os.environ, "PYTHONPATH": str(SRC)}
        scan = [sys.executable, "-m", "zi_audit", "scan", str(work / "share"), "--as-of"]
        scan += ["2025-11-15", "--format", "json", "--state", str(work / "state")]
        scan += ["--ocr-budget", "86400", "--no-config"]
        first, cpu, out = timed(scan, env)
        stats = json.loads(out)["stats"]
        second, _, out2 = timed(scan, env)
        stats2 = json.loads(out2)["stats"]

        def direct(pdf: Path, threads: dict[str, str]) -> None:
            for page in (1, 2):
                stem = work / f"{pdf.stem}-{page}"
                subprocess.run(
                    [
                        "pdftoppm",
                        "-r",
                        "200",
                        "-gray",
                        "-png",
                        "-singlefile",
                        "-f",
                        str(page),
                        "-l",
                        str(page),
                        str(pdf),
                        str(stem),
                    ],
                    check=True,
                )
                subprocess.run(
                    ["tesseract", f"{stem}.png", "stdout", "-l", "ind+eng"],
                    check=True,
                    capture_output=True,
                    env={**os.environ, **threads},
                )

        def anchor_of(threads: dict[str, str]) -> float:
            t0 = time.perf_counter()
            with ThreadPoolExecutor(2) as pool:
                list(pool.map(lambda p: direct(p, threads), sorted(folder.glob("*.pdf"))))
            return time.perf_counter() - t0

        anchor = anchor_of({})
        single = anchor_of({"OMP_THREAD_LIMIT": "1"})
        pages = 2 * count
        print(f"{count} scanned PDFs, {pages} pages (cores: {os.cpu_count()})")
        print(
            f"first scan with OCR     {first:7.2f} s   {first / pages:5.2f} s/page   "
            f"read by OCR {stats.get('ocr', 0)}, waiting {stats.get('ocr_waiting', 0)}   "
            f"CPU/wall {cpu / first:4.2f}"
        )
        print(f"pdftoppm + tesseract -P2{anchor:7.2f} s   {anchor / pages:5.2f} s/page")
        print(f"  first scan / direct   {first / anchor:7.2f}")
        print(
            f"  the same, 1 thread each{single:6.2f} s   first scan / this: {first / single:5.2f}"
        )
        print(
            f"cached rescan           {second:7.2f} s   opened {stats2['opened']}, "
            f"read by OCR {stats2.get('ocr', 0)}"
        )
    finally:
        shutil.rmtree(work)


if __name__ == "__main__":
    main()
