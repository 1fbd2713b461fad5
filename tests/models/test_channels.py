"""Channel value matrix and fraud signals on small frames worked out by hand."""
from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from opsplaybook.errors import ColumnNotFoundError, InvalidParameterError
from opsplaybook.models import channel_value, fraud_signals

T0 = pd.Timestamp("2025-01-01 10:00")
DAY = pd.Timedelta(days=1)


def _tables():
    users = pd.DataFrame({
        "user_id": [1, 2, 3, 4, 5, 6, 7],
        "channel": ["A", "A", "A", "A", "B", "B", "C"],
        "signup_ts": [T0] * 4 + [T0 + DAY] * 2 + [T0 + 2 * DAY],
    })
    channels = pd.DataFrame({
        "channel": ["A", "A", "B", "C"],
        "month": pd.to_datetime(["2025-01-01", "2025-02-01", "2025-01-01", "2025-01-01"]),
        "spend": [100.0, 300.0, 50.0, 0.0],
        "installs": [2, 2, 2, 1],
    })
    ev = [
        (1, T0 + 0.5 * DAY),   # day 0: the sign-up day does not count
        (1, T0 + 2 * DAY),     # retained
        (2, T0 + 8 * DAY),     # day 8: outside days 1..7
        (3, T0 + 7.5 * DAY),   # day 7: retained
        (4, T0 + 30 * DAY),    # much later (also makes every user's window observable)
        (5, T0 + DAY + 0.2 * DAY),  # day 0 of user 5
        (7, T0 + 2 * DAY + 3 * DAY),  # day 3: retained
    ]
    events = pd.DataFrame(ev, columns=["user_id", "ts"])
    orders = pd.DataFrame({"user_id": [1, 1, 5, 7], "amount": [100.0, 50.0, 20.0, 10.0]})
    return users, channels, orders, events


def test_channel_value_by_hand():
    users, channels, orders, events = _tables()
    out = channel_value(users, channels, orders, events, lang="en").set_index("channel")
    assert list(out.index) == ["A", "B", "C"]  # by installs, largest first
    assert out["users"].tolist() == [4, 2, 1]
    assert out["installs"].tolist() == [4, 2, 1]
    assert out["spend"].tolist() == [400.0, 50.0, 0.0]
    assert out["cac"].tolist() == [100.0, 25.0, 0.0]
    assert out["retention"].tolist() == [0.5, 0.0, 1.0]
    assert out["revenue"].tolist() == [150.0, 20.0, 10.0]
    assert out["arpu"].tolist() == [37.5, 10.0, 10.0]
    assert out.loc["A", "roi"] == pytest.approx(0.375) and out.loc["B", "roi"] == pytest.approx(0.4)
    assert math.isnan(out.loc["C", "roi"])  # no spend
    # cuts at the medians: volume 2, quality 0.5 (a channel on the cut counts as high)
    assert out.attrs["volume_cut"] == 2 and out.attrs["quality_cut"] == 0.5
    assert out["quadrant"].tolist() == ["star", "traffic", "potential"]
    assert out["quadrant_label"].tolist() == ["Star channel", "Volume channel (low quality)", "Potential channel"]
    zh = channel_value(users, channels, orders, events, lang="zh")
    assert zh["quadrant_label"].tolist() == ["明星渠道", "流量渠道（质量待提升）", "潜力渠道"]


def test_quality_choice_and_window():
    users, channels, orders, events = _tables()
    out = channel_value(users, channels, orders).set_index("channel")  # no events -> ARPU
    assert out.attrs["quality"] == "arpu" and "retention" not in out
    assert out["quality"].tolist() == [37.5, 10.0, 10.0]
    wider = channel_value(users, channels, events=events, retention_window=(1, 8)).set_index("channel")
    assert wider.loc["A", "retention"] == 0.75  # user 2's day-8 visit now counts
    assert wider.attrs["retention_window"] == (1, 8)
    on_day_7 = channel_value(users, channels, events=events, retention_window=(7, 7)).set_index("channel")
    assert on_day_7["retention"].tolist() == [0.25, 0.0, 0.0]  # only user 3 (day 7.5)
    with pytest.raises(InvalidParameterError, match="retention_window"):
        channel_value(users, channels, events=events, retention_window=(7, 1))
    # a user whose window is not over yet is left out: a sign-up 2 days before the last event
    late = pd.concat([users, pd.DataFrame({"user_id": [8], "channel": ["C"],
                                           "signup_ts": [T0 + 28 * DAY]})], ignore_index=True)
    assert channel_value(late, channels, events=events).set_index("channel").loc["C", "retention"] == 1.0


def test_channel_value_errors():
    users, channels, orders, events = _tables()
    with pytest.raises(InvalidParameterError, match="needs `events`.*or `orders`"):
        channel_value(users, channels)
    with pytest.raises(InvalidParameterError, match="quality"):
        channel_value(users, channels, orders, quality="retention")
    with pytest.raises(ColumnNotFoundError, match="spend_col.*Available"):
        channel_value(users, channels.rename(columns={"spend": "cost"}), orders)


def _fraud_world():
    rng = np.random.default_rng(3)
    start = pd.Timestamp("2025-03-01 09:00")
    rows, ev = [], []
    uid = 0
    # "good": 30 users, one a day, each back two days later
    for d in range(30):
        uid += 1
        rows.append((uid, "good", start + d * DAY, f"g{uid:04d}"))
        ev.append((uid, start + (d + 2) * DAY))
    # "ok": 20 users, every other day, half come back
    for d in range(20):
        uid += 1
        rows.append((uid, "ok", start + d * DAY, f"o{uid:04d}"))
        if d % 2 == 0:
            ev.append((uid, start + (d + 3) * DAY))
    # "fraud": 15 sign-ups within an hour on day 10, 10 of them on 2 devices; 5 spread; 1 comes back
    for i in range(15):
        uid += 1
        dev = f"shared{i % 2}" if i < 10 else f"f{uid:04d}"
        rows.append((uid, "fraud", start + 10 * DAY + pd.Timedelta(minutes=int(rng.integers(0, 60))), dev))
    for d in (1, 5, 15, 20, 25):
        uid += 1
        rows.append((uid, "fraud", start + d * DAY, f"f{uid:04d}"))
    ev.append((uid, start + 29 * DAY))
    users = pd.DataFrame(rows, columns=["user_id", "channel", "signup_ts", "device_id"])
    events = pd.DataFrame(ev, columns=["user_id", "ts"])
    return users, events


def test_fraud_signals_by_hand():
    users, events = _fraud_world()
    out = fraud_signals(users, events).set_index("channel")
    assert out.index[0] == "fraud"
    f = out.loc["fraud"]
    assert f["users"] == 20 and f["burst_days"] == 1
    assert f["burst_share"] == pytest.approx(15 / 20)
    assert f["shared_device_share"] == pytest.approx(10 / 20)
    assert f["later_activity"] == pytest.approx(1 / 20)
    assert f["signals"] == 3 and bool(f["flagged"])
    assert out.loc["good", "later_activity"] == 1.0 and out.loc["ok", "later_activity"] == 0.5
    assert out.loc["good", "signals"] == 0 and out.loc["ok", "signals"] == 0
    assert out["flagged"].tolist() == [True, False, False]


def test_fraud_thresholds():
    users, events = _fraud_world()
    # with a larger burst threshold only two signals remain; requiring all three un-flags it
    out = fraud_signals(users, events, burst_min=20, min_signals=3).set_index("channel")
    assert not out.loc["fraud", "signal_burst"] and not out.loc["fraud", "flagged"]
    with pytest.raises(InvalidParameterError, match="min_signals"):
        fraud_signals(users, events, min_signals=4)
    with pytest.raises(ColumnNotFoundError, match="device_col"):
        fraud_signals(users.drop(columns="device_id"), events)


# ------------------------------------------------------------------ planted truth
def test_fraud_channel_flagged_in_world(small_world):
    out = fraud_signals(small_world.users, small_world.events)
    assert out.loc[out["flagged"], "channel"].tolist() == [small_world.truth.fraud_channel]
    row = out.iloc[0]
    assert row["channel"] == small_world.truth.fraud_channel and row["signals"] == 3


def test_channel_value_matches_planted_costs_and_quality(small_world):
    w = small_world
    out = channel_value(w.users, w.channels, w.orders, w.events).set_index("channel")
    truth = w.truth.channels.set_index("channel")
    assert set(out.index) == set(truth.index)
    # CAC recovers the planted cost per install
    assert out["cac"].to_numpy() == pytest.approx(truth.loc[out.index, "cpi"].to_numpy(), rel=0.1, abs=0.5)
    fraud = w.truth.fraud_channel
    assert out.loc[fraud, "retention"] < 0.1 < out.drop(index=fraud)["retention"].min()
    assert out.loc[fraud, "revenue"] == 0 and not out.loc[fraud, "high_quality"]
    # longer-term activity ranks honest channels by their planted churn hazard
    long = channel_value(w.users, w.channels, events=w.events, retention_window=(31, 90))
    long = long.set_index("channel").drop(index=fraud)
    corr = long["retention"].corr(-truth.loc[long.index, "hazard"], method="spearman")
    assert corr > 0.5
