"""User-facing words in Bahasa Indonesia (default) and English.

One flat catalog per language so that a translator edits one file, and a test
can check that both languages define the same keys.
"""

from __future__ import annotations

LANGS = ("id", "en")

CATALOG: dict[str, dict[str, str]] = {
    "id": {
        "status.present": "lengkap",
        "status.late": "terlambat",
        "status.outdated": "usang",
        "status.invalid": "tidak valid",
        "status.missing": "kurang",
        "status.pending": "belum waktunya",
        "status.not_planned": "tanpa rencana",
        "source.filename": "nama berkas",
        "source.folder": "nama folder",
        "source.content": "isi berkas",
        "source.mtime": "waktu ubah berkas",
        "problem.empty": "berkas kosong (0 byte)",
        "problem.unreadable": "tidak dapat dibaca",
        "problem.vanished": "hilang saat dipindai",
        "problem.link_outside": "tautan ke luar folder bukti, dilewati",
        "problem.link_folder": "tautan ke folder, tidak diikuti",
        "problem.link_broken": "tautan rusak",
        "head.title": "Audit bukti fisik Zona Integritas",
        "head.root": "Folder",
        "head.as_of": "Per tanggal",
        "head.files": "{files} berkas diperiksa, {matched} cocok dengan bukti",
        "head.components": "Capaian per komponen",
        "head.summary": "Ringkasan",
        "head.indicators": "{n} indikator",
        "head.gaps": "Kekurangan, urut tenggat",
        "head.no_gaps": "Tidak ada kekurangan. Semua bukti lengkap.",
        "head.problems": "Masalah saat membaca folder",
        "head.unmatched": "{n} berkas tidak cocok dengan bukti mana pun (lihat --format json)",
        "head.later": "… {n} bukti lain belum waktunya, tenggat lebih dari {days} hari lagi "
        "(paling akhir {last}); tampilkan dengan --all",
        "gap.due": "tenggat {date}",
        "gap.folder": "folder",
        "gap.patterns": "pola nama",
        "gap.types": "jenis",
        "gap.files": "berkas",
        "gap.slots_open": "periode belum ada: {slots}",
        "gap.more": "… dan {n} lagi",
        "progress.scan": "Memindai: {folders} folder, {files} berkas",
        "error.not_a_folder": "folder bukti tidak ditemukan: {path}",
        "error.bad_date": "tanggal '{value}' tidak valid; gunakan YYYY-MM-DD",
        "error.bad_status": "status '{value}' tidak dikenal; pilih dari {choices}",
        "error.ignore_file": "berkas abaikan tidak ditemukan: {path}",
    },
    "en": {
        "status.present": "present",
        "status.late": "late",
        "status.outdated": "outdated",
        "status.invalid": "invalid",
        "status.missing": "missing",
        "status.pending": "pending",
        "status.not_planned": "not planned",
        "source.filename": "file name",
        "source.folder": "folder name",
        "source.content": "file content",
        "source.mtime": "modification time",
        "problem.empty": "empty file (0 bytes)",
        "problem.unreadable": "cannot be read",
        "problem.vanished": "vanished during the scan",
        "problem.link_outside": "link leading outside the evidence folder, skipped",
        "problem.link_folder": "link to a folder, not followed",
        "problem.link_broken": "broken link",
        "head.title": "Zona Integritas evidence audit",
        "head.root": "Folder",
        "head.as_of": "As of",
        "head.files": "{files} files checked, {matched} match evidence",
        "head.components": "Progress per component",
        "head.summary": "Summary",
        "head.indicators": "{n} indicators",
        "head.gaps": "Gaps, by deadline",
        "head.no_gaps": "No gaps. All evidence is present.",
        "head.problems": "Problems while reading folders",
        "head.unmatched": "{n} files match no evidence (see --format json)",
        "head.later": "… {n} more items pending, due in more than {days} days "
        "(last on {last}); show them with --all",
        "gap.due": "due {date}",
        "gap.folder": "folder",
        "gap.patterns": "name patterns",
        "gap.types": "types",
        "gap.files": "files",
        "gap.slots_open": "periods without evidence: {slots}",
        "gap.more": "… and {n} more",
        "progress.scan": "Scanning: {folders} folders, {files} files",
        "error.not_a_folder": "evidence folder not found: {path}",
        "error.bad_date": "invalid date '{value}'; use YYYY-MM-DD",
        "error.bad_status": "unknown status '{value}'; choose from {choices}",
        "error.ignore_file": "ignore file not found: {path}",
    },
}


def t(key: str, lang: str = "id", **values: object) -> str:
    text = CATALOG.get(lang, CATALOG["id"]).get(key) or CATALOG["id"].get(key, key)
    return text.format(**values) if values else text
