"""Rebuild examples/evidence_tree: a small share that shows every status on 2025-11-15.

Run from the repository root: `python examples/build_evidence_tree.py`. The tree is
committed; this script documents how each file came to be and rebuilds it
byte-for-byte (fixed dates, no randomness). PDFs are written with pypdf and JPEGs
with Pillow (with EXIF), as real teams' files are.
"""

from __future__ import annotations

import io
import shutil
import sys
from pathlib import Path

from PIL import Image
from pypdf import PdfWriter
from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "src"))

from zi_audit.match.folders import folder_names  # noqa: E402
from zi_audit.rules.loader import load_rules  # noqa: E402

TREE = HERE / "evidence_tree"


def pdf_bytes(
    title: str, created: str, password: str | None = None, lines: tuple[str, ...] = ()
) -> bytes:
    """A one-page PDF; with `lines`, a text layer as a word processor writes one."""
    writer = PdfWriter()
    page = writer.add_blank_page(width=595, height=842)
    if lines:
        font = writer._add_object(
            DictionaryObject(
                {
                    NameObject("/Type"): NameObject("/Font"),
                    NameObject("/Subtype"): NameObject("/Type1"),
                    NameObject("/BaseFont"): NameObject("/Helvetica"),
                }
            )
        )
        runs = [f"1 0 0 1 60 {780 - 22 * n} Tm ({t}) Tj" for n, t in enumerate(lines)]
        stream = DecodedStreamObject()
        stream.set_data("\n".join(["BT /F1 12 Tf", *runs, "ET"]).encode("latin-1"))
        page[NameObject("/Resources")] = DictionaryObject(
            {NameObject("/Font"): DictionaryObject({NameObject("/F1"): font})}
        )
        page[NameObject("/Contents")] = writer._add_object(stream)
    writer.add_metadata(
        {"/Title": title, "/CreationDate": created, "/Producer": "zi-audit example"}
    )
    if password:
        writer.encrypt(user_password=password, owner_password=password, algorithm="AES-128")
    buf = io.BytesIO()
    writer.write(buf)
    return buf.getvalue()


def jpeg_bytes(taken: str, color: tuple[int, int, int]) -> bytes:
    image = Image.new("RGB", (320, 240), color)
    exif = Image.Exif()
    exif_ifd = exif.get_ifd(0x8769)
    exif_ifd[0x9003] = taken  # DateTimeOriginal
    buf = io.BytesIO()
    image.save(buf, "JPEG", quality=60, exif=exif)
    return buf.getvalue()


def main() -> None:
    rules = load_rules(HERE.parent / "rules" / "bukti_fisik.yaml")
    f = folder_names(rules)
    files: dict[str, bytes] = {}

    def pdf(folder: str, name: str, created: str = "D:20250915090000+07'00'", *lines: str) -> None:
        files[f"{folder}/{name}"] = pdf_bytes(name.rsplit(".", 1)[0], created, None, lines)

    def jpg(
        folder: str, name: str, taken: str = "2025:09:12 10:15:32", color=(40, 90, 160)
    ) -> None:
        files[f"{folder}/{name}"] = jpeg_bytes(taken, color)

    # 1.1.1 / 1.1.2: last year's decree -> outdated (the most common rejection).
    # Its words date it (the report says "kata-kata dokumen") and name 2024 in its title.
    pdf(
        f["1.1.1"],
        "SK Tim Kerja ZI 2024.pdf",
        "D:20241001100000+07'00'",
        "KEPUTUSAN KETUA KPU KABUPATEN BANYUWANGI",
        "NOMOR 45/HK.03/2024",
        "TENTANG TIM KERJA PEMBANGUNAN ZONA INTEGRITAS TAHUN 2024",
        "Ditetapkan di Banyuwangi",
        "pada tanggal 5 Agustus 2024",
    )
    # 1.2.x and 1.3.1: the plan's own decree -> present for three indicators.
    pdf(f["1.2.1"], "SK Rencana Aksi Pembangunan ZI 29-09-2025.pdf", "D:20250929143000+07'00'")
    # 1.2.3: a signed commitment, and a banner photo in a folder named after the evidence.
    pdf(f["1.2.3"], "Pakta Integritas 2025-08-20.pdf")
    jpg(f"{f['1.2.3']}/Banner Tolak Gratifikasi", "WhatsApp Image 2025-09-12 at 10.15.32.jpeg")
    # 1.3.2: one evaluation meeting, dated by its folder; generic names count in their own folder.
    meeting = f"{f['1.3.2']}/Rapat Evaluasi 15 Oktober 2025"
    pdf(meeting, "Undangan.pdf")
    pdf(meeting, "Daftar Hadir.pdf")
    # Its text dates it too ("Hari/Tanggal"): the demo shows a date read from the words.
    pdf(
        meeting,
        "Lembar Monev ZI.pdf",
        "D:20251101090000+07'00'",
        "LEMBAR MONITORING DAN EVALUASI PEMBANGUNAN ZONA INTEGRITAS",
        "Hari/Tanggal : Rabu, 15 Oktober 2025",
        "Tempat : Aula KPU Kabupaten Banyuwangi",
    )
    jpg(meeting, "IMG_20251015_101532.jpg", "2025:10:15 10:15:32")
    # 1.4.2: the change-agent decree came a month after its September target -> late.
    pdf(f["1.4.2"], "SK Tim Agen Perubahan 20251020.pdf", "D:20251020090000+07'00'")
    # 1.4.3: a photo in a folder named after the evidence.
    jpg(f"{f['1.4.3']}/Tagline Budaya Kerja", "IMG_20250912_101532.jpg")
    # 1.4.4: filed early in the plan year -> still present.
    pdf(f["1.4.4"], "LHKPN 2025-03-31.pdf", "D:20250331080000+07'00'")
    pdf(f["1.4.4"], "Pakta Integritas Seluruh Pegawai 2025-08-20.pdf")
    # 2.2.1: screenshots of applications.
    jpg(f"{f['2.2.1']}/Aplikasi Srikandi", "Screenshot 2025-08-14 091200.jpg")
    # 2.2.2: monthly attendance recaps; November is not due yet -> pending.
    for month in ("Agustus", "September", "Oktober"):
        pdf(f"{f['2.2.2']}/Rekap Absensi", f"Rekap Absensi {month} 2025.pdf")
    # 4.2.5: the 2024 report (written in 2025) does not serve the 2025 plan -> outdated.
    pdf(f["4.2.5"], "LKjIP 2024.pdf", "D:20250215090000+07'00'")
    # 5.1.1: a banner photo.
    jpg(
        f"{f['5.1.1']}/Banner Kawasan Zona Integritas",
        "IMG-20250712-WA0037.jpg",
        "2025:07:12 09:00:00",
    )
    # 6.3.3: "Oktober dan Desember": October done, December still to come.
    pdf(f["6.3.3"], "Rapat Evaluasi Penanganan Keluhan 2025-10-20.pdf")
    # 6.4.1: an upload that never finished: zero bytes -> invalid. Its "revision" is an
    # invitation saved under the report's name: its words lack what a SKM report says.
    files[f"{f['6.4.1']}/Laporan SKM Triwulan III 2025.pdf"] = b""
    pdf(
        f["6.4.1"],
        "Laporan SKM Triwulan III 2025 revisi.pdf",
        "D:20251006090000+07'00'",
        "UNDANGAN RAPAT",
        "Hari/Tanggal : Senin, 6 Oktober 2025",
        "Acara : Persiapan penilaian Zona Integritas",
    )
    # 6.1.2: a scan someone locked with a password: it opens for nobody -> invalid.
    files[f"{f['6.1.2']}/Maklumat Pelayanan 2025-09-01.pdf"] = pdf_bytes(
        "Maklumat Pelayanan", "D:20250901090000+07'00'", password="rahasia"
    )
    # Clutter that is never evidence, and files that match nothing.
    files[f"{f['1.3.2']}/~$Notulen.docx"] = b"lock"
    files[f"{f['1.3.2']}/Thumbs.db"] = b"thumbs"
    files[f"{f['2.2.2']}/@eaDir/thumb.jpg"] = b"nas thumbnail"
    files["Foto Kegiatan 2025-09-10.jpg"] = jpeg_bytes("2025:09:10 08:00:00", (200, 120, 40))
    files["Catatan pribadi.txt"] = b"bukan bukti\n"

    if TREE.exists():
        shutil.rmtree(TREE)
    for rel, data in sorted(files.items()):
        path = TREE / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    print(f"wrote {len(files)} files under {TREE.relative_to(HERE.parent)}")


if __name__ == "__main__":
    main()
