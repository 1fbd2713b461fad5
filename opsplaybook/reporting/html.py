"""One self-contained HTML file: charts as embedded PNG, the bundled CJK font embedded as a web font
(so Chinese renders on a machine without Chinese fonts), no script, no network."""
from __future__ import annotations

import base64
import html
import io
from functools import lru_cache

import pandas as pd

from ..labels import label

__all__ = ["render_html"]

_CSS = """
@font-face { font-family: "OpsPlaybook Sans SC"; src: url(data:font/ttf;base64,%(font)s) format("truetype"); }
body { font-family: "PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", "Source Han Sans SC",
       "OpsPlaybook Sans SC", sans-serif; margin: 2rem auto; max-width: 62rem; color: #222; line-height: 1.55; }
h1 { border-bottom: 3px solid #1f77b4; padding-bottom: .3rem; }
h2 { margin-top: 2.4rem; border-left: 6px solid #1f77b4; padding-left: .6rem; }
table { border-collapse: collapse; margin: .8rem 0; font-size: .9rem; }
th, td { border: 1px solid #ddd; padding: .25rem .6rem; text-align: right; }
th { background: #f3f6fa; } td:first-child, th:first-child { text-align: left; }
.actions { background: #fff8e6; border-left: 5px solid #f0a500; padding: .6rem 1rem; }
.skipped { color: #777; font-style: italic; }
.figures span { display: inline-block; margin-right: 1.6rem; } .figures b { font-size: 1.25rem; }
img { max-width: 100%; }
nav a { margin-right: 1rem; }
"""


@lru_cache(maxsize=1)
def _font_b64() -> str:
    from ..charts.fonts import bundled_font_path

    return base64.b64encode(bundled_font_path().read_bytes()).decode("ascii")


def _png(fig) -> str:
    import matplotlib.pyplot as plt

    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=110, bbox_inches="tight")
    plt.close(fig)
    return base64.b64encode(buf.getvalue()).decode("ascii")


def _duration(v) -> str:
    if pd.isna(v):
        return ""
    secs = int(v.total_seconds())
    d, rest = divmod(secs, 86400)
    h, rest = divmod(rest, 3600)
    m, s = divmod(rest, 60)
    return (f"{d}d " if d else "") + (f"{h}h " if h or d else "") + f"{m}m {s:02d}s"


def _fmt_table(df: pd.DataFrame, lang: str) -> str:
    from ..localization import localize

    df = df.copy()
    for c in df.columns:
        name = str(c)
        s = df[c]
        if pd.api.types.is_timedelta64_dtype(s):
            df[c] = s.map(_duration)
        elif pd.api.types.is_float_dtype(s) and (name.endswith(("share", "rate", "cvr", "conversion"))
                                                 or name in ("weighted", "simple")):
            df[c] = s.map(lambda v: "" if pd.isna(v) else f"{v:.1%}")
        elif pd.api.types.is_float_dtype(s):
            df[c] = s.map(lambda v: "" if pd.isna(v) else f"{v:,.2f}")
        elif pd.api.types.is_datetime64_any_dtype(s):
            df[c] = s.dt.strftime("%Y-%m-%d")
    return localize(df, lang=lang).to_html(index=False, border=0, escape=True, na_rep="")


def _figure_text(key: str, value, lang: str) -> str | None:
    lab = label(f"report.figure.{key}", lang, default="")
    if not lab or value is None:
        return None
    if isinstance(value, float) and key in ("repeat_rate", "top20_share", "funnel_cvr", "w1"):
        shown = f"{value:.1%}"
    elif isinstance(value, float) and key == "gini":
        shown = f"{value:.2f}"
    elif isinstance(value, (int, float)):
        shown = f"{value:,.0f}"
    else:
        shown = str(value)
    return f"<span>{html.escape(lab)}<br><b>{html.escape(shown)}</b></span>"


def render_html(sections, *, lang: str, sources: str, when: str, notes=()) -> str:
    """The whole report as one HTML document (``notes``: how the inputs were read, under the header)."""
    title = label("report.title", lang)
    parts = [f"<!doctype html><html lang=\"{'zh-CN' if lang == 'zh' else 'en'}\"><head><meta charset=\"utf-8\">",
             f"<title>{html.escape(title)}</title><style>{_CSS.replace('%(font)s', _font_b64())}</style></head><body>",
             f"<h1>{html.escape(title)}</h1>",
             f"<p>{html.escape(label('report.generated', lang).format(when=when, sources=sources))}</p>",
             *[f"<p class=\"note\">{html.escape(n)}</p>" for n in notes],
             "<nav><b>" + html.escape(label("report.toc", lang)) + "</b> "
             + " ".join(f"<a href=\"#{s.key}\">{html.escape(label(f'report.section.{s.key}', lang))}</a>"
                        for s in sections) + "</nav>"]
    for s in sections:
        parts.append(f"<h2 id=\"{s.key}\">{html.escape(label(f'report.section.{s.key}', lang))}</h2>")
        if s.skipped:
            parts.append(f"<p class=\"skipped\">{html.escape(s.skipped)}</p>")
            continue
        figs = [t for t in (_figure_text(k, v, lang) for k, v in s.figures.items()) if t]
        if figs:
            parts.append("<p class=\"figures\">" + "".join(figs) + "</p>")
        for note in s.notes:
            parts.append(f"<p>{html.escape(note)}</p>")
        parts.append("<div class=\"actions\"><b>" + html.escape(label("report.actions", lang)) + "</b><ul>"
                     + ("".join(f"<li>{html.escape(a)}</li>" for a in s.actions)
                        or f"<li>{html.escape(label('report.no_actions', lang))}</li>") + "</ul></div>")
        for fig in s.charts:
            parts.append(f"<p><img alt=\"\" src=\"data:image/png;base64,{_png(fig)}\"></p>")
        for caption, table in s.tables:
            if caption:
                parts.append(f"<h3>{html.escape(caption)}</h3>")
            parts.append(_fmt_table(table, lang))
    parts.append("</body></html>")
    return "\n".join(parts)
