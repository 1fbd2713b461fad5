"""The kinds of answer a question can ask for: a number, a table, a choice, a chart, an open answer.

Each kind only says how an answer is type-checked (``_coerce``) and compared with the expected value
(``_compare``, raising :class:`~.core.Incorrect` with a message that shows the difference).
"""
from __future__ import annotations

import math
import numbers
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from ..errors import InvalidParameterError, closest
from .core import Incorrect, Question, text

__all__ = ["NumberQuestion", "FrameQuestion", "ChoiceQuestion", "ChartQuestion", "OpenQuestion", "Fact"]


def _type_name(value: Any) -> str:
    t = type(value)
    return t.__name__ if t.__module__ == "builtins" else f"{t.__module__.split('.')[0]}.{t.__name__}"


def _fmt_number(x: Any) -> str:
    try:
        x = float(x)
    except (TypeError, ValueError):
        return repr(x)
    if math.isnan(x):
        return "NaN"
    if x == int(x) and abs(x) < 1e15:
        return f"{int(x):,}"
    return f"{x:,.4f}".rstrip("0").rstrip(".") if abs(x) < 1 else f"{x:,.2f}"


# ---------------------------------------------------------------------------------------------
class NumberQuestion(Question):
    """A single number, right within ``rel`` (relative) or ``abs`` (absolute) tolerance.

    >>> q = NumberQuestion(var="n", expected=13702)
    >>> q.check_answer(13702.0, None, "en")
    '`n` is right.'
    >>> q.check_answer(13000, None, "en")
    Traceback (most recent call last):
    ...
    opsplaybook.exercises.core.Incorrect: `n` = 13,000, expected 13,702.
    """

    kind = "number"

    def __init__(self, *, var: str, expected: Any, rel: float = 1e-6, abs: float = 0.0, **kw: Any) -> None:
        if rel < 0 or abs < 0:
            raise InvalidParameterError(f"`rel`={rel!r} and `abs`={abs!r} must be >= 0.")
        super().__init__(var=var, expected=expected, **kw)
        self.rel, self.abs = rel, abs

    def _prepare_expected(self, value: Any) -> Any:
        return float(value)

    def _coerce(self, answer: Any, ctx: dict) -> float:
        size = getattr(answer, "size", None)
        if size is not None and not isinstance(answer, numbers.Number) and getattr(answer, "ndim", 0) != 0:
            if size == 1 and hasattr(answer, "item"):
                raise self._wrong("number.size", ctx, size=1)
            raise self._wrong("number.size", ctx, size=size)
        if isinstance(answer, bool) or not isinstance(answer, numbers.Real):
            if hasattr(answer, "item") and getattr(answer, "ndim", 1) == 0:  # numpy scalar
                answer = answer.item()
            else:
                raise Incorrect(self._msg("number.type", ctx["lang"], **{**ctx, "received_type": _type_name(answer)}))
        value = float(answer)
        if math.isnan(value):
            raise Incorrect(self._msg("number.nan", ctx["lang"], **ctx))
        return value

    def _compare(self, answer: float, expected: float, ctx: dict) -> None:
        if not math.isclose(answer, expected, rel_tol=self.rel, abs_tol=self.abs):
            raise self._wrong("number.wrong", ctx, received=_fmt_number(answer), expected_text=_fmt_number(expected))

    def _show(self, value: Any) -> str:
        return _fmt_number(value)

    def context(self, world: Any, lang: str, answer: Any = None) -> dict:
        ctx = super().context(world, lang, answer)
        ctx["expected_text"] = _fmt_number(ctx["expected"])
        return ctx

    def check_answer(self, answer: Any, world: Any, lang: str) -> str:
        msg = super().check_answer(answer, world, lang)
        return msg or self._msg("right.default", lang, var=self.var)


# ---------------------------------------------------------------------------------------------
class FrameQuestion(Question):
    """A table: the columns asked for, the number of rows and the values (numbers within ``rel``).

    ``columns`` are the columns that must be there (default: all of the expected frame's);
    ``extra_columns=False`` refuses others. ``sort_by`` makes row order irrelevant. The index is
    ignored. Dates compare as dates whether given as text or as datetimes.
    """

    kind = "frame"

    def __init__(self, *, var: str, expected: Any, columns: Iterable[str] | None = None,
                 sort_by: str | list[str] | None = None, extra_columns: bool = True, rel: float = 1e-6,
                 **kw: Any) -> None:
        super().__init__(var=var, expected=expected, **kw)
        self.columns = list(columns) if columns is not None else None
        self.sort_by = [sort_by] if isinstance(sort_by, str) else sort_by
        self.extra_columns, self.rel = extra_columns, rel

    def _prepare_expected(self, value: Any) -> Any:
        from .._frames import as_pandas

        frame = as_pandas(value, param="expected").reset_index(drop=True)
        return frame[self.columns] if self.columns is not None else frame

    def _coerce(self, answer: Any, ctx: dict) -> Any:
        import pandas as pd

        if isinstance(answer, pd.Series) or not hasattr(answer, "columns") and not _is_native_frame(answer):
            raise Incorrect(self._msg("frame.type", ctx["lang"], **{**ctx, "received_type": _type_name(answer)}))
        from .._frames import as_pandas

        return as_pandas(answer, param=self.var)

    def _compare(self, answer: Any, expected: Any, ctx: dict) -> None:
        import numpy as np
        import pandas as pd

        want = list(expected.columns)
        have = [str(c) for c in answer.columns]
        missing = [c for c in want if c not in have]
        if missing:
            raise self._wrong("frame.missing", ctx, missing=missing, columns=have)
        extra = [c for c in have if c not in want]
        if extra and not self.extra_columns:
            raise self._wrong("frame.extra", ctx, extra=extra, expected_columns=want)
        if len(answer) != len(expected):
            raise self._wrong("frame.rows", ctx, n_received=f"{len(answer):,}", n_expected=f"{len(expected):,}")
        got = answer.copy()
        got.columns = have
        got = got[want]
        exp = expected
        if self.sort_by:
            got = got.sort_values(self.sort_by, kind="stable")
            exp = exp.sort_values(self.sort_by, kind="stable")
        got, exp = got.reset_index(drop=True), exp.reset_index(drop=True)
        bad = np.zeros(len(exp), dtype=bool)
        per_col = {}
        for c in want:
            e, g = exp[c], got[c]
            if pd.api.types.is_datetime64_any_dtype(e):
                g = pd.to_datetime(g, errors="coerce")
                g = g.dt.tz_localize(None) if getattr(g.dt, "tz", None) is not None else g
                diff = ~((g.values == e.values) | (g.isna().values & e.isna().values))
            elif pd.api.types.is_numeric_dtype(e) and not pd.api.types.is_bool_dtype(e):
                gv = pd.to_numeric(g, errors="coerce").to_numpy(dtype=float, na_value=np.nan)
                ev = e.to_numpy(dtype=float, na_value=np.nan)
                diff = ~np.isclose(gv, ev, rtol=self.rel, atol=0.0, equal_nan=True)
            else:
                diff = (g.astype(str).values != e.astype(str).values)
            per_col[c] = diff
            bad |= diff
        if bad.any():
            key = (self.sort_by or [want[0]])[0]
            lines = []
            for i in np.flatnonzero(bad)[:3]:
                for c in want:
                    if per_col[c][i]:
                        lines.append("- " + self._msg("frame.row", ctx["lang"], row=f"{i} ({key}={_cell(exp[key][i])})",
                                                      col=c, got=_cell(got[c][i]), want=_cell(exp[c][i])))
                        break
            raise self._wrong("frame.values", ctx, n_diff=int(bad.sum()), diff="\n".join(lines))

    def _show(self, value: Any) -> str:
        shape = getattr(value, "shape", None)
        return f"{_type_name(value)} {shape}" if shape is not None else repr(value)

    def check_answer(self, answer: Any, world: Any, lang: str) -> str:
        return super().check_answer(answer, world, lang) or self._msg("right.default", lang, var=self.var)

    def sample(self, value: Any, world: Any, lang: str) -> Any:
        return value.copy()


def _is_native_frame(value: Any) -> bool:
    mod = type(value).__module__.split(".")[0]
    return mod in ("polars", "duckdb", "pyspark", "pyarrow")


def _cell(v: Any) -> str:
    import pandas as pd

    if isinstance(v, pd.Timestamp):
        return v.strftime("%Y-%m-%d") if v == v.normalize() else str(v)
    if isinstance(v, numbers.Real) and not isinstance(v, bool):
        return _fmt_number(v)
    return repr(v)


# ---------------------------------------------------------------------------------------------
def _normalise_choice(answer: Any, options: Mapping[str, Any]) -> str | None:
    """The option key ``answer`` names: the key itself (any case, spaces ignored) or an option's text."""
    if not isinstance(answer, str):
        return None
    a = answer.strip().rstrip(".、:：").strip()
    for key, label in options.items():
        if a.lower() == key.lower():
            return key
        texts = label.values() if isinstance(label, Mapping) else [label]
        if any(a.lower() == str(t).strip().lower() for t in texts):
            return key
    return None


class ChoiceQuestion(Question):
    """One option among ``options`` (``{key: text}``); the answer is the key, e.g. ``"B"``.

    >>> q = ChoiceQuestion(var="kind", options={"A": "business", "B": "user base", "C": "behaviour"},
    ...                    expected="B", wrong=[])
    >>> q.check_answer("b", None, "en")
    '`kind` is right.'
    """

    kind = "choice"

    def __init__(self, *, var: str, options: Mapping[str, Any], expected: Any, **kw: Any) -> None:
        if not options:
            raise InvalidParameterError("`options` must list at least two options as {key: text}.")
        super().__init__(var=var, expected=expected, **kw)
        self.options = dict(options)

    def _prepare_expected(self, value: Any) -> str:
        key = _normalise_choice(value, self.options)
        if key is None:
            raise InvalidParameterError(f"expected option {value!r} is not one of {list(self.options)}.")
        return key

    def _option_list(self, lang: str) -> str:
        return ", ".join(f"\"{k}\" ({text(v, lang)})" for k, v in self.options.items())

    def _coerce(self, answer: Any, ctx: dict) -> str:
        lang = ctx["lang"]
        if not isinstance(answer, str):
            raise Incorrect(self._msg("choice.type", lang, **{**ctx, "options": self._option_list(lang),
                                                               "first": next(iter(self.options))}))
        key = _normalise_choice(answer, self.options)
        if key is None:
            best = closest(answer.strip(), list(self.options))
            hint = f" Did you mean {best!r}?" if best is not None and lang == "en" else (
                f" 是不是想写 {best!r}？" if best is not None else "")
            raise Incorrect(self._msg("choice.unknown", lang, received=repr(answer),
                                      options=self._option_list(lang)) + hint)
        return key

    def _compare(self, answer: str, expected: str, ctx: dict) -> None:
        if answer != expected:
            raise self._wrong("choice.wrong", ctx, received=f"\"{answer}\" ({text(self.options[answer], ctx['lang'])})")

    def check_answer(self, answer: Any, world: Any, lang: str) -> str:
        return super().check_answer(answer, world, lang) or self._msg("right.default", lang, var=self.var)


# ---------------------------------------------------------------------------------------------
_ARTISTS = {"line": "线", "bar": "柱", "any": "数据"}


def chart_series(ax: Any) -> list[tuple[str, Any]]:
    """The data series drawn on a matplotlib Axes: ``("line", y values)`` per line with two or more
    points, ``("bar", heights)`` per bar container (or, without containers, all bars together)."""
    import numpy as np

    out: list[tuple[str, Any]] = []
    for line in ax.get_lines():
        y = np.asarray(line.get_ydata(), dtype=float)
        if y.size >= 2:
            out.append(("line", y))
    containers = [c for c in getattr(ax, "containers", []) if type(c).__name__ == "BarContainer"]
    if containers:
        for c in containers:
            out.append(("bar", np.asarray([p.get_height() if p.get_width() >= 0 and
                                            getattr(c, "orientation", "vertical") == "vertical" else p.get_width()
                                            for p in c.patches], dtype=float)))
    else:
        from matplotlib.patches import Rectangle

        rects = [p for p in ax.patches if isinstance(p, Rectangle)]
        if rects:
            out.append(("bar", np.asarray([p.get_height() for p in rects], dtype=float)))
    return out


class ChartQuestion(Question):
    """A chart, checked through the Axes the learner returns: the kind of artist (``"line"``,
    ``"bar"`` or ``"any"``), the data (one series must equal ``expected`` within ``rel``) and
    the texts (``title``, ``ylabel``, ``xlabel`` required when True)."""

    kind = "chart"

    def __init__(self, *, var: str, expected: Any, artist: str = "any", title: bool = True,
                 ylabel: bool = True, xlabel: bool = False, rel: float = 1e-6, **kw: Any) -> None:
        if artist not in _ARTISTS:
            raise InvalidParameterError(f"`artist`={artist!r} is not allowed. Allowed: {list(_ARTISTS)}.")
        super().__init__(var=var, expected=expected, **kw)
        self.artist, self.title, self.ylabel, self.xlabel, self.rel = artist, title, ylabel, xlabel, rel

    def _prepare_expected(self, value: Any) -> Any:
        import numpy as np

        return np.asarray(value, dtype=float)

    def _coerce(self, answer: Any, ctx: dict) -> Any:
        from matplotlib.axes import Axes
        from matplotlib.figure import Figure

        if isinstance(answer, Figure) and len(answer.axes) == 1:
            answer = answer.axes[0]
        if not isinstance(answer, Axes):
            raise Incorrect(self._msg("chart.type", ctx["lang"], **{**ctx, "received_type": _type_name(answer)}))
        return answer

    def _matching(self, ax: Any, values: Any) -> bool:
        import numpy as np

        return any(y.shape == values.shape and np.allclose(y, values, rtol=self.rel, atol=0.0, equal_nan=True)
                   for kind, y in chart_series(ax) if self.artist in ("any", kind))

    def _same(self, answer: Any, value: Any, ctx: dict) -> bool:  # a wrong answer is matched on data only
        return self._matching(answer, value)

    def _compare(self, ax: Any, expected: Any, ctx: dict) -> None:
        series = chart_series(ax)
        lang = ctx["lang"]
        if self.artist != "any" and not any(kind == self.artist for kind, _ in series):
            raise self._wrong("chart.artist", ctx, artist=self.artist, artist_zh=_ARTISTS[self.artist])
        if not self._matching(ax, expected):
            raise self._wrong("chart.data", ctx, n_expected=f"{expected.size:,}",
                              lengths=[int(y.size) for _, y in series] or [0])
        for need, key, getter in ((self.title, "chart.title", ax.get_title),
                                  (self.ylabel, "chart.ylabel", ax.get_ylabel),
                                  (self.xlabel, "chart.xlabel", ax.get_xlabel)):
            if need and not str(getter()).strip():
                if key == "chart.title" and ax.figure is not None and getattr(ax.figure, "_suptitle", None) is not None \
                        and ax.figure._suptitle.get_text().strip():
                    continue
                raise Incorrect(self._msg(key, lang))

    def _show(self, value: Any) -> str:
        return _type_name(value)

    def check_answer(self, answer: Any, world: Any, lang: str) -> str:
        return super().check_answer(answer, world, lang) or self._msg("right.default", lang, var=self.var)

    def sample(self, value: Any, world: Any, lang: str) -> Any:
        """A chart of ``value`` (as a line, or bars for ``artist="bar"``) with a title and labels."""
        import numpy as np
        from matplotlib.figure import Figure

        ax = Figure().subplots()
        y = np.asarray(value, dtype=float)
        if self.artist == "bar":
            ax.bar(np.arange(y.size), y)
        else:
            ax.plot(np.arange(y.size), y)
        ax.set_title("sample")
        ax.set_xlabel("x")
        ax.set_ylabel("y")
        return ax


# ---------------------------------------------------------------------------------------------
_NUMBER = re.compile(r"[-+]?\d[\d,，]*(?:\.\d+)?\s*(?:%|％)?")


def numbers_in(text_: str) -> list[float]:
    """The numbers written in a text (``1,234.5``, ``38%`` read as 38 and 0.38, ``2.2万`` as 22000).

    >>> numbers_in("GMV 增长了 1,234.5 元，转化率从 38% 升到 50.3%，访客 2.2万")
    [1234.5, 38.0, 0.38, 50.3, 0.503, 2.2, 22000.0]
    """
    out: list[float] = []
    for m in _NUMBER.finditer(text_):
        s = m.group(0).replace(",", "").replace("，", "").strip()
        pct = s.endswith(("%", "％"))
        s = s.rstrip("%％").strip()
        try:
            x = float(s)
        except ValueError:
            continue
        out.append(x)
        if pct:
            out.append(x / 100)
        rest = text_[m.end():m.end() + 1]
        if rest == "万":
            out.append(x * 10_000)
        elif rest == "亿":
            out.append(x * 100_000_000)
    return out


@dataclass
class Fact:
    """A key fact a justification must contain: any of ``keywords`` (case-insensitive), or a number
    equal (within ``rel``) to ``number`` (a value, a list of acceptable values, or a function of
    the world). ``message`` says what is missing, in both languages."""

    message: str | Mapping[str, str]
    keywords: Iterable[str] = ()
    number: Any = None
    rel: float = 0.01

    def found(self, because: str, world: Any) -> bool:
        low = because.lower()
        if any(k.lower() in low for k in self.keywords):
            return True
        if self.number is not None:
            want = self.number(world) if callable(self.number) else self.number
            want = list(want) if isinstance(want, (list, tuple, set)) else [want]
            return any(math.isclose(x, float(w), rel_tol=self.rel) for x in numbers_in(because) for w in want)
        return False


class OpenQuestion(Question):
    """"Choose and justify": ``{"choice": key, "because": "..."}``. The choice must be ``expected``
    (a key, or a list of acceptable keys); the reasons must hold every :class:`Fact` in ``facts_required``."""

    kind = "open"

    def __init__(self, *, var: str, options: Mapping[str, Any], expected: Any, facts_required: Iterable[Fact] = (),
                 min_chars: int = 10, model_answer: Callable[[Any, str], dict] | None = None, **kw: Any) -> None:
        super().__init__(var=var, expected=expected, **kw)
        self.options = dict(options)
        self.facts_required = list(facts_required)
        self.min_chars = min_chars
        self.model_answer = model_answer

    def _prepare_expected(self, value: Any) -> Any:
        keys = value if isinstance(value, (list, tuple, set)) else [value]
        out = []
        for k in keys:
            key = _normalise_choice(k, self.options)
            if key is None:
                raise InvalidParameterError(f"expected option {k!r} is not one of {list(self.options)}.")
            out.append(key)
        return tuple(out)

    def _coerce(self, answer: Any, ctx: dict) -> dict:
        lang = ctx["lang"]
        if not isinstance(answer, Mapping):
            raise Incorrect(self._msg("open.type", lang, **{**ctx, "received_type": _type_name(answer)}))
        missing = [k for k in ("choice", "because") if k not in answer]
        if missing:
            raise Incorrect(self._msg("open.keys", lang, **{**ctx, "missing": missing}))
        key = _normalise_choice(answer["choice"], self.options)
        if key is None:
            opts = ", ".join(f"\"{k}\" ({text(v, lang)})" for k, v in self.options.items())
            raise Incorrect(self._msg("choice.unknown", lang, received=repr(answer["choice"]), options=opts))
        because = answer["because"]
        if not isinstance(because, str) or len(because.strip()) < self.min_chars:
            raise Incorrect(self._msg("open.short", lang, min_chars=self.min_chars))
        return {"choice": key, "because": because}

    def _same(self, answer: dict, value: Any, ctx: dict) -> bool:  # a wrong answer is matched on the choice
        return answer["choice"] in value

    def _compare(self, answer: dict, expected: tuple, ctx: dict) -> None:
        lang = ctx["lang"]
        if answer["choice"] not in expected:
            raise self._wrong("choice.wrong", ctx, received=f"\"{answer['choice']}\" ({text(self.options[answer['choice']], lang)})")
        missing = [text(f.message, lang, **ctx) for f in self.facts_required if not f.found(answer["because"], ctx["world"])]
        if missing:
            raise Incorrect(self._msg("open.facts", lang) + "\n\n" + "\n".join(f"- {m}" for m in missing))

    def _show(self, value: Any) -> str:
        return repr(value)

    def check_answer(self, answer: Any, world: Any, lang: str) -> str:
        return super().check_answer(answer, world, lang) or self._msg("right.default", lang, var=self.var)

    def sample(self, value: Any, world: Any, lang: str) -> Any:
        model = self.model_answer(world, lang) if self.model_answer else {"choice": value[0], "because": ""}
        keys = value if isinstance(value, tuple) else (value,)
        return {**model, "choice": keys[0]}
