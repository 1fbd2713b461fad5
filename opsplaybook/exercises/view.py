"""Showing feedback: coloured Markdown in Jupyter, plain text anywhere else. Display only."""
from __future__ import annotations

from .core import text

__all__ = ["render_markdown", "render_plain", "show"]

# learntools' colours: green right, red wrong, blue hint, teal solution; grey for not attempted
_COLOURS = {"right": "#2e8b3d", "wrong": "#c0392b", "not_attempted": "#6b7280", "error": "#b9770e",
            "hint": "#2b6cb0", "solution": "#138d75"}
_SYMBOLS = {"right": "✔", "wrong": "✘", "not_attempted": "…", "error": "!", "hint": "💡", "solution": "✎"}


def _head(kind: str, lang: str, **fields) -> str:
    from ._messages import MESSAGES

    return text(MESSAGES[f"head.{kind}"], lang, **fields)


def render_markdown(kind: str, message: str, *, lang: str, title: str = "", **fields) -> str:
    """The feedback as Markdown with a coloured heading (JupyterLab keeps ``<span style="color">``).

    >>> render_markdown("right", "GMV is the sum of paid orders.", lang="en", title="Q2")
    '<span style="color:#2e8b3d">**✔ Q2 · Correct:**</span> GMV is the sum of paid orders.'
    """
    head = f"{_SYMBOLS[kind]} {title + ' · ' if title else ''}{_head(kind, lang, **fields)}"
    sep = "\n\n" if "\n" in message else ("" if lang == "zh" else " ")
    return f'<span style="color:{_COLOURS[kind]}">**{head}{_colon(lang)}**</span>{sep}{message}'.rstrip()


def render_plain(kind: str, message: str, *, lang: str, title: str = "", **fields) -> str:
    """The feedback as plain text (terminals, logs, ``opsplaybook check``).

    >>> render_plain("wrong", "`n` = 3, expected 5.", lang="en", title="Q1")
    '✘ Q1 · Incorrect: `n` = 3, expected 5.'
    """
    head = f"{_SYMBOLS[kind]} {title + ' · ' if title else ''}{_head(kind, lang, **fields)}"
    sep = "\n" if "\n" in message else ("" if lang == "zh" else " ")
    return f"{head}{_colon(lang)}{sep}{message}".rstrip()


def _colon(lang: str) -> str:
    return "：" if lang == "zh" else ":"


def _in_notebook() -> bool:
    try:
        from IPython import get_ipython
    except ImportError:
        return False
    ip = get_ipython()
    return ip is not None and getattr(ip, "kernel", None) is not None


def show(kind: str, message: str, *, lang: str, title: str = "", **fields) -> None:
    """Display the feedback: Markdown in a Jupyter kernel, printed text elsewhere."""
    if _in_notebook():
        from IPython.display import Markdown, display

        display(Markdown(render_markdown(kind, message, lang=lang, title=title, **fields)))
    else:
        print(render_plain(kind, message, lang=lang, title=title, **fields))
