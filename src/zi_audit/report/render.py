"""One entry point for every format, so commands never pick a renderer themselves."""

from __future__ import annotations

from zi_audit.core.schema import ReportDoc
from zi_audit.report import render_csv, render_html, render_json, render_md, render_text

FORMATS = ("text", "json", "html", "md", "csv")


def render(doc: ReportDoc, fmt: str, lang: str, *, show_all: bool = False) -> str:
    if fmt == "text":
        return render_text.render(doc, lang, show_all=show_all)
    if fmt == "json":
        return render_json.render(doc)
    if fmt == "html":
        return render_html.render(doc, lang)
    if fmt == "md":
        return render_md.render(doc, lang)
    if fmt == "csv":
        return render_csv.render(doc, lang)
    raise ValueError(f"unknown report format {fmt!r}")
