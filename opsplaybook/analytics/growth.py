"""The growth formulas of the course (运营增长模型): sales S split into parts that add up to it.

The 1-day growth course teaches five ways of writing sales S (销售额) so that each part has an owner
and a lever:

===================  =====================================  ==========================================
model                formula                                here
===================  =====================================  ==========================================
channel 渠道模型      S = S₁ + S₂ + … + Sₙ (channels)        ``growth_decomposition(model="channel")``
product 产品模型      S = S₁ + S₂ + … + Sₙ (products)        ``growth_decomposition(model="product")``
funnel 漏斗流量模型   S = UV × CVR × P                       :func:`~.kpis.kpis`, :func:`~.kpis.revenue_drivers`
tier 用户价值分层模型 S = S(新客) + S(会员) + S(VIP) + …      ``growth_decomposition(model="tier")``
fractal 分形赋能模型  S = N × S(per standard seller)         :func:`fractal_growth` (and ``model="fractal"``)
===================  =====================================  ==========================================

Every function is written once against narwhals: pandas, Polars, DuckDB and PySpark inputs give the
same numbers, returned as the caller's kind of frame. Amounts are rounded to cents and summed as
integer cents, so the parts of a period add up to its total exactly (to the cent).
"""
from __future__ import annotations

from collections.abc import Sequence

import narwhals as nw
import pandas as pd

from ..errors import ColumnNotFoundError, check_lang, did_you_mean
from ..labels import get_lang, label
from ._common import (
    InvalidParameterError,
    as_list,
    check_choice,
    check_period,
    column_names,
    period_start,
    prepare_amount,
    prepare_time,
    require_columns,
)
from ._engine import lazy_tables, to_lazy

__all__ = ["growth_decomposition", "growth_change", "fractal_growth", "fractal_drivers", "kpi_tree",
           "GROWTH_MODELS", "KPI_TREE"]

#: the additive models of :func:`growth_decomposition` (the funnel model is :func:`kpis`)
GROWTH_MODELS = ("channel", "product", "tier", "fractal")
_PART_PARAM = {"channel": "channel_col", "product": "product_col", "tier": "tier_col", "fractal": "seller_col"}


def _cents(amount_col: str) -> nw.Expr:
    """The amount in whole cents (Int64), missing amounts as 0: sums are exact on every engine."""
    return (nw.col(amount_col).fill_null(0.0) * 100).round(0).cast(nw.Int64)


def _resolve_columns(od, us, needed: dict[str, str], *, user_col: str):
    """Bring the columns in ``needed`` ({param: column}) onto the orders, from ``users`` when needed.

    A column found in ``orders`` is used as it is; otherwise it is looked up in ``users`` (one row per
    user, joined on ``user_col``; orders of users missing from ``users`` get a missing value).
    """
    have = set(column_names(od))
    from_users = {p: c for p, c in needed.items() if c not in have}
    if not from_users:
        return od
    if us is None:
        param, col = next(iter(from_users.items()))
        raise ColumnNotFoundError(
            f"Column {col!r} given as `{param}` is not in `orders`. Available: {sorted(have)}."
            + did_you_mean(col, sorted(have), otherwise="")
            + " If it is a user attribute (the world's channel and member level are), pass the users "
            "table too: `users=world.users`."
        )
    user_cols = set(column_names(us))
    require_columns(us, user_col=user_col)
    for param, col in from_users.items():
        if col not in user_cols:
            avail = sorted(have | user_cols)
            raise ColumnNotFoundError(
                f"Column {col!r} given as `{param}` is in neither `orders` nor `users`. "
                f"Available: {avail}." + did_you_mean(col, avail, otherwise=f" Pass `{param}=` with your column's name.")
            )
    cols = list(dict.fromkeys(from_users.values()))
    attrs = us.select(user_col, *cols).unique([user_col])
    return od.join(attrs, on=user_col, how="left")


def growth_decomposition(
    orders,
    *,
    model: str = "channel",
    users=None,
    period: str | None = None,
    by: str | Sequence[str] | None = None,
    tier_order: Sequence[object] | None = None,
    lang: str | None = None,
    # columns
    user_col: str = "user_id",
    time_col: str = "ts",
    amount_col: str = "amount",
    channel_col: str = "channel",
    product_col: str = "category",
    tier_col: str = "member_level",
    seller_col: str = "seller_id",
    # execution
    engine: str = "auto",
):
    """Split sales S into the parts of an additive growth formula (运营增长模型): S = S₁ + … + Sₙ.

    The four additive models of the growth course (seed outline "运营增长模型解析"):

    - ``"channel"`` — 渠道模型, S = Σ sales per channel (``channel_col``; the world's acquisition
      channel is a user attribute, so pass ``users=``);
    - ``"product"`` — 产品模型, S = Σ sales per product or category (``product_col``);
    - ``"tier"`` — 用户价值分层模型, S = S(新客) + S(会员等级₁) + … : a buyer whose first order (in
      ``orders``) falls in the period is a **new customer** (新客) and all their orders of that period
      count as new-customer sales; the other buyers' sales are split by their member level
      (``tier_col``: 入门/初级/中级/高级 …; the top levels are the VIPs). Without ``period`` the data
      is one period, so only the orders at each buyer's first order time are new-customer sales;
    - ``"fractal"`` — 分形赋能模型, S = Σ sales per seller (``seller_col``: the distributor, shop
      assistant or streamer who brought the order; missing = self-serve). Its product form
      S = N × S_per_seller is :func:`fractal_growth`.

    The funnel model S = UV × CVR × P is multiplicative: see :func:`~opsplaybook.analytics.kpis`
    and :func:`~opsplaybook.analytics.revenue_drivers`.

    Parameters
    ----------
    orders : pandas, Polars, DuckDB or PySpark data frame
        One row per paid order (user, time, amount, and the part column if it is an order attribute).
    model : {"channel", "product", "tier", "fractal"}
        Which formula.
    users : frame, optional
        The users table, for part or ``by`` columns that are user attributes (joined on ``user_col``).
    period : {"D", "W", "M"}, optional
        Split per calendar day, Monday week or month; ``None`` (default): one total over all orders.
    by : str or list of str, optional
        Extra breakdown columns (of ``orders`` or ``users``), e.g. ``by="city_tier"``: the
        decomposition within each city tier.
    tier_order : list, optional
        ``model="tier"`` only: the order of the member levels in the result (e.g. from entry level to
        VIP). Default: by sales, largest first. New customers always come first.
    lang : {"zh", "en"}, optional
        Language of the new-customer part's name (``model="tier"``).
    user_col, time_col, amount_col : str
        Columns of ``orders``.
    channel_col, product_col, tier_col, seller_col : str
        The part column of each model (in ``orders`` or, for user attributes, in ``users``).
    engine : {"auto", "pandas", "duckdb", "polars"}
        For pandas input only: where the work runs.

    Returns
    -------
    frame of the input's kind, one row per (period, by…, part):

    - ``period`` (only with ``period=``): start of the period;
    - the ``by`` columns;
    - ``part``: the channel / product / member level / seller (missing where the order has none:
      orders of users missing from ``users``, self-serve orders in the fractal model); for
      ``model="tier"`` the new customers' part is named ``新客`` / ``New customers``;
    - ``sales``: the part's sales (销售额, yuan; amounts rounded to cents, so the parts of a period add
      up exactly to its total);
    - ``orders``: its number of orders; ``buyers``: its distinct buyers;
    - ``share``: ``sales`` over the total of its period (and ``by`` group).

    Rows are sorted by period, ``by``, then part (largest sales first; missing part last).

    Examples
    --------
    >>> import pandas as pd
    >>> from opsplaybook import growth_decomposition
    >>> orders = pd.DataFrame({"user_id": [1, 1, 2, 3],
    ...     "ts": pd.to_datetime(["2025-01-03", "2025-02-10", "2025-02-11", "2025-02-12"]),
    ...     "amount": [100.0, 50.0, 80.0, 20.0], "category": ["书", "书", "食品", "书"]})
    >>> users = pd.DataFrame({"user_id": [1, 2, 3], "channel": ["抖音", "自然流量", "抖音"],
    ...     "member_level": ["中级", "入门", "入门"]})
    >>> growth_decomposition(orders, model="channel", users=users)
       part  sales  orders  buyers  share
    0    抖音  170.0       3       2   0.68
    1  自然流量   80.0       1       1   0.32
    >>> growth_decomposition(orders, model="tier", users=users, period="M", lang="en")
          period           part  sales  orders  buyers     share
    0 2025-01-01  New customers  100.0       1       1  1.000000
    1 2025-02-01  New customers  100.0       2       2  0.666667
    2 2025-02-01             中级   50.0       1       1  0.333333
    """
    check_choice("model", model, GROWTH_MODELS) if model != "funnel" else None
    if model == "funnel":
        raise InvalidParameterError(
            "`model`='funnel' is the multiplicative formula S = UV × CVR × P: use "
            "ops.kpis(events, orders) for UV, CVR and P per period and "
            "ops.revenue_drivers(kpis, base, compare) for which factor moved S. "
            f"growth_decomposition handles the additive models {list(GROWTH_MODELS)}."
        )
    lang = check_lang(lang or get_lang())
    freq = check_period(period) if period is not None else None
    part_param = _PART_PARAM[model]
    part_col = {"channel": channel_col, "product": product_col, "tier": tier_col, "fractal": seller_col}[model]
    by_cols = as_list(by)
    for b in by_cols:
        if not isinstance(b, str):
            raise InvalidParameterError(f"`by` must be a column name or a list of column names; got {b!r}.")
    if part_col in by_cols:
        raise InvalidParameterError(
            f"`by` contains {part_col!r}, the part column of model={model!r} (`{part_param}`); "
            "give a different breakdown column."
        )

    lfs, back = lazy_tables({"orders": orders, "users": users}, engine=engine)
    od, us = lfs["orders"], lfs["users"]
    require_columns(od, user_col=user_col, time_col=time_col, amount_col=amount_col)
    needed = {part_param: part_col, **{f"by[{i}]": b for i, b in enumerate(by_cols)}}
    od = _resolve_columns(od, us, needed, user_col=user_col)
    od = prepare_amount(prepare_time(od, time_col), amount_col)
    u, t = user_col, time_col
    od = od.filter(~nw.col(t).is_null())
    keys = (["period"] if freq else []) + by_cols
    od = od.with_columns(_cents(amount_col).alias("_cents"))
    if freq:
        od = od.with_columns(period_start(nw.col(t), freq).alias("period"))

    new_name = label("growth.part.new_customers", lang)
    if model == "tier":
        first = od.filter(~nw.col(u).is_null()).group_by(u).agg(nw.col(t).min().alias("_first"))
        od = od.join(first, on=u, how="left")
        if freq:
            first_period = period_start(nw.col("_first"), freq)
            is_new = ~nw.col("_first").is_null() & (first_period == nw.col("period"))
        else:
            is_new = ~nw.col("_first").is_null() & (nw.col(t) == nw.col("_first"))
        od = od.with_columns(is_new.fill_null(False).alias("_new"))
        od = od.with_columns(
            nw.when(nw.col("_new")).then(nw.lit(new_name)).otherwise(nw.col(part_col).cast(nw.String)).alias("_part")
        )
    else:
        od = od.with_columns(nw.col(part_col).alias("_part"))

    # n_unique counts a missing value as one value on every engine: subtract it (orders without user)
    agg = (
        od.select(*keys, "_part", u, "_cents", nw.col(u).is_null().cast(nw.Int64).alias("_unull"))
        .group_by(*keys, "_part")
        .agg(nw.col("_cents").sum(), nw.len().alias("orders"), nw.col(u).n_unique().alias("buyers"),
             nw.col("_unull").max())
        .collect()
        .to_pandas()
    )
    agg["buyers"] = agg["buyers"] - agg["_unull"]
    return back(_finish(agg, keys, model=model, tier_order=tier_order, new_name=new_name))


def _finish(agg: pd.DataFrame, keys: list[str], *, model: str, tier_order, new_name: str) -> pd.DataFrame:
    """Shares, labels and the row order of a decomposition (a small pandas frame)."""
    agg = agg.rename(columns={"_part": "part"})
    agg["_cents"] = agg["_cents"].astype("int64")
    agg["sales"] = agg["_cents"] / 100
    if keys:
        totals = agg.groupby(keys, dropna=False, sort=False)["_cents"].transform("sum")
    else:
        totals = pd.Series(agg["_cents"].sum(), index=agg.index)
    agg["share"] = (agg["_cents"] / totals.where(totals != 0)).astype("float64")
    missing = agg["part"].isna()
    rank = pd.Series(1.0, index=agg.index)
    if model == "tier":
        rank[agg["part"] == new_name] = 0.0
        if tier_order is not None:
            order = {v: i for i, v in enumerate(tier_order)}
            rank = rank.where(rank == 0, agg["part"].map(lambda v: 1.0 + order[v] if v in order else 1.0 + len(order)))
    rank[missing] = float("inf")
    agg["_rank"] = rank
    agg["_neg"] = -agg["_cents"]
    agg["_name"] = agg["part"].astype("string").fillna("")
    agg = agg.sort_values([*keys, "_rank", "_neg", "_name"], kind="mergesort", na_position="last")
    out = agg[[*keys, "part", "sales", "orders", "buyers", "share"]].reset_index(drop=True)
    for c in ("orders", "buyers"):
        out[c] = out[c].astype("int64")
    return out


def fractal_growth(
    orders,
    *,
    period: str | None = None,
    users=None,
    by: str | Sequence[str] | None = None,
    # columns
    user_col: str = "user_id",
    time_col: str = "ts",
    amount_col: str = "amount",
    seller_col: str = "seller_id",
    # execution
    engine: str = "auto",
):
    """The fractal model (分形赋能模型) S = N × S_per_seller: sellers times sales per standard seller.

    In the growth course's middle stage a centre equips many sellers — grid managers (网格长),
    community group leaders (社区团长), distributors (分销员), streamers and KOCs — and sales grow with
    their number N and with what a standard seller sells (the pyramid/fractal model of seed 003).
    Here N counts the distinct sellers with at least one order in the period and S_per_seller is the
    mean sales of those sellers, so ``seller_sales = sellers × sales_per_seller`` holds by
    definition; orders without a seller (self-serve, ``seller_col`` missing) are reported apart so that
    ``sales = seller_sales + self_serve_sales``.

    Parameters
    ----------
    orders : pandas, Polars, DuckDB or PySpark data frame
        One row per paid order, with ``seller_col`` (missing for orders no seller brought).
    period : {"D", "W", "M"}, optional
        Per calendar day, Monday week or month; ``None``: one row for all orders.
    users : frame, optional
        Users table, when a ``by`` column is a user attribute.
    by : str or list of str, optional
        Extra breakdown columns (of ``orders`` or ``users``).
    user_col, time_col, amount_col, seller_col : str
        Columns of ``orders``.
    engine : {"auto", "pandas", "duckdb", "polars"}
        For pandas input only: where the work runs.

    Returns
    -------
    frame of the input's kind, one row per period (and ``by`` group):

    - ``period`` (only with ``period=``) and the ``by`` columns;
    - ``sellers``: N, distinct sellers with an order (分销员/导购人数);
    - ``sales_per_seller``: mean sales per active seller (人均业绩, yuan);
    - ``seller_sales``: sales brought by sellers (= N × sales_per_seller);
    - ``self_serve_sales``: sales of orders without a seller;
    - ``sales``: total sales S;
    - ``seller_share``: ``seller_sales / sales``.

    Examples
    --------
    >>> import pandas as pd
    >>> from opsplaybook import fractal_growth
    >>> orders = pd.DataFrame({"user_id": [1, 2, 3, 4, 5],
    ...     "ts": pd.to_datetime(["2025-03-01", "2025-03-02", "2025-03-02", "2025-03-05", "2025-03-09"]),
    ...     "amount": [100.0, 60.0, 40.0, 200.0, 50.0],
    ...     "seller_id": [7, 7, 8, 9, None]})
    >>> fractal_growth(orders)[["sellers", "sales_per_seller", "seller_sales", "self_serve_sales", "sales"]]
       sellers  sales_per_seller  seller_sales  self_serve_sales  sales
    0        3        133.333333         400.0              50.0  450.0
    """
    freq = check_period(period) if period is not None else None
    by_cols = as_list(by)
    lfs, back = lazy_tables({"orders": orders, "users": users}, engine=engine)
    od, us = lfs["orders"], lfs["users"]
    require_columns(od, user_col=user_col, time_col=time_col, amount_col=amount_col, seller_col=seller_col)
    od = _resolve_columns(od, us, {f"by[{i}]": b for i, b in enumerate(by_cols)}, user_col=user_col)
    od = prepare_amount(prepare_time(od, time_col), amount_col)
    od = od.filter(~nw.col(time_col).is_null()).with_columns(_cents(amount_col).alias("_cents"))
    if freq:
        od = od.with_columns(period_start(nw.col(time_col), freq).alias("period"))
    keys = (["period"] if freq else []) + by_cols
    od = od.with_columns(
        nw.when(nw.col(seller_col).is_null()).then(nw.col("_cents")).otherwise(nw.lit(0, nw.Int64)).alias("_self"),
        nw.when(nw.col(seller_col).is_null()).then(nw.lit(0, nw.Int64)).otherwise(nw.col("_cents")).alias("_seller"),
    )
    agg = od.select(
        *keys, seller_col, "_cents", "_self", "_seller", nw.col(seller_col).is_null().cast(nw.Int64).alias("_snull")
    )
    sums = (nw.col("_cents").sum(), nw.col("_self").sum(), nw.col("_seller").sum(),
            nw.col(seller_col).n_unique().alias("_n"), nw.col("_snull").max())
    agg = agg.group_by(*keys).agg(*sums) if keys else agg.select(*sums)
    res = agg.collect().to_pandas()
    # n_unique counts a missing seller as one value on some engines: count real sellers only
    res["sellers"] = (res["_n"] - res["_snull"]).astype("int64")
    for c in ("_cents", "_self", "_seller"):
        res[c] = res[c].fillna(0).astype("int64")
    res["seller_sales"] = res["_seller"] / 100
    res["self_serve_sales"] = res["_self"] / 100
    res["sales"] = res["_cents"] / 100
    res["sales_per_seller"] = (res["seller_sales"] / res["sellers"].where(res["sellers"] > 0)).astype("float64")
    res["seller_share"] = (res["_seller"] / res["_cents"].where(res["_cents"] != 0)).astype("float64")
    if keys:
        res = res.sort_values(keys, kind="mergesort")
    cols = [*keys, "sellers", "sales_per_seller", "seller_sales", "self_serve_sales", "sales", "seller_share"]
    return back(res[cols].reset_index(drop=True))


# ------------------------------------------------------------------------------------ KPI tree
#: the nodes of :func:`kpi_tree`: (node, parent, formula); each parent is the product of its children
#: (the formula's text in each language: catalog key ``kpi_tree.formula.<node>``)
KPI_TREE = (
    ("gmv", None, "buyers × P"),
    ("buyers", "gmv", "UV × CVR"),
    ("uv", "buyers", ""),
    ("cvr", "buyers", ""),
    ("p", "gmv", "orders/buyer × AOV"),
    ("orders_per_buyer", "p", ""),
    ("aov", "p", ""),
)
_TREE_KIND = {"gmv": "yuan", "buyers": "number", "uv": "number", "cvr": "percent", "p": "yuan",
              "orders_per_buyer": "number", "aov": "yuan"}


def _tree_label(node: str, lang: str) -> str:
    return label(f"kpi_tree.node.{node}", lang)


def kpi_tree(
    kpis,
    *,
    period=None,
    base=None,
    lang: str | None = None,
    period_col: str = "period",
    uv_col: str = "uv",
    buyers_col: str = "buyers",
    orders_col: str = "orders",
    gmv_col: str = "gmv",
):
    """The KPI tree (指标树) of sales for one period, against a base period.

    The tree writes sales as a product of levers, each owned by a team (北极星指标拆解); it is the
    funnel model S = UV × CVR × P with the buyers (a shop's usual North Star metric, 北极星指标)
    and the revenue per buyer split one level further::

        GMV = buyers × P                      (销售额 = 购买人数 × 客单价)
              buyers = UV × CVR               (购买人数 = 访客数 × 转化率)
              P = orders per buyer × AOV      (客单价 = 人均订单数 × 笔单价)

    with CVR = buyers / UV, P = GMV / buyers, orders per buyer = orders / buyers and AOV (average
    order value, 笔单价) = GMV / orders, so every parent equals the product of its children exactly.

    Parameters
    ----------
    kpis : frame
        Output of :func:`~opsplaybook.analytics.kpis` (or any frame with the period, UV, buyers,
        orders and GMV columns).
    period : date-like, optional
        The period to show; default the last one.
    base : date-like, optional
        The period to compare with; default the one before ``period`` (none for the first period).
    lang : {"zh", "en"}, optional
        Language of the ``label`` column.
    period_col, uv_col, buyers_col, orders_col, gmv_col : str
        Column names in ``kpis``.

    Returns
    -------
    pandas.DataFrame, one row per node (root first): ``node``, ``parent`` (None for the root),
    ``label``, ``formula``, ``kind`` ("yuan", "number" or "percent", for formatting), ``value``,
    ``base`` (missing without a base period) and ``change`` (``value / base − 1``), and the two
    periods ``period`` and ``base_period``.

    Examples
    --------
    >>> import pandas as pd
    >>> from opsplaybook import kpi_tree
    >>> k = pd.DataFrame({"period": pd.to_datetime(["2025-01-01", "2025-02-01"]),
    ...     "uv": [1000, 1200], "buyers": [50, 54], "orders": [60, 81], "gmv": [5000.0, 5940.0]})
    >>> kpi_tree(k, lang="en")[["node", "value", "base", "change"]].round(3)
                   node     value      base  change
    0               gmv  5940.000  5000.000   0.188
    1            buyers    54.000    50.000   0.080
    2                uv  1200.000  1000.000   0.200
    3               cvr     0.045     0.050  -0.100
    4                 p   110.000   100.000   0.100
    5  orders_per_buyer     1.500     1.200   0.250
    6               aov    73.333    83.333  -0.120
    """
    from ._common import parse_timestamp

    lang = check_lang(lang or get_lang())
    lf, _ = to_lazy(kpis, param="kpis")
    require_columns(lf, period_col=period_col, uv_col=uv_col, buyers_col=buyers_col,
                    orders_col=orders_col, gmv_col=gmv_col)
    df = lf.select(period_col, uv_col, buyers_col, orders_col, gmv_col).collect().to_pandas()
    df[period_col] = pd.to_datetime(df[period_col])
    df = df.sort_values(period_col).reset_index(drop=True)
    if df.empty:
        raise InvalidParameterError("`kpis` has no rows; compute it first, e.g. ops.kpis(events, orders, freq='M').")
    periods = list(df[period_col])
    shown = [str(p.date()) for p in periods[:12]]

    def find(value, param):
        ts = pd.Timestamp(parse_timestamp(value, param=param))
        if ts not in set(periods):
            raise InvalidParameterError(
                f"`{param}`={value!r} is not a period in `kpis` (column {period_col!r}). "
                f"Available: {shown}{' …' if len(periods) > 12 else ''}."
            )
        return periods.index(ts)

    i = len(periods) - 1 if period is None else find(period, "period")
    j = (i - 1 if i > 0 else None) if base is None else find(base, "base")

    def values(row) -> dict[str, float]:
        uv, buyers, orders, gmv = (float(row[c]) for c in (uv_col, buyers_col, orders_col, gmv_col))
        nan = float("nan")
        return {
            "gmv": gmv, "buyers": buyers, "uv": uv,
            "cvr": buyers / uv if uv else nan,
            "p": gmv / buyers if buyers else nan,
            "orders_per_buyer": orders / buyers if buyers else nan,
            "aov": gmv / orders if orders else nan,
        }

    now = values(df.iloc[i])
    before = values(df.iloc[j]) if j is not None else {k: float("nan") for k in now}
    rows = []
    for node, parent, formula in KPI_TREE:
        v, b = now[node], before[node]
        rows.append({
            "node": node, "parent": parent, "label": _tree_label(node, lang),
            "formula": label(f"kpi_tree.formula.{node}", lang) if formula else "",
            "kind": _TREE_KIND[node], "value": v, "base": b,
            "change": v / b - 1 if b == b and b != 0 and v == v else float("nan"),
            "period": periods[i], "base_period": periods[j] if j is not None else pd.NaT,
        })
    return pd.DataFrame(rows)


# ------------------------------------------------------------------------ changes between periods
def growth_change(
    decomposition,
    base,
    compare,
    *,
    period_col: str = "period",
    part_col: str = "part",
    sales_col: str = "sales",
):
    """Which parts of an additive growth formula moved sales between two periods (环比拆解).

    For S = S₁ + … + Sₙ the change splits without any interaction term: ΔS = ΔS₁ + … + ΔSₙ. This
    takes the output of :func:`growth_decomposition` (with ``period=``) and lines the two periods
    up part by part (a part missing in one period counts 0 there).

    Parameters
    ----------
    decomposition : frame
        Output of :func:`growth_decomposition` with a ``period`` column (or any frame with the
        period, part and sales columns).
    base, compare : date-like
        The two periods, as in the period column (e.g. ``"2025-10-01"`` for October with ``period="M"``).
    period_col, part_col, sales_col : str
        Column names in ``decomposition``.

    Returns
    -------
    pandas.DataFrame, one row per part: ``part``, ``base``, ``compare`` (sales in each period),
    ``change`` (``compare − base``, yuan, exact to the cent) and ``share`` (its part of the total
    change; missing when the total did not change). Sorted by ``change``, largest rise first.

    Examples
    --------
    >>> import pandas as pd
    >>> from opsplaybook import growth_change
    >>> d = pd.DataFrame({"period": pd.to_datetime(["2025-10-01", "2025-10-01", "2025-11-01", "2025-11-01"]),
    ...                   "part": ["抖音", "自然流量", "抖音", "自然流量"], "sales": [100.0, 300.0, 250.0, 250.0]})
    >>> growth_change(d, "2025-10-01", "2025-11-01")
       part   base  compare  change  share
    0    抖音  100.0    250.0   150.0    1.5
    1  自然流量  300.0    250.0   -50.0   -0.5
    """
    from ._common import parse_timestamp

    lf, _ = to_lazy(decomposition, param="decomposition")
    require_columns(lf, period_col=period_col, part_col=part_col, sales_col=sales_col)
    df = lf.select(period_col, part_col, sales_col).collect().to_pandas()
    df[period_col] = pd.to_datetime(df[period_col])
    periods = sorted(set(df[period_col]))
    picked = []
    for param, value in (("base", base), ("compare", compare)):
        ts = pd.Timestamp(parse_timestamp(value, param=param))
        if ts not in set(periods):
            shown = [str(p.date()) for p in periods[:12]]
            raise InvalidParameterError(
                f"`{param}`={value!r} is not a period in `decomposition` (column {period_col!r}). "
                f"Available: {shown}{' …' if len(periods) > 12 else ''}. "
                "Compute the decomposition with period='M' (or 'W', 'D') first."
            )
        picked.append(ts)
    cents = (df[sales_col].astype("float64") * 100).round().astype("int64")
    df = df.assign(_cents=cents, _part=df[part_col].astype(object).where(df[part_col].notna(), None))
    b = df[df[period_col] == picked[0]].groupby("_part", dropna=False, sort=False)["_cents"].sum()
    c = df[df[period_col] == picked[1]].groupby("_part", dropna=False, sort=False)["_cents"].sum()
    both = pd.concat([b.rename("b"), c.rename("c")], axis=1).fillna(0).astype("int64")
    total = int(both["c"].sum() - both["b"].sum())
    out = pd.DataFrame({
        "part": list(both.index),
        "base": both["b"].to_numpy() / 100,
        "compare": both["c"].to_numpy() / 100,
        "change": (both["c"] - both["b"]).to_numpy() / 100,
    })
    out["share"] = (out["change"] * 100).round() / total if total else float("nan")
    out["_name"] = out["part"].astype("string").fillna("")
    out = out.sort_values(["change", "_name"], ascending=[False, True], kind="mergesort")
    return out.drop(columns="_name").reset_index(drop=True)


def fractal_drivers(fractal, base, compare, *, period_col: str = "period", sellers_col: str = "sellers",
                    seller_sales_col: str = "seller_sales", lang: str | None = None):
    """Split the change of seller sales N × S_per_seller into "more sellers" and "better sellers".

    The two-factor **Shapley** split (the average of changing N first and changing the sales per
    seller first): ``ΔN × (s₀ + s₁) / 2`` and ``Δs × (N₀ + N₁) / 2``; the two parts add up exactly
    to the change of seller sales (computed in exact fractions).

    Parameters
    ----------
    fractal : frame
        Output of :func:`fractal_growth` with ``period=``.
    base, compare : date-like
        The two periods.
    period_col, sellers_col, seller_sales_col : str
        Column names in ``fractal``.
    lang : {"zh", "en"}, optional
        Language of ``factor_label``.

    Returns
    -------
    pandas.DataFrame with two rows (``sellers``, ``sales_per_seller``): ``factor``,
    ``factor_label``, ``base``, ``compare``, ``contribution`` (yuan) and ``share`` of the change.

    Examples
    --------
    >>> import pandas as pd
    >>> from opsplaybook import fractal_drivers
    >>> f = pd.DataFrame({"period": pd.to_datetime(["2025-03-01", "2025-04-01"]),
    ...                   "sellers": [3, 5], "seller_sales": [900.0, 1600.0]})
    >>> fractal_drivers(f, "2025-03-01", "2025-04-01", lang="en")[["factor", "base", "compare", "contribution"]]
                 factor   base  compare  contribution
    0           sellers    3.0      5.0         620.0
    1  sales_per_seller  300.0    320.0          80.0
    """
    from fractions import Fraction

    from ._common import parse_timestamp

    lang = check_lang(lang or get_lang())
    lf, _ = to_lazy(fractal, param="fractal")
    require_columns(lf, period_col=period_col, sellers_col=sellers_col, seller_sales_col=seller_sales_col)
    df = lf.select(period_col, sellers_col, seller_sales_col).collect().to_pandas()
    df[period_col] = pd.to_datetime(df[period_col])
    rows = {}
    for param, value in (("base", base), ("compare", compare)):
        ts = pd.Timestamp(parse_timestamp(value, param=param))
        hit = df[df[period_col] == ts]
        if hit.empty:
            shown = [str(p.date()) for p in sorted(df[period_col])[:12]]
            raise InvalidParameterError(
                f"`{param}`={value!r} is not a period in `fractal` (column {period_col!r}). Available: {shown}."
            )
        n = int(hit[sellers_col].sum())
        cents = Fraction(int(round(float(hit[seller_sales_col].sum()) * 100)), 100)
        rows[param] = (Fraction(n), cents / n if n else Fraction(0))
    (n0, s0), (n1, s1) = rows["base"], rows["compare"]
    parts = [(n1 - n0) * (s0 + s1) / 2, (s1 - s0) * (n0 + n1) / 2]
    change = n1 * s1 - n0 * s0
    assert sum(parts) == change
    keys = ("sellers", "sales_per_seller")
    return pd.DataFrame({
        "factor": list(keys),
        "factor_label": [label(f"growth.col.{k}", lang) for k in keys],
        "base": [float(n0), float(s0)],
        "compare": [float(n1), float(s1)],
        "contribution": [float(p) for p in parts],
        "share": [float(p / change) if change else float("nan") for p in parts],
    })
