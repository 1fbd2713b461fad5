"""Result tables in the reader's language: :func:`localize` renames the columns of an analysis result
and translates the codes in it (segment, stage, status, event, channel …) to the labels of the
catalog, so the table can go on a slide as it is.

The module is called ``localization`` (not ``localize``) so that importing it never hides the
function behind a module of the same name on the top-level package.
"""
from __future__ import annotations

from functools import lru_cache
from typing import Any, Mapping

from .errors import InvalidParameterError, check_lang
from .labels import catalog, get_lang

__all__ = ["localize"]

# Column names whose label is not ``col.<name>`` or ``kpi.<name>``.
_COLUMN_KEYS = {
    "stage_label": "col.stage",
    "segment_key": "col.segment",
    "metric_label": "col.metric",
    "factor_label": "col.factor",
    "quadrant_label": "col.quadrant",
    "goal_key": "rfm_strategy.col.goal",
    "goal": "rfm_strategy.col.goal",
    "rule": "rfm_strategy.col.rule",
    "who": "rfm_strategy.col.who",
    "action": "rfm_strategy.col.action",
    "weighted": "ops.retention.weighted",
    "simple": "ops.retention.simple",
    **{name: f"models.psm.{name}" for name in
       ("too_cheap", "cheap", "not_cheap", "expensive", "not_expensive", "too_expensive")},
}

# Tables recognised by their columns, where a column name means something else than elsewhere.
_TABLE_COLUMNS = (
    # ops.channel_value: arpu is revenue per signed-up user of the channel, not GMV / UV
    (frozenset({"installs", "spend", "cac"}), {"arpu": "col.revenue_per_user"}),
    # ops.kano: one column per KANO category
    (frozenset({"A", "O", "M", "I"}), {c: f"models.kano.{c}" for c in "AOMIRQ"}),
)

# Value families each column may hold, tried in this order (the first that knows every value wins).
_COLUMN_FAMILIES = {
    "segment": ("rfm",), "segment_key": ("rfm",),
    "stage": ("stage", "aarrr_stage"), "stage_label": ("stage", "aarrr_stage"),
    "from_stage": ("stage",), "to_stage": ("stage",),
    "status": ("posthog",),
    "goal": ("rfm_goal",), "goal_key": ("rfm_goal",),
    "metric": ("aarrr_metric", "kpi"), "metric_label": ("aarrr_metric", "kpi"),
    "factor": ("driver",), "factor_label": ("driver",),
    "event": ("event",), "step_name": ("event",),
    "quadrant": ("quadrant",), "quadrant_label": ("quadrant",),
    "category": ("kano", "world_category"),
    "group": ("ab_group",),
    "point": ("psm_point",),
    "persona": ("persona",),
    "touchpoint": ("touchpoint",),
    "channel": ("world_channel",),
    "platform": ("world_platform",),
    "city_tier": ("world_city_tier",),
    "city": ("world_city",),
    "gender": ("world_gender",),
    "occupation": ("world_occupation",),
    "member_level": ("world_member_level",),
    "slot": ("world_slot",),
}
# A family that also names the column it is found in (``stage`` of aarrr() is not a lifecycle stage).
_FAMILY_COLUMN_KEY = {"aarrr_stage": "col.aarrr_stage", "kano": "models.kano.legend"}

# (code column, label column): with both present the code column is dropped unless keep_keys=True.
_KEY_LABEL_PAIRS = (
    ("segment_key", "segment"), ("stage", "stage_label"), ("goal_key", "goal"),
    ("metric", "metric_label"), ("factor", "factor_label"), ("quadrant", "quadrant_label"),
)

# catalog families: family -> (key prefix, keep only codes without a dot)
_CATALOG_FAMILIES = {
    "rfm": ("rfm.", False),  # codes are cn8.<x> / en11.<x>; the segment key is the last part
    "stage": ("stage.", True),
    "aarrr_stage": ("aarrr.", True),
    "posthog": ("posthog.", True),
    "rfm_goal": ("rfm_goal.", True),
    "aarrr_metric": ("aarrr.metric.", True),
    "kpi": ("kpi.", True),
    "driver": ("driver.", True),
    "event": ("event.", True),
    "quadrant": ("models.channel.quadrant.", True),
    "kano": ("models.kano.", True),
    "ab_group": ("models.ab.", True),
    "psm_point": ("models.psm.", True),
    "persona": ("persona.", True),
    "touchpoint": ("touchpoint.", True),
}
_AB_GROUPS = {"control", "treatment"}
_PSM_POINTS = {"pmc", "pme", "opp", "ipp"}
_KANO_CODES = set("AOMIRQ")


def localize(
    data,
    *,
    lang: str | None = None,
    keep_keys: bool = False,
    columns: Mapping[str, str] | None = None,
    values: Mapping[str, Mapping[Any, str]] | None = None,
):
    """A copy of a result table with column names and known codes as catalog labels (本地化).

    Columns are renamed to their label: ``col.<name>`` of the catalog, else ``kpi.<name>``, with
    a few names of their own (``stage_label``, ``goal``, ``weighted`` …). Codes in the columns
    that hold them become labels: RFM segments (``segment``, ``segment_key``), lifecycle stages
    and AARRR stages (``stage``, ``from_stage``, ``to_stage``), PostHog statuses (``status``),
    events (``event``, ``step_name``), AARRR metrics and revenue-driver factors, channel-matrix
    quadrants, KANO categories, A/B groups, price points, personas, touchpoints, and the synthetic
    world's channels, platforms, cities, city tiers, genders, occupations, member levels, slots and
    product categories (from either locale). Labels of the other language are translated too, so
    a table made with ``lang="zh"`` can be shown in English. Unknown columns and values stay as
    they are; a column's values are only translated when it holds text.

    Parameters
    ----------
    data : pandas DataFrame or Series, or any frame narwhals supports (Polars, DuckDB, PySpark …)
        The table; it is not modified. For pandas, index and column levels with a known name are
        translated as well (e.g. ``value_counts()`` of a segment column, a pivot by stage).
    lang : {"zh", "en"}, optional
        Language of the labels (default: :func:`opsplaybook.labels.get_lang`).
    keep_keys : bool, default False
        When a table has both a code column and its label column (``segment_key`` and
        ``segment``, ``stage`` and ``stage_label``, ``goal_key`` and ``goal``, ``metric`` and
        ``metric_label``, ``factor`` and ``factor_label``, ``quadrant`` and ``quadrant_label``),
        the code column is dropped; ``True`` keeps it, untranslated, under its own name.
    columns : mapping, optional
        ``{column: header}`` for columns of your own (they win over the catalog).
    values : mapping, optional
        ``{column: {code: text}}`` for codes of your own (they win over the catalog).

    Returns
    -------
    The same kind of object as ``data``.

    Examples
    --------
    >>> import pandas as pd
    >>> from opsplaybook.localization import localize
    >>> seg = pd.DataFrame({"segment_key": ["important_value", "general_retain"],
    ...                     "segment": ["Important value", "General to win back"], "users": [120, 430]})
    >>> localize(seg, lang="zh")
         客户分层  用户数
    0  重要价值客户  120
    1  一般挽留客户  430
    >>> localize(pd.DataFrame({"stage": ["silent", "new"], "users": [3, 5]}), lang="en")
      Lifecycle stage  Users
    0          Silent      3
    1             New      5
    """
    lang = check_lang(lang or get_lang())
    for name, given in (("columns", columns), ("values", values)):
        if given is not None and not isinstance(given, Mapping):
            raise InvalidParameterError(
                f"`{name}` must be a mapping, got {type(given).__name__}: {given!r}. "
                + ("Example: columns={'my_col': '我的列'}." if name == "columns"
                   else "Example: values={'tier': {'a': '甲类'}}.")
            )
    columns = dict(columns or {})
    bad = {k: v for k, v in (values or {}).items() if not isinstance(v, Mapping)}
    if bad:
        raise InvalidParameterError(
            f"`values` maps a column to {{code: text}}; {sorted(bad)} map to {list(bad.values())!r}. "
            "Example: values={'tier': {'a': '甲类'}}."
        )
    values = {k: dict(v) for k, v in (values or {}).items()}
    if not isinstance(keep_keys, bool):
        raise InvalidParameterError(f"`keep_keys`={keep_keys!r} must be True or False.")

    import pandas as pd

    if isinstance(data, pd.Series):
        return _localize_series(data, lang, columns, values)
    if isinstance(data, pd.DataFrame):
        return _localize_pandas(data, lang, keep_keys, columns, values)
    return _localize_narwhals(data, lang, keep_keys, columns, values)


# --------------------------------------------------------------------------- value families
@lru_cache(maxsize=None)
def _family_entries(family: str) -> tuple[tuple[str, str, str], ...]:
    """``(code, zh, en)`` for every member of a value family."""
    if family in _CATALOG_FAMILIES:
        prefix, flat = _CATALOG_FAMILIES[family]
        out = []
        for key, texts in catalog().items():
            if not key.startswith(prefix):
                continue
            code = key[len(prefix):]
            if flat and "." in code:
                continue
            if family == "rfm":
                code = code.split(".")[-1]
            if family == "ab_group" and code not in _AB_GROUPS:
                continue
            if family == "psm_point" and code not in _PSM_POINTS:
                continue
            if family == "kano" and code not in _KANO_CODES:
                continue
            out.append((code, texts["zh"], texts["en"]))
        return tuple(out)
    return tuple(_world_entries().get(family, ()))


@lru_cache(maxsize=1)
def _world_entries() -> dict[str, list[tuple[str, str, str]]]:
    """The synthetic world's coded values in both locales (presets and locale data)."""
    from .world import locales, presets

    out: dict[str, list[tuple[str, str, str]]] = {k: [] for k in (
        "world_channel", "world_slot", "world_category", "world_platform", "world_city_tier",
        "world_city", "world_gender", "world_occupation", "world_member_level")}
    for preset in presets.PRESETS.values():
        for ch in preset.get("channels", ()):
            out["world_channel"].append((ch["key"], *ch["label"]))
        slots = preset.get("slots") or {}
        for slot in (slots.get("slots", ()) if isinstance(slots, dict) else slots):
            out["world_slot"].append((slot["key"], *slot["label"]))
        for cat in preset.get("categories", ()):
            out["world_category"].append((cat[0], *cat[1]))
    for key, pair in locales.PLATFORMS.items():
        out["world_platform"].append((key, *pair))
    for key, tier in locales.CITY_TIERS.items():
        out["world_city_tier"].append((key, *tier["label"]))
        for zh, en, *_ in tier["cities"]:
            out["world_city"].append((en.lower(), zh, en))
    for key, pair in locales.GENDERS.items():
        out["world_gender"].append((key, *pair))
    for key, zh, en, *_ in locales.OCCUPATIONS:
        out["world_occupation"].append((key, zh, en))
    for key, pair, *_ in locales.MEMBER_LEVELS:
        out["world_member_level"].append((key, *pair))
    return out


@lru_cache(maxsize=None)
def _family_mapping(family: str, lang: str) -> dict[str, str]:
    """Every known form of a family's values (code, zh, en) -> its text in ``lang``; a form that
    would mean two different things (``referral`` is 老带新 in one preset, 邀请有礼 in another) is
    left out, so it stays as it is."""
    mapping: dict[str, str] = {}
    ambiguous: set[str] = set()
    for code, zh, en in _family_entries(family):
        target = zh if lang == "zh" else en
        for form in (code, zh, en):
            if form in mapping and mapping[form] != target:
                ambiguous.add(form)
            mapping.setdefault(form, target)
    for form in ambiguous:
        del mapping[form]
    return mapping


def _choose_family(column: str, distinct: list) -> str | None:
    """The first family of ``column`` that knows every (text) value; else the one that knows most."""
    families = _COLUMN_FAMILIES.get(column, ())
    texts = [v for v in distinct if isinstance(v, str)]
    if not families or not texts:
        return None
    best, best_hits = None, 0
    for fam in families:
        known = _family_mapping(fam, "zh")
        hits = sum(v in known for v in texts)
        if hits == len(texts):
            return fam
        if hits > best_hits:
            best, best_hits = fam, hits
    return best


def _value_mapping(column: str, family: str | None, lang: str, values: dict) -> dict:
    mapping = dict(_family_mapping(family, lang)) if family else {}
    mapping.update(values.get(column, {}))
    return mapping


# --------------------------------------------------------------------------- column headers
def _column_text(column, lang: str, family: str | None, table_keys: dict, columns: dict):
    if column in columns:
        return columns[column]
    if not isinstance(column, str):
        return column
    cat = catalog()
    key = table_keys.get(column) or _FAMILY_COLUMN_KEY.get(family or "")
    if key is None or key not in cat:
        key = _COLUMN_KEYS.get(column)
    if key is None or key not in cat:
        key = next((k for k in (f"col.{column}", f"kpi.{column}") if k in cat), None)
    return cat[key][lang] if key else column


def _table_keys(names) -> dict:
    present = set(names)
    out: dict = {}
    for required, keys in _TABLE_COLUMNS:
        if required <= present:
            out.update(keys)
    return out


def _unique_headers(headers: list, originals: list, lang: str) -> list:
    """Headers made unique: a label that two columns would share gets its column name added."""
    seen: dict = {}
    for h in headers:
        seen[h] = seen.get(h, 0) + 1
    out = []
    for h, orig in zip(headers, originals):
        if seen[h] > 1 and h != orig:
            h = f"{h}（{orig}）" if lang == "zh" else f"{h} ({orig})"
        out.append(h)
    return out


def _dropped(names, keep_keys: bool, columns: dict) -> set:
    if keep_keys:
        return set()
    present = set(names)
    return {code for code, lab in _KEY_LABEL_PAIRS if code in present and lab in present and code not in columns}


# --------------------------------------------------------------------------- pandas
def _is_text(series) -> bool:
    import pandas as pd

    dtype = series.dtype
    if isinstance(dtype, pd.CategoricalDtype):
        return pd.api.types.is_object_dtype(dtype.categories.dtype) or pd.api.types.is_string_dtype(dtype.categories.dtype)
    return pd.api.types.is_object_dtype(dtype) or pd.api.types.is_string_dtype(dtype)


def _map_pandas_values(series, mapping: dict):
    import pandas as pd

    if not mapping:
        return series
    if isinstance(series.dtype, pd.CategoricalDtype):
        new = [mapping.get(c, c) for c in series.cat.categories]
        if len(set(new)) == len(new):
            return series.cat.rename_categories(new)
        series = series.astype(object)
    mapped = series.map(mapping)
    return mapped.where(mapped.notna(), series)


def _pandas_family(series, column) -> str | None:
    if column not in _COLUMN_FAMILIES or not _is_text(series):
        return None
    return _choose_family(column, list(series.dropna().unique()))


def _localize_index(index, lang: str, columns: dict, values: dict):
    import pandas as pd

    levels = [index.get_level_values(i) for i in range(index.nlevels)]
    names = list(index.names)
    new_levels, new_names = [], []
    for level, name in zip(levels, names):
        fam = _choose_family(name, list(level.dropna().unique())) if isinstance(name, str) else None
        mapping = _value_mapping(name, fam, lang, values)
        if mapping and (pd.api.types.is_object_dtype(level.dtype) or pd.api.types.is_string_dtype(level.dtype)
                        or isinstance(level.dtype, pd.CategoricalDtype)):
            level = pd.Index(_map_pandas_values(pd.Series(level, dtype=level.dtype), mapping), name=name)
        new_levels.append(level)
        new_names.append(_column_text(name, lang, fam, {}, columns) if name is not None else None)
    if index.nlevels == 1:
        return pd.Index(new_levels[0], name=new_names[0])
    return pd.MultiIndex.from_arrays(new_levels, names=new_names)


def _localize_pandas(df, lang: str, keep_keys: bool, columns: dict, values: dict):
    import pandas as pd

    if any(isinstance(n, str) and n in _COLUMN_FAMILIES for n in df.columns.names):
        # a pivot (columns = the codes of one family, e.g. stages): translate both axes as values
        out = df.copy(deep=False)
        out.columns = _localize_index(df.columns, lang, columns, values)
        if any(n is not None for n in df.index.names):
            out.index = _localize_index(df.index, lang, columns, values)
        return out
    drop = _dropped(df.columns, keep_keys, columns)
    out = df.drop(columns=sorted(drop, key=str)) if drop else df.copy(deep=False)
    table_keys = _table_keys(out.columns) if out.columns.is_unique else {}
    headers, originals = [], []
    data = {}
    for i, col in enumerate(out.columns):
        s = out.iloc[:, i]
        fam = _pandas_family(s, col)
        kept_code = keep_keys and any(col == code for code, _ in _KEY_LABEL_PAIRS)
        if not kept_code and _is_text(s):
            s = _map_pandas_values(s, _value_mapping(col, fam, lang, values))
        header = col if kept_code else _column_text(col, lang, fam, table_keys, columns)
        headers.append(header)
        originals.append(col)
        data[i] = s
    if data:
        result = pd.DataFrame({i: s.array for i, s in data.items()}, index=out.index)
        result.columns = pd.Index(_unique_headers(headers, originals, lang), name=out.columns.name)
    else:
        result = out.copy()
    if any(n is not None for n in result.index.names):
        result.index = _localize_index(result.index, lang, columns, values)
    return result


def _localize_series(s, lang: str, columns: dict, values: dict):
    name = s.name
    fam = _pandas_family(s, name) if isinstance(name, str) else None
    out = _map_pandas_values(s, _value_mapping(name, fam, lang, values)) if _is_text(s) else s.copy(deep=False)
    out = out.copy(deep=False)
    out.name = _column_text(name, lang, fam, {}, columns) if name is not None else None
    if any(n is not None for n in s.index.names):
        out.index = _localize_index(s.index, lang, columns, values)
    return out


# --------------------------------------------------------------------------- other engines
def _localize_narwhals(data, lang: str, keep_keys: bool, columns: dict, values: dict):
    import narwhals.stable.v2 as nw

    try:
        frame = nw.from_native(data)
    except TypeError:
        raise InvalidParameterError(
            f"`data` must be a data frame (pandas, Polars, DuckDB, PySpark …) or a pandas Series, "
            f"got {type(data).__name__}."
        ) from None
    lazy = isinstance(frame, nw.LazyFrame)
    schema = frame.collect_schema()
    names = list(schema.names())
    drop = _dropped(names, keep_keys, columns)
    if drop:
        frame = frame.drop(*sorted(drop))
        names = [n for n in names if n not in drop]
    table_keys = _table_keys(names)
    text_cols = [n for n in names if schema[n] in (nw.String, nw.Categorical, nw.Enum)
                 or isinstance(schema[n], (nw.Categorical, nw.Enum))]
    exprs, families = [], {}
    for col in text_cols:
        kept_code = keep_keys and any(col == code for code, _ in _KEY_LABEL_PAIRS)
        if kept_code:
            continue
        fam = None
        if col in _COLUMN_FAMILIES:
            distinct = frame.select(nw.col(col).cast(nw.String)).unique()
            distinct = distinct.collect() if lazy else distinct
            fam = _choose_family(col, distinct.get_column(col).to_list())
        families[col] = fam
        mapping = _value_mapping(col, fam, lang, values)
        if mapping:
            exprs.append(
                nw.col(col).cast(nw.String)
                .replace_strict(list(mapping), list(mapping.values()), default=nw.col(col).cast(nw.String),
                                return_dtype=nw.String)
                .alias(col)
            )
    if exprs:
        frame = frame.with_columns(*exprs)
    headers = []
    for col in names:
        kept_code = keep_keys and any(col == code for code, _ in _KEY_LABEL_PAIRS)
        headers.append(col if kept_code else _column_text(col, lang, families.get(col), table_keys, columns))
    headers = _unique_headers(headers, names, lang)
    frame = frame.rename({old: new for old, new in zip(names, headers) if old != new})
    return nw.to_native(frame)
