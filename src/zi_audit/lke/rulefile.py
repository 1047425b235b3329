"""The bundled LKE rule file, `--rules lke-2021`: for units that file evidence per LKE row.

Made from the LKE tables, not stored a second time: every scored row of Pemenuhan and
Reform is an indicator expecting at least one usable document in its own folder (or named
with its LKE id, `1.i.a SK Tim ZI.pdf`, which places it on that row). Each part is its
own set of components, so that layout recognition can tell `II. REFORM/…/1.i.a` from
Pemenuhan's 1.i.a. `zi-audit rules show` and `explain` work on it like on any rule file.
"""

from __future__ import annotations

from zi_audit.lke.model import PARTS, load_lke
from zi_audit.util.yamlwrite import Node, dump

NAME = "lke-2021"


def lke_rules_yaml(year: int) -> str:
    """The rule file's text for plan year `year` (the evidence window is that year)."""
    lke = load_lke()
    components: list[Node] = []
    for part in PARTS:
        for area_no, name, _ in lke.areas(part):
            c = len(components) + 1
            subs = [s for s in lke.subareas if (s.part, s.area_no) == (part, area_no)]
            areas: list[Node] = [
                {
                    "id": f"{c}.{a}",
                    "label": sub.no,
                    "name": sub.name,
                    "indicators": [
                        {
                            "id": f"{c}.{a}.{ord(row.id.rsplit('.', 1)[1]) - ord('a') + 1}",
                            "lke": f"{part} {row.id}",
                            "text": row.text,
                            "window": "Januari - Desember",
                            "evidence": [
                                {"name": f"Bukti dukung LKE {row.id}", "in_folder": ["*"]}
                            ],
                        }
                        for row in sub.scored_rows
                    ],
                }
                for a, sub in enumerate(subs, 1)
            ]
            components.append({"id": str(c), "name": name, "part": part, "areas": areas})
    return dump(
        {
            "version": 1,
            "plan": {"title": f"LKE Zona Integritas (PermenPANRB 90/2021) {year}", "year": year},
            "defaults": {"types": ["pdf", "image", "word", "excel", "slides", "video"]},
            "components": components,
        }
    )
