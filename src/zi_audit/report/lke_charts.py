"""The LKE as pictures in the HTML page and the email's HTML part: per area a bar for
Pemenuhan and one for Reform against the 60% (WBK) and 75% (WBBM) marks, the score over
time from history, and the WBK/WBBM conditions as one table whose unmet rows lead.

Plain HTML and inline SVG, no script: a mail program shows it as a browser does. Area
figures are said in percent of the area, with the LKE points still missing beside them,
never one as if it were the other.
"""

from __future__ import annotations

from collections.abc import Callable

from zi_audit.core.schema import ConditionDoc, LkeDoc, TrendDoc
from zi_audit.i18n import t
from zi_audit.report.document import day, decimal

CHART_CSS = (
    ".legend{font-size:.8rem;color:#475467;margin:6px 0}"
    ".legend i{display:inline-block;width:10px;height:10px;border-radius:2px;margin:0 3px 0 10px}"
    ".legend i.now{background:#12b76a}.legend i.ceil{background:#b9e6cc}"
    ".legend i.m60{width:0;border-left:2px solid #344054;border-radius:0}"
    ".legend i.m75{width:0;border-left:2px dashed #344054;border-radius:0}"
    ".area{margin:8px 0 4px;font-weight:600}"
    ".pbar{display:flex;align-items:center;gap:6px;font-size:.8rem}"
    ".pbar .lab{width:78px;color:#475467}.pbar .pct{width:40px;text-align:right}"
    ".pbar .abar{flex:1;margin:3px 0}"
    "table.cond{border-collapse:collapse;width:100%;font-size:.85rem;margin:8px 0}"
    "table.cond th,table.cond td{border-bottom:1px solid #e4e7ec;padding:4px 6px;text-align:left;"
    "vertical-align:top}"
    "table.cond td.no{color:#b42318}table.cond td.ok{color:#027a48}"
    ".trend{width:100%;max-width:420px;height:auto}"
    "@media (max-width:600px){table.cond .pts{display:none}table.cond{font-size:.8rem}}"
)


def area_bars(lke: LkeDoc, lang: str, e: Callable[[object], str]) -> list[str]:
    """Per area two bars (Pemenuhan, Reform): today, the ceiling, the 60% and 75% marks."""
    out = [
        '<div class="legend">'
        f'<i class="now"></i>{e(t("chart.now", lang))}'
        f'<i class="ceil"></i>{e(t("lke.ceiling", lang))}'
        '<i class="m60"></i>WBK 60%<i class="m75"></i>WBBM 75%</div>'
    ]
    for area in lke["areas"]:
        out.append(f'<div class="area">{e(area["area"])}. {e(area["name"])}</div>')
        for part in ("pemenuhan", "reform"):
            v = area[part]
            if not v["weight"]:
                continue
            now = 100 * v["value"] / v["weight"]
            ceil = 100 * v["ceiling"] / v["weight"]
            out.append(
                f'<div class="pbar"><span class="lab">{e(t("lke." + part, lang))}</span>'
                f'<div class="abar"><div class="ceil" style="width:{ceil:.1f}%"></div>'
                f'<div class="now" style="width:{now:.1f}%"></div>'
                '<div class="mark" style="left:60%" title="WBK 60%"></div>'
                '<div class="mark m75" style="left:75%" title="WBBM 75%"></div></div>'
                f'<span class="pct">{now:.0f}%</span></div>'
            )
    return out


def trend_svg(trend: list[TrendDoc], lang: str, e: Callable[[object], str]) -> list[str]:
    """Pemenuhan at each recorded scan, out of 30, as a line; nothing before two scans."""
    points = [(s["as_of"], s["pemenuhan"]) for s in trend if s.get("pemenuhan") is not None]
    if len(points) < 2:
        return []
    width, height, pad = 400, 120, 24
    step = (width - 2 * pad) / (len(points) - 1)

    def y(v: float) -> float:
        return height - pad - (height - 2 * pad) * min(max(v, 0.0), 30.0) / 30.0

    coords = " ".join(f"{pad + n * step:.1f},{y(v or 0.0):.1f}" for n, (_, v) in enumerate(points))
    first, last = points[0], points[-1]
    label = t("chart.trend", lang)
    return [
        f"<h3>{e(label)}</h3>",
        f'<svg class="trend" viewBox="0 0 {width} {height}" role="img" aria-label="{e(label)}">',
        f'<line x1="{pad}" y1="{y(30):.1f}" x2="{width - pad}" y2="{y(30):.1f}" stroke="#e4e7ec"/>',
        f'<line x1="{pad}" y1="{y(0):.1f}" x2="{width - pad}" y2="{y(0):.1f}" stroke="#98a2b3"/>',
        f'<polyline points="{coords}" fill="none" stroke="#12b76a" stroke-width="3"/>',
        f'<text x="{pad}" y="{height - 4}" font-size="11">{e(day(first[0], lang))}</text>',
        f'<text x="{width - pad}" y="{height - 4}" font-size="11" text-anchor="end">'
        f"{e(day(last[0], lang))}</text>",
        f'<text x="{width - pad}" y="{y(last[1] or 0.0) - 6:.1f}" font-size="12" '
        f'text-anchor="end">{e(decimal(last[1] or 0.0, lang))}/30</text>',
        f'<text x="{pad}" y="14" font-size="11">30</text>',
        "</svg>",
    ]


def trend_text(trend: list[TrendDoc], lang: str) -> list[str]:
    """The same, for a text email: a small table of the last scans."""
    points = [(s["as_of"], s["pemenuhan"]) for s in trend if s.get("pemenuhan") is not None]
    if len(points) < 2:
        return []
    out = [t("chart.trend", lang) + ":"]
    out += [f"  {day(d, lang):<20} {decimal(v or 0.0, lang):>6}/30" for d, v in points[-8:]]
    return [*out, ""]


def conditions_table(lke: LkeDoc, lang: str, e: Callable[[object], str]) -> list[str]:
    """Each condition once, its value, and for WBK and WBBM whether it is met or how far
    off; the unmet lead."""
    names = {a["area"]: a["name"] for a in lke["areas"]}
    wbk = lke["readiness"]["wbk"]["conditions"]
    wbbm = lke["readiness"]["wbbm"]["conditions"]
    pairs = list(zip(wbk, wbbm, strict=True))
    pairs.sort(key=lambda p: (p[0]["ok"] is not False, p[1]["ok"] is not False))
    head = (
        f"<tr><th>{e(t('chart.condition', lang))}</th><th>{e(t('chart.value', lang))}</th>"
        "<th>WBK</th><th>WBBM</th></tr>"
    )
    rows = [
        f"<tr><td>{e(_label(a, names, lang))}</td><td>{e(_actual(a, lang))}</td>"
        f"{_cell(a, lang, e)}{_cell(b, lang, e)}</tr>"
        for a, b in pairs
    ]
    return ['<table class="cond">', head, *rows, "</table>"]


def _label(c: ConditionDoc, names: dict[str, str], lang: str) -> str:
    return t(f"lke.cond_{c['name']}", lang, area=names.get(c["area"] or "", c["area"] or ""))


def _actual(c: ConditionDoc, lang: str) -> str:
    if c["actual"] is None:
        return t("lke.unknown", lang)
    if c["name"].startswith("area"):
        return f"{c['actual']:.0%}"
    return decimal(c["actual"], lang)


def _cell(c: ConditionDoc, lang: str, e: Callable[[object], str]) -> str:
    pct = c["name"].startswith("area")
    required = f"{c['required']:.0%}" if pct else decimal(c["required"], lang)
    if c["ok"] is None:
        return f"<td>{e(required)}: {e(t('lke.unknown', lang))}</td>"
    if c["ok"]:
        return f'<td class="ok">✓ {e(required)}</td>'
    if pct:  # on a phone the LKE points give way, the percent stays
        short, pts = _pct_parts(c, lang)
        return f'<td class="no">✗ {e(required)}: {e(short)}<span class="pts"> {e(pts)}</span></td>'
    short = t("chart.short", lang, short=decimal(c["short"] or 0.0, lang))
    return f'<td class="no">✗ {e(required)}: {e(short)}</td>'


def short_pct(c: ConditionDoc, lang: str) -> str:
    """An area's shortfall in percent of the area, with the LKE points it stands for."""
    return " ".join(_pct_parts(c, lang))


def _pct_parts(c: ConditionDoc, lang: str) -> tuple[str, str]:
    short = t("chart.short", lang, short=f"{c['short'] or 0.0:.0%}")
    return short, t("chart.points", lang, points=decimal(c["short_points"] or 0.0, lang))
