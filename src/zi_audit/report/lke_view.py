"""The LKE score in words: the block every report leads with (text, HTML, Markdown, email).

Figures come from the document's `lke` block (lke/score.py); this module only says them:
the score today and if every pending item arrives, readiness for WBK and WBBM with each
failed condition and its distance, and the gaps that cost most ("Perbaiki dulu").
"""

from __future__ import annotations

from collections.abc import Callable

from zi_audit.core.schema import ClaimDoc, ConditionDoc, FixDoc, LkeDoc, ReportDoc
from zi_audit.i18n import t
from zi_audit.report.document import day, decimal
from zi_audit.report.lke_charts import (
    CHART_CSS,
    area_bars,
    conditions_table,
    short_pct,
    trend_svg,
)

TOP = 10  # gaps that lead the reports
LEVELS = ("wbk", "wbbm")


def verdict(lke: LkeDoc, level: str, lang: str) -> str:
    reached = lke["readiness"][level]["reached"]
    key = "yes" if reached else ("no" if reached is False else "unknown")
    return t(f"lke.reached_{key}", lang)


def condition_text(c: ConditionDoc, names: dict[str, str], lang: str) -> str:
    """`Penguatan Pengawasan 52% — kurang 1,20 poin dari 60%`."""
    pct = c["name"].startswith("area")
    label = t(f"lke.cond_{c['name']}", lang, area=names.get(c["area"] or "", c["area"] or ""))
    if c["actual"] is None:
        return f"{label}: {t('lke.unknown', lang)}"
    if pct:
        actual, required = f"{c['actual']:.0%}", f"{c['required']:.0%}"
    else:
        actual, required = decimal(c["actual"], lang), decimal(c["required"], lang)
    if c["ok"]:
        return f"{label} {actual} ≥ {required}"
    if pct:
        return (
            f"{label} {actual} — {t('chart.needs', lang, required=required)}: {short_pct(c, lang)}"
        )
    short = decimal(c["short"] or 0.0, lang)
    return f"{label} {actual} — {t('lke.short', lang, short=short, required=required)}"


def failed(lke: LkeDoc, level: str, lang: str) -> list[str]:
    names = {a["area"]: a["name"] for a in lke["areas"]}
    return [
        condition_text(c, names, lang)
        for c in lke["readiness"][level]["conditions"]
        if c["ok"] is False
    ]


def fix_line(f: FixDoc, lang: str) -> str:
    row = f["lke"].split(":")[1]
    return (
        f"+{decimal(f['points'], lang)}  {f['indicator']} {f['name']} "
        f"({t('status.' + f['status'], lang)}; LKE {row}; "
        f"{t('gap.due', lang, date=day(f['deadline'], lang))})"
    )


def subject_part(doc: ReportDoc, lang: str) -> str:
    """`Pemenuhan 21,40/30 · WBK: belum` for the email subject."""
    lke = doc.get("lke")
    if lke is None:
        return ""
    return (
        f" · Pemenuhan {decimal(lke['pemenuhan']['value'], lang)}/30"
        f" · WBK: {verdict(lke, 'wbk', lang)}"
    )


def text_block(doc: ReportDoc, lang: str) -> list[str]:
    lke = doc.get("lke")
    if lke is None:
        return []
    n = lke
    out = [t("lke.title", lang) + ":"]
    if lke.get("unreadable"):
        out.append("  " + t("lke.unreadable_rows", lang, n=lke.get("unreadable", 0)))
    for part, key in (("pemenuhan", "lke.pemenuhan"), ("reform", "lke.reform")):
        p = n[part]  # type: ignore[literal-required]
        out.append(
            f"  {t(key, lang):<12}{decimal(p['value'], lang):>7} / 30   "
            f"({t('lke.ceiling', lang)}: {decimal(p['ceiling'], lang)})"
        )
    out.append(
        f"  {t('lke.pengungkit', lang):<12}{decimal(n['pengungkit']['value'], lang):>7} / 60"
    )
    h = n["hasil"]
    if h["value"] is None:
        out.append(f"  {t('lke.hasil', lang):<12}{_missing(h['missing'], lang)}")
    else:
        out.append(f"  {t('lke.hasil', lang):<12}{decimal(h['value'], lang):>7} / 40")
        out.append(f"  {t('lke.total', lang):<12}{decimal(n['total'] or 0.0, lang):>7} / 100")
    unscored = sum(1 for r in n["rows"] if r["status"] != "scored")
    if unscored:
        out.append("  " + t("lke.unscored", lang, n=unscored))
    for level in ("wbk", "wbbm"):
        misses = failed(n, level, lang)
        out.append(f"  {level.upper()}: {verdict(n, level, lang)}")
        out += [f"    - {m}" for m in misses[:6]]
        if len(misses) > 6:
            out.append("    " + t("gap.more", lang, n=len(misses) - 6))
    if n["claims"]:
        out += ["", t("lke.claims", lang) + ":"]
        out += [f"  {claim_line(c, lang)}" for c in n["claims"]]
    fixes = [f for f in n["fix_first"] if f["points"] > 0][:TOP]
    if fixes:
        out += ["", t("lke.fix_first", lang) + ":"]
        out += [f"  {fix_line(f, lang)}" for f in fixes]
    return [*out, ""]


def claim_line(c: ClaimDoc, lang: str) -> str:
    """`LKE 1.i.b: dijawab A, bukti mendukung C (1.1.2)`."""
    supported = c["supported"] or "-"
    where = f" ({', '.join(c['indicators'])})" if c["indicators"] else ""
    return (
        f"LKE {c['id']}: " + t("lke.claim", lang, claimed=c["claimed"], supported=supported) + where
    )


LKE_CSS = (
    ".lke{background:#fff;border-radius:8px;padding:10px 14px;margin:8px 0}"
    ".lke .fig{font-size:1.4rem;font-weight:700}"
    ".abar{position:relative;height:12px;background:#e4e7ec;border-radius:6px;margin:4px 0 10px}"
    ".abar .ceil{position:absolute;height:100%;background:#b9e6cc;border-radius:6px}"
    ".abar .now{position:absolute;height:100%;background:#12b76a;border-radius:6px}"
    ".abar .mark{position:absolute;top:-3px;height:18px;border-left:2px solid #344054}"
    ".abar .mark.m75{border-left-style:dashed}" + CHART_CSS
)


def html_block(doc: ReportDoc, lang: str, e: Callable[[object], str]) -> list[str]:
    """The score, per area a bar (today, ceiling, the 60% and 75% marks), readiness and
    the gaps that cost most. `e` escapes text."""
    lke = doc.get("lke")
    if lke is None:
        return []
    out = [f"<h2>{e(t('lke.title', lang))}</h2>", '<div class="lke">']
    figs = [
        (t("lke.pemenuhan", lang), lke["pemenuhan"]["value"], 30),
        (t("lke.reform", lang), lke["reform"]["value"], 30),
        (t("lke.pengungkit", lang), lke["pengungkit"]["value"], 60),
    ]
    out.append(
        " · ".join(
            f'{e(name)} <span class="fig">{e(decimal(v, lang))}</span>/{top}'
            for name, v, top in figs
        )
    )
    h = lke["hasil"]
    if h["value"] is None:
        out.append(f"<div>{e(t('lke.hasil', lang))}: {e(_missing(h['missing'], lang))}</div>")
    else:
        out.append(
            f"<div>{e(t('lke.total', lang))}: <b>{e(decimal(lke['total'] or 0.0, lang))}</b>/100</div>"
        )
    ceiling = decimal(lke["pemenuhan"]["ceiling"], lang)
    out.append(f'<div class="sub">{e(t("lke.ceiling", lang))}: Pemenuhan {e(ceiling)}/30</div>')
    out.append(
        "<div>"
        + " · ".join(f"<b>{level.upper()}: {e(verdict(lke, level, lang))}</b>" for level in LEVELS)
        + "</div>"
    )
    out += area_bars(lke, lang, e)
    out += trend_svg(doc.get("trend", []), lang, e)
    out += conditions_table(lke, lang, e)
    out.append("</div>")
    if lke["claims"]:
        out.append(f"<h2>{e(t('lke.claims', lang))}</h2><ul>")
        out += [f"<li>{e(claim_line(c, lang))}</li>" for c in lke["claims"]]
        out.append("</ul>")
    fixes = [f for f in lke["fix_first"] if f["points"] > 0][:TOP]
    if fixes:
        out.append(f"<h2>{e(t('lke.fix_first', lang))}</h2><ol>")
        out += [f"<li>{e(fix_line(f, lang))}</li>" for f in fixes]
        out.append("</ol>")
    return out


def md_block(doc: ReportDoc, lang: str) -> list[str]:
    """The text block as preformatted Markdown: aligned figures read the same in a chat."""
    if doc.get("lke") is None:
        return []
    body = [line.replace("`", "'") for line in text_block(doc, lang)[1:]]
    return ["", f"## {t('lke.title', lang)}", "", "```", *body, "```"]


def _missing(keys: list[str], lang: str) -> str:
    """What the Hasil still needs, named as the team knows it, and who records it."""
    names = [t(f"lke.key.{k}", lang) for k in keys]
    joined = (
        ", ".join(names[:-1]) + f" {t('word.and', lang)} {names[-1]}"
        if len(names) > 1
        else names[0]
    )
    return t("lke.hasil_missing", lang, keys=joined)
