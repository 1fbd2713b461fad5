"""The synthetic company: ``generate_world`` (in memory), ``write_world`` (streamed to disk in chunks),
``load_world`` / ``load_demo`` (read a written world back), and the planted ``Truth``."""
from __future__ import annotations

import json
import os
from collections.abc import Iterator
from contextlib import closing
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

import numpy as np
import pandas as pd

from .._files import atomic_dir
from ..errors import InvalidParameterError, check_choice
from . import generator as G
from . import locales as L
from .parallel import imap_chunks
from .personas import PREF_DIMENSIONS

__all__ = ["World", "Truth", "generate_world", "write_world", "load_world", "load_demo", "TABLES"]

TABLES = ("users", "events", "orders", "channels", "survey_kano", "survey_price", "survey_preference",
          "experiment", "points")
FORMATS = ("parquet", "csv")
DEMO_ARGS = dict(n_users=5000, start="2025-01-01", days=365, preset="ecommerce", locale="zh_CN", seed=0)


@dataclass
class Truth:
    """What the generator planted, so every analysis can be checked against it.

    Attributes
    ----------
    users : DataFrame
        Per user: ``persona`` (key), ``aha_count`` (aha events in the first days), ``churn_date``
        (first day on which no new session starts any more; NaT if after the world's end), ``returned`` (came back after
        the reactivation campaign), ``return_date``, ``final_churn_date``.
    personas : DataFrame
        Per persona key: label, share and the behaviour parameters that drove it.
    fraud_channel : str
        The acquisition channel whose sign-ups are fake (bursts, shared devices, no later activity).
    channels : DataFrame
        Per channel: ``channel`` (label), ``key``, ``cpi`` (yuan), ``hazard`` (churn multiplier), ``fraud``.
    ab : dict
        ``lift`` (true absolute lift of conversion among exposed users), ``itt_lift`` (lift × exposure:
        what comparing the two groups as assigned should find), ``exposure``, ``base_rate``.
    aha : dict
        ``event``, ``threshold``, ``days``: users with at least ``threshold`` ``event`` in their first
        ``days`` days churn at ``above`` × the hazard, the others at ``below`` ×.
    kano : dict
        Feature label -> true KANO category (A, O, M, I, R).
    price : dict
        Van Westendorp points of the population (``pmc``, ``pme``, ``opp``, ``ipp``; the acceptable
        range is ``pmc``..``pme``) under the convention in :func:`opsplaybook.world.surveys.van_westendorp_points`.
    preference_weights : DataFrame
        Persona × (function, efficiency, effect, cost, risk) weights used to make ``intent``.
    campaign : dict
        The reactivation campaign's ``name`` and ``date``.
    sellers : DataFrame
        The sellers (分销员/导购) behind ``orders.seller_id``: ``seller_id``, ``weight`` (planted share
        of the users its block of 10 000 users assigns to it; lognormal, so a few sellers sell most)
        and ``users`` (users it serves). Empty for presets without sellers.
    seller_rule : dict
        How orders get a seller: served users are those acquired through ``channels`` and those who
        join the private domain (from then on); ``attach`` of their orders carry the seller.
    """

    preset: str
    locale: str
    seed: int
    start: pd.Timestamp
    days: int
    users: pd.DataFrame = field(repr=False)
    personas: pd.DataFrame = field(repr=False)
    fraud_channel: str = ""
    channels: pd.DataFrame = field(default=None, repr=False)
    ab: dict = field(default_factory=dict)
    aha: dict = field(default_factory=dict)
    kano: dict = field(default_factory=dict)
    price: dict = field(default_factory=dict)
    preference_weights: pd.DataFrame = field(default=None, repr=False)
    campaign: dict = field(default_factory=dict)
    sellers: pd.DataFrame = field(default=None, repr=False)
    seller_rule: dict = field(default_factory=dict)

    @property
    def user_persona(self) -> pd.Series:
        """user_id -> persona key."""
        return self.users.set_index("user_id")["persona"]

    @property
    def lifecycle(self) -> pd.DataFrame:
        """Per user churn and return dates (the lifecycle dynamics the generator planted)."""
        return self.users[["user_id", "persona", "churn_date", "returned", "return_date", "final_churn_date"]]

    @property
    def end(self) -> pd.Timestamp:
        """The first instant after the world (start + days)."""
        return self.start + pd.Timedelta(days=self.days)

    # ---- persistence (truth.json + truth_users.parquet)
    def _meta(self) -> dict:
        return {
            "preset": self.preset, "locale": self.locale, "seed": self.seed, "start": str(self.start.date()),
            "days": self.days, "fraud_channel": self.fraud_channel, "ab": self.ab, "aha": self.aha,
            "kano": self.kano, "price": self.price, "campaign": self.campaign,
            "personas": self.personas.to_dict(orient="records"),
            "channels": self.channels.to_dict(orient="records"),
            "preference_weights": self.preference_weights.reset_index().to_dict(orient="records"),
            "sellers": self.sellers.to_dict(orient="records") if self.sellers is not None else [],
            "seller_rule": self.seller_rule,
        }

    @classmethod
    def _from_meta(cls, meta: dict, users: pd.DataFrame) -> Truth:
        return cls(
            preset=meta["preset"], locale=meta["locale"], seed=meta["seed"], start=pd.Timestamp(meta["start"]),
            days=meta["days"], users=users, personas=pd.DataFrame(meta["personas"]),
            fraud_channel=meta["fraud_channel"], channels=pd.DataFrame(meta["channels"]), ab=meta["ab"],
            aha=meta["aha"], kano=meta["kano"], price=meta["price"],
            preference_weights=pd.DataFrame(meta["preference_weights"]).set_index("persona"),
            campaign=meta["campaign"],
            sellers=_sellers_frame(meta.get("sellers", [])), seller_rule=meta.get("seller_rule", {}),
        )


def _sellers_frame(records) -> pd.DataFrame:
    df = pd.DataFrame(records, columns=["seller_id", "weight", "users"])
    return df.astype({"seller_id": "int64", "weight": "float64", "users": "int64"})


@dataclass
class World:
    """A seeded synthetic company: pandas tables as attributes plus the planted ``truth``.

    Tables (columns documented in ``datasets/README.md``): ``users``, ``events``, ``orders``,
    ``channels``, ``survey_kano``, ``survey_price``, ``survey_preference``, ``experiment``, ``points``.
    """

    users: pd.DataFrame
    events: pd.DataFrame
    orders: pd.DataFrame
    channels: pd.DataFrame
    survey_kano: pd.DataFrame
    survey_price: pd.DataFrame
    survey_preference: pd.DataFrame
    experiment: pd.DataFrame
    points: pd.DataFrame
    truth: Truth

    def tables(self) -> dict[str, pd.DataFrame]:
        """The nine tables by name."""
        return {name: getattr(self, name) for name in TABLES}

    def save(self, out, *, format: str = "parquet", force: bool = False) -> Path:
        """Write the world to a new folder ``out`` (atomically; refuses a folder holding data unless ``force``)."""
        check_choice("format", format, FORMATS)

        def write(tmp: Path) -> None:
            for name, df in self.tables().items():
                _write_table(df, tmp / f"{name}.{format}", format)
            _write_truth(self.truth, tmp)

        return atomic_dir(out, write, force=force)

    def summary(self) -> pd.DataFrame:
        """Rows and columns per table."""
        return pd.DataFrame({"rows": {k: len(v) for k, v in self.tables().items()},
                             "columns": {k: v.shape[1] for k, v in self.tables().items()}})

    def __repr__(self) -> str:
        t = self.truth
        sizes = ", ".join(f"{k}={len(v):,}" for k, v in self.tables().items())
        return f"World(preset={t.preset!r}, locale={t.locale!r}, seed={t.seed}, start={t.start.date()}, days={t.days}; {sizes})"


# ----------------------------------------------------------------------------- generation
MIN_PARALLEL_CHUNKS = 4  # a worker costs ~1 s to start (imports): below this, one process is as fast


def _default_workers(plan: G.Plan) -> int:
    if plan.n_chunks < MIN_PARALLEL_CHUNKS:
        return 1
    return max(1, min(plan.n_chunks, os.cpu_count() or 1, 4))


def _chunks(plan: G.Plan, progress: bool = False, workers: int | None = None) -> Iterator[G.Chunk]:
    """Yield the chunks in order, made by up to ``workers`` worker processes (see :mod:`.parallel`)."""
    workers = _default_workers(plan) if workers is None else max(1, int(workers))
    bar = None
    if progress:
        from tqdm.auto import tqdm

        bar = tqdm(total=plan.n_users, unit="users", desc="generating", leave=True)

    def report(chunk: G.Chunk) -> G.Chunk:
        if bar is not None:
            bar.update(len(chunk.users))
            bar.set_postfix(events=f"{len(chunk.events):,}/chunk")
        return chunk

    try:
        with closing(imap_chunks(G.make_chunk, plan, plan.n_chunks, workers=workers)) as chunks:
            for chunk in chunks:  # closing: an early stop (error while writing) ends the workers at once
                yield report(chunk)
    finally:
        if bar is not None:
            bar.close()


def _truth(plan: G.Plan, truth_users: pd.DataFrame, experiment: pd.DataFrame, sellers: list | None = None) -> Truth:
    cfg, loc = plan.cfg, plan.locale
    from ..labels import label

    lang = "zh" if loc == "zh_CN" else "en"
    personas = pd.DataFrame([
        {"persona": k, "label": label(f"persona.{k}", lang), "share": float(plan.pp["share"][i]),
         **{p: float(plan.pp[p][i]) for p in ("activity", "hazard", "bounce", "browse", "buy", "spend", "deal", "social", "loyalty",
                                               "aha_rate", "return_prob", "price_ref", "ab_base")}}
        for i, k in enumerate(plan.persona_keys)
    ])
    channels = pd.DataFrame([{"channel": L.pick(c["label"], loc), "key": c["key"], "cpi": c["cpi"],
                              "hazard": c["hazard"], "fraud": c["fraud"]} for c in cfg["channels"]])
    ex = cfg["experiment"]
    base = float(plan.pp["ab_base"][[plan.persona_keys.index(p) for p in truth_users.set_index("user_id").loc[
        experiment["user_id"], "persona"]]].mean()) if len(experiment) else float("nan")
    pref = pd.DataFrame(plan.pp["pref"], index=pd.Index(plan.persona_keys, name="persona"), columns=list(PREF_DIMENSIONS))
    price = dict(plan.truth_price)
    price["product"] = L.pick(cfg["price"]["product"], loc)
    return Truth(
        preset=plan.preset, locale=loc, seed=plan.seed, start=plan.start, days=plan.days, users=truth_users,
        personas=personas, fraud_channel=L.pick([c for c in cfg["channels"] if c["fraud"]][0]["label"], loc),
        channels=channels,
        ab={"name": L.pick(ex["name"], loc), "lift": ex["lift"], "itt_lift": ex["lift"] * ex["exposure"],
            "exposure": ex["exposure"], "base_rate": base, "days": ex["days"],
            "window": [str((plan.start + pd.Timedelta(days=d)).date()) for d in plan.exp_window]},
        aha=dict(cfg["aha"]),
        kano={L.pick(f, loc): c for f, c in cfg["kano"]},
        price=price,
        preference_weights=pref,
        campaign={"name": L.pick(cfg["campaign"]["name"], loc),
                  "date": str((plan.start + pd.Timedelta(days=plan.campaign_day)).date())},
        sellers=_sellers_frame([]) if not sellers else pd.concat(sellers, ignore_index=True),
        seller_rule=({"channels": [L.pick(c["label"], loc) for c in cfg["channels"] if c["key"] in cfg["sellers"]["channels"]],
                      "private_domain": True, "attach": cfg["sellers"]["attach"],
                      "per_block": cfg["sellers"]["per_chunk"], "sigma": cfg["sellers"]["sigma"]}
                     if cfg.get("sellers") else {}),
    )


def generate_world(n_users: int = 5000, *, start="2025-01-01", days: int = 365, preset: str = "ecommerce",
                   locale: str = "zh_CN", seed: int = 0, progress: bool = False, workers: int | None = None,
                   end=None) -> World:
    """Make a seeded synthetic company in memory.

    Parameters
    ----------
    n_users : int
        Registered users (> 0). About 5 000 users make ~0.5 M events (seconds); 100 000 users take a
        few seconds more; for millions, stream to disk with :func:`write_world`.
    start : date-like
        First day of the world (default 2025-01-01, so 618 and 双11 fall inside a 365-day world).
    days : int
        Length of the world in days (>= 14).
    end : date-like, optional
        Last day of the world (inclusive); when given it overrides ``days`` and must not be before ``start``.
    preset : {"ecommerce", "short_video"}
        Kind of company (see :mod:`opsplaybook.world.presets`).
    locale : {"zh_CN", "en_US"}
        Language of names, cities, channels and categories.
    seed : int
        Same seed and arguments ⇒ identical tables.
    progress : bool
        Show a progress bar (tqdm).
    workers : int, optional
        Worker processes making chunks of 10 000 users in parallel (default: up to the number of
        CPUs, at most 4, for worlds of 40 000 users or more; 1 = in this process). The workers
        import only this package, never the calling script, so a script needs no
        ``if __name__ == "__main__":`` guard (see :mod:`opsplaybook.world.parallel`). The tables
        do not depend on it.

    Examples
    --------
    >>> import opsplaybook as ops
    >>> world = ops.generate_world(n_users=300, seed=1)
    >>> sorted(world.tables())[:3]
    ['channels', 'events', 'experiment']
    >>> bool((world.orders["amount"] > 0).all())
    True
    """
    plan = G.make_plan(n_users, start=start, days=days, preset=preset, locale=locale, seed=seed, end=end)
    parts: dict[str, list[pd.DataFrame]] = {}
    truth_parts, seller_parts = [], []
    for chunk in _chunks(plan, progress, workers):
        for k, v in chunk.tables().items():
            parts.setdefault(k, []).append(v.to_pandas() if k == "events" else v)
        truth_parts.append(chunk.truth_users)
        if chunk.truth_sellers is not None:
            seller_parts.append(chunk.truth_sellers)
    tables = {k: pd.concat(v, ignore_index=True) if len(v) > 1 else v[0] for k, v in parts.items()}
    truth_users = pd.concat(truth_parts, ignore_index=True) if len(truth_parts) > 1 else truth_parts[0]
    channels = G.channel_table(plan, tables["users"])
    return World(**tables, channels=channels, truth=_truth(plan, truth_users, tables["experiment"], seller_parts))


def write_world(out, *, n_users: int = 5000, start="2025-01-01", days: int = 365, preset: str = "ecommerce",
                locale: str = "zh_CN", seed: int = 0, format: str = "parquet", force: bool = False,
                progress: bool = False, workers: int | None = None, end=None) -> Path:
    """Generate a world chunk by chunk straight into folder ``out`` (bounded memory, any size).

    The rows are those of ``generate_world`` with the same arguments. Files are written to a
    temporary folder beside ``out`` and moved into place only when complete; a folder that already
    holds data is refused unless ``force=True``. CSV files are UTF-8 with a BOM (Excel opens them
    with Chinese intact).
    """
    check_choice("format", format, FORMATS)
    plan = G.make_plan(n_users, start=start, days=days, preset=preset, locale=locale, seed=seed, end=end)

    def write(tmp: Path) -> None:
        writers: dict[str, _TableWriter] = {}
        truth_parts, exp_parts, users_for_channels, seller_parts = [], [], [], []
        try:
            for chunk in _chunks(plan, progress, workers):
                truth_parts.append(chunk.truth_users)
                if chunk.truth_sellers is not None:
                    seller_parts.append(chunk.truth_sellers)
                exp_parts.append(chunk.experiment[["user_id"]])
                users_for_channels.append(chunk.users[["channel", "signup_ts"]])
                for name, df in chunk.tables().items():
                    writers.setdefault(name, _TableWriter(tmp / f"{name}.{format}", format)).write(df)
        finally:
            for w in writers.values():
                w.close()
        channels = G.channel_table(plan, pd.concat(users_for_channels, ignore_index=True))
        _write_table(channels, tmp / f"channels.{format}", format)
        truth_users = pd.concat(truth_parts, ignore_index=True)
        _write_truth(_truth(plan, truth_users, pd.concat(exp_parts, ignore_index=True), seller_parts), tmp)

    return atomic_dir(out, write, force=force)


# ----------------------------------------------------------------------------- reading
def load_world(path) -> World:
    """Read a world written by :func:`write_world` / :meth:`World.save` (Parquet or CSV)."""
    path = Path(path)
    if not (path / "truth.json").exists():
        raise InvalidParameterError(f"`path`={str(path)!r} does not hold a world (no truth.json). "
                                    "Write one with `opsplaybook generate --out DIR`.")
    meta = json.loads((path / "truth.json").read_text(encoding="utf-8"))
    fmt = meta.get("format", "parquet")
    tables = {name: _read_table(path / f"{name}.{fmt}", fmt) for name in TABLES}
    truth_users = pd.read_parquet(path / "truth_users.parquet")
    return World(**tables, truth=Truth._from_meta(meta, truth_users))


def load_demo() -> World:
    """The bundled demo world (5 000 users, seed 0) from ``datasets/demo``, read without regenerating.

    Looked up next to the package (a source checkout) or in ``$OPSPLAYBOOK_DEMO``; if it is missing
    it is generated (same arguments, identical rows) and kept in memory.
    """
    for candidate in _demo_candidates():
        if (candidate / "truth.json").exists():
            return load_world(candidate)
    return generate_world(**DEMO_ARGS)


def _demo_candidates() -> list[Path]:
    out = []
    if os.environ.get("OPSPLAYBOOK_DEMO"):
        out.append(Path(os.environ["OPSPLAYBOOK_DEMO"]))
    pkg = Path(str(resources.files("opsplaybook")))
    out.append(pkg.parent / "datasets" / "demo")
    return out


# ----------------------------------------------------------------------------- files
def _write_table(df: pd.DataFrame, path: Path, fmt: str) -> None:
    w = _TableWriter(path, fmt)
    try:
        w.write(df)
    finally:
        w.close()


class _TableWriter:
    """Append pandas chunks to one Parquet (one schema, row groups per chunk) or CSV file."""

    def __init__(self, path: Path, fmt: str):
        self.path, self.fmt, self._pq, self._schema, self._csv_started = path, fmt, None, None, False

    def write(self, df) -> None:
        """Append ``df``: a pandas DataFrame, or the generator's ``EventColumns`` (kept dictionary-encoded)."""
        if isinstance(df, G.EventColumns):
            if self.fmt == "parquet":
                return self._write_event_columns(df)
            df = df.to_pandas()
        if self.fmt == "parquet":
            import pyarrow as pa
            import pyarrow.parquet as pq

            table = pa.Table.from_pandas(df, preserve_index=False)
            if self._pq is None:
                self._schema = table.schema
                self._pq = pq.ParquetWriter(self.path, self._schema, compression="zstd")
            else:
                table = table.cast(self._schema)
            self._pq.write_table(table)
        else:
            df.to_csv(self.path, mode="a" if self._csv_started else "w", header=not self._csv_started,
                      index=False, encoding="utf-8" if self._csv_started else "utf-8-sig",
                      date_format="%Y-%m-%d %H:%M:%S")
            self._csv_started = True

    def _write_event_columns(self, ec) -> None:
        """Dictionary-encoded text goes to Parquet as is; the file carries pandas' metadata but not the
        Arrow schema, so readers see plain text columns (pandas ``str``, nullable ``Int64``)."""
        import pyarrow as pa
        import pyarrow.parquet as pq

        table = ec.to_arrow()
        if self._pq is None:
            meta = pa.Schema.from_pandas(ec.head(1).to_pandas(), preserve_index=False).metadata
            self._schema = table.schema
            self._pq = pq.ParquetWriter(self.path, self._schema, compression="zstd", store_schema=False)
            self._pq.add_key_value_metadata({b"pandas": meta[b"pandas"]})
        self._pq.write_table(table)

    def close(self) -> None:
        if self._pq is not None:
            self._pq.close()
            self._pq = None


_CSV_DTYPES = {
    "events": {"item_id": "Int64", "position": "Int64"},
    "orders": {"seller_id": "Int64"},
}
_CSV_DATES = {"users": ["signup_ts"], "events": ["ts"], "orders": ["ts"], "channels": ["month"],
              "experiment": ["assigned_ts"], "points": ["ts"]}


def _read_table(path: Path, fmt: str) -> pd.DataFrame:
    if fmt == "parquet":
        return pd.read_parquet(path)
    name = path.stem
    df = pd.read_csv(path, encoding="utf-8-sig", dtype=_CSV_DTYPES.get(name), parse_dates=_CSV_DATES.get(name, []))
    for c in _CSV_DATES.get(name, []):
        df[c] = df[c].astype("datetime64[ns]")
    return df


def _write_truth(truth: Truth, folder: Path) -> None:
    meta = truth._meta()
    meta["format"] = next((p.suffix[1:] for p in folder.iterdir() if p.stem == "users"), "parquet")
    (folder / "truth.json").write_text(json.dumps(meta, ensure_ascii=False, indent=1, default=_json_default),
                                       encoding="utf-8")
    truth.users.to_parquet(folder / "truth_users.parquet", index=False, compression="zstd")


def _json_default(o):
    if isinstance(o, (np.integer,)):
        return int(o)
    if isinstance(o, (np.floating,)):
        return float(o)
    if isinstance(o, (np.bool_,)):
        return bool(o)
    if isinstance(o, pd.Timestamp):
        return str(o)
    raise TypeError(type(o))
