"""Module 1's explorers: personas from clustering, and the tag-rule editor.

- :class:`PersonaState` / :func:`persona_explorer`: the number of groups ``k`` and the orders a user
  needs to be clustered (``min_orders``) → persona cards and a 2-D map of the groups. At creation the
  features are computed once (:func:`opsplaybook.user_features`) and every (min_orders, k)
  combination is clustered and carded (:func:`~opsplaybook.models.personas.find_personas`,
  :func:`~opsplaybook.models.personas.persona_cards`), so an update is a look-up.
- :class:`TagEditorState` / :func:`tag_rule_editor`: four thresholds of the default tag rule set
  (:func:`~opsplaybook.models.tag_rules.default_tag_rules`) → tag sizes and overlaps, recomputed
  live with :func:`~opsplaybook.models.tags.tag_users` (vectorised: milliseconds on the demo world).
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from .._frames import as_pandas
from ..errors import InvalidParameterError, check_lang
from ..labels import label
from ._base import ExplorerState, register

__all__ = ["PersonaState", "persona_explorer", "TagEditorState", "tag_rule_editor"]


def _features(data, *, as_of=None):
    """Features from a world / mapping of tables, or a features frame given as is."""
    from ..analytics.features import user_features

    if isinstance(data, pd.DataFrame) and "frequency" in data.columns:
        return data
    try:
        return as_pandas(user_features(data, as_of=as_of), param="features")
    except InvalidParameterError:
        raise
    except Exception as exc:  # a wrong object: say what is expected
        raise InvalidParameterError(f"`data` must be a World (ops.load_demo()), a dict of tables or a features frame "
                                    f"(ops.user_features(...)); got {type(data).__name__} ({exc}).") from None


class PersonaState(ExplorerState):
    """State of the persona explorer (plain Python).

    Parameters
    ----------
    data : World, mapping or DataFrame
        A world, ``{"users", "events", "orders"}`` tables (features and the behaviour mix
        :func:`~opsplaybook.models.personas.event_mix` are computed), or a features frame used as is.
    k : int, default 3
        Number of groups (one of ``k_options``).
    min_orders : int, default 3
        Orders a user needs to be clustered (one of ``min_orders_options``); the others form the
        group "not enough data yet" (数据不足).
    lang : {"zh", "en"}
    k_options, min_orders_options : sequence of int
        The values the controls offer (all combinations are prepared at creation).
    random_state : int
        Seed of the clustering.

    Attributes (after each update)
    ------------------------------
    result : PersonaResult
    cards : DataFrame
        :func:`persona_cards` of the groups.
    map : DataFrame
        ``x``, ``y``, ``group`` of the clustered users (principal components of the scaled features).
    summary : str

    Examples
    --------
    >>> import opsplaybook as ops
    >>> s = PersonaState(ops.load_demo(), lang="en")
    >>> s.update(k=4).cards.index.tolist()
    [0, 1, 2, 3, -1]
    """

    controls = ("k", "min_orders")

    def __init__(self, data, *, k: int = 3, min_orders: int = 3, lang: str = "zh", k_options=range(2, 9),
                 min_orders_options=(1, 2, 3, 5), random_state: int = 0, as_of=None):
        from ..models.personas import find_personas, persona_cards

        self.lang = check_lang(lang)
        self.features = _features(data, as_of=as_of)
        if not isinstance(data, pd.DataFrame):  # a world or tables: add the behaviour mix (what users do per visit)
            from ..models.personas import event_mix

            self.features = self.features.merge(event_mix(data), on="user_id", how="left")
        self.k_options = [int(x) for x in k_options]
        self.min_orders_options = [int(x) for x in min_orders_options]
        self._cache: dict[tuple[int, int], tuple] = {}
        self._maps: dict[int, pd.DataFrame] = {}
        for mo in self.min_orders_options:
            enough = int((self.features["frequency"] >= mo).sum())
            for kk in self.k_options:
                if kk > enough:
                    continue
                res = find_personas(self.features, k=kk, min_orders=mo, random_state=random_state)
                if mo not in self._maps:
                    self._maps[mo] = res.map(random_state=random_state)
                mp = self._maps[mo].copy()
                mp["group"] = res.groups["group"].to_numpy()[res.groups["group"].to_numpy() >= 0]
                self._cache[(mo, kk)] = (res, persona_cards(self.features, res, lang=self.lang), mp)
        if not self._cache:
            raise InvalidParameterError("Too few users with enough orders to cluster for any option of `min_orders`.")
        self.k = self._check_value("k", k)
        self.min_orders = self._check_value("min_orders", min_orders)
        self.compute()

    def options(self, name: str):
        values = self.k_options if name == "k" else self.min_orders_options
        return [(str(v), v) for v in values]

    def compute(self) -> None:
        key = (self.min_orders, self.k)
        if key not in self._cache:
            raise InvalidParameterError(f"Only {int((self.features['frequency'] >= self.min_orders).sum())} users have "
                                        f"at least {self.min_orders} orders: too few for k={self.k}. Lower `k`.")
        self.result, self.cards, self.map = self._cache[key]
        clustered = int((self.result.groups["group"] >= 0).sum())
        sil = next(iter(self.result.silhouette.values()))
        self.summary = label("explorer.persona.summary", self.lang).format(
            clustered=f"{clustered:,}", min_orders=self.min_orders, k=self.k, sil=sil,
            rest=f"{len(self.features) - clustered:,}")
        self._computed()

    def check(self) -> list[str]:
        wrong = []
        if self.cards["users"].sum() != len(self.features):
            wrong.append("the groups' users do not add up to all users")
        if not np.isclose(self.cards["value_share"].sum(), 1.0):
            wrong.append(f"value shares add up to {self.cards['value_share'].sum():.4f}, not 1")
        if set(self.map["group"]) != set(range(self.k)):
            wrong.append("the map does not show every group")
        return wrong


class TagEditorState(ExplorerState):
    """State of the tag-rule editor: thresholds of the default rule set → tag sizes and overlaps.

    Parameters
    ----------
    data : World, mapping or DataFrame
        As for :class:`PersonaState`.
    high_value_top, price_coupon_share, night_share, dormant_days
        Start values of the four thresholds (each one of its options); the other thresholds stay at
        :data:`~opsplaybook.models.tag_rules.TAG_RULE_THRESHOLDS`.
    lang : {"zh", "en"}

    Attributes (after each update)
    ------------------------------
    rules : dict
        The rule set with the current thresholds (what :func:`tag_rules_yaml` would export).
    tags : TagResult
    sizes, overlap : DataFrame
        ``tags.sizes()`` and ``tags.overlap()``.
    untagged : int
        Users without any tag.

    Examples
    --------
    >>> import opsplaybook as ops
    >>> s = TagEditorState(ops.load_demo(), lang="en")
    >>> a = s.sizes.loc["high_value", "users"]
    >>> bool(s.update(high_value_top=0.2).sizes.loc["high_value", "users"] > a)
    True
    """

    controls = ("high_value_top", "price_coupon_share", "night_share", "dormant_days")
    _OPTIONS = {
        "high_value_top": (0.01, 0.02, 0.05, 0.1, 0.2, 0.3),
        "price_coupon_share": (0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0),
        "night_share": (0.2, 0.3, 0.4, 0.5, 0.6, 0.8),
        "dormant_days": (30, 60, 90, 120, 180),
    }

    def __init__(self, data, *, high_value_top: float = 0.05, price_coupon_share: float = 0.6,
                 night_share: float = 0.4, dormant_days: int = 90, lang: str = "zh", as_of=None):
        self.lang = check_lang(lang)
        self.features = _features(data, as_of=as_of)
        for name, v in (("high_value_top", high_value_top), ("price_coupon_share", price_coupon_share),
                        ("night_share", night_share), ("dormant_days", dormant_days)):
            setattr(self, name, self._check_value(name, v))
        self.compute()

    def options(self, name: str):
        vals = self._OPTIONS[name]
        fmt = (lambda v: f"{v:g} 天" if self.lang == "zh" else f"{v:g} days") if name == "dormant_days" \
            else (lambda v: f"{v:.0%}")
        return [(fmt(v), v) for v in vals]

    def compute(self) -> None:
        from ..models.tag_rules import default_tag_rules
        from ..models.tags import tag_users

        self.rules = default_tag_rules(**self.values())
        self.tags = tag_users(self.features, self.rules, lang=self.lang)
        self.sizes = self.tags.sizes()
        self.overlap = self.tags.overlap()
        self.untagged = int((~self.tags.wide.any(axis=1)).sum())
        self._computed()

    def check(self) -> list[str]:
        wrong = []
        if not np.array_equal(np.diag(self.overlap.to_numpy()), self.sizes["users"].to_numpy()):
            wrong.append("the overlap's diagonal is not the tag sizes")
        if len(self.tags.long) != int(self.sizes["users"].sum()):
            wrong.append("the long table does not hold one row per (user, tag)")
        return wrong


# ---------------------------------------------------------------------------------- the views
def _pct(x) -> str:
    return "–" if x != x else f"{x:.1%}"


def _persona_texts(state: PersonaState) -> dict[str, str]:
    import html

    from ._view import html_table

    lang = state.lang
    c = state.cards
    cols = ["name", "strategy", "users", "share", "value_share", "arpu", "frequency", "coupon", "night", "city", "channel"]
    header = [label("cluster.card.group", lang)] + [label(f"explorer.persona.col.{k}", lang) for k in cols]
    rows = []
    for g, r in c.iterrows():
        rows.append([str(g + 1) if g >= 0 else "–", r["name"], r["strategy"], f"{int(r['users']):,}", _pct(r["share"]),
                     _pct(r["value_share"]), f"{r['arpu']:,.0f}", f"{r.get('frequency', np.nan):.2f}",
                     _pct(r.get("coupon_share", np.nan)), _pct(r.get("night_share", np.nan)),
                     str(r.get("top_city_tier", "")), str(r.get("top_channel", ""))])
    return {"summary": f'<p style="font-size:14px">{html.escape(state.summary)}</p>',
            "cards": html_table(header, rows, numeric_from=3)}


def _persona_draw(state: PersonaState, fig) -> None:
    from ..charts.segment_charts import plot_persona_map

    fig.subplots_adjust(left=0.08, right=0.98, bottom=0.12, top=0.9)
    ax = fig.add_subplot(1, 1, 1)
    names = {g: f"{g + 1} {n}" for g, n in state.cards["name"].items() if g >= 0}
    plot_persona_map(state.map, ax=ax, lang=state.lang, names=names, max_points=1500)


@register(state=PersonaState, module=1)
def persona_explorer(world, *, lang: str = "zh", k: int = 3, min_orders: int = 3, chart: bool = True, **options):
    """Live persona explorer (用户画像): choose k and the history needed → cards and a map of the groups.

    A slider sets the number of groups, another the orders a user needs before their behaviour is
    clustered; the cards (size, value share, behaviour, top city tier and channel, suggested name
    and strategy) and the map (the first two principal components of the scaled features) follow.

    Parameters
    ----------
    world : World, mapping or DataFrame
        ``ops.load_demo()``, tables, or features.
    lang : {"zh", "en"}
    k, min_orders
        Start values (see :class:`PersonaState`).
    chart : bool
        Draw the map.
    **options
        ``k_options=``, ``min_orders_options=``, ``random_state=``, ``as_of=`` of :class:`PersonaState`.

    Returns
    -------
    ipywidgets.VBox
        ``.state``, ``.controls`` (``"k"``, ``"min_orders"``), ``.texts``, ``.chart``.

    Examples
    --------
    >>> import opsplaybook as ops
    >>> w = persona_explorer(ops.load_demo(), lang="en")
    >>> w.controls["k"].value = 4
    >>> len(w.state.cards), w.renders
    (5, 2)
    """
    from ._view import ExplorerWidget, selection_control

    state = PersonaState(world, k=k, min_orders=min_orders, lang=lang, **options)
    controls = {"k": selection_control(state, "k", label("explorer.persona.k", lang)),
                "min_orders": selection_control(state, "min_orders", label("explorer.persona.min_orders", lang))}
    return ExplorerWidget(state, controls, texts=_persona_texts, draw=_persona_draw if chart else None,
                          figsize=(8, 5))


def _tag_texts(state: TagEditorState) -> dict[str, str]:
    import html

    from ._view import html_table

    lang = state.lang
    rows = []
    for tag, r in state.sizes.iterrows():
        why = state.rules[tag]["why"]
        rows.append([r["label"], f"{int(r['users']):,}", _pct(r["share"]), why.get(lang, why.get("zh"))])
    header = [label("tags.widget.col.tag", lang), label("explorer.persona.col.users", lang),
              label("explorer.persona.col.share", lang), label("tags.widget.col.why", lang)]
    n = len(state.tags.wide)
    untagged = label("tags.widget.untagged", lang).format(n=state.untagged, share=state.untagged / n if n else 0)
    return {"sizes": html_table(header, rows, numeric_from=1),
            "untagged": f"<p>{html.escape(untagged)}</p>"}


def _tag_draw(state: TagEditorState, fig) -> None:
    from ..charts.segment_charts import plot_tag_overlap, plot_tag_sizes

    fig.subplots_adjust(left=0.14, right=0.98, bottom=0.25, top=0.9, wspace=0.45)
    left, right = fig.subplots(1, 2)
    plot_tag_sizes(state.sizes, ax=left, lang=state.lang)
    plot_tag_overlap(state.overlap, ax=right, lang=state.lang, labels=state.tags.labels)


@register(state=TagEditorState, module=1)
def tag_rule_editor(world, *, lang: str = "zh", chart: bool = True, **thresholds):
    """Live tag-rule editor (标签体系): move four thresholds → tag sizes and overlaps.

    Sliders for 高价值 (top share by spend), 价格敏感 (coupon share), 夜猫子 (night share) and
    沉睡 (days inactive); the tag sizes, their overlap (users with both tags) and the number of
    users without any tag update live. ``widget.state.rules`` is the edited rule set, ready for
    :func:`opsplaybook.tag_rules_yaml`.

    Examples
    --------
    >>> import opsplaybook as ops
    >>> w = tag_rule_editor(ops.load_demo(), lang="en")
    >>> w.controls["dormant_days"].value = 30
    >>> w.state.rules["dormant"]["rule"]["all"][0]
    {'days_since_active': {'>=': 30}}
    """
    from ._view import ExplorerWidget, selection_control

    state = TagEditorState(world, lang=lang, **thresholds)
    controls = {name: selection_control(state, name, label(f"tags.widget.{name}", lang)) for name in state.controls}
    return ExplorerWidget(state, controls, texts=_tag_texts, draw=_tag_draw if chart else None, figsize=(12, 5))
