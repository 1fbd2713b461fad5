"""The kit's exceptions: one small hierarchy so users can catch either ours or the builtin kind.

Every message names the parameter, shows the bad value, lists what is allowed and suggests a fix.
"""
from __future__ import annotations

import difflib
from collections.abc import Iterable

__all__ = [
    "OpsPlaybookError",
    "InvalidParameterError",
    "ColumnNotFoundError",
    "UnknownLabelError",
    "DataValidationError",
    "OutputExistsError",
    "closest",
    "did_you_mean",
    "check_choice",
    "check_lang",
    "check_columns",
]


class OpsPlaybookError(Exception):
    """Base class of every error the kit raises on purpose."""


class InvalidParameterError(OpsPlaybookError, ValueError):
    """A parameter has a value outside what is allowed."""


class _KeyMessage(KeyError):
    """A KeyError whose message is shown as written (KeyError itself would ``repr()`` it)."""

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else ""


class ColumnNotFoundError(OpsPlaybookError, _KeyMessage):
    """A column named by a ``*_col`` parameter (or a step) is not in the data."""


class UnknownLabelError(OpsPlaybookError, _KeyMessage):
    """A key asked of the label catalog (:func:`opsplaybook.labels.label`) is not in it."""


class DataValidationError(OpsPlaybookError, ValueError):
    """The data itself is bad: unparseable times, text in an amount column, mixed time zones …"""


class OutputExistsError(OpsPlaybookError, FileExistsError):
    """An output folder already holds data and ``force`` was not given."""


def closest(value: object, options: Iterable[object]) -> object | None:
    """The option most like ``value``, or None when nothing is close.

    A case-insensitive match wins, then an option that starts with (or is the start of) the value,
    then the nearest by difflib's similarity ratio.

    >>> closest("functional", ["dysfunctional", "functional_answer"])
    'functional_answer'
    """
    options = list(options)
    opts = [str(o) for o in options]
    v = str(value).lower()
    def prefix(o: str) -> bool:  # one is the start of the other, and not a trivially short one
        a, b = sorted((o.lower(), v), key=len)
        return len(a) >= 3 and 2 * len(a) >= len(b) and b.startswith(a)

    for pred in (lambda o: o.lower() == v, prefix):
        hits = sorted((o for o in opts if pred(o)), key=len)
        if hits and v:
            return options[opts.index(hits[0])]
    match = difflib.get_close_matches(str(value), opts, n=1, cutoff=0.5)
    if not match:
        return None
    for o in options:
        if str(o) == match[0]:
            return o
    return match[0]


def did_you_mean(value: object, options: Iterable[object], *, otherwise: str = "") -> str:
    """The " Did you mean 'x'?" sentence every error message ends with (or ``otherwise``).

    The one place that builds it, so every site phrases it alike.

    >>> did_you_mean("revenu", ["revenue", "users"])
    " Did you mean 'revenue'?"
    >>> did_you_mean("zzz", ["revenue"], otherwise=" Pass one of the names above.")
    ' Pass one of the names above.'
    """
    best = closest(value, options)
    return f" Did you mean {best!r}?" if best is not None else otherwise


def check_choice(name: str, value: object, allowed: Iterable[object]) -> object:
    """Return ``value`` if it is one of ``allowed``; raise :class:`InvalidParameterError` otherwise."""
    allowed = list(allowed)
    if value in allowed:
        return value
    raise InvalidParameterError(f"`{name}`={value!r} is not allowed. Allowed: {allowed}." + did_you_mean(value, allowed))


LANGS = ("zh", "en")


def check_lang(lang: object, *, name: str = "lang") -> str:
    """Return ``lang`` if it is a language of the kit ("zh" or "en"); raise otherwise.

    >>> check_lang("zh")
    'zh'
    """
    return check_choice(name, lang, LANGS)


def check_columns(columns: Iterable[str], **named: str | None) -> None:
    """Raise :class:`ColumnNotFoundError` for the first ``param=column`` whose column is missing.

    >>> check_columns(["user_id", "ts"], user_col="user_id", time_col="time")  # doctest: +IGNORE_EXCEPTION_DETAIL
    Traceback (most recent call last):
    ...
    opsplaybook.errors.ColumnNotFoundError: Column 'time' given as `time_col` is not in the data. ...
    """
    available = list(columns)
    for param, col in named.items():
        if col is None or col in available:
            continue
        msg = f"Column {col!r} given as `{param}` is not in the data. Available: {available}."
        raise ColumnNotFoundError(msg + did_you_mean(col, available, otherwise=f" Pass `{param}=` with the name of your column."))
