"""The bundled LKE rule file, `--rules lke-2021`: for units that file evidence per LKE row.

Made from the LKE tables, not stored a second time: every scored row of Pemenuhan and
Reform is an indicator expecting at least one usable document in its own folder (or named
with its LKE id, `1.i.a SK Tim ZI.pdf`, which places it on that row). Each part is its
own set of components, so that layout recognition can tell `II. REFORM/…/1.i.a` from
Pemenuhan's 1.i.a. `zi-audit rules show` and `explain` work on it like on any rule file.
"""

from __future__ import annotations

import json

from zi_audit.lke.model import PARTS, load_lke

NAME = "lke-2021"
ROMAN = ("i", "ii", "iii", "iv", "v", "vi", "vii", "viii")


def _q(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)  # a JSON string is a YAML string


def lke_rules_yaml(year: int) -> str:
    """The rule file's text for plan year `year` (the evidence window is that year)."""
    lke = load_lke()
    out = [
        "version: 1",
        "plan:",
        f"  title: {_q(f'LKE Zona Integritas (PermenPANRB 90/2021) {year}')}",
        f"  year: {year}",
        "defaults:",
        "  types: [pdf, image, word, excel, slides, video]",
        "components:",
    ]
    component = 0
    for part in PARTS:
        for area_no, name, _ in lke.areas(part):
            component += 1
            out += [
                f'  - id: "{component}"',
                f"    name: {_q(name)}",
                f"    part: {part}",
                "    areas:",
            ]
            subs = [s for s in lke.subareas if (s.part, s.area_no) == (part, area_no)]
            for a_pos, sub in enumerate(subs, 1):
                out += [
                    f'      - id: "{component}.{a_pos}"',
                    f"        label: {sub.no}",
                    f"        name: {_q(sub.name)}",
                    "        indicators:",
                ]
                for row in sub.scored_rows:
                    n = ord(row.id.rsplit(".", 1)[1]) - ord("a") + 1
                    out += [
                        f'          - id: "{component}.{a_pos}.{n}"',
                        f"            lke: {_q(f'{part} {row.id}')}",
                        f"            text: {_q(row.text)}",
                        "            window: Januari - Desember",
                        "            evidence:",
                        f"              - name: {_q(f'Bukti dukung LKE {row.id}')}",
                        '                in_folder: ["*"]',
                    ]
    return "\n".join(out) + "\n"
