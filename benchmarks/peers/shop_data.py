"""The peers' real-data sets, replicated to a size, built the same way by both sides of bench_peers.

Imports only NumPy and pandas (it runs in the kit's environment and in the peers' one):

* ``ecom``: retentioneering's bundled e-commerce clickstream (``datasets/ecom.csv.gz``, 31 k events
  of 600 users; 5.2.4 ships it instead of the older ``simple_shop``), replicated: copy *k* of every
  user is a new user ``<id>#k`` whose events keep their times and order;
* ``cdnow``: lifetimes' CDNOW master file (69 659 real transactions of 23 570 buyers, 1997-98),
  replicated the same way for the large run.
"""
from __future__ import annotations

import pathlib

import numpy as np
import pandas as pd

FUNNEL_STEPS = ["catalog", "product_view", "add_to_cart", "payment_details", "purchase"]


def ecom_file(site_packages: pathlib.Path) -> pathlib.Path:
    return site_packages / "retentioneering" / "datasets" / "ecom.csv.gz"


def cdnow_file(site_packages: pathlib.Path) -> pathlib.Path:
    return site_packages / "lifetimes" / "datasets" / "CDNOW_master.txt"


def replicate(df: pd.DataFrame, user_col: str, n_rows: int) -> pd.DataFrame:
    """``df`` copied until it has ``n_rows`` rows (the last copy cut), users renamed per copy."""
    k = int(np.ceil(n_rows / len(df)))
    parts = []
    users = df[user_col].astype(str)
    for i in range(k):
        part = df.copy()
        part[user_col] = users + f"#{i}" if i else users
        parts.append(part)
    out = pd.concat(parts, ignore_index=True).iloc[:n_rows]
    return out.reset_index(drop=True)


def load_ecom(site_packages: pathlib.Path, n_events: int) -> pd.DataFrame:
    """user_id (str), ts (datetime64[us]), event (str): the clickstream replicated to ``n_events``."""
    raw = pd.read_csv(ecom_file(site_packages), usecols=["user_id", "event", "timestamp"])
    raw = raw.rename(columns={"timestamp": "ts"})
    raw["ts"] = pd.to_datetime(raw["ts"]).astype("datetime64[us]")
    raw = raw.sort_values(["user_id", "ts"], kind="stable").reset_index(drop=True)
    return replicate(raw[["user_id", "ts", "event"]], "user_id", n_events)


def load_cdnow(site_packages: pathlib.Path, n_rows: int | None = None) -> pd.DataFrame:
    """user_id (str), ts (datetime64[us]), amount (float): CDNOW transactions (replicated to ``n_rows``)."""
    raw = pd.read_csv(cdnow_file(site_packages), sep=r"\s+", header=None, skiprows=1,
                      names=["user_id", "date", "cds", "amount"], dtype={"user_id": str, "date": str})
    out = pd.DataFrame({"user_id": raw["user_id"], "ts": pd.to_datetime(raw["date"], format="%Y%m%d").astype("datetime64[us]"),
                        "amount": raw["amount"].astype(float)})
    return replicate(out, "user_id", n_rows) if n_rows else out
