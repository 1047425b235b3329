"""The LKE score the evidence on the share supports, and what it takes to reach WBK/WBBM.

Pure: the report document's indicators (their statuses and LKE links), the LKE tables,
and the Hasil values the team enters in, the `lke` block of the report out. The rules
(docs/lke.md):

- a row's evidence is the evidence items of every plan indicator linked to it; the share
  of them complete (statuses.COMPLETE) picks the highest answer the row's scale has at or
  under that share: all complete is the top answer, nothing (or only invalid or last year's
  files) the lowest;
- rows that need numbers (percent) and rows no plan covers are "belum dinilai": they count
  0 and are listed, never guessed;
- sub-area = weight x mean of its scored rows; area, part and Pengungkit are sums;
- "ceiling": the same with every pending item arrived;
- Hasil from the team's survey results; without them the total is not made up.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence

from zi_audit.core.schema import (
    ClaimDoc,
    ConditionDoc,
    FixDoc,
    HasilDoc,
    IndicatorDoc,
    LkeAreaDoc,
    LkeDoc,
    LkeRowDoc,
    PartScoreDoc,
    PartValueDoc,
    ReadinessDoc,
)
from zi_audit.core.statuses import COMPLETE, GAP_STATUSES
from zi_audit.lke.answers import Answer, Hasil
from zi_audit.lke.model import ANSWER_VALUES, PARTS, SURVEY_MAX, THRESHOLDS, Lke, Row


def answer_for(answer_type: str, share: float) -> tuple[str, float]:
    """The highest answer of the scale at or under `share` (0-1) of the evidence."""
    options = ANSWER_VALUES[answer_type]
    for label, value in options:
        if value <= share + 1e-9:
            return label, value
    return options[-1]


def _items(inds: Sequence[IndicatorDoc]) -> list[tuple[str, str, float]]:
    """The items that count for a row, as (key, status, credit): another unit's items do
    not count; a complete item is worth 1, an item that needs several documents (`min`)
    the part of them it has."""
    out = []
    for ind in inds:
        for ev in ind["evidence"]:
            status = ev["status"]
            if status == "not_applicable":
                continue
            need = ev.get("need")
            if status in COMPLETE:
                credit = 1.0
            elif need:
                credit = min(ev.get("have", 0), need) / need
            else:
                credit = 0.0
            out.append((ev["key"], status, credit))
    return out


def row_share(
    items: Sequence[tuple[str, str, float]], pending_arrives: bool = False, fixed: str = ""
) -> float:
    """The one share of a row's evidence that is complete, for today (`pending_arrives`
    False), its ceiling (every pending item arrived), or with the item `fixed` complete."""
    if not items:
        return 0.0
    done = sum(
        1.0 if key == fixed or (pending_arrives and status == "pending") else credit
        for key, status, credit in items
    )
    return done / len(items)


def score(
    indicators: Sequence[IndicatorDoc],
    lke: Lke,
    hasil: Hasil | None = None,
    answers: Mapping[str, Answer] | None = None,
) -> LkeDoc:
    """`answers`: the team's own (lke/answers.py), held against the evidence; they give
    the value of rows the evidence cannot (numbers, rows no plan covers)."""
    answers = answers or {}
    linked: dict[str, list[IndicatorDoc]] = defaultdict(list)
    for ind in indicators:
        if ind.get("lke"):
            linked[ind["lke"]].append(ind)
    rows = _rows(lke, linked, answers)
    values = {r["key"]: (r["value"], r["ceiling"]) for r in rows}  # today, ceiling
    areas, parts = _sum_up(lke, values)
    pengungkit: PartScoreDoc = {
        "value": _r(parts["pemenuhan"]["value"] + parts["reform"]["value"]),
        "ceiling": _r(parts["pemenuhan"]["ceiling"] + parts["reform"]["ceiling"]),
        "max": 60.0,
    }
    h = _hasil(lke, hasil)
    total = None if h["value"] is None else _r(pengungkit["value"] + h["value"])
    return {
        "rows": rows,
        "areas": areas,
        "pemenuhan": parts["pemenuhan"],
        "reform": parts["reform"],
        "pengungkit": pengungkit,
        "hasil": h,
        "total": total,
        "readiness": readiness(areas, pengungkit["value"], h, total),
        "uncovered": [r["key"] for r in rows if r["status"] == "uncovered"],
        "shared": sorted(k for k, inds in linked.items() if len(inds) > 1),
        "fix_first": fix_first(lke, linked),
        "claims": _claims(rows, answers),
        "unreadable": sum(
            any(
                ev["status"] == "unreadable"
                for i in linked.get(r["key"], [])
                for ev in i["evidence"]
            )
            for r in rows
        ),
    }


def _rows(
    lke: Lke, linked: Mapping[str, list[IndicatorDoc]], answers: Mapping[str, Answer]
) -> list[LkeRowDoc]:
    """Every scored LKE row: from the evidence, else from the team's own answer."""
    rows: list[LkeRowDoc] = []
    for row in lke.rows():
        if not row.scored:
            continue
        doc = _row(row, linked.get(row.key, []))
        given = answers.get(row.key)
        if given is not None and given.value is not None:
            doc["claimed"] = given.label
            if doc["status"] != "scored":  # nothing on the share can say otherwise
                doc["status"] = "answered"
                doc["value"] = doc["ceiling"] = _r(given.value)
        rows.append(doc)
    return rows


def _claims(rows: Sequence[LkeRowDoc], answers: Mapping[str, Answer]) -> list[ClaimDoc]:
    """Rows the team answered higher than their evidence supports."""
    return [
        {
            "key": r["key"],
            "id": r["id"],
            "claimed": answers[r["key"]].label,
            "supported": r["answer"],
            "indicators": r["indicators"],
        }
        for r in rows
        if r["status"] == "scored"
        and r["key"] in answers
        and (answers[r["key"]].value or 0.0) > r["value"] + 1e-9
    ]


def _r(x: float) -> float:
    return round(x, 4)


def _row(row: Row, inds: list[IndicatorDoc]) -> LkeRowDoc:
    items = _items(inds)
    doc: LkeRowDoc = {
        "key": row.key,
        "part": row.part,
        "id": row.id,
        "type": row.answer_type,
        "indicators": [i["id"] for i in inds],
        "status": "scored",
        "share": 0.0,
        "answer": None,
        "value": 0.0,
        "ceiling_answer": None,
        "ceiling": 0.0,
    }
    if row.answer_type not in ANSWER_VALUES:
        doc["status"] = "numeric"  # needs the team's numbers
    elif not inds:
        doc["status"] = "uncovered"
    elif not items:
        doc["status"] = "no_evidence_planned"
    if doc["status"] != "scored":
        return doc
    share = row_share(items)
    doc["share"] = _r(share)
    doc["answer"], doc["value"] = answer_for(row.answer_type, share)
    doc["ceiling_answer"], doc["ceiling"] = answer_for(
        row.answer_type, row_share(items, pending_arrives=True)
    )
    return doc


def _sum_up(
    lke: Lke, values: Mapping[str, tuple[float, float]]
) -> tuple[list[LkeAreaDoc], dict[str, PartScoreDoc]]:
    per_area: dict[tuple[str, str], PartValueDoc] = {}
    for sub in lke.subareas:
        if sub.part not in PARTS:
            continue
        scored = sub.scored_rows
        today = sum(values.get(r.key, (0.0, 0.0))[0] for r in scored) / len(scored)
        ceiling = sum(values.get(r.key, (0.0, 0.0))[1] for r in scored) / len(scored)
        acc = per_area.setdefault(
            (sub.part, sub.area_no), {"value": 0.0, "ceiling": 0.0, "weight": 0.0}
        )
        acc["value"] += sub.weight * today
        acc["ceiling"] += sub.weight * ceiling
        acc["weight"] += sub.weight
    parts: dict[str, PartScoreDoc] = {p: {"value": 0.0, "ceiling": 0.0, "max": 30.0} for p in PARTS}
    areas: list[LkeAreaDoc] = []
    for area_no, name, _ in lke.areas("pemenuhan"):
        pem, ref = (_rounded(per_area[(p, area_no)]) for p in PARTS)
        for part, v in (("pemenuhan", pem), ("reform", ref)):
            parts[part]["value"] += v["value"]
            parts[part]["ceiling"] += v["ceiling"]
        areas.append(
            {
                "area": area_no,
                "name": name,
                "pemenuhan": pem,
                "reform": ref,
                "value": _r(pem["value"] + ref["value"]),
                "ceiling": _r(pem["ceiling"] + ref["ceiling"]),
                "weight": pem["weight"] + ref["weight"],
            }
        )
    for p in PARTS:
        parts[p]["value"], parts[p]["ceiling"] = _r(parts[p]["value"]), _r(parts[p]["ceiling"])
    return areas, parts


def _rounded(v: PartValueDoc) -> PartValueDoc:
    return {"value": _r(v["value"]), "ceiling": _r(v["ceiling"]), "weight": v["weight"]}


def _hasil(lke: Lke, hasil: Hasil | None) -> HasilDoc:
    weights = {(s.area_no, s.no): s.weight for s in lke.subareas if s.part == "hasil"}
    h = hasil or Hasil()
    ipak = h.ipak / SURVEY_MAX * weights[("1", "a")] if h.ipak is not None else None
    kinerja = (
        dict(ANSWER_VALUES["abcde"])[h.kinerja] * weights[("1", "b")]
        if h.kinerja is not None
        else None
    )
    prima = h.ipkp / SURVEY_MAX * weights[("2", "a")] if h.ipkp is not None else None
    missing = [
        name
        for name, v in (("ipak", ipak), ("capaian_kinerja", kinerja), ("ipkp", prima))
        if v is None
    ]
    bersih = ipak + kinerja if ipak is not None and kinerja is not None else None
    value = bersih + prima if bersih is not None and prima is not None else None
    return {
        "ipak": ipak,
        "kinerja": kinerja,
        "bersih": bersih,
        "prima": prima,
        "value": value,
        "max": 40.0,
        "missing": missing,
    }


def readiness(
    areas: Sequence[LkeAreaDoc], pengungkit: float, h: HasilDoc, total: float | None
) -> dict[str, ReadinessDoc]:
    """Every condition of Lampiran II Bab III A.3-6 for WBK and WBBM, with both per-area
    readings (the area over both parts, and each part's share of it): docs/lke.md."""
    out: dict[str, ReadinessDoc] = {}
    for th in THRESHOLDS:
        conds: list[ConditionDoc] = [
            _cond("total", None, total, th.total),
            _cond("pengungkit", None, pengungkit, th.pengungkit),
        ]
        for area in areas:
            share = area["value"] / area["weight"]
            conds.append(_cond("area", area["area"], share, th.area_percent, area["weight"]))
            for name, part in (
                ("area_pemenuhan", area["pemenuhan"]),
                ("area_reform", area["reform"]),
            ):
                share = part["value"] / part["weight"]
                conds.append(_cond(name, area["area"], share, th.area_percent, part["weight"]))
        conds += [
            _cond("bersih", None, h["bersih"], th.bersih),
            _cond("ipak", None, h["ipak"], th.ipak),
            _cond("kinerja", None, h["kinerja"], th.kinerja),
            _cond("prima", None, h["prima"], th.prima),
        ]
        oks = [c["ok"] for c in conds]
        reached = False if False in oks else (None if None in oks else True)
        out[th.name] = {"reached": reached, "conditions": conds}
    return out


def _cond(
    name: str, area: str | None, actual: float | None, required: float, weight: float = 0.0
) -> ConditionDoc:
    ok = None if actual is None else actual >= required - 1e-9
    short = None if actual is None or ok else _r(required - actual)
    return {
        "name": name,
        "area": area,
        "required": required,
        "actual": None if actual is None else _r(actual),
        "ok": ok,
        "short": short,
        "short_points": _r(short * weight) if short is not None and weight else None,
    }


def fix_first(lke: Lke, linked: Mapping[str, list[IndicatorDoc]]) -> list[FixDoc]:
    """Every missing, invalid, outdated or late item with the points its row would gain
    if it were complete (the row's share counted as for the score), most points first,
    then the earliest deadline."""
    out: list[FixDoc] = []
    for key, inds in linked.items():
        row = lke.row(key)
        items = _items(inds)
        if row is None or row.answer_type not in ANSWER_VALUES or not items:
            continue
        sub = lke.subarea_of(row)
        per_row = sub.weight / len(sub.scored_rows)
        _, now = answer_for(row.answer_type, row_share(items))
        for ind in inds:
            for ev in ind["evidence"]:
                if ev["status"] not in GAP_STATUSES:
                    continue
                _, then = answer_for(row.answer_type, row_share(items, fixed=ev["key"]))
                out.append(
                    {
                        "indicator": ind["id"],
                        "key": ev["key"],
                        "name": ev["name"],
                        "status": ev["status"],
                        "lke": key,
                        "points": _r(per_row * (then - now)),
                        "deadline": ev["deadline"],
                    }
                )
    return sorted(out, key=lambda f: (-f["points"], f["deadline"], f["key"]))
