import datetime as dt

import pytest

from zi_audit.evaluate.namedates import date_in_name, years_in_name

D = dt.date


@pytest.mark.parametrize(
    ("name", "start", "kind"),
    [
        ("SK TIM ZI 2025-09-12.pdf", D(2025, 9, 12), "day"),
        ("Laporan 20250912.pdf", D(2025, 9, 12), "day"),
        ("Undangan 12-09-2025.pdf", D(2025, 9, 12), "day"),
        ("Undangan 12.09.2025.pdf", D(2025, 9, 12), "day"),
        ("Rapat 12／9／25.pdf", D(2025, 9, 12), "day"),  # a Drive name with "/" seen through rclone
        ("Rapat 12 September 2025.pdf", D(2025, 9, 12), "day"),
        ("Rapat 12 Sept 2025.pdf", D(2025, 9, 12), "day"),
        ("Rapat 12 Agt 2025.pdf", D(2025, 8, 12), "day"),
        ("Rapat 12 Agu 2025.pdf", D(2025, 8, 12), "day"),
        ("Rapat 12 Ags 2025.pdf", D(2025, 8, 12), "day"),
        ("Rapat 12 Agust 2025.pdf", D(2025, 8, 12), "day"),
        ("Rapat 3 Nopember 2025.pdf", D(2025, 11, 3), "day"),
        ("Rapat 3 Nop 2025.pdf", D(2025, 11, 3), "day"),
        ("Rekap Pebruari 2025.pdf", D(2025, 2, 1), "month"),
        ("WhatsApp Image 2025-09-12 at 10.15.32.jpeg", D(2025, 9, 12), "day"),
        ("WhatsApp Image 2025-09-12 at 3.08.19 PM_3a0e9661.jpg", D(2025, 9, 12), "day"),
        ("IMG-20250712-WA0037.jpg", D(2025, 7, 12), "day"),
        ("IMG_20250912_101532.jpg", D(2025, 9, 12), "day"),
        ("Screenshot 2025-10-02 141522.png", D(2025, 10, 2), "day"),
        ("Scan_20251020_093015.pdf", D(2025, 10, 20), "day"),
        ("CamScanner 10-20-2025 09.30.pdf", D(2025, 10, 20), "day"),
        ("CamScanner 10-05-2025 09.30.pdf", D(2025, 10, 5), "day"),  # month first
        ("Rekap Absensi Oktober 2025.pdf", D(2025, 10, 1), "month"),
        ("Rekap September 2025.pdf", D(2025, 9, 1), "month"),
        ("Laporan Triwulan III 2025.pdf", D(2025, 7, 1), "quarter"),
        ("Laporan TW 3.pdf", D(2025, 7, 1), "quarter"),
        ("Laporan TW III 2025.pdf", D(2025, 7, 1), "quarter"),
        ("Evaluasi Semester II 2025.pdf", D(2025, 7, 1), "semester"),
        ("Evaluasi Smt II.pdf", D(2025, 7, 1), "semester"),
        ("Rekap Jan-Mar 2025.pdf", D(2025, 1, 1), "quarter"),
        ("Rekap Agustus-Oktober 2025.pdf", D(2025, 8, 1), "range"),
    ],
)
def test_dates_in_names(name: str, start: dt.date, kind: str) -> None:
    found = date_in_name(name, 2025)
    assert found is not None, name
    assert (found.start, found.kind) == (start, kind)


@pytest.mark.parametrize(
    "name",
    [
        "LKjIP 2024.pdf",
        "SK TIM ZI.pdf",
        "1.1.1 SK Tim.pdf",
        "Nomor 117 Tahun 2025.pdf",
        "Maret.pdf",
    ],
)
def test_no_date_in_names(name: str) -> None:
    """A bare year or a section number is not a date."""
    assert date_in_name(name, 2025) is None


def test_years_in_name() -> None:
    assert years_in_name("SK TIM ZI 2024.pdf") == {2024}
    assert years_in_name("SK TIM ZI 2024 revisi 2025.pdf") == {2024, 2025}
    assert years_in_name("IMG_20250912_101532.jpg") == {2025}
    assert years_in_name("SK TIM ZI.pdf") == set()
