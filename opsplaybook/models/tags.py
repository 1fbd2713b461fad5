"""The tag system (标签体系): rule tags written as data, many tags per user (用户分群).

A rule set is a dict (or a YAML file a team edits) of tags; each tag has a rule built from
comparisons on feature columns, quantile cut-offs, list membership, other tags, and ``all`` /
``any`` / ``not``. Nothing is evaluated as code: the rule language is the operators below.

>>> import pandas as pd
>>> users = pd.DataFrame({"user_id": [1, 2, 3, 4], "monetary": [900.0, 20.0, 300.0, 0.0],
...                       "night_share": [0.1, 0.7, 0.5, 0.0], "city_tier": ["一线", "三线", "一线", "二线"]})
>>> rules = {"big": {"rule": {"monetary": {"top": 0.25}}},
...          "owl": {"rule": {"night_share": {">=": 0.5}}},
...          "big_city_owl": {"rule": {"all": [{"tag": "owl"}, {"city_tier": {"in": ["一线", "二线"]}}]}}}
>>> tags = tag_users(users, rules)
>>> tags.long
   user_id           tag
0        1           big
1        2           owl
2        3           owl
3        3  big_city_owl
>>> tags.sizes()["users"].tolist()
[1, 2, 1]

Operators (on one column): ``>``, ``>=``, ``<``, ``<=``, ``==``, ``!=``, ``between: [low, high]``
(inclusive), ``in: [...]``, ``not_in: [...]``, ``top: share`` / ``bottom: share`` (the users
with the highest / lowest values, e.g. ``top: 0.2`` = top 20 %; ties at the cut-off are kept),
``is_null: true|false``. Combinators: ``all: [rules]``, ``any: [rules]``, ``not: rule``, and
``tag: name`` (a user who carries another tag). A rule with several keys means all of them.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from .._frames import as_pandas
from ..errors import ColumnNotFoundError, InvalidParameterError, check_lang, did_you_mean

__all__ = ["TagResult", "tag_users", "load_tag_rules", "OPERATORS"]

_COMPARE = {">": np.greater, ">=": np.greater_equal, "<": np.less, "<=": np.less_equal,
            "==": np.equal, "!=": np.not_equal}
OPERATORS = tuple(_COMPARE) + ("between", "in", "not_in", "top", "bottom", "is_null")
_COMBINATORS = ("all", "any", "not", "tag")
# Operators people type the other way round (or from SQL), for the "Did you mean" hint.
_TYPOS = {"=>": ">=", "=<": "<=", "=": "==", "<>": "!=", "gt": ">", "ge": ">=", "lt": "<", "le": "<=",
          "eq": "==", "ne": "!=", "top_share": "top", "isin": "in", "not in": "not_in"}
_TAG_KEYS = ("rule", "label", "why", "strategy")


class TagRuleError(InvalidParameterError):
    """A rule of the tag system is malformed (names the tag and what is wrong)."""


@dataclass(frozen=True)
class TagResult:
    """Tags per user, two ways.

    Attributes
    ----------
    long : DataFrame
        One row per (user, tag): ``user_col`` and ``tag``, in the order of the rule set.
    wide : DataFrame
        One row per user (indexed by ``user_col``), one boolean column per tag.
    labels : dict
        Tag → display label (from the rule's ``label`` in the chosen language, else the tag's name).
    """

    long: pd.DataFrame
    wide: pd.DataFrame
    labels: dict

    def sizes(self) -> pd.DataFrame:
        """Users per tag and their share of all users, in rule order."""
        n = len(self.wide)
        users = self.wide.sum().astype(int)
        return pd.DataFrame({"label": [self.labels[t] for t in users.index], "users": users.to_numpy(),
                             "share": (users / n if n else users * 0.0).to_numpy()}, index=users.index)

    def overlap(self) -> pd.DataFrame:
        """Users carrying both tags, for every pair (the diagonal is each tag's size)."""
        m = self.wide.to_numpy(dtype=np.int64)
        return pd.DataFrame(m.T @ m, index=self.wide.columns, columns=self.wide.columns)


def load_tag_rules(source) -> dict:
    """A rule set from a dict (returned as is) or a YAML file (read with ``yaml.safe_load``)."""
    if isinstance(source, dict):
        return source
    import yaml

    path = Path(source)
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8-sig"))
    except FileNotFoundError:
        raise InvalidParameterError(f"{path}: no such rule file.") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (line {mark.line + 1})" if mark else ""
        raise TagRuleError(f"{path}: is not valid YAML{where}: {getattr(exc, 'problem', exc)}.") from None
    if isinstance(raw, dict) and "tags" in raw and isinstance(raw["tags"], dict):
        raw = raw["tags"]
    if not isinstance(raw, dict):
        raise TagRuleError(f"{path}: a rule file maps tag names to rules, e.g. `高价值: {{rule: "
                           "{monetary: {top: 0.2}}}}`.")
    return raw


def _order(rules: dict) -> list[str]:
    """Tags in an order where every referenced tag comes first; a cycle is an error naming it."""
    deps: dict[str, set[str]] = {}

    def refs(rule, tag: str) -> set[str]:
        out: set[str] = set()
        if isinstance(rule, dict):
            for k, v in rule.items():
                if k == "tag":
                    if v not in rules:
                        raise TagRuleError(f"Tag {tag!r}: refers to tag {v!r}, which is not defined. "
                                           f"Defined: {list(rules)}." + did_you_mean(v, rules))
                    out.add(v)
                else:
                    out |= refs(v, tag)
        elif isinstance(rule, list):
            for r in rule:
                out |= refs(r, tag)
        return out

    for tag, spec in rules.items():
        deps[tag] = refs(spec.get("rule") if isinstance(spec, dict) else None, tag)
    done: list[str] = []
    state: dict[str, int] = {}

    def visit(t: str, path: list[str]) -> None:
        if state.get(t) == 2:
            return
        if state.get(t) == 1:
            cycle = path[path.index(t):] + [t]
            raise TagRuleError(f"Tags refer to each other in a cycle: {' → '.join(cycle)}. "
                               "A derived tag may only use tags that do not depend on it.")
        state[t] = 1
        for d in sorted(deps[t]):
            visit(d, path + [t])
        state[t] = 2
        done.append(t)

    for t in rules:
        visit(t, [])
    return done


def _number(tag: str, col: str, op: str, v):
    if isinstance(v, bool) or not isinstance(v, (int, float, np.integer, np.floating)):
        raise TagRuleError(f"Tag {tag!r}: `{col}: {{{op}: {v!r}}}` needs a number, got {type(v).__name__} "
                           f"{v!r}. Write e.g. `{col}: {{{op}: 0.5}}`.")
    return v


def _eval(tag: str, rule, df: pd.DataFrame, done: dict[str, np.ndarray]) -> np.ndarray:
    n = len(df)
    if not isinstance(rule, dict) or not rule:
        raise TagRuleError(f"Tag {tag!r}: a rule is a mapping such as `{{monetary: {{top: 0.2}}}}`, "
                           f"got {rule!r}.")
    out = np.ones(n, dtype=bool)
    for key, val in rule.items():
        if key == "all" or key == "any":
            if not isinstance(val, list) or not val:
                raise TagRuleError(f"Tag {tag!r}: `{key}` takes a non-empty list of rules, got {val!r}.")
            parts = [_eval(tag, r, df, done) for r in val]
            res = np.logical_and.reduce(parts) if key == "all" else np.logical_or.reduce(parts)
        elif key == "not":
            res = ~_eval(tag, val, df, done)
        elif key == "tag":
            res = done[val]
        elif key in df.columns:
            res = _column(tag, key, val, df[key])
        else:
            options = list(df.columns) + list(_COMBINATORS)
            if key in OPERATORS:
                raise TagRuleError(f"Tag {tag!r}: operator {key!r} needs a column first, e.g. "
                                   f"`monetary: {{{key}: ...}}`.")
            raise ColumnNotFoundError(f"Tag {tag!r}: {key!r} is neither a column of the features nor one of "
                                      f"{list(_COMBINATORS)}. Columns: {list(df.columns)}."
                                      + did_you_mean(key, options))
        out &= res
    return out


def _column(tag: str, col: str, cond, s: pd.Series) -> np.ndarray:
    if not isinstance(cond, dict) or not cond:
        raise TagRuleError(f"Tag {tag!r}: `{col}` needs a condition such as `{{'>=': 3}}` or `{{top: 0.2}}`, "
                           f"got {cond!r}.")
    numeric = pd.api.types.is_numeric_dtype(s) and not pd.api.types.is_bool_dtype(s)
    out = np.ones(len(s), dtype=bool)
    for op, v in cond.items():
        if op not in OPERATORS:
            hint = f" Did you mean {_TYPOS[op]!r}?" if op in _TYPOS else did_you_mean(op, OPERATORS)
            raise TagRuleError(f"Tag {tag!r}: unknown operator {op!r} on column {col!r}. "
                               f"Allowed: {list(OPERATORS)}." + hint)
        if op in _COMPARE:
            if numeric:
                _number(tag, col, op, v)
                res = _COMPARE[op](s.to_numpy(dtype=float, na_value=np.nan), float(v))
            else:
                if op not in ("==", "!="):
                    raise TagRuleError(f"Tag {tag!r}: column {col!r} holds text ({s.dtype}); `{op}` needs "
                                       "numbers. Use `==`, `!=`, `in` or `not_in` on text.")
                res = (s == v).fillna(False).to_numpy(dtype=bool)
                res = res if op == "==" else ~res & s.notna().to_numpy()
        elif op == "between":
            if not (isinstance(v, (list, tuple)) and len(v) == 2):
                raise TagRuleError(f"Tag {tag!r}: `between` takes [low, high], got {v!r}.")
            lo, hi = (_number(tag, col, op, x) for x in v)
            if lo > hi:
                raise TagRuleError(f"Tag {tag!r}: `between: [{lo}, {hi}]` has low > high.")
            x = s.to_numpy(dtype=float, na_value=np.nan)
            res = (x >= lo) & (x <= hi)
        elif op in ("in", "not_in"):
            if not isinstance(v, (list, tuple, set)):
                raise TagRuleError(f"Tag {tag!r}: `{op}` takes a list, e.g. `{col}: {{{op}: [a, b]}}`, got {v!r}.")
            res = s.isin(list(v)).to_numpy(dtype=bool)
            res = res if op == "in" else ~res & s.notna().to_numpy()
        elif op in ("top", "bottom"):
            share = _number(tag, col, op, v)
            if not 0 < share <= 1:
                raise TagRuleError(f"Tag {tag!r}: `{op}: {v}` is a share of users between 0 and 1 "
                                   "(e.g. 0.2 for 20 %).")
            if not numeric:
                raise TagRuleError(f"Tag {tag!r}: `{op}` ranks numbers; column {col!r} holds {s.dtype}.")
            x = s.to_numpy(dtype=float, na_value=np.nan)
            valid = ~np.isnan(x)
            k = int(np.ceil(share * valid.sum()))
            res = np.zeros(len(s), dtype=bool)
            if k:
                ordered = np.sort(x[valid])
                cut = ordered[-k] if op == "top" else ordered[k - 1]
                res = valid & ((x >= cut) if op == "top" else (x <= cut))
        else:  # is_null
            if not isinstance(v, bool):
                raise TagRuleError(f"Tag {tag!r}: `is_null` takes true or false, got {v!r}.")
            res = s.isna().to_numpy() == v
        out &= np.asarray(res, dtype=bool)
    return out


def tag_users(features, rules, *, user_col: str = "user_id", lang: str = "zh") -> TagResult:
    """Give users rule tags (标签): every tag whose rule a user meets, many tags per user.

    Parameters
    ----------
    features : DataFrame
        One row per user (e.g. :func:`opsplaybook.user_features`), any frame kind.
    rules : dict, str or Path
        The rule set: ``{tag: {"rule": ..., "label": {"zh": ..., "en": ...}, "why": ...}}``, or a YAML
        file of the same shape (optionally under a top-level ``tags:``). See the module docstring for
        the operators. Rules are data: nothing is evaluated as Python.
    user_col : str, default "user_id"
        The user column.
    lang : {"zh", "en"}
        Language of the labels.

    Returns
    -------
    TagResult
        ``.long`` (user, tag), ``.wide`` (user × tag booleans), ``.labels``, ``.sizes()``,
        ``.overlap()``.

    Raises
    ------
    TagRuleError (an InvalidParameterError)
        A malformed rule: unknown operator, a threshold of the wrong type, a share outside (0, 1],
        a reference to an undefined tag, or tags that refer to each other in a cycle — each naming
        the tag.
    ColumnNotFoundError
        A rule names a column the features lack (closest column suggested).
    """
    lang = check_lang(lang)
    df = as_pandas(features, param="features")
    if user_col not in df.columns:
        raise ColumnNotFoundError(f"Column {user_col!r} given as `user_col` is not in the features. "
                                  f"Available: {list(df.columns)}." + did_you_mean(user_col, df.columns))
    rules = load_tag_rules(rules)
    for tag, spec in rules.items():
        if not isinstance(spec, dict) or "rule" not in spec:
            raise TagRuleError(f"Tag {tag!r}: each tag needs a `rule:` (and may have `label:`, `why:`), got {spec!r}.")
        extra = set(spec) - set(_TAG_KEYS)
        if extra:
            k = sorted(extra)[0]
            raise TagRuleError(f"Tag {tag!r}: unknown key {k!r}. Allowed: {list(_TAG_KEYS)}." + did_you_mean(k, _TAG_KEYS))
    done: dict[str, np.ndarray] = {}
    for tag in _order(rules):
        done[tag] = _eval(tag, rules[tag]["rule"], df, done)
    tags = list(rules)
    wide = pd.DataFrame({t: done[t] for t in tags}, index=pd.Index(df[user_col], name=user_col))
    rows, cols = np.nonzero(wide.to_numpy())
    long = pd.DataFrame({user_col: wide.index.to_numpy()[rows],
                         "tag": pd.Categorical.from_codes(cols, categories=tags)})
    long["tag"] = long["tag"].astype(str)

    def label(t: str) -> str:
        lab = rules[t].get("label")
        if isinstance(lab, dict):
            return str(lab.get(lang) or lab.get("zh") or lab.get("en") or t)
        return str(lab) if lab else t

    return TagResult(long, wide, {t: label(t) for t in tags})
