"""Validation and small expression helpers shared by every analysis (engine-agnostic, via narwhals).

Everything here raises the kit's own errors (:mod:`opsplaybook.errors`) naming the parameter and the
bad value, so that a user never sees a bare ``KeyError`` from deep inside pandas or Spark.

The helpers fall in three groups:

* parameters: :func:`parse_window`, :func:`parse_timestamp`, :func:`check_period`, :func:`normalize_steps`;
* columns and data: :func:`require_columns`, :func:`prepare_time`, :func:`prepare_amount`
  (they take the narwhals frame returned by :func:`opsplaybook.analytics._engine.to_lazy`);
* calendar arithmetic that works the same on pandas, Polars, DuckDB and Spark:
  :func:`day_number`, :func:`epoch_us`, :func:`period_start`, :func:`period_number`.

Pitfalls measured with narwhals 2.29 (write the one implementation around them):

* on the pandas backend ``group_by(...).agg(nw.when(cond).then(x).min())`` silently ignores
  ``cond``; compute conditional columns with ``with_columns`` first, then aggregate plain columns;
* ``dt.total_seconds`` is missing on Spark and ``median`` of a Duration fails on pandas: use
  :func:`epoch_us` differences (Float64) and ``median`` of those;
* there is no ``truncate("1w")``: use :func:`period_start` (Monday weeks);
* Int64 casts of columns with missing values fail on pandas: keep such columns Float64.
"""
from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Iterable, Sequence

import narwhals as nw

from ..errors import (
    ColumnNotFoundError,
    DataValidationError,
    InvalidParameterError,
    check_choice,
    check_columns,
)
from ._engine import epoch_us_expr, is_pandas_like, is_spark, text_to_datetime, with_row_numbers

__all__ = [
    "PERIODS",
    "ColumnNotFoundError",
    "DataValidationError",
    "InvalidParameterError",
    "check_choice",
    "check_period",
    "column_names",
    "require_columns",
    "parse_window",
    "parse_timestamp",
    "normalize_steps",
    "prepare_time",
    "parse_pandas_times",
    "TEXT_TIME_FORMATS",
    "TEXT_TIME_REGEX",
    "prepare_amount",
    "day_number",
    "epoch_us",
    "period_start",
    "period_number",
]

#: calendar periods understood by every analysis: day, week (Monday start), month
PERIODS = ("D", "W", "M")
_PERIOD_ALIASES = {
    "d": "D", "day": "D", "daily": "D", "1d": "D",
    "w": "W", "week": "W", "weekly": "W", "1w": "W", "w-mon": "W",
    "m": "M", "month": "M", "monthly": "M", "1m": "M", "ms": "M", "1mo": "M", "mo": "M",
}


# --------------------------------------------------------------------------- parameters
def check_period(value: object, *, param: str = "period") -> str:
    """Normalise a period (``"D"``, ``"W"``, ``"M"``, also ``"day"``/``"week"``/``"month"``/``"MS"``)."""
    if isinstance(value, str) and value.strip().lower() in _PERIOD_ALIASES:
        return _PERIOD_ALIASES[value.strip().lower()]
    check_choice(param, value, PERIODS)  # raises with the allowed values and the closest match
    return str(value)


_WINDOW_RE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([a-zA-Z]+)\s*$")
_WINDOW_UNITS = {
    "s": 1, "sec": 1, "second": 1, "seconds": 1,
    "min": 60, "m": 60, "minute": 60, "minutes": 60, "t": 60,
    "h": 3600, "hr": 3600, "hour": 3600, "hours": 3600,
    "d": 86400, "day": 86400, "days": 86400,
    "w": 7 * 86400, "week": 7 * 86400, "weeks": 7 * 86400,
}


def parse_window(value: object, *, param: str = "window", allow_none: bool = True) -> _dt.timedelta | None:
    """A conversion window as a :class:`datetime.timedelta` (``None`` = unbounded).

    Accepted: a ``timedelta`` / ``pandas.Timedelta`` / ``numpy.timedelta64``, a fixed pandas offset
    (``pd.offsets.Day(7)``, ``pd.offsets.Hour(24)``), or a string like ``"7D"``, ``"24h"``,
    ``"30min"``, ``"2 weeks"`` (pandas' own ``Timedelta`` strings such as ``"1 days 02:00:00"`` too).
    Calendar offsets of varying length (months, years) are refused: say ``"30D"`` instead.

    >>> parse_window("7D")
    datetime.timedelta(days=7)
    >>> parse_window("24h")
    datetime.timedelta(days=1)
    """
    if value is None:
        if allow_none:
            return None
        raise InvalidParameterError(f"`{param}` must be a duration such as '7D' or '24h', not None.")
    bad = (
        f"`{param}`={value!r} is not a duration. Give a string like '7D', '24h', '30min', "
        f"a datetime.timedelta, a fixed pandas offset (pd.offsets.Day(7))"
        + (", or None for an unbounded window." if allow_none else ".")
    )
    td: _dt.timedelta | None = None
    if isinstance(value, bool):
        raise InvalidParameterError(bad)
    if isinstance(value, _dt.timedelta):  # also pandas.Timedelta
        td = _dt.timedelta(microseconds=round(value / _dt.timedelta(microseconds=1)))
    elif isinstance(value, str):
        m = _WINDOW_RE.match(value)
        if m and m.group(2).lower() in _WINDOW_UNITS:
            td = _dt.timedelta(seconds=float(m.group(1)) * _WINDOW_UNITS[m.group(2).lower()])
        else:
            try:
                import pandas as pd

                td = pd.Timedelta(value).to_pytimedelta()
            except (ValueError, TypeError):
                raise InvalidParameterError(bad) from None
    else:
        try:
            import numpy as np

            if isinstance(value, np.timedelta64):
                import pandas as pd

                td = pd.Timedelta(value).to_pytimedelta()
        except ImportError:  # pragma: no cover
            pass
        if td is None and type(value).__module__.startswith("pandas"):
            # a pandas DateOffset: only fixed-length ("Tick") offsets have a duration
            try:
                nanos = int(value.nanos)
            except (AttributeError, ValueError, TypeError):
                nanos = None
            if nanos is None:
                raise InvalidParameterError(
                    f"`{param}`={value!r} is a calendar offset without a fixed length; "
                    "give a fixed duration such as '30D' instead."
                )
            td = _dt.timedelta(microseconds=nanos // 1000)
    if td is None or td.total_seconds() != td.total_seconds():  # NaT
        raise InvalidParameterError(bad)
    if td <= _dt.timedelta(0):
        raise InvalidParameterError(f"`{param}`={value!r} must be a positive duration.")
    return td


def parse_timestamp(value: object, *, param: str) -> _dt.datetime:
    """A point in time (``as_of``, ``start``, ``end``) as a naive :class:`datetime.datetime`.

    Strings (``"2025-03-01"``), dates, datetimes and pandas Timestamps are accepted; a time-zone
    aware value keeps its wall-clock time (the world's times are naive local times).
    """
    if isinstance(value, _dt.datetime):
        ts = value
    elif isinstance(value, _dt.date):
        ts = _dt.datetime(value.year, value.month, value.day)
    elif isinstance(value, str):
        try:
            import pandas as pd

            ts = pd.Timestamp(value).to_pydatetime()
        except (ValueError, TypeError):
            raise InvalidParameterError(
                f"`{param}`={value!r} is not a date or time. Give e.g. '2025-03-01' or a datetime."
            ) from None
    else:
        try:
            import numpy as np
            import pandas as pd

            if isinstance(value, np.datetime64):
                ts = pd.Timestamp(value).to_pydatetime()
            else:
                raise TypeError
        except (TypeError, ValueError, ImportError):
            raise InvalidParameterError(
                f"`{param}`={value!r} is not a date or time. Give e.g. '2025-03-01' or a datetime."
            ) from None
    if ts != ts:  # NaT
        raise InvalidParameterError(f"`{param}` is missing (NaT); give a date such as '2025-03-01'.")
    if ts.tzinfo is not None:
        ts = ts.replace(tzinfo=None)
    return ts


def normalize_steps(steps: object, *, param: str = "steps") -> list[tuple[str, ...]]:
    """Funnel steps as a list of tuples of alternative event names.

    ``["visit", ["view", "search"], "purchase"]`` → ``[("visit",), ("view", "search"), ("purchase",)]``.
    """
    if isinstance(steps, str) or not isinstance(steps, Iterable):
        raise InvalidParameterError(
            f"`{param}` must be a list of event names (a step may be a list of alternatives), "
            f"e.g. ['visit', 'view', 'purchase']; got {steps!r}."
        )
    out: list[tuple[str, ...]] = []
    for i, step in enumerate(list(steps), start=1):
        alts = (step,) if isinstance(step, str) else tuple(step) if isinstance(step, Iterable) else (step,)
        if not alts or not all(isinstance(a, str) and a for a in alts):
            raise InvalidParameterError(
                f"`{param}`: step {i} is {step!r}; each step must be an event name or a non-empty "
                "list of event names."
            )
        out.append(tuple(dict.fromkeys(alts)))
    if not out:
        raise InvalidParameterError(
            f"`{param}` is empty; give at least one step, e.g. ['visit', 'view', 'purchase']."
        )
    return out


# --------------------------------------------------------------------------- columns and data
def column_names(frame: nw.LazyFrame | nw.DataFrame) -> list[str]:
    return list(frame.collect_schema().names())


def require_columns(frame: nw.LazyFrame | nw.DataFrame, **named: str | None) -> None:
    """Raise :class:`ColumnNotFoundError` (available columns + closest match) for a missing column.

    ``require_columns(lf, user_col="user_id", time_col="ts")``
    """
    for param, col in named.items():
        if col is not None and not isinstance(col, str):
            raise InvalidParameterError(f"`{param}` must be a column name (str); got {col!r}.")
    check_columns(column_names(frame), **named)


def _is_eager(frame) -> bool:
    return isinstance(frame, nw.DataFrame)


# --------------------------------------------------------------------------- text times
#: The text times every engine accepts (surrounding spaces ignored) — one grammar, checked with the
#: same regular expression on pandas, Polars, DuckDB and Spark:
#:
#: * a date ``YYYY-MM-DD`` (midnight), with real calendar days (``2025-02-29`` is refused);
#: * a date and time ``YYYY-MM-DD HH:MM``, ``…HH:MM:SS`` or ``…HH:MM:SS.f`` (1–9 fraction digits,
#:   kept to the microsecond), with ``T`` instead of the space allowed (ISO 8601);
#: * after a time, an optional UTC offset ``Z``, ``+08``, ``+0800`` or ``+08:00``: it must be the
#:   same on every row, and the wall-clock time is kept (as for time-zone aware columns).
#:
#: Anything else (``"yesterday"``, ``"2025/01/01"``, ``"01-02-2025"``, epoch numbers as text) is
#: refused with :class:`DataValidationError` naming the column, the first bad value and — where the
#: engine keeps a row order (pandas, eager Polars) — its row.
TEXT_TIME_FORMATS = (
    "YYYY-MM-DD",
    "YYYY-MM-DD HH:MM",
    "YYYY-MM-DD HH:MM:SS",
    "YYYY-MM-DD HH:MM:SS.f",
    "YYYY-MM-DDTHH:MM[:SS[.f]]",
    "… followed by Z / ±HH / ±HHMM / ±HH:MM (one offset for the whole column)",
)
_YMD = (
    r"(?:\d{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|1\d|2[0-8])"
    r"|\d{4}-(?:0[13-9]|1[0-2])-(?:29|30)"
    r"|\d{4}-(?:0[13578]|1[02])-31"
    r"|(?:\d\d(?:0[48]|[2468][048]|[13579][26])|(?:[02468][048]|[13579][26])00)-02-29)"
)
_ZONE = r"(?:Z|[+-](?:[01]\d|2[0-3])(?::?[0-5]\d)?)"
_HMS = r"(?:[ T](?:[01]\d|2[0-3]):[0-5]\d(?::[0-5]\d(?:\.\d{1,9})?)?" + _ZONE + r"?)?"
TEXT_TIME_REGEX = r"^\s*" + _YMD + _HMS + r"\s*$"
_ZONE_AT_END = _ZONE + r"\s*$"
_HAS_ZONE = r":\d\d(?:\.\d+)?" + _ZONE + r"\s*$"
_BODY = r"^\s*\d{4}-\d\d-\d\d[ T]\d\d:\d\d(?::\d\d(?:\.\d+)?)?"


def _not_a_time_error(col: str, param: str, value, row=None) -> DataValidationError:
    where = f" (row {row})" if row is not None else ""
    return DataValidationError(
        f"Column {col!r} given as `{param}` has values that are not times, e.g. {value!r}{where}. "
        "Accepted text: 'YYYY-MM-DD', 'YYYY-MM-DD HH:MM[:SS[.f]]' (or with 'T'), optionally with one "
        "UTC offset such as '+08:00'. Fix or drop those rows, or parse the column yourself, e.g. "
        "pd.to_datetime(df[col], format='%Y/%m/%d')."
    )


def _mixed_zones_error(col: str, param: str, zones) -> DataValidationError:
    return DataValidationError(
        f"Column {col!r} given as `{param}` mixes time zones (offsets {sorted(zones)[:4]}). "
        "Convert all times to one zone first, e.g. pd.to_datetime(df[col], utc=True)"
        ".dt.tz_convert('Asia/Shanghai')."
    )


def _canonical_text(expr: nw.Expr) -> nw.Expr:
    """Validated text time → ``YYYY-MM-DD HH:MM:SS[.ffffff]`` (offset dropped, 'T' → space)."""
    c = expr.str.strip_chars()
    c = nw.when(c.str.len_chars() > 10).then(c.str.replace_all(_ZONE_AT_END, "")).otherwise(c)
    c = c.str.replace_all("T", " ", literal=True)
    n = c.str.len_chars()
    return (
        nw.when(n == 10).then(nw.concat_str([c, nw.lit(" 00:00:00")]))
        .when(n == 16).then(nw.concat_str([c, nw.lit(":00")]))
        .otherwise(c.str.slice(0, 26))
    )


def parse_pandas_times(values, col: str, param: str):
    """A pandas column of text times (the kit's grammar, :data:`TEXT_TIME_FORMATS`) as naive ``datetime64[us]``.

    Date/datetime objects in an object column are kept; anything else raises
    :class:`DataValidationError` with the first bad value and its row (0-based position).
    """
    import pandas as pd

    if pd.api.types.is_datetime64_any_dtype(values.dtype):
        out = values.dt.tz_localize(None) if getattr(values.dt, "tz", None) is not None else values
        return out.astype("datetime64[us]")
    present = values.notna().to_numpy()
    is_text = values.map(lambda v: isinstance(v, str), na_action="ignore").fillna(False).astype(bool).to_numpy()
    others = present & ~is_text
    if others.any():
        import datetime as dt

        import numpy as np

        odd = [i for i in np.flatnonzero(others) if not isinstance(values.iloc[i], (dt.date, np.datetime64))]
        if odd:
            raise _not_a_time_error(col, param, values.iloc[odd[0]], int(odd[0]))
    text = values.where(is_text).astype(object)
    ok = text.str.fullmatch(TEXT_TIME_REGEX).fillna(True).astype(bool).to_numpy() | ~is_text
    if not ok.all():
        import numpy as np

        i = int(np.flatnonzero(~ok)[0])
        raise _not_a_time_error(col, param, values.iloc[i], i)
    has_zone = text.str.contains(_HAS_ZONE).fillna(False).astype(bool)
    if has_zone.any():
        zones = set(text[has_zone].str.replace(_BODY, "", regex=True).str.strip().unique())
        if len(zones) > 1 or (len(zones) == 1 and not has_zone[is_text].all()):
            raise _mixed_zones_error(col, param, zones | ({"none"} if not has_zone[is_text].all() else set()))
    if is_text.any():
        canon = text.str.strip()
        long = canon.str.len() > 10
        canon = canon.where(~long, canon.str.replace(_ZONE_AT_END, "", regex=True))
        parsed_text = pd.to_datetime(canon.str.replace("T", " ", regex=False), format="ISO8601")
    else:
        parsed_text = pd.Series(pd.NaT, index=values.index, dtype="datetime64[us]")
    if others.any():
        rest = pd.to_datetime(values.where(others), utc=False)
        if getattr(rest.dt, "tz", None) is not None:
            rest = rest.dt.tz_localize(None)
        parsed_text = parsed_text.where(~pd.Series(others, index=values.index), rest)
    if getattr(parsed_text.dt, "tz", None) is not None:
        parsed_text = parsed_text.dt.tz_localize(None)
    return parsed_text.astype("datetime64[us]")


def prepare_time(frame, col: str, *, param: str = "time_col"):
    """Make ``col`` a naive microsecond Datetime column, or raise :class:`DataValidationError`.

    Text is parsed with one grammar on every engine (:data:`TEXT_TIME_FORMATS`); unparseable
    text, numbers, and a column mixing time zones are refused with the first bad value (and its
    row where the engine keeps a row order). A time-zone aware column keeps its wall-clock time.
    Works on the narwhals frame from ``to_lazy`` (the native frame behind it is not modified).
    """
    dtype = frame.collect_schema()[col]
    if isinstance(dtype, nw.Datetime):
        if dtype.time_zone is not None and not is_spark(frame):
            frame = frame.with_columns(nw.col(col).dt.replace_time_zone(None))
        if dtype.time_unit != "us" and not is_spark(frame):
            frame = frame.with_columns(nw.col(col).cast(nw.Datetime("us")))
        return frame
    if dtype == nw.Date:
        return frame.with_columns(nw.col(col).cast(nw.Datetime("us")))
    if dtype == nw.String or dtype == nw.Object:
        return _parse_text_times(frame, col, param)
    raise DataValidationError(
        f"Column {col!r} given as `{param}` holds {dtype} values, not times. "
        "Convert it first, e.g. pd.to_datetime(df[col], unit='s') for epoch seconds."
    )


def _parse_text_times(frame, col: str, param: str):
    if is_pandas_like(frame):
        native = frame.to_native() if _is_eager(frame) else frame.collect().to_native()
        out = native.assign(**{col: parse_pandas_times(native[col], col, param)})
        back = nw.from_native(out)
        return back.lazy() if not _is_eager(frame) else back
    # Polars / DuckDB / Spark: the same regular expression, one query for the first bad value
    c = nw.col(col)
    bad_rows = frame.filter(~c.is_null() & ~c.str.contains(TEXT_TIME_REGEX))
    indexed = with_row_numbers(frame, "__row")
    if indexed is not None:
        bad = indexed.filter(~c.is_null() & ~c.str.contains(TEXT_TIME_REGEX)).select(col, "__row").head(1)
        bad = bad if _is_eager(bad) else bad.collect()
        if len(bad):
            raise _not_a_time_error(col, param, bad[col][0], int(bad["__row"][0]))
    else:
        bad = bad_rows.select(col).head(1).collect()
        if len(bad):
            raise _not_a_time_error(col, param, bad[col][0])
    zoned = frame.filter(c.str.contains(_HAS_ZONE)).select(
        c.str.replace_all(_BODY, "").str.strip_chars().alias("__z")).unique().head(3)
    zones = set((zoned if _is_eager(zoned) else zoned.collect())["__z"].to_list())
    if zones:
        unzoned = frame.filter(~c.is_null() & ~c.str.contains(_HAS_ZONE)).select(col).head(1)
        if len(zones) > 1 or len(unzoned if _is_eager(unzoned) else unzoned.collect()):
            raise _mixed_zones_error(col, param, zones if len(zones) > 1 else zones | {"none"})
    return frame.with_columns(text_to_datetime(_canonical_text(c), frame).alias(col))


_NUMERIC_TEXT = r"^\s*[-+]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][-+]?[0-9]+)?\s*$"


def _amount_error(col: str, param: str, value, row=None) -> DataValidationError:
    where = f" (row {row})" if row is not None else ""
    return DataValidationError(
        f"Column {col!r} given as `{param}` holds text, e.g. {value!r}{where}, not amounts. "
        "Strip currency signs/units and convert it, e.g. "
        "pd.to_numeric(df[col].str.replace('元', ''))."
    )


def prepare_amount(frame, col: str, *, param: str = "amount_col"):
    """Make ``col`` a Float64 column, or raise :class:`DataValidationError` naming a bad value.

    Numbers are kept; text that is entirely numbers (``"12.50"``) is converted; any other text
    (``"12元"``, ``"abc"``) is refused on every engine — with its row position for pandas and Polars
    input, and the first offending value for DuckDB and Spark (no row order), asked for with one query.
    """
    dtype = frame.collect_schema()[col]
    if dtype.is_numeric():
        return frame.with_columns(nw.col(col).cast(nw.Float64))
    if dtype == nw.String or dtype == nw.Object:
        if _is_eager(frame) or is_pandas_like(frame):
            eager = frame if _is_eager(frame) else frame.collect()
            for row, v in enumerate(eager[col].to_list()):
                if v is None or (isinstance(v, float) and v != v):
                    continue
                if isinstance(v, (int, float)) and not isinstance(v, bool):
                    continue
                try:
                    float(str(v).strip())
                except ValueError:
                    raise _amount_error(col, param, v, row) from None
            return frame.with_columns(nw.col(col).cast(nw.String).str.strip_chars().cast(nw.Float64))
        indexed = with_row_numbers(frame, "__row")
        src = indexed if indexed is not None else frame
        bad = (src.filter(~nw.col(col).is_null() & ~nw.col(col).str.contains(_NUMERIC_TEXT))
               .select(col, *(["__row"] if indexed is not None else [])).head(1))
        bad = bad if _is_eager(bad) else bad.collect()
        if len(bad):
            raise _amount_error(col, param, bad[col][0], int(bad["__row"][0]) if indexed is not None else None)
        return frame.with_columns(nw.col(col).str.strip_chars().cast(nw.Float64))
    raise DataValidationError(
        f"Column {col!r} given as `{param}` holds {dtype} values, not amounts (numbers)."
    )


# --------------------------------------------------------------------------- calendar arithmetic
def day_number(expr: nw.Expr, frame=None) -> nw.Expr:
    """Days since 1970-01-01 of a Datetime expression (whole numbers as Float64; same on every engine).

    With ``frame`` (the frame the expression runs on), engines with a cheap epoch (pandas, Polars,
    DuckDB) floor the epoch microseconds (one subtraction and a division per row); otherwise (Spark)
    it is built from year and day-of-year with floor division only, which every backend supports.
    Float64 (exact for whole numbers below 2**53) because missing times must stay missing on the
    pandas backend, where an Int64 cast of NaN fails; cast the result to Int64 yourself where no
    value is missing.
    """
    fast = epoch_us_expr(expr, frame) if frame is not None else None
    if fast is not None:
        return (fast / 86_400_000_000.0).floor()
    # days before 1 January of the year (Gregorian leap rules) + day of the year - 1:
    # y is referenced a few times only, which keeps the SQL that DuckDB/Spark must plan small
    y = expr.dt.year().cast(nw.Float64)
    days_before_year = 365 * (y - 1970) + _floordiv(y - 1969, 4) - _floordiv(y - 1901, 100) + _floordiv(y - 1601, 400)
    return days_before_year + expr.dt.ordinal_day().cast(nw.Float64) - 1


def _floordiv(expr: nw.Expr, d: int) -> nw.Expr:
    """``expr // d`` for whole-number Float64 values and a small positive integer ``d``, as ``floor(expr / d)``.

    Exact: a quotient that is not a whole number is at least ``1/d`` away from the next one, far more
    than the rounding error of the division, and a whole quotient is represented exactly. narwhals
    writes ``//`` for DuckDB as a large ``CASE`` expression repeating its operands (Python's floor
    semantics for any sign and type); ``floor`` of a division is one cheap function on every engine.
    """
    return (expr / d).floor()


def epoch_us(expr: nw.Expr, frame=None) -> nw.Expr:
    """Microseconds since 1970-01-01 00:00 (wall clock) of a Datetime expression.

    Float64 holding whole numbers (exact below 2**53 µs, i.e. until the year 2255); see :func:`day_number`
    (``frame`` as there).
    """
    fast = epoch_us_expr(expr, frame) if frame is not None else None
    if fast is not None:
        return fast
    return (
        day_number(expr) * 86_400_000_000.0
        + expr.dt.hour().cast(nw.Float64) * 3_600_000_000.0
        + expr.dt.minute().cast(nw.Float64) * 60_000_000.0
        + expr.dt.second().cast(nw.Float64) * 1_000_000.0
        + expr.dt.microsecond().cast(nw.Float64)
    )


def period_start(expr: nw.Expr, period: str, frame=None) -> nw.Expr:
    """Start of the calendar period containing each time: the day, the Monday of the week, the month."""
    day = expr.dt.truncate("1d")
    if period == "D":
        return day
    if period == "W":
        # days since Monday from day numbers (narwhals' Spark ``dt.weekday`` is off for Sundays)
        dn = day_number(expr, frame) + 3  # 1970-01-01 was a Thursday
        since_monday = dn - _floordiv(dn, 7) * 7
        return day - since_monday * nw.lit(_dt.timedelta(days=1))
    if period == "M":
        return expr.dt.truncate("1mo")
    raise InvalidParameterError(f"`period`={period!r} is not allowed. Allowed: {list(PERIODS)}.")


def period_number(expr: nw.Expr, period: str, frame=None) -> nw.Expr:
    """An integer that counts calendar periods, so that differences are calendar differences.

    D: days since 1970-01-01; W: Monday-start weeks since 1969-12-29; M: year * 12 + month - 1.
    Whole numbers as Float64 (see :func:`day_number`, also for ``frame``).
    """
    if period == "D":
        return day_number(expr, frame)
    if period == "W":
        fast = epoch_us_expr(expr, frame) if frame is not None else None
        if fast is not None:  # Monday-start weeks: 1969-12-29 00:00 is 3 days before the epoch
            return ((fast + 3 * 86_400_000_000.0) / (7 * 86_400_000_000.0)).floor()
        return _floordiv(day_number(expr) + 3, 7)  # 1970-01-01 was a Thursday
    if period == "M":
        return expr.dt.year().cast(nw.Float64) * 12 + expr.dt.month().cast(nw.Float64) - 1
    raise InvalidParameterError(f"`period`={period!r} is not allowed. Allowed: {list(PERIODS)}.")


def period_label(n, period: str) -> _dt.datetime | None:
    """The start of the period numbered ``n`` by :func:`period_number` (None for a missing number)."""
    if n is None or n != n:
        return None
    n = int(n)
    if period == "D":
        return _dt.datetime(1970, 1, 1) + _dt.timedelta(days=n)
    if period == "W":
        return _dt.datetime(1969, 12, 29) + _dt.timedelta(days=7 * n)
    return _dt.datetime(n // 12, n % 12 + 1, 1)


def as_list(value: str | Sequence[str] | None) -> list[str]:
    """``None`` → ``[]``, ``"a"`` → ``["a"]``, a sequence → a list."""
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    return list(value)
