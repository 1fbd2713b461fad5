"""Channel value assessment (渠道价值评估矩阵: volume × quality) and traffic-fraud signals
(流量分析与作弊识别)."""
from __future__ import annotations

import numpy as np
import pandas as pd

from .._frames import as_pandas
from ..errors import DataValidationError, InvalidParameterError, check_choice, check_lang
from ..labels import label
from ._common import require_pandas_columns

__all__ = ["channel_value", "fraud_signals", "QUADRANTS"]

#: Quadrant keys of the channel value matrix (catalog ``models.channel.quadrant.<key>``):
#: (high volume?, high quality?) -> key.
QUADRANTS = {
    (True, True): "star",        # 明星渠道: many users, good users — keep investing
    (False, True): "potential",  # 潜力渠道: good users, few of them — scale up
    (True, False): "traffic",    # 流量渠道: many users, poor users — fix targeting, check fraud
    (False, False): "weak",      # 低效渠道: few and poor — cut or rethink
}


def _to_datetime(df: pd.DataFrame, col: str, param: str) -> pd.Series:
    s = df[col]
    if pd.api.types.is_datetime64_any_dtype(s):
        return s
    try:
        return pd.to_datetime(s)
    except (ValueError, TypeError):
        raise DataValidationError(
            f"Column {col!r} (`{param}`) cannot be read as times; first values: {list(s.head(3))}. "
            "Use ISO times such as '2025-01-31 08:00:00'."
        ) from None


def _split(values: pd.Series, how: str) -> float:
    return float(values.median() if check_choice("split", how, ("median", "mean")) == "median" else values.mean())


def channel_value(
    users,
    channels,
    orders=None,
    events=None,
    *,
    # measures
    quality: str | None = None,
    retention_window: tuple[int, int] = (1, 7),
    split: str = "median",
    lang: str | None = None,
    # columns
    user_col: str = "user_id",
    channel_col: str = "channel",
    signup_col: str = "signup_ts",
    spend_col: str = "spend",
    installs_col: str = "installs",
    time_col: str = "ts",
    amount_col: str = "amount",
) -> pd.DataFrame:
    """Per acquisition channel: volume, cost, quality, revenue and its quadrant in the channel
    value matrix (渠道价值评估矩阵).

    Parameters
    ----------
    users : DataFrame
        One row per user with the sign-up channel and time (the world's ``users``).
    channels : DataFrame
        Spend and installs per channel (and month) (the world's ``channels``); summed per channel.
    orders : DataFrame, optional
        Paid orders (user and amount) for revenue and ROI.
    events : DataFrame, optional
        Behaviour log (user and time) for the retention.
    quality : {"retention", "arpu", "roi"}, optional
        The quality axis of the matrix. Default: ``"retention"`` when ``events`` is given, else
        ``"arpu"`` (revenue per user) when ``orders`` is given.
    retention_window : (int, int)
        Days since sign-up (inclusive) in which a user must be active to count as retained:
        ``(1, 7)`` = within the first week (7日内留存, default), ``(7, 7)`` = on day 7 itself
        (第7日留存), ``(31, 90)`` = still active in months 2–3 (a longer-term quality measure).
    split : {"median", "mean"}
        Where the matrix is cut on each axis, across channels. A channel exactly on the cut counts
        as high.
    lang : {"zh", "en"}, optional
        Language of ``quadrant_label`` (the current language by default).
    user_col, channel_col, signup_col, spend_col, installs_col, time_col, amount_col : str
        Column names (defaults match the synthetic world).

    Returns
    -------
    DataFrame
        One row per channel, sorted by installs (largest first): ``channel``, ``users``
        (registered users in ``users``), ``installs`` (from ``channels``; ``users`` when the
        channel is missing there), ``spend``, ``cac``, and when available ``retention``,
        ``revenue``, ``arpu``, ``roi``; then ``volume`` (= installs), ``quality``,
        ``high_volume``, ``high_quality``, ``quadrant`` (key: star / potential / traffic / weak)
        and ``quadrant_label``.

    Notes
    -----
    - CAC (获客成本) = spend / installs.
    - Retention = share of the channel's users with at least one event on a day in
      ``retention_window`` (day d = the 24 hours starting d × 24 h after sign-up; day 0 holds the
      sign-up itself). Only users whose whole window lies before the last event in ``events`` are
      counted, so late sign-ups do not drag it down.
    - Revenue = total ``amount`` of the channel's users' orders; ARPU = revenue / users;
      ROI (投产比) = revenue / spend (NaN for channels without spend), as in the data
      dictionary.
    - Quadrants: volume high when installs ≥ the cut, quality high when quality ≥ the cut;
      star 明星渠道 (high, high), potential 潜力渠道 (low volume, high quality), traffic 流量渠道
      (high volume, low quality), weak 低效渠道 (low, low).
    """
    lang = None if lang is None else check_lang(lang)
    check_choice("split", split, ("median", "mean"))
    u = as_pandas(users, param="users")
    require_pandas_columns(u, param="users", user_col=user_col, channel_col=channel_col, signup_col=signup_col)
    ch = as_pandas(channels, param="channels")
    require_pandas_columns(ch, param="channels", channel_col=channel_col, spend_col=spend_col,
                           installs_col=installs_col)
    if quality is None:
        quality = "retention" if events is not None else "arpu" if orders is not None else None
    if quality is None:
        raise InvalidParameterError(
            "The quality axis needs `events` (for retention) or `orders` (for ARPU/ROI); pass at "
            "least one, e.g. `channel_value(world.users, world.channels, world.orders, world.events)`."
        )
    check_choice("quality", quality, ("retention", "arpu", "roi"))
    if quality == "retention" and events is None:
        raise InvalidParameterError("`quality='retention'` needs `events`; pass the behaviour log.")
    if quality in ("arpu", "roi") and orders is None:
        raise InvalidParameterError(f"`quality={quality!r}` needs `orders`; pass the orders table.")
    try:
        r_first, r_last = (int(d) for d in retention_window)
    except (TypeError, ValueError):
        raise InvalidParameterError(
            f"`retention_window`={retention_window!r} must be two day numbers, e.g. (1, 7)."
        ) from None
    if not 0 <= r_first <= r_last:
        raise InvalidParameterError(
            f"`retention_window`={retention_window!r} must satisfy 0 <= first <= last, e.g. (1, 7)."
        )

    out = u.groupby(channel_col, sort=False).size().rename("users").to_frame()
    spend = ch.groupby(channel_col, sort=False).agg(
        spend=(spend_col, "sum"), installs=(installs_col, "sum"))
    out = out.join(spend, how="outer")
    out["users"] = out["users"].fillna(0).astype("int64")
    out["installs"] = out["installs"].fillna(out["users"]).astype("int64")
    out["spend"] = out["spend"].fillna(0.0).astype(float)
    with np.errstate(divide="ignore", invalid="ignore"):
        out["cac"] = np.where(out["installs"] > 0, out["spend"] / out["installs"], np.nan)

    if events is not None:
        ev = as_pandas(events, param="events")
        require_pandas_columns(ev, param="events", user_col=user_col, time_col=time_col)
        ts = _to_datetime(ev, time_col, "time_col")
        signup = _to_datetime(u, signup_col, "signup_col")
        last = ts.max()
        window_start, window_end = pd.Timedelta(days=r_first), pd.Timedelta(days=r_last + 1)
        observable = u.loc[signup + window_end <= last, [user_col, channel_col]].copy()
        observable["_signup"] = signup[observable.index]
        e = pd.DataFrame({user_col: ev[user_col].to_numpy(), "_ts": ts.to_numpy()})
        e = e.merge(observable[[user_col, "_signup"]], on=user_col, how="inner")
        age = e["_ts"] - e["_signup"]
        back = e.loc[(age >= window_start) & (age < window_end), user_col].unique()
        observable["_retained"] = observable[user_col].isin(back)
        out["retention"] = observable.groupby(channel_col)["_retained"].mean()

    if orders is not None:
        od = as_pandas(orders, param="orders")
        require_pandas_columns(od, param="orders", user_col=user_col, amount_col=amount_col)
        amount = pd.to_numeric(od[amount_col], errors="coerce")
        if amount.isna().any():
            raise DataValidationError(
                f"Column {amount_col!r} (`amount_col`) has {int(amount.isna().sum())} empty or "
                "non-numeric amounts; clean them before computing revenue."
            )
        chan_of = u.set_index(user_col)[channel_col]
        rev = amount.groupby(od[user_col].map(chan_of)).sum()
        out["revenue"] = rev.reindex(out.index).fillna(0.0).round(2)
        with np.errstate(divide="ignore", invalid="ignore"):
            out["arpu"] = np.where(out["users"] > 0, out["revenue"] / out["users"], np.nan)
            out["roi"] = np.where(out["spend"] > 0, out["revenue"] / out["spend"], np.nan)

    out["volume"] = out["installs"].astype(float)
    out["quality"] = out[quality].astype(float)
    v_cut, q_cut = _split(out["volume"], split), _split(out["quality"].dropna(), split)
    out["high_volume"] = out["volume"] >= v_cut
    out["high_quality"] = out["quality"] >= q_cut
    out["quadrant"] = [QUADRANTS[(bool(v), bool(q))] for v, q in zip(out["high_volume"], out["high_quality"])]
    out["quadrant_label"] = [label(f"models.channel.quadrant.{k}", lang) for k in out["quadrant"]]
    out.index.name = "channel"
    out = out.reset_index().sort_values(["installs", "channel"], ascending=[False, True], kind="stable")
    out.attrs["volume_cut"], out.attrs["quality_cut"], out.attrs["quality"] = v_cut, q_cut, quality
    if quality == "retention":
        out.attrs["retention_window"] = (r_first, r_last)
    return out.reset_index(drop=True)


def fraud_signals(
    users,
    events,
    *,
    # thresholds
    burst_min: int = 10,
    burst_factor: float = 5.0,
    burst_share: float = 0.2,
    shared_device_share: float = 0.1,
    activity_ratio: float = 0.5,
    min_signals: int = 2,
    # columns
    user_col: str = "user_id",
    channel_col: str = "channel",
    signup_col: str = "signup_ts",
    device_col: str = "device_id",
    time_col: str = "ts",
) -> pd.DataFrame:
    """Flag acquisition channels whose sign-ups look fake (流量作弊识别).

    Three signals are measured per channel, each compared with a threshold:

    1. **Bursty sign-ups** (注册突增): ``burst_share`` column = share of the channel's sign-ups made
       on *burst days*, days with at least ``burst_min`` sign-ups and at least ``burst_factor``
       times the channel's average sign-ups per day (its users divided by the days from the
       first to the last sign-up of *all* users). Tripped when ≥ the ``burst_share`` argument.
    2. **Shared devices** (设备重复): ``shared_device_share`` column = share of the channel's users
       whose ``device_id`` is also used by another account (anywhere). Tripped when ≥ the
       ``shared_device_share`` argument.
    3. **No later activity** (注册后不活跃): ``later_activity`` = share of the channel's users with
       any event on a later calendar day than their sign-up. Tripped when below
       ``activity_ratio`` × the median ``later_activity`` of all channels.

    A channel is ``flagged`` when at least ``min_signals`` signals are tripped.

    Parameters
    ----------
    users : DataFrame
        One row per user with channel, sign-up time and device id.
    events : DataFrame
        Behaviour log (user and time).
    burst_min, burst_factor, burst_share, shared_device_share, activity_ratio, min_signals
        Thresholds described above.
    user_col, channel_col, signup_col, device_col, time_col : str
        Column names (defaults match the synthetic world).

    Returns
    -------
    DataFrame
        One row per channel, most suspicious first: ``channel``, ``users``, ``burst_days``,
        ``burst_share``, ``shared_device_share``, ``later_activity``, ``signal_burst``,
        ``signal_shared_device``, ``signal_inactive`` (bools), ``signals`` (how many) and
        ``flagged``.
    """
    u = as_pandas(users, param="users")
    require_pandas_columns(u, param="users", user_col=user_col, channel_col=channel_col,
                           signup_col=signup_col, device_col=device_col)
    ev = as_pandas(events, param="events")
    require_pandas_columns(ev, param="events", user_col=user_col, time_col=time_col)
    for name, value in (("burst_share", burst_share), ("shared_device_share", shared_device_share),
                        ("activity_ratio", activity_ratio)):
        if not 0 <= float(value) <= 1:
            raise InvalidParameterError(f"`{name}`={value!r} must be a share between 0 and 1.")
    if int(min_signals) not in (1, 2, 3):
        raise InvalidParameterError(f"`min_signals`={min_signals!r} must be 1, 2 or 3.")

    signup = _to_datetime(u, signup_col, "signup_col")
    day = signup.dt.normalize()
    span = max(1, int((day.max() - day.min()).days) + 1)  # days covered by all sign-ups
    rows = []
    dev_counts = u[device_col].map(u[device_col].value_counts())
    shared = (dev_counts > 1) & u[device_col].notna()

    ts = _to_datetime(ev, time_col, "time_col")
    first_day_end = pd.Series((day + pd.Timedelta(days=1)).to_numpy(), index=u[user_col].to_numpy())
    later = ev.loc[ts.to_numpy() >= ev[user_col].map(first_day_end).to_numpy(), user_col].unique()
    active_later = u[user_col].isin(later)

    for chan, idx in u.groupby(channel_col, sort=False).groups.items():
        d = day[idx]
        per_day = d.value_counts()
        mean_per_day = len(d) / span
        burst = per_day[(per_day >= burst_min) & (per_day >= burst_factor * mean_per_day)]
        rows.append({
            "channel": chan,
            "users": len(idx),
            "burst_days": int(len(burst)),
            "burst_share": float(burst.sum() / len(d)),
            "shared_device_share": float(shared[idx].mean()),
            "later_activity": float(active_later[idx].mean()),
        })
    out = pd.DataFrame(rows)
    median_activity = float(out["later_activity"].median())
    out["signal_burst"] = out["burst_share"] >= burst_share
    out["signal_shared_device"] = out["shared_device_share"] >= shared_device_share
    out["signal_inactive"] = out["later_activity"] < activity_ratio * median_activity
    out["signals"] = out[["signal_burst", "signal_shared_device", "signal_inactive"]].sum(axis=1).astype("int64")
    out["flagged"] = out["signals"] >= int(min_signals)
    out = out.sort_values(["signals", "shared_device_share", "channel"], ascending=[False, False, True],
                          kind="stable")
    return out.reset_index(drop=True)
