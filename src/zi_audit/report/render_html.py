"""The HTML report: one self-contained file a Tim ZI member opens on a phone.

Inline CSS, no script, no external asset: it works as an email body, a file on a
desk, or a page a browser keeps open (watch mode adds a refresh). Every piece of
text from the share or the rules is escaped.
"""

from __future__ import annotations

from html import escape
from typing import NamedTuple

from zi_audit import __version__
from zi_audit.core.schema import ChangesDoc, ReportDoc, TrendDoc
from zi_audit.i18n import problem, t
from zi_audit.report.changes import change_groups
from zi_audit.report.document import (
    day,
    gaps,
    headline,
    invalid_files,
    percent,
    pic_of,
    plan_ended,
    unmatched_files,
    unreadable_alert,
)
from zi_audit.report.lke_view import LKE_CSS, html_block

CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;background:#f4f5f7;color:#1d2330}
main{max-width:920px;margin:0 auto;padding:16px}
h1{font-size:1.3rem;margin:.2rem 0}h2{font-size:1.05rem;margin:1.6rem 0 .6rem}
.sub{color:#5b6475;font-size:.9rem}
.live{margin:.4rem 0;color:#1b5e20;font-weight:600}
.recent{font-family:ui-monospace,monospace;font-size:.85rem}
.cards{display:flex;flex-wrap:wrap;gap:8px;margin-top:12px}
.card{background:#fff;border-radius:8px;padding:10px 14px;min-width:110px;flex:1;box-shadow:0 1px 2px #0001}
.card b{display:block;font-size:1.5rem}.card span{font-size:.8rem;color:#5b6475}
.card.bad b{color:#b42318}.card.warn b{color:#b54708}.card.good b{color:#067647}
.comp{background:#fff;border-radius:8px;padding:8px 12px;margin:6px 0}
.comp .name{display:flex;justify-content:space-between;font-size:.9rem}
.bar{height:10px;background:#e4e7ec;border-radius:5px;overflow:hidden;margin-top:4px}
.bar .fill{height:100%;background:#12b76a}
.alert{background:#fef3f2;border:2px solid #b42318;color:#7a271a;border-radius:8px;padding:10px 14px;margin-top:14px}
.item{background:#fff;border-radius:8px;padding:8px 12px;margin:6px 0;font-size:.9rem;overflow-wrap:anywhere}
.item .meta{color:#5b6475;font-size:.8rem}
.badge{display:inline-block;border-radius:4px;padding:1px 6px;font-size:.75rem;font-weight:600;color:#fff}
.s-missing,.s-invalid{background:#b42318}.s-outdated,.s-late{background:#b54708}.s-pending{background:#667085}
.soon-1{border-left:6px solid #b42318}.soon-7{border-left:6px solid #f79009}.soon-30{border-left:6px solid #d0d5dd}
ul{padding-left:1.2rem}li{overflow-wrap:anywhere}
footer{color:#98a2b3;font-size:.75rem;margin:24px 0}
svg{background:#fff;border-radius:8px;width:100%;height:auto}
"""


def _e(text: object) -> str:
    return escape(str(text), quote=True)


def _trend_svg(trend: list[TrendDoc]) -> str:
    if len(trend) < 2:
        return ""
    w, h, pad = 600, 140, 24
    points = []
    for n, snap in enumerate(trend):
        done = sum(c[0] for c in snap["components"].values())
        planned = sum(c[1] for c in snap["components"].values()) or 1
        x = pad + n * (w - 2 * pad) / (len(trend) - 1)
        y = h - pad - (h - 2 * pad) * done / planned
        points.append(f"{x:.1f},{y:.1f}")
    first, last = trend[0]["as_of"], trend[-1]["as_of"]
    return (
        f'<svg class="trend" viewBox="0 0 {w} {h}" role="img" aria-label="trend">'
        f'<line x1="{pad}" y1="{h - pad}" x2="{w - pad}" y2="{h - pad}" stroke="#d0d5dd"/>'
        f'<polyline fill="none" stroke="#12b76a" stroke-width="3" points="{" ".join(points)}"/>'
        f'<text x="{pad}" y="{h - 6}" font-size="11" fill="#667085">{_e(first)}</text>'
        f'<text x="{w - pad}" y="{h - 6}" font-size="11" fill="#667085" text-anchor="end">{_e(last)}</text>'
        "</svg>"
    )


class Live(NamedTuple):
    """What `watch --html` adds to the page: when it was last brought up to date, and the
    changes the terminal showed (each with its time), newest first."""

    updated: str
    changes: tuple[str, ...] = ()


def _live(live: Live | None, lang: str) -> list[str]:
    if live is None:
        return []
    out = [f'<div class="live">{_e(t("watch.updated", lang, at=live.updated))}</div>']
    if live.changes:
        out.append(f'<h2>{_e(t("watch.recent", lang))}</h2><ul class="recent">')
        out += [f"<li>{_e(line)}</li>" for line in live.changes]
        out.append("</ul>")
    return out


def render(
    doc: ReportDoc, lang: str = "id", *, refresh: int | None = None, live: Live | None = None
) -> str:
    as_of = day(doc["as_of"], lang)
    out = [
        "<!DOCTYPE html>",
        f'<html lang="{lang}"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f'<meta http-equiv="refresh" content="{int(refresh)}">' if refresh else "",
        f"<title>{_e(t('head.title', lang))} — {_e(as_of)}</title>",
        f"<style>{CSS}{LKE_CSS}</style></head><body><main>",
        f"<h1>{_e(t('head.title', lang))}</h1>",
        f'<div class="sub">{_e(doc["plan"].get("title", ""))} · {_e(t("head.as_of", lang))} {_e(as_of)}</div>',
        *_live(live, lang),
        *_cards(doc, lang),
        *_alerts(doc, lang),
        *html_block(doc, lang, _e),
        *_components(doc, lang),
        *_due_soon(doc, lang),
        *_gaps(doc, lang),
        *_files(doc, lang),
        f"<footer>{_e(t('doc.generated', lang, version=__version__))} · {_e(doc['root'])}</footer>",
        "</main></body></html>",
    ]
    return "\n".join(line for line in out if line) + "\n"


def _cards(doc: ReportDoc, lang: str) -> list[str]:
    head = headline(doc)
    out = [
        '<div class="cards">',
        f'<div class="card good headline"><b>{head["done"]}/{head["planned"]}</b>'
        f"<span>{_e(t('doc.indicators_done', lang))}</span></div>",
    ]
    for key, css in (
        ("missing", "bad"),
        ("invalid", "bad"),
        ("outdated", "warn"),
        ("late", "warn"),
    ):
        out.append(
            f'<div class="card {css}"><b>{head[key]}</b><span>{_e(t(f"status.{key}", lang))}</span></div>'
        )
    out.append(
        f'<div class="card"><b>{head["due_soon"]}</b><span>{_e(t("doc.due_soon", lang))}</span></div>'
    )
    out.append("</div>")
    return out


def _alerts(doc: ReportDoc, lang: str) -> list[str]:
    """An ended plan, evidence that disappeared, and what changed since the last scan."""
    out = []
    for said in (plan_ended(doc, lang), unreadable_alert(doc, lang)):
        if said:
            out.append(f'<div class="alert"><b>{_e(said)}</b></div>')
    changes = doc.get("changes")
    if changes and changes.get("disappeared"):
        n = len(changes["disappeared"])
        out.append(f'<div class="alert"><b>{_e(t("doc.disappeared_alert", lang, n=n))}</b><ul>')
        out += [f"<li>{_e(p)}</li>" for p in changes["disappeared"]]
        out.append("</ul></div>")
    if changes is not None:
        out.append(_changes(doc, changes, lang))
    return out


def _components(doc: ReportDoc, lang: str) -> list[str]:
    out = [f"<h2>{_e(t('doc.components', lang))}</h2>"]
    for comp in doc["components"]:
        pct = percent(comp["done"], comp["planned"])
        out.append(
            f'<div class="comp"><div class="name"><span>{_e(comp["id"])}. {_e(comp["name"])}</span>'
            f"<span>{comp['done']}/{comp['planned']}</span></div>"
            f'<div class="bar"><div class="fill" style="width:{pct}%"></div></div></div>'
        )
    svg = _trend_svg(doc.get("trend", []))
    if svg:
        out += [f"<h2>{_e(t('doc.trend', lang))}</h2>", svg]
    return out


def _due_soon(doc: ReportDoc, lang: str) -> list[str]:
    if not doc["due_soon"]:
        return []
    out = [f"<h2>{_e(t('doc.due_soon', lang))}</h2>"]
    for d in doc["due_soon"]:
        left = (
            t("doc.today", lang)
            if d["days_left"] == 0
            else t("doc.days_left", lang, n=d["days_left"])
        )
        out.append(
            f'<div class="item soon-{d["level"]}"><b>{_e(d["indicator"])}</b> {_e(d["name"])}'
            f'<div class="meta">{_e(t("doc.deadline", lang))}: {_e(day(d["deadline"], lang))} ({_e(left)}) · '
            f"{_e(t('gap.folder', lang))}: {_e(d['folder'])}/ · "
            f"{_e(t('gap.patterns', lang))}: {_e(', '.join(d['patterns']))}</div></div>"
        )
    return out


def _gaps(doc: ReportDoc, lang: str) -> list[str]:
    out = [f"<h2>{_e(t('doc.gaps', lang))}</h2>"]
    pairs = gaps(doc)
    if not pairs:
        out.append(f"<p>{_e(t('head.no_gaps', lang))}</p>")
    for ind, ev in pairs:
        exp = ev["expected"]
        pic = pic_of(ind, ev)
        out.append(
            f'<div class="item"><span class="badge s-{_e(ev["status"])}">{_e(t("status." + ev["status"], lang))}</span> '
            f"<b>{_e(ind['id'])}</b> {_e(ev['name'])}"
            f'<div class="meta">{_e(t("doc.deadline", lang))}: {_e(day(ev["due"]["end"], lang))} · '
            f"{_e(t('gap.folder', lang))}: {_e(exp['folder'])}/ · "
            f"{_e(t('gap.patterns', lang))}: {_e(', '.join(exp['patterns'] + exp['in_folder']))}"
            + (f" · {_e(t('doc.pic', lang))}: {_e(pic)}" if pic else "")
            + "</div>"
        )
        for f in ev["files"][:3]:
            why = ", ".join(problem(p, lang) for p in f["problems"]) or day(f["date"], lang)
            out.append(
                f'<div class="meta">{_e(t("doc.file", lang))}: {_e(f["path"])} — {_e(why)}</div>'
            )
        out.append("</div>")
    return out


def _files(doc: ReportDoc, lang: str) -> list[str]:
    """Files that are not usable, and files that count for nothing."""
    out = []
    bad = invalid_files(doc)
    if bad:
        out.append(f"<h2>{_e(t('doc.invalid', lang))}</h2><ul>")
        for f in bad:
            reason = ", ".join(problem(p, lang) for p in f["problems"])
            # the reader's own words are English: shown only where the report is
            more = f" ({_e(f['detail'])})" if f.get("detail") and lang == "en" else ""
            out.append(f"<li>{_e(f['path'])} — {_e(reason)}{more}</li>")
        out.append("</ul>")
    unmatched = unmatched_files(doc)
    if unmatched:
        out.append(f"<h2>{_e(t('head.unmatched', lang, n=len(unmatched)))}</h2><ul>")
        for path, hint in unmatched:
            more = f" → {_e(t('head.suggest', lang))} {_e(hint)}" if hint else ""
            out.append(f"<li>{_e(path)}{more}</li>")
        out.append("</ul>")
    return out


def _changes(doc: ReportDoc, changes: ChangesDoc, lang: str) -> str:
    previous = changes["previous"]
    if previous is None:
        return f"<h2>{_e(t('doc.changes_first', lang))}</h2><p>{_e(t('doc.first_scan', lang))}</p>"
    parts = [f"<h2>{_e(t('doc.changes', lang, date=day(previous, lang)))}</h2>"]
    groups = change_groups(doc, lang)
    for key, lines in groups:
        parts.append(f"<h3>{_e(t('doc.' + key, lang))}</h3><ul>")
        parts += [f"<li>{_e(line)}</li>" for line in lines]
        parts.append("</ul>")
    if not groups:
        parts.append(f"<p>{_e(t('doc.no_changes', lang))}</p>")
    return "".join(parts)
