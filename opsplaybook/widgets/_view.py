"""The view half of an explorer: ipywidgets controls bound to a state, and outputs redrawn from it.

Imported only when an explorer is built (ipywidgets and matplotlib are loaded then, not when
``opsplaybook.widgets`` is imported).

The chart is drawn on a matplotlib ``Figure`` that belongs to the widget (not pyplot's, so no
figure piles up and nothing is displayed twice) and shown as a PNG in an ``ipywidgets.Image``;
tables are ``ipywidgets.HTML``. Every update is synchronous: when a control's value is set — by a
learner in JupyterLab or by ``widget.controls["compare"].value = ...`` in a test — the state is
updated and the outputs are redrawn before the assignment returns.
"""
from __future__ import annotations

import html
import io
import time
from collections.abc import Callable, Mapping, Sequence

import ipywidgets as W

from ..errors import OpsPlaybookError

__all__ = ["ExplorerWidget", "selection_control", "html_table"]


def selection_control(state, name: str, description: str, *, kind: str = "slider", width: str = "420px"):
    """A control choosing one of ``state.options(name)``: a ``SelectionSlider`` or a ``Dropdown``."""
    options = state.options(name)
    value = getattr(state, name)
    common = dict(options=options, value=value, description=description,
                  style={"description_width": "initial"}, layout=W.Layout(width=width, margin="2px 32px 2px 0"))
    if kind == "slider":
        return W.SelectionSlider(continuous_update=False, **common)
    if kind == "dropdown":
        return W.Dropdown(**common)
    if kind == "toggle":
        return W.ToggleButtons(**{k: v for k, v in common.items() if k != "layout"})
    raise ValueError(f"kind={kind!r}")  # programming error of an explorer, not a user's


def html_table(header: Sequence[str], rows: Sequence[Sequence[object]], *, numeric_from: int = 1,
               signs: Mapping[tuple[int, int], float] | None = None, bold_last: bool = False) -> str:
    """A small HTML table: first ``numeric_from`` columns left-aligned text, the rest right-aligned.

    ``signs`` maps ``(row, column)`` to a number whose sign colours the cell (blue up, orange down).
    """
    signs = signs or {}
    cell = "padding:2px 10px;border-bottom:1px solid #ddd;"
    out = ['<table class="opsplaybook-table" style="border-collapse:collapse;font-size:13px;margin:4px 0">',
           "<thead><tr>"]
    for j, h in enumerate(header):
        align = "left" if j < numeric_from else "right"
        out.append(f'<th style="{cell}text-align:{align};border-bottom:2px solid #888">{html.escape(str(h))}</th>')
    out.append("</tr></thead><tbody>")
    for i, row in enumerate(rows):
        weight = "font-weight:bold;" if bold_last and i == len(rows) - 1 else ""
        out.append("<tr>")
        for j, v in enumerate(row):
            align = "left" if j < numeric_from else "right"
            color = ""
            if (i, j) in signs and signs[(i, j)] == signs[(i, j)]:  # not NaN
                color = "color:#1f77b4;" if signs[(i, j)] > 0 else "color:#ff7f0e;" if signs[(i, j)] < 0 else ""
            out.append(f'<td style="{cell}text-align:{align};{weight}{color}">{html.escape(str(v))}</td>')
        out.append("</tr>")
    out.append("</tbody></table>")
    return "".join(out)


class ExplorerWidget(W.VBox):
    """An explorer on screen: controls bound to a state, a chart and HTML outputs.

    Parameters
    ----------
    state : ExplorerState
        The plain-Python state (``widget.state``).
    controls : dict
        Control widgets by the state's parameter names (``widget.controls``).
    texts : callable
        ``texts(state) -> {name: html}``: the HTML outputs, shown in this order under the chart
        (``widget.texts[name]`` is the ``ipywidgets.HTML`` of each).
    draw : callable, optional
        ``draw(state, figure)`` draws the chart on the (cleared) figure; ``None``: no chart.
    figsize : (float, float)
        Size of the chart in inches (100 dpi on screen).
    """

    def __init__(self, state, controls: Mapping[str, W.Widget], *, texts: Callable[[object], Mapping[str, str]],
                 draw: Callable[[object, object], None] | None = None, figsize=(10.0, 4.5), title: str = ""):
        super().__init__()
        self.state = state
        self.controls = dict(controls)
        self._texts = texts
        self._draw = draw
        self.renders = 0
        self.last_update_s = float("nan")
        self.error: str | None = None
        self.figure = None
        self.chart = None
        if draw is not None:
            from matplotlib.backends.backend_agg import FigureCanvasAgg
            from matplotlib.figure import Figure

            # a fixed layout: a layout engine would make every savefig draw the figure twice
            self.figure = Figure(figsize=figsize, dpi=100)
            FigureCanvasAgg(self.figure)
            self.chart = W.Image(format="png", layout=W.Layout(max_width="100%", height="auto"))
        self.texts = {name: W.HTML() for name in texts(state)}
        self._error_box = W.HTML()
        for name, control in self.controls.items():
            control.observe(self._handler(name), names="value")
        self.refresh()
        head = [W.HTML(f"<b>{html.escape(title)}</b>")] if title else []
        boxes = [W.HBox(list(self.controls.values())[i:i + 2]) for i in range(0, len(self.controls), 2)]
        body = [self.chart] if self.chart is not None else []
        self.children = [*head, *boxes, self._error_box, *body, *self.texts.values()]
        self.add_class("opsplaybook-explorer")

    # ------------------------------------------------------------------ updates
    def _handler(self, name: str):
        def on_change(change):
            if change["new"] == change["old"]:
                return
            t0 = time.perf_counter()
            try:
                self.state.update(**{name: change["new"]})
            except OpsPlaybookError as exc:  # shown in the widget, the previous results stay
                self.error = str(exc)
                self._error_box.value = f'<span style="color:#d62728">{html.escape(self.error)}</span>'
                return
            self.error = None
            self._error_box.value = ""
            self.refresh()
            self.last_update_s = time.perf_counter() - t0

        return on_change

    def refresh(self) -> None:
        """Redraw every output from the state (the controls already hold the state's values)."""
        for name, value in self._texts(self.state).items():
            self.texts[name].value = value
        if self._draw is not None:
            self.figure.clear()
            self._draw(self.state, self.figure)
            buf = io.BytesIO()
            # straight to the canvas: savefig with set_theme's savefig.bbox="tight" would draw it twice
            self.figure.canvas.print_png(buf)
            self.chart.value = buf.getvalue()
        self.renders += 1

    # ------------------------------------------------------------------ for tests and benchmarks
    def demo_moves(self) -> list[tuple[str, object]]:
        """A short script of control changes touching every control: each moves to another option
        and back. ``[(name, value), ...]`` to apply in order (the benchmark times each)."""
        moves = []
        for name, control in self.controls.items():
            values = [v for _, v in self.state.options(name)]
            current = control.value
            others = [v for v in values if v != current]
            if not others:
                continue
            # the farthest option first (the biggest redraw), then the nearest, then back
            i = values.index(current)
            far = max(others, key=lambda v: abs(values.index(v) - i))
            near = min(others, key=lambda v: abs(values.index(v) - i))
            moves += [(name, far), (name, near), (name, current)]
        return moves
