"""The one engine behind every preset: Faker supplies realism (name pools), NumPy supplies volume.

Users are made in fixed-size chunks, each with its own seeded ``numpy.random.Generator`` spawned from
one ``SeedSequence(seed)``; world-level draws (promotion calendar, fraud bursts, truth) come from one
more child of the same sequence. The in-memory world and the streamed world are therefore the same
rows: ``generate_world`` concatenates the chunks that ``iter_chunks`` yields.

Nothing here knows about analytics; planted truth is returned beside the tables it shaped.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pyarrow as pa

from ..errors import InvalidParameterError, check_choice
from . import locales as L
from .personas import PERSONAS, PREF_DIMENSIONS
from .presets import PRESETS

CHUNK_USERS = 10_000  # part of the world's definition: changing it changes the rows of a seed
# id ranges per chunk (far above what a chunk of CHUNK_USERS can use), so chunks are independent
SESSION_STRIDE = 100_000_000
ORDER_BASE = 1_000_000_000
ORDER_STRIDE = 10_000_000
RESPONDENT_STRIDE = 1_000_000
SECONDS_PER_DAY = 86_400
SURVEY_RESPONDENTS = 600  # target number of survey respondents in a world

# Share of sessions starting in each hour: a day profile (lunch and evening peaks) and a night-owl
# profile (22:00–02:00). Sources: typical mobile-commerce traffic curves (QuestMobile reports).
_DAY_HOURS = np.array([1, 0.5, 0.3, 0.2, 0.2, 0.4, 1, 2, 3, 3.5, 4, 4.5, 6, 5, 4, 4, 4.5, 5, 6, 7, 8.5, 9, 7.5, 3.5])
_NIGHT_HOURS = np.array([6, 4, 2, 1, 0.5, 0.3, 0.3, 0.5, 1, 1, 1, 1, 2, 2, 1.5, 1.5, 1.5, 2, 3, 4, 6, 8, 10, 9])


# --------------------------------------------------------------------------- plan
@dataclass
class Plan:
    """Everything decided once per world (not per chunk)."""

    n_users: int
    start: pd.Timestamp
    days: int
    preset: str
    locale: str
    seed: int
    cfg: dict
    persona_keys: list[str]
    pp: dict[str, np.ndarray]  # persona parameter -> array over personas
    channel_p: np.ndarray  # personas x channels, rows sum to 1
    signup_w: np.ndarray  # per day, sums to 1
    activity_w: np.ndarray  # per day, mean 1
    promo_mult: np.ndarray  # per day, >= 1
    burst_days: np.ndarray
    burst_hours: np.ndarray
    campaign_day: int
    exp_window: tuple[int, int]
    name_pools: dict = field(repr=False, default_factory=dict)
    tables: dict = field(repr=False, default_factory=dict)  # lookup tables for vectorised draws
    truth_price: dict = field(default_factory=dict)

    @property
    def n_chunks(self) -> int:
        return max(1, math.ceil(self.n_users / CHUNK_USERS))

    def chunk_rng(self, i: int) -> np.random.Generator:
        return np.random.default_rng(np.random.SeedSequence(self.seed, spawn_key=(1, i)))


def _promo_calendar(dates: pd.DatetimeIndex) -> np.ndarray:
    """Multiplier per day for the big promotions: 618 (ramp from 1 June), 双11 (from 20 Oct), 双12."""
    mult = np.ones(len(dates))
    for month, day, ramp, peak in ((6, 18, 18, 2.2), (11, 11, 22, 3.0), (12, 12, 5, 1.6)):
        for year in sorted(set(dates.year)):
            peak_day = pd.Timestamp(year=year, month=month, day=day)
            delta = np.asarray((peak_day - dates).days)
            inside = (delta >= 0) & (delta <= ramp)
            mult[inside] = np.maximum(mult[inside], 1 + (peak - 1) * (1 - delta[inside] / (ramp + 1)) ** 2)
    return mult


def _parse_day(value, name: str) -> pd.Timestamp:
    try:
        ts = pd.Timestamp(value)
    except (ValueError, TypeError):
        ts = pd.NaT
    if ts is pd.NaT:
        raise InvalidParameterError(f"`{name}`={value!r} is not a date: use e.g. {name}='2025-01-01'.")
    return (ts.tz_localize(None) if ts.tz is not None else ts).normalize()


def make_plan(n_users: int, *, start, days: int, preset: str, locale: str, seed: int, end=None) -> Plan:
    """Validate the arguments and make the world-level draws. ``end`` (inclusive) overrides ``days``."""
    if isinstance(n_users, bool) or not isinstance(n_users, (int, np.integer)) or n_users <= 0:
        raise InvalidParameterError(f"`n_users`={n_users!r} is not allowed: give a whole number of users above 0, e.g. n_users=5000.")
    start_ts = _parse_day(start, "start")
    if end is not None:
        end_ts = _parse_day(end, "end")
        if end_ts < start_ts:
            raise InvalidParameterError(f"`start`={start!r} is after `end`={end!r}: the world must start before it ends.")
        days = int((end_ts - start_ts).days) + 1
        if days < 14:
            raise InvalidParameterError(f"`start`={start!r} to `end`={end!r} is {days} days: the world needs at least 14.")
    if isinstance(days, bool) or not isinstance(days, (int, np.integer)) or days < 14:
        raise InvalidParameterError(f"`days`={days!r} is not allowed: the world needs at least 14 days (e.g. days=365).")
    check_choice("preset", preset, list(PRESETS))
    check_choice("locale", locale, list(L.LOCALES))
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise InvalidParameterError(f"`seed`={seed!r} is not allowed: give a whole number >= 0.")
    cfg = PRESETS[preset]
    rng = np.random.default_rng(np.random.SeedSequence(int(seed), spawn_key=(0,)))

    persona_keys = list(PERSONAS)
    pp = {k: np.array([PERSONAS[p][k] for p in persona_keys], dtype=float)
          for k in PERSONAS[persona_keys[0]] if k not in ("age", "tiers", "platforms", "pref")}
    pp["age_mean"] = np.array([PERSONAS[p]["age"][0] for p in persona_keys], float)
    pp["age_sd"] = np.array([PERSONAS[p]["age"][1] for p in persona_keys], float)
    pp["tiers"] = np.array([PERSONAS[p]["tiers"] for p in persona_keys], float)
    pp["platforms"] = np.array([PERSONAS[p]["platforms"] for p in persona_keys], float)
    pp["pref"] = np.array([PERSONAS[p]["pref"] for p in persona_keys], float)
    pp["share"] = pp["share"] / pp["share"].sum()

    chans = cfg["channels"]
    channel_p = np.array([[c["weights"].get(p, 0.0) for c in chans] for p in persona_keys], float)
    channel_p = channel_p / channel_p.sum(axis=1, keepdims=True)

    dates = pd.date_range(start_ts, periods=int(days), freq="D")
    weekend = np.asarray(dates.day_of_week >= 5)
    promo = _promo_calendar(dates)
    trend = 1 + 0.8 * np.arange(days) / days  # a growing company
    signup_w = trend * np.where(weekend, 1.15, 1.0) * (1 + 0.5 * (promo - 1))
    signup_w = signup_w / signup_w.sum()
    activity_w = np.where(weekend, 1.2, 1.0) * (1 + 0.45 * (promo - 1))
    activity_w = activity_w / activity_w.mean()

    # The fraudulent channel signs up its fake accounts in a few bursts, each within about an hour.
    n_bursts = 3 if days >= 60 else 1
    lo, hi = (7, days - 7) if days - 14 >= n_bursts else (1, days - 1)  # a 14-day world: any day but the ends
    burst_days = np.sort(rng.choice(np.arange(lo, hi), size=n_bursts, replace=False))
    burst_hours = rng.integers(1, 5, size=n_bursts)  # small hours of the night
    campaign_day = int(cfg["campaign"]["at"] * days)
    w0, w1 = cfg["experiment"]["window"]
    plan = Plan(
        n_users=int(n_users), start=start_ts, days=int(days), preset=preset, locale=locale, seed=int(seed), cfg=cfg,
        persona_keys=persona_keys, pp=pp, channel_p=channel_p, signup_w=signup_w, activity_w=activity_w,
        promo_mult=promo, burst_days=burst_days, burst_hours=burst_hours, campaign_day=campaign_day,
        exp_window=(int(w0 * days), int(w1 * days)),
    )
    plan.name_pools = _name_pools(locale)
    plan.tables = _lookup_tables(plan)
    plan.truth_price = _price_truth(plan, np.random.default_rng(np.random.SeedSequence(int(seed), spawn_key=(2,))))
    return plan


# --------------------------------------------------------------------------- helpers
def _name_pools(locale: str) -> dict:
    """Surname and given-name pools drawn once from Faker's locale providers (data, not calls)."""
    if locale == "zh_CN":
        from faker.providers.person.zh_CN import Provider
    else:
        from faker.providers.person.en_US import Provider

    def pool(names):
        if isinstance(names, dict):
            return list(names), np.array(list(names.values()), float)
        return list(names), np.ones(len(names))

    last, last_w = pool(Provider.last_names)
    female, female_w = pool(Provider.first_names_female)
    male, male_w = pool(Provider.first_names_male)
    single_f = [x for x in female if len(x) == 1]
    single_m = [x for x in male if len(x) == 1]
    return {
        "last": last, "last_p": last_w / last_w.sum(), "last_a": pa.array(last, pa.string()),
        "female": female, "female_p": female_w / female_w.sum(),
        "male": male, "male_p": male_w / male_w.sum(),
        "first_a": pa.array(female + male, pa.string()),  # female names first, then male
        "first_single": np.array([len(x) == 1 for x in female + male]),
        "single_a": pa.array((single_f + single_m) or [""], pa.string()),
        "n_single_f": max(len(single_f), 1), "n_single_m": max(len(single_m), 1),
    }


def _lookup_tables(plan: Plan) -> dict:
    """Alias tables for every categorical draw of a user (city given tier, occupation given age …),
    the city names, and the shared device pool of the fraudulent channel."""
    loc = plan.locale
    names, tier_of, weight = [], [], []
    for t, key in enumerate(L.CITY_TIERS):
        for zh, en, w in L.CITY_TIERS[key]["cities"]:
            names.append(L.pick((zh, en), loc))
            tier_of.append(t)
            weight.append(w)
    tier_of, weight = np.array(tier_of), np.array(weight, float)
    city_p = (tier_of[None, :] == np.arange(len(L.CITY_TIERS))[:, None]) * weight[None, :]
    occ_base = np.array([3, 6, 3, 2, 1.5, 1.2, 2, 1.5, 3, 1, 2.5])[: len(L.OCCUPATIONS)]
    eligible = np.array([[lo <= a <= hi for (_, _, _, (lo, hi)) in L.OCCUPATIONS] for a in range(0, 71)])
    dev = np.random.default_rng(np.random.SeedSequence(plan.seed, spawn_key=(3,))).bytes(8 * 64).hex()
    pools = plan.name_pools
    occ_p = eligible * occ_base  # ages with no eligible occupation (< 16) are never drawn
    alias = {"persona": Alias(plan.pp["share"]), "signup_day": Alias(plan.signup_w), "hour": Alias(_DAY_HOURS),
             "last": Alias(pools["last_p"]), "female": Alias(pools["female_p"]), "male": Alias(pools["male_p"]),
             "channel": GroupAlias(plan.channel_p), "tier": GroupAlias(plan.pp["tiers"]),
             "platform": GroupAlias(plan.pp["platforms"]), "city": GroupAlias(city_p), "occupation": GroupAlias(occ_p)}
    return {"alias": alias, "city_names": names, "fake_devices": np.frombuffer(dev.encode("ascii"), dtype="S16")}


class Alias:
    """Walker's alias table: O(1) draws from a fixed discrete distribution (much faster than
    ``Generator.choice(p=...)``, which rebuilds the CDF and binary-searches on every call)."""

    def __init__(self, p):
        p = np.asarray(p, dtype=float)
        k = len(p)
        scaled = p / p.sum() * k
        prob, alias = np.ones(k), np.arange(k)
        small = [i for i in range(k) if scaled[i] < 1.0]
        large = [i for i in range(k) if scaled[i] >= 1.0]
        while small and large:
            s_i, l_i = small.pop(), large.pop()
            prob[s_i], alias[s_i] = scaled[s_i], l_i
            scaled[l_i] -= 1.0 - scaled[s_i]
            (small if scaled[l_i] < 1.0 else large).append(l_i)
        self.k, self.prob, self.alias = k, prob, alias

    def draw(self, rng: np.random.Generator, n: int) -> np.ndarray:
        i = rng.integers(0, self.k, n)
        return np.where(rng.random(n) < self.prob[i], i, self.alias[i])


class GroupAlias:
    """One alias table per row of a (G, k) probability table: ``draw(rng, group)`` draws row
    ``group[i]``'s distribution for each i, in O(1) per draw."""

    def __init__(self, table):
        rows = [Alias(r) if np.asarray(r).sum() > 0 else Alias(np.ones(len(r))) for r in np.asarray(table, float)]
        self.k = np.asarray(table).shape[1]
        self.prob = np.stack([a.prob for a in rows])
        self.alias = np.stack([a.alias for a in rows])

    def draw(self, rng: np.random.Generator, group: np.ndarray) -> np.ndarray:
        n = len(group)
        i = rng.integers(0, self.k, n)
        return np.where(rng.random(n) < self.prob[group, i], i, self.alias[group, i])


def _str_col(codes: np.ndarray, labels, mask: np.ndarray | None = None) -> pd.Series:
    """Codes into a pandas string column, via Arrow dictionary decoding (fast for millions of rows)."""
    idx = pa.array(np.asarray(codes, dtype=np.int32), mask=mask)
    return pa.array(list(labels), type=pa.large_string()).take(idx).to_pandas()


def _price_truth(plan: Plan, rng: np.random.Generator) -> dict:
    """The population's Van Westendorp points, from a large sample of the respondents' distribution.

    Convention (Van Westendorp 1976, as used by most tools): "too cheap" and "cheap" are cumulated
    downwards (share who find price p too cheap = P(too_cheap >= p)), "expensive" and "too expensive"
    upwards. PMC = "too cheap" x "not cheap" (1 - cheap); PME = "too expensive" x "not expensive"
    (1 - expensive); OPP = "too cheap" x "too expensive"; IPP = "cheap" x "expensive".
    """
    answers = _price_answers(plan, rng, 400_000)
    return van_westendorp_points(*answers)


def van_westendorp_points(too_cheap, cheap, expensive, too_expensive) -> dict:
    """PMC, PME, OPP and IPP (yuan) of four answer arrays, under the convention of ``_price_truth``."""
    arrays = [np.sort(np.asarray(a, float)) for a in (too_cheap, cheap, expensive, too_expensive)]
    lo, hi = min(a[0] for a in arrays), max(a[-1] for a in arrays)
    grid = np.linspace(lo, hi, 4001)
    n = len(arrays[0])
    tc = 1 - np.searchsorted(arrays[0], grid, side="left") / n  # share with too_cheap >= p
    ch = 1 - np.searchsorted(arrays[1], grid, side="left") / n
    ex = np.searchsorted(arrays[2], grid, side="right") / n  # share with expensive <= p
    te = np.searchsorted(arrays[3], grid, side="right") / n

    def cross(a, b):
        d = a - b
        i = int(np.argmax(np.sign(d) != np.sign(d[0])))
        if i == 0:
            return float("nan")
        x0, x1, d0, d1 = grid[i - 1], grid[i], d[i - 1], d[i]
        return float(x0 + (x1 - x0) * d0 / (d0 - d1)) if d0 != d1 else float(x1)

    return {"pmc": cross(tc, 1 - ch), "pme": cross(te, 1 - ex), "opp": cross(tc, te), "ipp": cross(ch, ex)}


def _price_answers(plan: Plan, rng: np.random.Generator, n: int, persona: np.ndarray | None = None):
    if persona is None:
        shares = plan.pp["share"].copy()
        shares[plan.persona_keys.index("fake")] = 0
        persona = rng.choice(len(shares), size=n, p=shares / shares.sum())
    price = plan.cfg["price"]
    ref = price["reference"] * plan.pp["price_ref"][persona] * np.exp(rng.normal(0, price["sigma"], n))
    too_cheap = ref * rng.uniform(0.30, 0.55, n)
    cheap = ref * rng.uniform(0.65, 0.90, n)
    expensive = ref * rng.uniform(1.10, 1.45, n)
    too_expensive = expensive * rng.uniform(1.15, 1.60, n)
    return [np.round(a) for a in (too_cheap, cheap, expensive, too_expensive)]


# KANO evaluation table: rows = functional answer 1..5, columns = dysfunctional answer 1..5.
KANO_TABLE = np.array([
    list("QAAAO"),
    list("RIIIM"),
    list("RIIIM"),
    list("RIIIM"),
    list("RRRRQ"),
])
_KANO_PAIRS = {c: np.argwhere(KANO_TABLE == c) + 1 for c in "AOMIRQ"}


# --------------------------------------------------------------------------- users
def draw_users(plan: Plan, rng: np.random.Generator, n: int) -> dict[str, np.ndarray]:
    """Who the ``n`` users of a chunk are: persona, channel, demographics, sign-up time, name, device.

    Everything is drawn vectorised from pools (Faker's name lists, the locale tables), never row by row.
    """
    import pyarrow.compute as pc

    pp, t = plan.pp, plan.tables
    fake_k = plan.persona_keys.index("fake")
    al = t["alias"]
    persona = al["persona"].draw(rng, n)
    channel = al["channel"].draw(rng, persona)
    is_fake = persona == fake_k
    female = rng.random(n) < pp["female"][persona]
    age = np.clip(np.round(rng.normal(pp["age_mean"][persona], pp["age_sd"][persona])), 16, 70).astype(np.int64)
    tier = al["tier"].draw(rng, persona)
    city = al["city"].draw(rng, tier)
    occupation = al["occupation"].draw(rng, age)
    platform = al["platform"].draw(rng, persona)

    # signup time: promotion- and weekday-weighted days; fake accounts in bursts at night
    signup_day = al["signup_day"].draw(rng, n)
    sec = al["hour"].draw(rng, n) * 3600 + rng.integers(0, 3600, n)
    nf = int(is_fake.sum())
    if nf:
        b = rng.integers(0, len(plan.burst_days), nf)
        signup_day[is_fake] = plan.burst_days[b]
        sec[is_fake] = plan.burst_hours[b] * 3600 + rng.integers(0, 5400, nf)
    signup_sec = signup_day.astype(np.int64) * SECONDS_PER_DAY + sec  # seconds since world start

    # names: surname + given name (zh; a one-character given name gets a second character 70 % of
    # the time, which multiplies the distinct names) or first + last (en), joined by Arrow
    pools = plan.name_pools
    last = pools["last_a"].take(al["last"].draw(rng, n))
    fi = np.where(female, al["female"].draw(rng, n), len(pools["female"]) + al["male"].draw(rng, n))
    first = pools["first_a"].take(fi)
    if plan.locale == "zh_CN":
        si = np.where(female, rng.integers(0, pools["n_single_f"], n),
                      pools["n_single_f"] + rng.integers(0, pools["n_single_m"], n))
        two = (rng.random(n) < 0.7) & pools["first_single"][fi]
        second = pc.if_else(pa.array(two), pools["single_a"].take(si), "")
        name = pc.binary_join_element_wise(last, first, second, "")
    else:
        name = pc.binary_join_element_wise(first, last, " ")

    # device ids: unique per real user, a small shared pool for the fraudulent channel
    device = np.frombuffer(rng.bytes(8 * n).hex().encode("ascii"), dtype="S16").copy()
    if nf:
        size = max(1, min(64, math.ceil(plan.n_users * pp["share"][fake_k] / 6)))
        device[is_fake] = t["fake_devices"][rng.integers(0, size, nf)]

    return dict(persona=persona, channel=channel, is_fake=is_fake, female=female, age=age, tier=tier, city=city,
                occupation=occupation, platform=platform, signup_day=signup_day, signup_sec=signup_sec,
                name=name, device=device)


def users_frame(plan: Plan, d: dict[str, np.ndarray], uid: np.ndarray, level: np.ndarray) -> pd.DataFrame:
    """The ``users`` table of a chunk from :func:`draw_users`' arrays and the membership levels
    (built as one Arrow table, converted to pandas once)."""
    loc, cfg = plan.locale, plan.cfg
    base = np.datetime64(plan.start.to_datetime64(), "s")

    def text(codes, labels):
        return pa.array(list(labels), pa.large_string()).take(pa.array(np.asarray(codes, np.int32)))

    table = pa.table({
        "user_id": pa.array(uid),
        "name": d["name"].cast(pa.large_string()),
        "gender": text(np.where(d["female"], 0, 1), [L.pick(L.GENDERS["female"], loc), L.pick(L.GENDERS["male"], loc)]),
        "age": pa.array(d["age"]),
        "city": text(d["city"], plan.tables["city_names"]),
        "city_tier": text(d["tier"], [L.pick(L.CITY_TIERS[k]["label"], loc) for k in L.CITY_TIERS]),
        "occupation": text(d["occupation"], [L.pick((zh, en), loc) for _, zh, en, _ in L.OCCUPATIONS]),
        "channel": text(d["channel"], [L.pick(c["label"], loc) for c in cfg["channels"]]),
        "device_id": pa.array(d["device"]).cast(pa.large_string()),
        "platform": text(d["platform"], [L.pick(v, loc) for v in L.PLATFORMS.values()]),
        "signup_ts": pa.array((base + d["signup_sec"].astype("timedelta64[s]")).astype("datetime64[ns]")),
        "member_level": text(level, [L.pick(lv[1], loc) for lv in L.MEMBER_LEVELS]),
    })
    return table.to_pandas()


class EventColumns:
    """The events of a chunk as column arrays; categorical columns as (codes, labels), -1 = missing.

    ``to_pandas()`` gives the documented pandas table; ``to_arrow()`` gives an Arrow table whose text
    columns stay dictionary-encoded (no string materialisation), for fast streaming to Parquet.
    """

    TEXT = ("event", "touchpoint", "category", "slot")
    NULLABLE_INT = ("item_id", "position")
    ORDER = ("user_id", "ts", "event", "session_id", "touchpoint", "item_id", "category", "amount", "slot", "position")

    def __init__(self, **cols):
        self.cols = cols

    def __len__(self) -> int:
        return len(self.cols["user_id"])

    def head(self, k: int) -> EventColumns:
        return EventColumns(**{n: (v[0][:k], v[1]) if isinstance(v, tuple) else v[:k] for n, v in self.cols.items()})

    def to_pandas(self) -> pd.DataFrame:
        out = {}
        for name in self.ORDER:
            v = self.cols[name]
            if name in self.TEXT:
                codes, labels = v
                out[name] = _str_col(np.maximum(codes, 0), labels, mask=(codes < 0) if (codes < 0).any() else None)
            elif name in self.NULLABLE_INT:
                out[name] = pd.arrays.IntegerArray(np.maximum(v, 0).astype(np.int64), v < 0)
            else:
                out[name] = v
        return pd.DataFrame(out)

    def to_arrow(self) -> pa.Table:
        arrays = {}
        for name in self.ORDER:
            v = self.cols[name]
            if name in self.TEXT:
                codes, labels = v
                idx = pa.array(np.maximum(codes, 0).astype(np.int32), mask=codes < 0)
                arrays[name] = pa.DictionaryArray.from_arrays(idx, pa.array(list(labels), pa.string()))
            elif name in self.NULLABLE_INT:
                arrays[name] = pa.array(v.astype(np.int64), mask=v < 0)
            elif name == "amount":
                arrays[name] = pa.array(v, from_pandas=True)  # NaN -> null, as pandas writes it
            else:
                arrays[name] = pa.array(v)
        return pa.table(arrays)


# --------------------------------------------------------------------------- one chunk
def make_chunk(plan: Plan, i: int) -> dict[str, pd.DataFrame]:
    """Generate chunk ``i``: its users and everything they do. Returns pandas tables (and hidden ones).

    Chunks are independent (own seed, own id ranges), so they can be made in any order or in parallel.
    Ids: users ``i*CHUNK_USERS + 1 …``; sessions ``i*SESSION_STRIDE + 1 …``; orders
    ``ORDER_BASE + i*ORDER_STRIDE + 1 …``; respondents ``i*RESPONDENT_STRIDE + 1 …``.
    """
    user_offset = i * CHUNK_USERS
    session_offset = i * SESSION_STRIDE
    order_offset = ORDER_BASE + i * ORDER_STRIDE
    respondent_offset = i * RESPONDENT_STRIDE
    rng = plan.chunk_rng(i)
    n = min(CHUNK_USERS, plan.n_users - i * CHUNK_USERS)
    cfg, pp, loc = plan.cfg, plan.pp, plan.locale
    days = plan.days
    uid = np.arange(user_offset + 1, user_offset + n + 1, dtype=np.int64)

    who = draw_users(plan, rng, n)
    persona, channel, is_fake = who["persona"], who["channel"], who["is_fake"]
    signup_day, signup_sec, platform = who["signup_day"], who["signup_sec"], who["platform"]

    # ---- lifetimes: aha moment, churn, the reactivation campaign
    aha = cfg["aha"]
    aha_k = np.minimum(rng.poisson(pp["aha_rate"][persona]), aha["days"])
    aha_k = np.minimum(aha_k, np.maximum(days - signup_day, 0))
    perm = np.argsort(rng.random((n, aha["days"])), axis=1)
    aha_mask = perm < aha_k[:, None]  # which of the first `days` days carry an aha event
    aha_mask &= (signup_day[:, None] + np.arange(aha["days"])[None, :]) < days
    chan_h = np.array([c["hazard"] for c in cfg["channels"]])[channel]
    aha_mult = np.where(aha_k >= aha["threshold"], aha["above"], aha["below"])
    hazard = np.clip(pp["hazard"][persona] * chan_h * aha_mult, 1e-5, 1)
    life = rng.geometric(hazard)
    last_aha = np.where(aha_mask.any(axis=1), aha["days"] - 1 - np.argmax(aha_mask[:, ::-1], axis=1), 0)
    life = np.maximum(life, last_aha + 1)
    churn_day = signup_day + life  # first day with no activity any more
    camp = plan.campaign_day
    returned = (churn_day < camp - 7) & (rng.random(n) < pp["return_prob"][persona])
    return_day = np.where(returned, camp + rng.integers(0, 4, n), -1)
    life2 = rng.geometric(np.clip(hazard * 1.3, 1e-5, 1))
    churn2_day = np.where(returned, return_day + life2, -1)

    # ---- active days (thinned by the weekday/promotion calendar)
    # P(active on day d) = activity x calendar weight(d) x novelty(days since (re)start): new and
    # just-returned users are more active (novelty 1 + 1.5 e^(-t/5)), drawn by thinning.
    act = pp["activity"][persona]
    wmax = plan.activity_w.max()
    nov_max = 2.5
    spans = [(signup_day + 1, np.minimum(churn_day, days), signup_day),
             (return_day, np.minimum(churn2_day, days), return_day)]
    day_users, day_vals = [np.arange(n)], [signup_day]
    for s, e, origin in spans:
        ok = (s >= 0) & (e > s)
        length = np.where(ok, e - s, 0)
        k = rng.binomial(length, np.minimum(1.0, act * wmax * nov_max))
        u = np.repeat(np.arange(n), k)
        d = np.repeat(s, k) + np.floor(rng.random(k.sum()) * np.repeat(length, k)).astype(np.int64)
        novelty = 1 + 1.5 * np.exp(-(d - origin[u]) / 5.0)
        keep = rng.random(len(d)) < plan.activity_w[np.minimum(d, days - 1)] / wmax * novelty / nov_max
        day_users.append(u[keep])
        day_vals.append(d[keep])
    # the returned users' first day back (the campaign brought them)
    day_users.append(np.flatnonzero(returned))
    day_vals.append(return_day[returned])
    au, ad = np.nonzero(aha_mask)
    day_users.append(au)
    day_vals.append(signup_day[au] + ad)
    du = np.concatenate(day_users)
    dv = np.concatenate(day_vals)
    ok = dv < days
    key = np.unique(du[ok].astype(np.int64) * (days + 8) + dv[ok])
    du, dv = key // (days + 8), key % (days + 8)

    # ---- sessions
    n_sess = 1 + rng.poisson(pp["sessions"][persona[du]])
    su = np.repeat(du, n_sess)
    sd = np.repeat(dv, n_sess)
    sp = persona[su]
    night = rng.random(len(su)) < pp["night"][sp]
    hour = np.where(night, rng.choice(24, len(su), p=_NIGHT_HOURS / _NIGHT_HOURS.sum()),
                    rng.choice(24, len(su), p=_DAY_HOURS / _DAY_HOURS.sum()))
    start = sd.astype(np.int64) * SECONDS_PER_DAY + hour * 3600 + rng.integers(0, 3600, len(su))
    on_signup_day = sd == signup_day[su]
    first_of_user = np.r_[True, su[1:] != su[:-1]]  # sessions are sorted by user then day
    # sessions on the sign-up day: the first one starts at sign-up, the others later that day
    s_sig = signup_sec[su]
    day_end = (signup_day[su].astype(np.int64) + 1) * SECONDS_PER_DAY - 1
    rem = np.maximum(day_end - s_sig, 2)
    gap0 = np.minimum(1800, rem // 2)  # at least half an hour later, or half of what is left of the day
    later = s_sig + gap0 + (rng.random(len(su)) * (rem - gap0)).astype(np.int64)
    start = np.where(on_signup_day, np.where(first_of_user, s_sig, later), start)
    order = np.lexsort((start, su))
    su, sd, sp, start = su[order], sd[order], sp[order], start[order]
    ns = len(su)
    sess_id = session_offset + np.arange(1, ns + 1, dtype=np.int64)
    touch_codes = {t: k for k, t in enumerate(L.TOUCHPOINTS)}
    plat_touch = np.array([touch_codes[L.PLATFORM_TOUCHPOINT[p]] for p in L.PLATFORMS])
    stouch = np.where(rng.random(ns) < 0.9, plat_touch[platform[su]], rng.integers(0, 3, ns))

    # event blocks: (local session index, time in seconds, event code, item code, category code,
    # amount, slot code, position, order within the session)
    events_meta = _event_names(cfg)
    ev = {k: [] for k in ("s", "t", "e", "item", "cat", "amt", "slot", "pos", "seq")}

    def add(s_idx, t, code, item=None, cat=None, amt=None, slot=None, pos=None, seq=0):
        m = len(s_idx)
        ev["s"].append(s_idx)
        ev["t"].append(t)
        ev["e"].append(np.full(m, code, np.int32))
        ev["item"].append(item if item is not None else np.full(m, -1, np.int64))
        ev["cat"].append(cat if cat is not None else np.full(m, -1, np.int32))
        ev["amt"].append(amt if amt is not None else np.full(m, np.nan))
        ev["slot"].append(slot if slot is not None else np.full(m, -1, np.int32))
        ev["pos"].append(pos if pos is not None else np.full(m, -1, np.int64))
        ev["seq"].append(np.full(m, seq, np.int32) if np.isscalar(seq) else seq)

    all_s = np.arange(ns)
    steps = cfg["steps"]
    add(all_s, start, events_meta[steps[0]["event"]], seq=0)

    # home-page resource slots: impressions in random order (position), clicks decay with position
    sl = cfg["slots"]
    nslot = len(sl["slots"])
    home = all_s[rng.random(ns) < sl["home_share"]]
    if len(home) and nslot:
        posm = np.argsort(rng.random((len(home), nslot)), axis=1) + 1  # position of slot j
        ctr = np.array([s["ctr"] for s in sl["slots"]])[None, :] * sl["position_decay"] ** (posm - 1)
        hs = np.repeat(home, nslot)
        slot_codes = np.tile(np.arange(nslot, dtype=np.int32), len(home))
        add(hs, start[hs] + 1, events_meta["slot_impression"], slot=slot_codes, pos=posm.ravel().astype(np.int64), seq=1)
        clicked = (rng.random(posm.shape) < ctr).ravel()
        add(hs[clicked], start[hs[clicked]] + 3, events_meta["slot_click"], slot=slot_codes[clicked],
            pos=posm.ravel()[clicked].astype(np.int64), seq=2)

    # extras at the start of a session (sign-in, coupon claim)
    week1 = (sd - signup_day[su]) < aha["days"]
    for x in cfg["extras"]:
        if x.get("once") or x["at"] != "start":
            continue
        hit = rng.random(ns) < np.minimum(1, x["rate"] * pp[x["trait"]][sp])
        if x["event"] == aha["event"]:
            hit &= ~week1  # the first week's aha events are planted exactly, below
        add(all_s[hit], start[hit] + 4, events_meta[x["event"]], seq=3)
    # planted aha events: one per aha day, in that day's first session
    if aha["event"] in events_meta:
        first_sess_of_day = np.r_[True, (su[1:] != su[:-1]) | (sd[1:] != sd[:-1])]
        is_aha_day = np.zeros(ns, bool)
        off = sd - signup_day[su]
        in_w = (off >= 0) & (off < aha["days"])
        is_aha_day[in_w] = aha_mask[su[in_w], off[in_w]]
        pick = first_sess_of_day & is_aha_day
        at_start = any(x["event"] == aha["event"] and x["at"] == "start" for x in cfg["extras"])
        add(all_s[pick], start[pick] + (4 if at_start else 1800), events_meta[aha["event"]], seq=3 if at_start else 9)

    # the session funnel
    cats = cfg["categories"]
    cat_w = np.array([c[2] for c in cats])
    cat_med = np.array([c[3] for c in cats])
    t_end = start + 5
    alive = np.ones(ns, bool)
    last_item = np.full(ns, -1, np.int64)
    last_cat = np.full(ns, -1, np.int32)
    promo_s = plan.promo_mult[np.minimum(sd, days - 1)]
    for k, st in enumerate(steps[1:], start=1):
        p = np.full(ns, st["p"])
        if k >= 2:
            p = p * pp["buy"][sp]
        if k == 2:
            p = p * (1 + 0.35 * (promo_s - 1))  # promotions lift the add-to-cart rate
        alive &= rng.random(ns) < np.minimum(p, 0.98)
        idx = all_s[alive]
        if st.get("repeat"):
            cnt = 1 + rng.poisson(pp["depth"][sp[idx]])
            rs = np.repeat(idx, cnt)
            gaps = rng.exponential(45, len(rs)) + 3
            cs = np.cumsum(gaps)
            within = cs - np.repeat(cs[np.cumsum(cnt) - cnt] - gaps[np.cumsum(cnt) - cnt], cnt)
            t = t_end[rs] + within.astype(np.int64)
            cat = rng.choice(len(cats), size=len(rs), p=cat_w / cat_w.sum()).astype(np.int32)
            item = (cat.astype(np.int64) + 1) * 10_000 + np.minimum(rng.zipf(1.6, len(rs)), 9_999)
            add(rs, t, events_meta[st["event"]], item=item if st.get("item") else None,
                cat=cat if st.get("item") else None, seq=10 + k)
            lastpos = np.cumsum(cnt) - 1
            t_end[idx] = t[lastpos]
            if st.get("item"):
                last_item[idx], last_cat[idx] = item[lastpos], cat[lastpos]
        else:
            t = t_end[idx] + (rng.exponential(60, len(idx)) + 5).astype(np.int64)
            t_end[idx] = t
            amt = None
            if st.get("value"):
                base = np.where(last_cat[idx] >= 0, cat_med[np.maximum(last_cat[idx], 0)], cat_med.mean())
                amt = np.round(base * pp["spend"][sp[idx]] * np.exp(rng.normal(0, cfg["value_sigma"], len(idx))), 2)
                amt = np.maximum(amt, 0.01)
            add(idx, t, events_meta[st["event"]], item=last_item[idx].copy(), cat=last_cat[idx].copy(), amt=amt, seq=10 + k)

    # extras at the end of a session
    for x in cfg["extras"]:
        if x.get("once") or x["at"] != "end":
            continue
        hit = rng.random(ns) < np.minimum(1, x["rate"] * pp[x["trait"]][sp])
        if x["event"] == aha["event"]:
            hit &= ~week1
        add(all_s[hit], t_end[hit] + 2 + rng.integers(0, 30, int(hit.sum())), events_meta[x["event"]], seq=30)
    # once-per-user extras (joining the private domain): on a random session of the user
    for x in cfg["extras"]:
        if not x.get("once"):
            continue
        joins = rng.random(n) < np.minimum(1, x["rate"] * pp[x["trait"]][persona])
        first_s = np.searchsorted(su, np.arange(n), side="left")
        n_user_s = np.searchsorted(su, np.arange(n), side="right") - first_s
        joins &= n_user_s > 0
        pick = first_s[joins] + np.floor(rng.random(int(joins.sum())) * n_user_s[joins]).astype(np.int64)
        add(pick, t_end[pick] + 40, events_meta[x["event"]], seq=31)

    # ---- assemble events
    s_idx = np.concatenate(ev["s"])
    t_all = np.concatenate(ev["t"])
    e_all = np.concatenate(ev["e"])
    seq = np.concatenate(ev["seq"])
    # one int64 sort key: local user (< 2^17) | second of the world (< 2^31) | order in session (< 2^6)
    key = (su[s_idx].astype(np.int64) << 37) | (t_all.astype(np.int64) << 6) | seq.astype(np.int64)
    o = np.argsort(key, kind="stable")
    s_idx, t_all, e_all, seq = s_idx[o], t_all[o], e_all[o], seq[o]
    item_all = np.concatenate(ev["item"])[o]
    cat_all = np.concatenate(ev["cat"])[o]
    amt_all = np.concatenate(ev["amt"])[o]
    slot_all = np.concatenate(ev["slot"])[o]
    pos_all = np.concatenate(ev["pos"])[o]
    ev_user = su[s_idx]
    ev_touch = np.where(e_all == events_meta.get("join_private", -99), touch_codes["wecom"], stouch[s_idx])

    # points: earn on purchases (1/yuan) and sign-ins (10); redeem up to 30 % of what was earned before
    value_code = events_meta[[s for s in steps if s.get("value")][0]["event"]]
    earn = np.where(e_all == value_code, np.floor(np.nan_to_num(amt_all)), 0).astype(np.int64)
    if "sign_in" in events_meta:
        earn = earn + np.where(e_all == events_meta["sign_in"], 10, 0)
    redeem_code = events_meta.get("points_redeem", -99)
    cum_earn = _grouped_cumsum(earn, ev_user)
    earned_before = cum_earn - earn
    is_red = e_all == redeem_code
    red_rank = _grouped_cumsum(is_red.astype(np.int64), ev_user)
    red_pts = np.where(is_red, np.floor(0.3 * earned_before / 10) * 10, 0).astype(np.int64)
    drop = is_red & ((red_rank > 3) | (red_pts < 100))
    keep = ~drop & (t_all < days * SECONDS_PER_DAY)  # sessions late on the last day end with the world
    (s_idx, t_all, e_all, item_all, cat_all, amt_all, slot_all, pos_all, ev_user, ev_touch, earn, red_pts, is_red) = (
        a[keep] for a in (s_idx, t_all, e_all, item_all, cat_all, amt_all, slot_all, pos_all, ev_user, ev_touch,
                          earn, red_pts, is_red))

    base = np.datetime64(plan.start.to_datetime64(), "s")
    ts = (base + t_all.astype("timedelta64[s]")).astype("datetime64[ns]")
    names = list(events_meta)
    cat_labels = [L.pick(c[1], loc) for c in cats]
    slot_labels = [L.pick(s["label"], loc) for s in sl["slots"]] or ["-"]
    events = EventColumns(
        user_id=uid[ev_user], ts=ts, event=(e_all, names), session_id=sess_id[s_idx],
        touchpoint=(ev_touch, list(L.TOUCHPOINTS)), item_id=item_all, category=(cat_all, cat_labels),
        amount=amt_all, slot=(slot_all, slot_labels), position=pos_all,
    )

    # ---- orders (one per paid event)
    pay = np.flatnonzero(e_all == value_code)
    pu = ev_user[pay]
    coupon = rng.random(len(pay)) < pp["coupon_use"][persona[pu]]
    items = 1 + rng.poisson(pp["items"][persona[pu]])
    orders = pd.DataFrame({
        "order_id": order_offset + np.arange(1, len(pay) + 1, dtype=np.int64),
        "user_id": uid[pu],
        "ts": ts[pay],
        "amount": amt_all[pay],
        "items": items.astype(np.int64),
        "category": _str_col(np.maximum(cat_all[pay], 0), cat_labels),
        "coupon_used": coupon,
    })

    # ---- points ledger and membership level
    earn_rows = np.flatnonzero(earn > 0)
    red_rows = np.flatnonzero(is_red)
    src_codes = np.r_[np.where(e_all[earn_rows] == value_code, 0, 1), np.full(len(red_rows), 2)]
    p_user = np.r_[ev_user[earn_rows], ev_user[red_rows]]
    p_sec = np.r_[t_all[earn_rows], t_all[red_rows]]
    p_pts = np.r_[earn[earn_rows], -red_pts[red_rows]]
    total_earn = np.bincount(ev_user, weights=earn, minlength=n).astype(np.int64)
    balance = total_earn - np.bincount(ev_user, weights=red_pts * is_red, minlength=n).astype(np.int64)
    last_seen = np.full(n, -1, np.int64)
    np.maximum.at(last_seen, ev_user, t_all)
    expire = (balance > 0) & (last_seen < (days - 180) * SECONDS_PER_DAY)
    ex_u = np.flatnonzero(expire)
    p_user = np.r_[p_user, ex_u]
    p_sec = np.r_[p_sec, np.full(len(ex_u), days * SECONDS_PER_DAY - 1)]
    p_pts = np.r_[p_pts, -balance[ex_u]]
    src_codes = np.r_[src_codes, np.full(len(ex_u), 3)]
    po = np.lexsort((src_codes, p_sec, p_user))
    kind_codes = np.array([0, 0, 1, 2])[src_codes[po]]
    points = pd.DataFrame({
        "user_id": uid[p_user[po]],
        "ts": (base + p_sec[po].astype("timedelta64[s]")).astype("datetime64[ns]"),
        "kind": _str_col(kind_codes, ["earn", "redeem", "expire"]),
        "source": _str_col(src_codes[po], ["purchase", "sign_in", "redeem", "expire"]),
        "points": p_pts[po].astype(np.int64),
    })
    level_min = np.array([lv[2] for lv in L.MEMBER_LEVELS])
    level = np.searchsorted(level_min, total_earn, side="right") - 1

    users = users_frame(plan, who, uid, level)

    # ---- the new-user benefit A/B test
    ex = cfg["experiment"]
    in_exp = (signup_day >= plan.exp_window[0]) & (signup_day < plan.exp_window[1])
    xu = np.flatnonzero(in_exp)
    treat = rng.random(len(xu)) < 0.5
    exposed = rng.random(len(xu)) < ex["exposure"]
    p_conv = pp["ab_base"][persona[xu]] + ex["lift"] * (treat & exposed)
    conv = rng.random(len(xu)) < np.minimum(p_conv, 1)
    rev = np.where(conv, np.round(cat_med.mean() * pp["spend"][persona[xu]] * np.exp(rng.normal(0, 0.5, len(xu))), 2), 0.0)
    experiment = pd.DataFrame({
        "user_id": uid[xu],
        "group": _str_col(treat.astype(int), ["control", "treatment"]),
        "assigned_ts": users["signup_ts"].to_numpy()[xu],
        "exposed": exposed,
        "converted": conv,
        "revenue": rev,
    })

    # ---- surveys (a sample of real users answers all three questionnaires)
    q = min(1.0, SURVEY_RESPONDENTS / plan.n_users)
    resp = np.flatnonzero((rng.random(n) < q) & ~is_fake)
    nr = len(resp)
    rid = respondent_offset + np.arange(1, nr + 1, dtype=np.int64)
    feats = cfg["kano"]
    nfeat = len(feats)
    true_cat = [c for _, c in feats]
    ans = np.empty((nr, nfeat, 2), np.int64)
    consistent = rng.random((nr, nfeat)) < 0.68  # answers that follow the feature's true category
    rand_pairs = rng.integers(1, 6, (nr, nfeat, 2))
    for j, c in enumerate(true_cat):
        pairs = _KANO_PAIRS[c]
        canon = pairs[rng.integers(0, len(pairs), nr)]
        ans[:, j, :] = np.where(consistent[:, j, None], canon, rand_pairs[:, j, :])
    survey_kano = pd.DataFrame({
        "respondent_id": np.repeat(rid, nfeat),
        "user_id": np.repeat(uid[resp], nfeat),
        "feature": _str_col(np.tile(np.arange(nfeat), nr), [L.pick(f, loc) for f, _ in feats]),
        "functional": ans[:, :, 0].ravel(),
        "dysfunctional": ans[:, :, 1].ravel(),
    })
    tc, ch_, exv, te = _price_answers(plan, rng, nr, persona=persona[resp])
    survey_price = pd.DataFrame({"respondent_id": rid, "user_id": uid[resp], "too_cheap": tc, "cheap": ch_,
                                 "expensive": exv, "too_expensive": te})
    scores = rng.integers(1, 8, (nr, len(PREF_DIMENSIONS)))
    w = pp["pref"][persona[resp]]
    intent = np.clip(np.round(5 + 1.6 * ((scores - 4) * w).sum(axis=1) * 2 + rng.normal(0, 0.6, nr)), 0, 10)
    survey_preference = pd.DataFrame({"respondent_id": rid, "user_id": uid[resp],
                                      **{d: scores[:, k].astype(np.int64) for k, d in enumerate(PREF_DIMENSIONS)},
                                      "intent": intent.astype(np.int64)})

    # ---- hidden: planted truth per user
    def day_ts(d):
        out = np.full(len(d), np.datetime64("NaT"), dtype="datetime64[ns]")
        ok = (d >= 0) & (d < days)
        out[ok] = (np.datetime64(plan.start.to_datetime64(), "D") + d[ok].astype("timedelta64[D]")).astype("datetime64[ns]")
        return out

    # the aha count as it stands in the data (a few planted events fall after the world's end)
    aha_code = events_meta.get(aha["event"], -99)
    in_week1 = (e_all == aha_code) & (t_all < (signup_day[ev_user] + aha["days"]) * SECONDS_PER_DAY)
    aha_found = np.bincount(ev_user[in_week1], minlength=n)
    truth_users = pd.DataFrame({
        "user_id": uid,
        "persona": _str_col(persona, plan.persona_keys),
        "aha_count": aha_found.astype(np.int64),
        "churn_date": day_ts(churn_day),
        "returned": returned,
        "return_date": day_ts(return_day),
        "final_churn_date": day_ts(np.where(returned, churn2_day, churn_day)),
    })
    return dict(users=users, events=events, orders=orders, points=points, experiment=experiment,
                survey_kano=survey_kano, survey_price=survey_price, survey_preference=survey_preference,
                truth_users=truth_users, _n_sessions=ns)


def _grouped_cumsum(values: np.ndarray, groups: np.ndarray) -> np.ndarray:
    """Cumulative sum of ``values`` restarting at each new value of the (sorted) ``groups``."""
    cs = np.cumsum(values)
    starts = np.r_[True, groups[1:] != groups[:-1]]
    first_idx = np.flatnonzero(starts)
    offsets = np.repeat(cs[first_idx] - values[first_idx], np.diff(np.r_[first_idx, len(values)]))
    return cs - offsets


def _event_names(cfg: dict) -> dict[str, int]:
    """Event code per name: the funnel steps, slots, then extras, in preset order."""
    names = [s["event"] for s in cfg["steps"]]
    if cfg["slots"]["slots"]:
        names += ["slot_impression", "slot_click"]
    names += [x["event"] for x in cfg["extras"] if x["event"] not in names]
    if "points_redeem" not in names and cfg["aha"]["event"] not in names:
        names.append(cfg["aha"]["event"])
    return {name: k for k, name in enumerate(names)}


def channel_table(plan: Plan, users: pd.DataFrame, rng: np.random.Generator | None = None) -> pd.DataFrame:
    """Spend and installs per channel and month (installs = sign-ups; spend = installs x CPI x noise)."""
    cfg = plan.cfg
    labels = [L.pick(c["label"], plan.locale) for c in cfg["channels"]]
    cpi = {lab: c["cpi"] for lab, c in zip(labels, cfg["channels"])}
    months = pd.date_range(plan.start.replace(day=1), plan.start + pd.Timedelta(days=plan.days - 1), freq="MS")
    month = users["signup_ts"].dt.to_period("M").dt.to_timestamp()
    counts = users.assign(month=month).groupby(["channel", "month"]).size()
    full = pd.MultiIndex.from_product([labels, months], names=["channel", "month"])
    counts = counts.reindex(full, fill_value=0)
    rng = rng or np.random.default_rng(np.random.SeedSequence(plan.seed, spawn_key=(4,)))
    noise = np.exp(rng.normal(0, 0.08, len(counts)))
    spend = np.round(counts.to_numpy() * np.array([cpi[c] for c in counts.index.get_level_values(0)]) * noise, 2)
    out = counts.rename("installs").reset_index()
    out.insert(2, "spend", spend)
    out["channel"] = out["channel"].astype("str")
    out["month"] = out["month"].astype("datetime64[ns]")
    out["installs"] = out["installs"].astype(np.int64)
    return out[["channel", "month", "spend", "installs"]]
