"""Draw every chart of the package from the demo world, save PNGs and write a Markdown page.

>>> from opsplaybook.charts.gallery import build_gallery
>>> result = build_gallery("gallery", lang="zh")          # doctest: +SKIP
>>> result.markdown                                         # doctest: +SKIP
PosixPath('gallery/gallery.md')

Each chart module (:data:`CHART_MODULES`) lists its public charts in ``__all__`` and
may define ``GALLERY = {name: callable(world, ax) -> Axes | Figure}`` saying how to draw each from a
:class:`~opsplaybook.world.World` (keys may add variants: ``plot_funnel_by`` draws ``plot_funnel``
with ``by=``). Every ``plot_…`` name of an ``__all__`` without a gallery entry is listed as missing,
and an entry that fails is listed with its error, so a trainer sees at once what is not drawn.

The command line ``opsplaybook gallery --out DIR --lang zh`` calls :func:`build_gallery`.
"""
from __future__ import annotations

import importlib
import inspect
import os
import traceback
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import InvalidParameterError, check_lang, did_you_mean
from ..labels import get_lang, label, set_lang

__all__ = ["build_gallery", "gallery_entries", "GalleryResult", "CHART_MODULES", "SECTIONS"]

#: The chart modules the gallery shows, in page order.
CHART_MODULES = ("basic", "funnel_retention_charts", "lifecycle_charts", "value_charts", "drivers", "model_charts")
#: The page section of a chart module (catalog key ``gallery.section.<name>``), when not its own name:
#: the charts of the analytics' results share one section.
SECTIONS = {"funnel_retention_charts": "ops", "lifecycle_charts": "ops", "value_charts": "ops", "drivers": "ops"}


@dataclass
class GalleryResult:
    """What :func:`build_gallery` made: image paths by entry name, the Markdown page, and the
    entries that failed (name -> error text) or have no gallery entry (plot names)."""

    images: dict[str, Path] = field(default_factory=dict)
    markdown: Path | None = None
    failed: dict[str, str] = field(default_factory=dict)
    missing: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.failed and not self.missing


def gallery_entries() -> list[tuple[str, str, object, object]]:
    """``[(module, entry name, draw callable, plot function)]`` for every chart module, in order."""
    out = []
    for modname in CHART_MODULES:
        mod = importlib.import_module(f"{__package__}.{modname}")
        entries = getattr(mod, "GALLERY", {}) or {}
        for name, draw in entries.items():
            func = getattr(mod, name, None) or _base_function(mod, name)
            out.append((modname, name, draw, func))
    return out


def _base_function(mod, entry: str):
    """The plot function an entry variant draws (``plot_funnel_by`` -> ``plot_funnel``)."""
    names = sorted((n for n in getattr(mod, "__all__", []) if n.startswith("plot_") and entry.startswith(n)),
                   key=len, reverse=True)
    return getattr(mod, names[0]) if names else None


def _missing() -> list[str]:
    missing = []
    for modname in CHART_MODULES:
        mod = importlib.import_module(f"{__package__}.{modname}")
        entries = set(getattr(mod, "GALLERY", {}) or {})
        for name in getattr(mod, "__all__", []):
            if name.startswith("plot_") and callable(getattr(mod, name, None)) and not any(
                e == name or e.startswith(name + "_") for e in entries
            ):
                missing.append(f"{modname}.{name}")
    return missing


def _first_line(func) -> str:
    doc = inspect.getdoc(func) if func is not None else None
    return doc.strip().split("\n\n")[0].replace("\n", " ") if doc else ""


def _save(result, ax, path: Path, dpi: int) -> Path:
    import matplotlib.pyplot as plt
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    if isinstance(result, Figure):
        fig = result
    elif isinstance(result, Axes):
        fig = result.figure
    elif hasattr(result, "figure") and isinstance(getattr(result, "figure"), Figure):  # seaborn grids
        fig = result.figure
    elif hasattr(result, "write_image") or hasattr(result, "write_html"):  # a plotly figure
        try:
            result.write_image(str(path))
            return path
        except Exception:  # kaleido missing: keep an interactive HTML instead
            html = path.with_suffix(".html")
            result.write_html(str(html), include_plotlyjs="cdn")
            return html
    else:
        fig = ax.figure
    fig.savefig(path, dpi=dpi, bbox_inches="tight")
    if fig is not ax.figure:
        plt.close(ax.figure)
    plt.close(fig)
    return path


def build_gallery(out_dir, *, lang: str = "zh", world=None, markdown=None, dpi: int = 100,
                  image_prefix: str | None = None, strict: bool = False) -> GalleryResult:
    """Draw every chart of the package and write a Markdown page linking the images.

    Parameters
    ----------
    out_dir : folder for the PNGs (created).
    lang : "zh" or "en" — language of titles, labels, segment and stage names.
    world : the World to draw from; default the committed demo world (``load_demo()``), or a
        freshly generated one (5 000 users, seed 0) if the demo is not available.
    markdown : path of the page (default ``out_dir/gallery.md``); image links are relative to it.
    dpi : resolution of the PNGs.
    strict : raise the first error instead of listing failed charts on the page.

    Returns a :class:`GalleryResult`. The theme (``set_theme(lang)``) is applied while drawing and
    the previous label language restored afterwards.
    """
    import matplotlib as mpl
    import matplotlib.pyplot as plt

    from .theme import set_theme

    check_lang(lang)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    md_path = Path(markdown) if markdown is not None else out_dir / "gallery.md"
    if world is None:
        world = _default_world()

    result = GalleryResult(missing=_missing())
    old_lang = get_lang()
    with mpl.rc_context():
        set_theme(lang)
        try:
            sections: dict[str, list[tuple[str, Path | None, str, str]]] = {
                SECTIONS.get(m, m): [] for m in CHART_MODULES}
            for modname, name, draw, func in gallery_entries():
                section = sections[SECTIONS.get(modname, modname)]
                fig, ax = plt.subplots(figsize=(9, 5.5))
                path = out_dir / f"{name}.png"
                try:
                    res = draw(world, ax)
                    saved = _save(res, ax, path, dpi)
                    result.images[name] = saved
                    section.append((name, saved, _first_line(func), ""))
                except Exception as exc:  # keep going: the page lists what failed
                    if strict:
                        raise
                    plt.close(fig)
                    msg = f"{type(exc).__name__}: {exc}"
                    result.failed[name] = msg + "\n" + traceback.format_exc(limit=3)
                    section.append((name, None, _first_line(func), msg))
                finally:
                    plt.close("all")
            result.markdown = _write_markdown(md_path, sections, result, lang, out_dir)
        finally:
            set_lang(old_lang)
    return result


def _default_world():
    from .. import world as world_pkg

    try:
        return world_pkg.load_demo()
    except Exception:  # demo not committed/installed: the same world, generated
        return world_pkg.generate_world(n_users=5000, seed=0)


def _rel(path: Path, start: Path) -> str:
    return Path(os.path.relpath(path.resolve(), start.resolve())).as_posix()


def _shown_path(path: Path) -> str:
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def _write_markdown(md_path: Path, sections, result: GalleryResult, lang: str, out_dir: Path) -> Path:
    md_path.parent.mkdir(parents=True, exist_ok=True)
    out_s, md_s = _shown_path(out_dir), _shown_path(md_path)
    if md_path.resolve() == (out_dir / "gallery.md").resolve():
        cmd = f"opsplaybook gallery --out {out_s} --lang {lang}"
    else:
        cmd = (f'python -c "from opsplaybook.charts.gallery import build_gallery; '
               f"build_gallery('{out_s}', lang='{lang}', markdown='{md_s}')\"")
    lines = [f"# {label('gallery.title', lang)}", "", label("gallery.intro", lang), "",
             "```bash", cmd, "```", ""]
    n = sum(len(v) for v in sections.values())
    lines.append(f"{n} charts · lang={lang}")
    lines.append("")
    for section, items in sections.items():
        if not items:
            continue
        lines += [f"## {label(f'gallery.section.{section}', lang)}", ""]
        for name, path, doc, err in items:
            lines.append(f"### `{name}`")
            lines.append("")
            if doc:
                lines += [doc, ""]
            if path is not None:
                lines += [f"![{name}]({_rel(path, md_path.parent)})", ""]
            else:
                lines += [f"> **{label('gallery.failed', lang)}:** `{err}`", ""]
    if result.missing:
        lines += ["## Missing gallery entries", ""]
        lines += [f"- `{m}`" for m in result.missing]
        lines.append("")
    md_path.write_text("\n".join(lines), encoding="utf-8")
    return md_path


def draw_entry(name: str, world=None, *, lang: str | None = None, ax=None):
    """Draw one gallery entry (e.g. ``"plot_funnel"``) from ``world`` (default: the demo world).

    Returns what the chart function returned (an Axes or a Figure), for browsing the gallery in a
    notebook: ``[draw_entry(n) for n in gallery_names()]``.
    """
    import matplotlib.pyplot as plt

    entries = {n: draw for _, n, draw, _ in gallery_entries()}
    if name not in entries:
        raise InvalidParameterError(f"`name`={name!r} is not a gallery entry." + did_you_mean(
            name, entries, otherwise=" The entries are listed by `gallery_names()`."))
    if world is None:
        from ..world import load_demo

        world = load_demo()
    old = get_lang()
    if lang is not None:
        set_lang(check_lang(lang))
    try:
        if ax is None:
            _, ax = plt.subplots(figsize=(8, 5))
        return entries[name](world, ax)
    finally:
        set_lang(old)


def gallery_names() -> list[str]:
    """The names of every gallery entry, in gallery order."""
    return [n for _, n, _, _ in gallery_entries()]
