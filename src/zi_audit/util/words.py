"""Words that say nothing about which evidence a name is, kept as data in one place.

The matcher, the folder layout and the suggestions drop them before comparing words. The
unit's own name is not here: it comes from the plan (`plan.unit`), since every folder of a
unit's share may carry it ("KPU Kabupaten Banyuwangi", "BPS Kabupaten Nias").
"""

from __future__ import annotations

from zi_audit.util.textnorm import fold

# Indonesian and English function words.
FUNCTION = frozenset(
    "dan di yang untuk ke dari pada atas dengan dalam serta telah sudah oleh the of and to".split()
)
# Words of the programme itself, on every folder of an evidence share.
PROGRAMME = frozenset("zona integritas zi wbk wbbm bukti dukung data folder".split())
# Kinds of region a unit's name carries.
REGION = frozenset("kabupaten kota provinsi".split())
# What phones, scanners and copies add to a file's name.
FILE_NOISE = frozenset("pdf jpg jpeg png docx xlsx pptx doc xls img scan copy final revisi".split())


def unit_words(unit: str) -> frozenset[str]:
    """The words of the unit's own name, which place nothing on its own share."""
    return frozenset(fold(unit).split())
