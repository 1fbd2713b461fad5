"""The generator behind every preset: Faker supplies realism (name pools), NumPy supplies volume.

Users are made in fixed-size chunks, each with its own seeded ``numpy.random.Generator`` spawned from
one ``SeedSequence(seed)``; world-level draws (promotion calendar, fraud bursts, price truth) come
from other children of the same sequence (:func:`make_plan`). The in-memory world and the streamed
world are therefore the same rows: both concatenate the chunks of :func:`make_chunk`.

A chunk is made in stages, each a function taking and returning small dataclasses:
:func:`draw_users` (:class:`Users`) → :func:`_lifetimes` (aha moment, churn, return;
:class:`Lifetimes`) → :func:`_active_days` → :func:`_sessions` (:class:`Sessions`) →
:func:`_session_events` → :func:`_event_log` (sorted events and the points they move;
:class:`EventLog`) → :func:`_orders`, :func:`_points`, :func:`users_frame`, :func:`_experiment`,
:func:`.surveys.make_surveys`, :func:`_sellers` → :class:`Chunk` (the tables plus the hidden
``truth_users`` and ``truth_sellers``).

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
from .personas import PERSONAS
from .presets import PRESETS
from .sampling import Alias, GroupAlias, grouped_cumsum, str_col
from .surveys import make_surveys, price_truth

CHUNK_USERS = 10_000  # part of the world's definition: changing it changes the rows of a seed
# id ranges per chunk (far above what a chunk of CHUNK_USERS can use), so chunks are independent
SESSION_STRIDE = 100_000_000
ORDER_BASE = 1_000_000_000
ORDER_STRIDE = 10_000_000
RESPONDENT_STRIDE = 1_000_000
SELLER_STRIDE = 1_000  # seller ids per chunk: i*SELLER_STRIDE + 1 …
SECONDS_PER_DAY = 86_400

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
    for k, mult in cfg.get("persona_scale", {}).items():  # the preset's kind of product, e.g. stickier apps
        pp[k] = pp[k] * mult
    pp["bounce"] = np.minimum(pp["bounce"], 1.0)

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
    plan.truth_price = price_truth(plan, np.random.default_rng(np.random.SeedSequence(int(seed), spawn_key=(2,))))
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


# --------------------------------------------------------------------------- users
@dataclass
class Users:
    """Who the users of a chunk are: one array entry per user (local index 0 … n-1)."""

    uid: np.ndarray
    persona: np.ndarray  # index into plan.persona_keys
    channel: np.ndarray  # index into the preset's channels
    is_fake: np.ndarray
    female: np.ndarray
    age: np.ndarray
    tier: np.ndarray
    city: np.ndarray
    occupation: np.ndarray
    platform: np.ndarray
    signup_day: np.ndarray  # day of the world
    signup_sec: np.ndarray  # seconds since the world's start
    name: pa.Array
    device: np.ndarray

    def __len__(self) -> int:
        return len(self.uid)


def draw_users(plan: Plan, rng: np.random.Generator, uid: np.ndarray) -> Users:
    """Who the users ``uid`` of a chunk are: persona, channel, demographics, sign-up time, name, device.

    Everything is drawn vectorised from pools (Faker's name lists, the locale tables), never row by row.
    """
    import pyarrow.compute as pc

    n = len(uid)
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

    return Users(uid=uid, persona=persona, channel=channel, is_fake=is_fake, female=female, age=age, tier=tier,
                 city=city, occupation=occupation, platform=platform, signup_day=signup_day, signup_sec=signup_sec,
                 name=name, device=device)


def users_frame(plan: Plan, u: Users, level: np.ndarray) -> pd.DataFrame:
    """The ``users`` table of a chunk from :func:`draw_users` and the membership levels
    (built as one Arrow table, converted to pandas once)."""
    loc, cfg = plan.locale, plan.cfg
    base = np.datetime64(plan.start.to_datetime64(), "s")

    def text(codes, labels):
        return pa.array(list(labels), pa.large_string()).take(pa.array(np.asarray(codes, np.int32)))

    table = pa.table({
        "user_id": pa.array(u.uid),
        "name": u.name.cast(pa.large_string()),
        "gender": text(np.where(u.female, 0, 1), [L.pick(L.GENDERS["female"], loc), L.pick(L.GENDERS["male"], loc)]),
        "age": pa.array(u.age),
        "city": text(u.city, plan.tables["city_names"]),
        "city_tier": text(u.tier, [L.pick(L.CITY_TIERS[k]["label"], loc) for k in L.CITY_TIERS]),
        "occupation": text(u.occupation, [L.pick((zh, en), loc) for _, zh, en, _ in L.OCCUPATIONS]),
        "channel": text(u.channel, [L.pick(c["label"], loc) for c in cfg["channels"]]),
        "device_id": pa.array(u.device).cast(pa.large_string()),
        "platform": text(u.platform, [L.pick(v, loc) for v in L.PLATFORMS.values()]),
        "signup_ts": pa.array((base + u.signup_sec.astype("timedelta64[s]")).astype("datetime64[ns]")),
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
                out[name] = str_col(np.maximum(codes, 0), labels, mask=(codes < 0) if (codes < 0).any() else None)
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


# --------------------------------------------------------------------------- one chunk, stage by stage
@dataclass
class Chunk:
    """What :func:`make_chunk` returns: the chunk's tables, and the planted truth about its users."""

    users: pd.DataFrame
    events: EventColumns
    orders: pd.DataFrame
    points: pd.DataFrame
    experiment: pd.DataFrame
    survey_kano: pd.DataFrame
    survey_price: pd.DataFrame
    survey_preference: pd.DataFrame
    truth_users: pd.DataFrame  # hidden: persona, aha count, churn and return dates per user
    truth_sellers: pd.DataFrame | None = None  # hidden: the chunk's sellers and their planted weights
    n_sessions: int = 0

    TABLES = ("users", "events", "orders", "points", "experiment", "survey_kano", "survey_price", "survey_preference")

    def tables(self) -> dict:
        """The chunk's part of the world's tables (``events`` still as :class:`EventColumns`)."""
        return {name: getattr(self, name) for name in self.TABLES}


@dataclass
class Lifetimes:
    """Per user: the planted aha moment, the first lifetime and the return after the campaign."""

    aha_k: np.ndarray  # aha events planted in the first ``aha["days"]`` days
    aha_mask: np.ndarray  # (users, aha days): which of the first days carry an aha event
    bounced: np.ndarray  # one-and-done users (no activity after the sign-up day until a win-back)
    hazard: np.ndarray  # daily churn probability
    churn_day: np.ndarray  # first day with no activity any more
    returned: np.ndarray
    return_day: np.ndarray  # -1 if not returned
    churn2_day: np.ndarray  # end of the second lifetime, -1 if not returned


@dataclass
class Sessions:
    """The chunk's sessions, sorted by user then start time."""

    user: np.ndarray  # local user index
    day: np.ndarray
    persona: np.ndarray
    start: np.ndarray  # seconds since the world's start
    touch: np.ndarray  # touchpoint code
    session_id: np.ndarray

    def __len__(self) -> int:
        return len(self.user)


@dataclass
class EventLog:
    """The chunk's events as sorted arrays (one entry per event), with the points each one moves."""

    session: np.ndarray  # local session index
    sec: np.ndarray  # seconds since the world's start
    code: np.ndarray  # event code, see ``codes``
    item: np.ndarray  # -1 = none
    cat: np.ndarray  # category code, -1 = none
    amount: np.ndarray  # NaN = none
    slot: np.ndarray  # -1 = none
    position: np.ndarray  # -1 = none
    user: np.ndarray  # local user index
    touch: np.ndarray
    earn: np.ndarray  # points earned by the event
    redeem: np.ndarray  # points redeemed by the event (on points_redeem events)
    is_redeem: np.ndarray
    codes: dict[str, int]
    value_code: int  # code of the paid step

    def ts(self, plan: Plan) -> np.ndarray:
        base = np.datetime64(plan.start.to_datetime64(), "s")
        return (base + self.sec.astype("timedelta64[s]")).astype("datetime64[ns]")


_TOUCH_CODES = {t: k for k, t in enumerate(L.TOUCHPOINTS)}


def _lifetimes(plan: Plan, rng: np.random.Generator, u: Users) -> Lifetimes:
    """Aha moment (users above the threshold churn slower), first lifetime (geometric), and the
    reactivation campaign that brings some churned users back for a second lifetime."""
    cfg, pp, days, n = plan.cfg, plan.pp, plan.days, len(u)
    persona, signup_day = u.persona, u.signup_day
    aha = cfg["aha"]
    # one-and-done users (一次性用户): never back after the sign-up day (until a win-back campaign)
    bounced = rng.random(n) < pp["bounce"][persona]
    aha_k = np.where(bounced, 0, np.minimum(rng.poisson(pp["aha_rate"][persona]), aha["days"]))
    aha_k = np.minimum(aha_k, np.maximum(days - signup_day, 0))
    perm = np.argsort(rng.random((n, aha["days"])), axis=1)
    aha_mask = perm < aha_k[:, None]
    aha_mask &= (signup_day[:, None] + np.arange(aha["days"])[None, :]) < days
    chan_h = np.array([c["hazard"] for c in cfg["channels"]])[u.channel]
    aha_mult = np.where(aha_k >= aha["threshold"], aha["above"], aha["below"])
    hazard = np.clip(pp["hazard"][persona] * chan_h * aha_mult, 1e-5, 1)
    life = np.where(bounced, 1, rng.geometric(hazard))
    last_aha = np.where(aha_mask.any(axis=1), aha["days"] - 1 - np.argmax(aha_mask[:, ::-1], axis=1), 0)
    life = np.maximum(life, last_aha + 1)
    churn_day = signup_day + life
    camp = plan.campaign_day
    returned = (churn_day < camp - 7) & (rng.random(n) < pp["return_prob"][persona])
    return_day = np.where(returned, camp + rng.integers(0, 4, n), -1)
    life2 = rng.geometric(np.clip(hazard * 1.3, 1e-5, 1))
    churn2_day = np.where(returned, return_day + life2, -1)
    return Lifetimes(aha_k=aha_k, aha_mask=aha_mask, bounced=bounced, hazard=hazard, churn_day=churn_day, returned=returned,
                     return_day=return_day, churn2_day=churn2_day)


NOVELTY = (1.6, 3.0)  # (amplitude, days): activity x (1 + a e^(-t/days)) t days after (re)start


def _active_days(plan: Plan, rng: np.random.Generator, u: Users, lt: Lifetimes) -> tuple[np.ndarray, np.ndarray]:
    """(user, day) pairs on which a user is active, sorted by user then day.

    Each day of a lifetime (after the sign-up day, before churn; and again from the return after the
    campaign) is active with probability activity x calendar weight(d) x novelty(days since
    (re)start), capped at 1: new and just-returned users are more active (novelty
    1 + 1 e^(-t/4)). The sign-up day, the first day back and the planted aha days are always active.
    """
    days, n = plan.days, len(u)
    act = plan.pp["activity"][u.persona]
    amp, tau = NOVELTY
    spans = [(u.signup_day + 1, np.minimum(lt.churn_day, days), u.signup_day),
             (lt.return_day, np.minimum(lt.churn2_day, days), lt.return_day)]
    day_users, day_vals = [np.arange(n)], [u.signup_day]
    for s, e, origin in spans:
        length = np.where((s >= 0) & (e > s), e - s, 0)
        uu = np.repeat(np.arange(n), length)
        d = np.repeat(s, length) + (np.arange(len(uu)) - np.repeat(np.cumsum(length) - length, length))
        p = act[uu] * plan.activity_w[d] * (1 + amp * np.exp(-(d - origin[uu]) / tau))
        keep = rng.random(len(d)) < p
        day_users.append(uu[keep])
        day_vals.append(d[keep])
    day_users.append(np.flatnonzero(lt.returned))
    day_vals.append(lt.return_day[lt.returned])
    au, ad = np.nonzero(lt.aha_mask)
    day_users.append(au)
    day_vals.append(u.signup_day[au] + ad)
    du = np.concatenate(day_users)
    dv = np.concatenate(day_vals)
    ok = dv < days
    key = np.unique(du[ok].astype(np.int64) * (days + 8) + dv[ok])
    return key // (days + 8), key % (days + 8)


def _sessions(plan: Plan, rng: np.random.Generator, u: Users, du: np.ndarray, dv: np.ndarray,
              session_offset: int) -> Sessions:
    """1 + Poisson(persona sessions) sessions per active day, at day or night-owl hours; on the
    sign-up day the first session starts at sign-up."""
    pp = plan.pp
    n_sess = 1 + rng.poisson(pp["sessions"][u.persona[du]])
    su = np.repeat(du, n_sess)
    sd = np.repeat(dv, n_sess)
    sp = u.persona[su]
    night = rng.random(len(su)) < pp["night"][sp]
    hour = np.where(night, rng.choice(24, len(su), p=_NIGHT_HOURS / _NIGHT_HOURS.sum()),
                    rng.choice(24, len(su), p=_DAY_HOURS / _DAY_HOURS.sum()))
    start = sd.astype(np.int64) * SECONDS_PER_DAY + hour * 3600 + rng.integers(0, 3600, len(su))
    on_signup_day = sd == u.signup_day[su]
    first_of_user = np.r_[True, su[1:] != su[:-1]]  # sessions are sorted by user then day
    # sessions on the sign-up day: the first one starts at sign-up, the others later that day
    s_sig = u.signup_sec[su]
    day_end = (u.signup_day[su].astype(np.int64) + 1) * SECONDS_PER_DAY - 1
    rem = np.maximum(day_end - s_sig, 2)
    gap0 = np.minimum(1800, rem // 2)  # at least half an hour later, or half of what is left of the day
    later = s_sig + gap0 + (rng.random(len(su)) * (rem - gap0)).astype(np.int64)
    start = np.where(on_signup_day, np.where(first_of_user, s_sig, later), start)
    order = np.lexsort((start, su))
    su, sd, sp, start = su[order], sd[order], sp[order], start[order]
    ns = len(su)
    plat_touch = np.array([_TOUCH_CODES[L.PLATFORM_TOUCHPOINT[p]] for p in L.PLATFORMS])
    stouch = np.where(rng.random(ns) < 0.9, plat_touch[u.platform[su]], rng.integers(0, 3, ns))
    return Sessions(user=su, day=sd, persona=sp, start=start, touch=stouch,
                    session_id=session_offset + np.arange(1, ns + 1, dtype=np.int64))


class _EventBlocks:
    """Events collected in blocks (one block per kind of event) before one sort."""

    FIELDS = ("s", "t", "e", "item", "cat", "amt", "slot", "pos", "seq")

    def __init__(self):
        self.blocks = {k: [] for k in self.FIELDS}

    def add(self, s_idx, t, code, item=None, cat=None, amt=None, slot=None, pos=None, seq=0) -> None:
        """Events of sessions ``s_idx`` at seconds ``t``; ``seq`` orders events of the same second."""
        m = len(s_idx)
        b = self.blocks
        b["s"].append(s_idx)
        b["t"].append(t)
        b["e"].append(np.full(m, code, np.int32))
        b["item"].append(item if item is not None else np.full(m, -1, np.int64))
        b["cat"].append(cat if cat is not None else np.full(m, -1, np.int32))
        b["amt"].append(amt if amt is not None else np.full(m, np.nan))
        b["slot"].append(slot if slot is not None else np.full(m, -1, np.int32))
        b["pos"].append(pos if pos is not None else np.full(m, -1, np.int64))
        b["seq"].append(np.full(m, seq, np.int32) if np.isscalar(seq) else seq)

    def concat(self) -> dict[str, np.ndarray]:
        return {k: np.concatenate(v) for k, v in self.blocks.items()}


def _session_events(plan: Plan, rng: np.random.Generator, u: Users, lt: Lifetimes, ss: Sessions,
                    codes: dict[str, int]) -> _EventBlocks:
    """Every event of every session: the opening step, home-page slots, extras at the start, the
    session funnel (view … purchase), extras at the end, and once-per-user extras."""
    cfg, pp, days, n = plan.cfg, plan.pp, plan.days, len(u)
    su, sd, sp, start = ss.user, ss.day, ss.persona, ss.start
    ns = len(ss)
    ev = _EventBlocks()
    add = ev.add
    all_s = np.arange(ns)
    steps = cfg["steps"]
    aha = cfg["aha"]
    add(all_s, start, codes[steps[0]["event"]], seq=0)

    # home-page resource slots: impressions in random order (position), clicks decay with position
    sl = cfg["slots"]
    nslot = len(sl["slots"])
    home = all_s[rng.random(ns) < sl["home_share"]]
    if len(home) and nslot:
        posm = np.argsort(rng.random((len(home), nslot)), axis=1) + 1  # position of slot j
        ctr = np.array([s["ctr"] for s in sl["slots"]])[None, :] * sl["position_decay"] ** (posm - 1)
        hs = np.repeat(home, nslot)
        slot_codes = np.tile(np.arange(nslot, dtype=np.int32), len(home))
        add(hs, start[hs] + 1, codes["slot_impression"], slot=slot_codes, pos=posm.ravel().astype(np.int64), seq=1)
        clicked = (rng.random(posm.shape) < ctr).ravel()
        add(hs[clicked], start[hs[clicked]] + 3, codes["slot_click"], slot=slot_codes[clicked],
            pos=posm.ravel()[clicked].astype(np.int64), seq=2)

    # extras at the start of a session (sign-in, coupon claim)
    week1 = (sd - u.signup_day[su]) < aha["days"]
    for x in cfg["extras"]:
        if x.get("once") or x["at"] != "start":
            continue
        hit = rng.random(ns) < np.minimum(1, x["rate"] * pp[x["trait"]][sp])
        if x["event"] == aha["event"]:
            hit &= ~week1  # the first week's aha events are planted exactly, below
        add(all_s[hit], start[hit] + 4, codes[x["event"]], seq=3)
    # planted aha events: one per aha day, in that day's first session
    if aha["event"] in codes:
        first_sess_of_day = np.r_[True, (su[1:] != su[:-1]) | (sd[1:] != sd[:-1])]
        is_aha_day = np.zeros(ns, bool)
        off = sd - u.signup_day[su]
        in_w = (off >= 0) & (off < aha["days"])
        is_aha_day[in_w] = lt.aha_mask[su[in_w], off[in_w]]
        pick = first_sess_of_day & is_aha_day
        at_start = any(x["event"] == aha["event"] and x["at"] == "start" for x in cfg["extras"])
        add(all_s[pick], start[pick] + (4 if at_start else 1800), codes[aha["event"]], seq=3 if at_start else 9)

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
        trait = st.get("trait", "buy" if k >= 2 else None)  # the persona multiplier of this step
        if trait:
            p = p * pp[trait][sp]
        if k == 2:
            p = p * (1 + 0.35 * (promo_s - 1))  # promotions lift the add-to-cart rate
        if k == 1:  # one-and-done users mostly leave before looking at an item
            p = p * np.where(lt.bounced[su], cfg["bounce_intent"], 1.0)
        if st.get("new_user"):
            p = p * np.where(week1, st["new_user"], 1.0)  # new-user benefits (新人专享) in the first week
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
            add(rs, t, codes[st["event"]], item=item if st.get("item") else None,
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
            add(idx, t, codes[st["event"]], item=last_item[idx].copy(), cat=last_cat[idx].copy(), amt=amt, seq=10 + k)

    # extras at the end of a session
    for x in cfg["extras"]:
        if x.get("once") or x["at"] != "end":
            continue
        hit = rng.random(ns) < np.minimum(1, x["rate"] * pp[x["trait"]][sp])
        if x["event"] == aha["event"]:
            hit &= ~week1
        add(all_s[hit], t_end[hit] + 2 + rng.integers(0, 30, int(hit.sum())), codes[x["event"]], seq=30)
    # once-per-user extras (joining the private domain): on a random session of the user
    for x in cfg["extras"]:
        if not x.get("once"):
            continue
        joins = rng.random(n) < np.minimum(1, x["rate"] * pp[x["trait"]][u.persona])
        first_s = np.searchsorted(su, np.arange(n), side="left")
        n_user_s = np.searchsorted(su, np.arange(n), side="right") - first_s
        joins &= n_user_s > 0
        pick = first_s[joins] + np.floor(rng.random(int(joins.sum())) * n_user_s[joins]).astype(np.int64)
        add(pick, t_end[pick] + 40, codes[x["event"]], seq=31)
    return ev


def _event_log(plan: Plan, ss: Sessions, ev: _EventBlocks, codes: dict[str, int]) -> EventLog:
    """Sort the events (user, second, order in session), price the points they move, and drop what
    cannot happen: small or too frequent redemptions, and events after the world's end.

    Points: earn 1 per yuan paid and 10 per sign-in; a redemption spends up to 30 % of what was
    earned before (in tens), at most 3 per user, at least 100 points.
    """
    days = plan.days
    b = ev.concat()
    # one int64 sort key: local user (< 2^17) | second of the world (< 2^31) | order in session (< 2^6)
    key = (ss.user[b["s"]].astype(np.int64) << 37) | (b["t"].astype(np.int64) << 6) | b["seq"].astype(np.int64)
    o = np.argsort(key, kind="stable")
    s_idx, t_all, e_all = b["s"][o], b["t"][o], b["e"][o]
    item_all, cat_all, amt_all, slot_all, pos_all = (b[k][o] for k in ("item", "cat", "amt", "slot", "pos"))
    ev_user = ss.user[s_idx]
    ev_touch = np.where(e_all == codes.get("join_private", -99), _TOUCH_CODES["wecom"], ss.touch[s_idx])

    steps = plan.cfg["steps"]
    value_code = codes[[s for s in steps if s.get("value")][0]["event"]]
    earn = np.where(e_all == value_code, np.floor(np.nan_to_num(amt_all)), 0).astype(np.int64)
    if "sign_in" in codes:
        earn = earn + np.where(e_all == codes["sign_in"], 10, 0)
    redeem_code = codes.get("points_redeem", -99)
    cum_earn = grouped_cumsum(earn, ev_user)
    earned_before = cum_earn - earn
    is_red = e_all == redeem_code
    red_rank = grouped_cumsum(is_red.astype(np.int64), ev_user)
    red_pts = np.where(is_red, np.floor(0.3 * earned_before / 10) * 10, 0).astype(np.int64)
    drop = is_red & ((red_rank > 3) | (red_pts < 100))
    keep = ~drop & (t_all < days * SECONDS_PER_DAY)  # sessions late on the last day end with the world
    return EventLog(session=s_idx[keep], sec=t_all[keep], code=e_all[keep], item=item_all[keep], cat=cat_all[keep],
                    amount=amt_all[keep], slot=slot_all[keep], position=pos_all[keep], user=ev_user[keep],
                    touch=ev_touch[keep], earn=earn[keep], redeem=red_pts[keep], is_redeem=is_red[keep],
                    codes=codes, value_code=value_code)


def _event_columns(plan: Plan, u: Users, ss: Sessions, log: EventLog, ts: np.ndarray) -> EventColumns:
    loc, cfg = plan.locale, plan.cfg
    cat_labels = [L.pick(c[1], loc) for c in cfg["categories"]]
    slot_labels = [L.pick(s["label"], loc) for s in cfg["slots"]["slots"]] or ["-"]
    return EventColumns(
        user_id=u.uid[log.user], ts=ts, event=(log.code, list(log.codes)), session_id=ss.session_id[log.session],
        touchpoint=(log.touch, list(L.TOUCHPOINTS)), item_id=log.item, category=(log.cat, cat_labels),
        amount=log.amount, slot=(log.slot, slot_labels), position=log.position,
    )


def _orders(plan: Plan, rng: np.random.Generator, u: Users, log: EventLog, ts: np.ndarray,
            order_offset: int) -> pd.DataFrame:
    """One order per paid event: its items (1 + Poisson(persona items)) and coupon use."""
    pp = plan.pp
    cat_labels = [L.pick(c[1], plan.locale) for c in plan.cfg["categories"]]
    pay = np.flatnonzero(log.code == log.value_code)
    pu = log.user[pay]
    coupon = rng.random(len(pay)) < pp["coupon_use"][u.persona[pu]]
    items = 1 + rng.poisson(pp["items"][u.persona[pu]])
    return pd.DataFrame({
        "order_id": order_offset + np.arange(1, len(pay) + 1, dtype=np.int64),
        "user_id": u.uid[pu],
        "ts": ts[pay],
        "amount": log.amount[pay],
        "items": items.astype(np.int64),
        "category": str_col(np.maximum(log.cat[pay], 0), cat_labels),
        "coupon_used": coupon,
    })


def _points(plan: Plan, u: Users, log: EventLog) -> tuple[pd.DataFrame, np.ndarray]:
    """The points ledger (earn, redeem, and expiry of the balance of users unseen for 180 days) and
    each user's membership level (by points ever earned)."""
    days, n = plan.days, len(u)
    earn, is_red, red_pts, ev_user, t_all = log.earn, log.is_redeem, log.redeem, log.user, log.sec
    earn_rows = np.flatnonzero(earn > 0)
    red_rows = np.flatnonzero(is_red)
    src_codes = np.r_[np.where(log.code[earn_rows] == log.value_code, 0, 1), np.full(len(red_rows), 2)]
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
    base = np.datetime64(plan.start.to_datetime64(), "s")
    points = pd.DataFrame({
        "user_id": u.uid[p_user[po]],
        "ts": (base + p_sec[po].astype("timedelta64[s]")).astype("datetime64[ns]"),
        "kind": str_col(kind_codes, ["earn", "redeem", "expire"]),
        "source": str_col(src_codes[po], ["purchase", "sign_in", "redeem", "expire"]),
        "points": p_pts[po].astype(np.int64),
    })
    level_min = np.array([lv[2] for lv in L.MEMBER_LEVELS])
    level = np.searchsorted(level_min, total_earn, side="right") - 1
    return points, level


def _experiment(plan: Plan, rng: np.random.Generator, u: Users, signup_ts: np.ndarray) -> pd.DataFrame:
    """The new-user benefit A/B test: users signing up in the window, split 50/50; a share of the
    treatment group is exposed and converts ``lift`` more often than its persona's base rate."""
    ex, pp = plan.cfg["experiment"], plan.pp
    cat_med = np.array([c[3] for c in plan.cfg["categories"]])
    in_exp = (u.signup_day >= plan.exp_window[0]) & (u.signup_day < plan.exp_window[1])
    xu = np.flatnonzero(in_exp)
    treat = rng.random(len(xu)) < 0.5
    exposed = rng.random(len(xu)) < ex["exposure"]
    p_conv = pp["ab_base"][u.persona[xu]] + ex["lift"] * (treat & exposed)
    conv = rng.random(len(xu)) < np.minimum(p_conv, 1)
    rev = np.where(conv, np.round(cat_med.mean() * pp["spend"][u.persona[xu]] * np.exp(rng.normal(0, 0.5, len(xu))), 2), 0.0)
    return pd.DataFrame({
        "user_id": u.uid[xu],
        "group": str_col(treat.astype(int), ["control", "treatment"]),
        "assigned_ts": signup_ts[xu],
        "exposed": exposed,
        "converted": conv,
        "revenue": rev,
    })


def _truth_users(plan: Plan, u: Users, lt: Lifetimes, log: EventLog) -> pd.DataFrame:
    """Hidden truth per user. ``aha_count`` is the count as it stands in the data (a few planted
    events fall after the world's end)."""
    days, aha = plan.days, plan.cfg["aha"]

    def day_ts(d):
        out = np.full(len(d), np.datetime64("NaT"), dtype="datetime64[ns]")
        ok = (d >= 0) & (d < days)
        out[ok] = (np.datetime64(plan.start.to_datetime64(), "D") + d[ok].astype("timedelta64[D]")).astype("datetime64[ns]")
        return out

    aha_code = log.codes.get(aha["event"], -99)
    in_week1 = (log.code == aha_code) & (log.sec < (u.signup_day[log.user] + aha["days"]) * SECONDS_PER_DAY)
    aha_found = np.bincount(log.user[in_week1], minlength=len(u))
    return pd.DataFrame({
        "user_id": u.uid,
        "persona": str_col(u.persona, plan.persona_keys),
        "aha_count": aha_found.astype(np.int64),
        "churn_date": day_ts(lt.churn_day),
        "returned": lt.returned,
        "return_date": day_ts(lt.return_day),
        "final_churn_date": day_ts(np.where(lt.returned, lt.churn2_day, lt.churn_day)),
    })


def _sellers(plan: Plan, rng: np.random.Generator, u: Users, log: EventLog, orders: pd.DataFrame,
             seller_offset: int) -> tuple[pd.Series, pd.DataFrame]:
    """Sellers (分销员/导购) for the fractal growth model S = N × S_per_seller.

    Each chunk has ``per_chunk`` sellers with heavy-tailed reach (lognormal weights, sd ``sigma``).
    A user is served by one seller (专属导购, drawn by weight) when acquired through one of the
    preset's ``channels`` (from sign-up on) or on joining the private domain (from that moment);
    each of the user's orders from then on goes through the seller's link with probability
    ``attach``. Returns the orders' ``seller_id`` (nullable: self-serve orders have none) and the
    planted sellers (id, weight, users served).
    """
    cfg = plan.cfg.get("sellers")
    if not cfg:
        return pd.Series(pd.array([pd.NA] * len(orders), dtype="Int64")), None
    n, k = len(u), cfg["per_chunk"]
    weight = rng.lognormal(0.0, cfg["sigma"], k)
    weight = weight / weight.sum()
    seller = Alias(weight).draw(rng, n)
    keys = [c["key"] for c in plan.cfg["channels"]]
    by_channel = np.isin(u.channel, [keys.index(c) for c in cfg["channels"] if c in keys])
    since = np.where(by_channel, 0, np.iinfo(np.int64).max)
    join = log.codes.get("join_private")
    if join is not None:
        j = log.code == join
        joined = np.full(n, np.iinfo(np.int64).max)
        np.minimum.at(joined, log.user[j], log.sec[j])
        since = np.minimum(since, joined)
    pay = np.flatnonzero(log.code == log.value_code)
    pu = log.user[pay]
    through = (log.sec[pay] >= since[pu]) & (rng.random(len(pay)) < cfg["attach"])
    ids = seller_offset + 1 + seller.astype(np.int64)
    seller_id = pd.array(np.where(through, ids[pu], 0), dtype="Int64")
    seller_id[~through] = pd.NA
    served = since < np.iinfo(np.int64).max
    truth = pd.DataFrame({"seller_id": seller_offset + np.arange(1, k + 1, dtype=np.int64), "weight": weight,
                          "users": np.bincount(seller[served], minlength=k).astype(np.int64)})
    return pd.Series(seller_id), truth


def make_chunk(plan: Plan, i: int) -> Chunk:
    """Generate chunk ``i``: its users and everything they do.

    Chunks are independent (own seed, own id ranges), so they can be made in any order or in parallel.
    Ids: users ``i*CHUNK_USERS + 1 …``; sessions ``i*SESSION_STRIDE + 1 …``; orders
    ``ORDER_BASE + i*ORDER_STRIDE + 1 …``; respondents ``i*RESPONDENT_STRIDE + 1 …``. The stages
    draw from the chunk's generator in a fixed order (changing the order changes the rows of a seed).
    """
    rng = plan.chunk_rng(i)
    n = min(CHUNK_USERS, plan.n_users - i * CHUNK_USERS)
    uid = np.arange(i * CHUNK_USERS + 1, i * CHUNK_USERS + n + 1, dtype=np.int64)
    codes = _event_names(plan.cfg)

    users = draw_users(plan, rng, uid)
    lt = _lifetimes(plan, rng, users)
    du, dv = _active_days(plan, rng, users, lt)
    ss = _sessions(plan, rng, users, du, dv, session_offset=i * SESSION_STRIDE)
    log = _event_log(plan, ss, _session_events(plan, rng, users, lt, ss, codes), codes)
    ts = log.ts(plan)
    events = _event_columns(plan, users, ss, log, ts)
    orders = _orders(plan, rng, users, log, ts, order_offset=ORDER_BASE + i * ORDER_STRIDE)
    points, level = _points(plan, users, log)
    users_df = users_frame(plan, users, level)
    experiment = _experiment(plan, rng, users, users_df["signup_ts"].to_numpy())
    kano, price, preference = make_surveys(plan, rng, persona=users.persona, is_fake=users.is_fake, uid=uid,
                                           respondent_offset=i * RESPONDENT_STRIDE)
    # sellers draw from their own generator: the surveys' draws depend on the world's size, and the
    # orders' rows of a chunk must not (prefix stability)
    seller_rng = np.random.default_rng(np.random.SeedSequence(plan.seed, spawn_key=(5, i)))
    orders["seller_id"], sellers = _sellers(plan, seller_rng, users, log, orders, seller_offset=i * SELLER_STRIDE)
    return Chunk(users=users_df, events=events, orders=orders, points=points, experiment=experiment,
                 survey_kano=kano, survey_price=price, survey_preference=preference,
                 truth_users=_truth_users(plan, users, lt, log), truth_sellers=sellers, n_sessions=len(ss))


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
