"""Benchmark of Module 1 (personas and segmentation) on a 100 k-user world.

Prints, for this machine and this run:

- ``user_features`` on a 100 k-user world (events, orders, users): seconds (target ≤ 10 s) and the
  ratio to a reference measured in the same run — one pandas ``groupby(user).agg`` over the events
  and orders (the least work any per-user feature table must do);
- ``find_personas`` (k chosen by silhouette over 3..8, sample-then-assign, every user clustered:
  ``min_orders=0``, the worst case) on 10 k / 30 k / 100 k
  users: seconds (target ≤ 10 s at 100 k), seconds per 1 000 users (how the cost grows: flat per user
  past the 20 000-user sample means linear), and the ratio to a plain scikit-learn ``KMeans`` fitted on
  all users for the chosen k (the reference);
- ``event_mix`` (events of each type per visit) over the world's events; its columns are clustered too;
- ``tag_users`` with the default rule set on the 100 k users;
- checks (exit 1 if wrong): every user is in exactly one group; the clustered users' groups equal the
  fitted model's nearest centre; sample-then-assign fits all users about as well as k-means fitted on
  all of them (within-cluster sum of squares at most 1.10x; the adjusted Rand index between the two is
  printed, not checked: two k-means optima of overlapping groups may split them differently); the tag sizes equal the boolean frame's sums.

Wall-clock and CPU time are both printed (the machine may be shared: the load average is shown).
``--smoke`` runs the same code on a 3 000-user world in seconds (``make test``); it checks that
everything runs and is right, not the targets.

    python benchmarks/bench_segments.py            # 100 k users (a minute or two)
    python benchmarks/bench_segments.py --smoke
"""
from __future__ import annotations

import argparse
import os
import sys
import time

TARGET_FEATURES_S = 10.0
TARGET_PERSONAS_S = 10.0


def _load() -> str:
    try:
        return "load average %.1f / %.1f / %.1f" % os.getloadavg()
    except (AttributeError, OSError):  # Windows
        return "load average n/a"


def timed(fn, *args, **kw):
    t, c = time.perf_counter(), time.process_time()
    out = fn(*args, **kw)
    return out, time.perf_counter() - t, time.process_time() - c


def reference_features(world):
    """The least per-user work: counts and sums of events and orders per user, in pandas."""
    ev = world.events.groupby("user_id").agg(events=("ts", "size"), last=("ts", "max"))
    od = world.orders.groupby("user_id").agg(frequency=("amount", "size"), monetary=("amount", "sum"))
    return ev.join(od, how="outer")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--smoke", action="store_true", help="small world, seconds")
    ap.add_argument("--users", type=int, default=None, help="users of the world (default 100 000; smoke 3 000)")
    args = ap.parse_args(argv)
    n_users = args.users or (3_000 if args.smoke else 100_000)
    sizes = [1_000, 3_000] if args.smoke else [10_000, 30_000, 100_000]
    sizes = [s for s in sizes if s <= n_users]

    import numpy as np
    from sklearn.cluster import KMeans
    from sklearn.metrics import adjusted_rand_score
    from threadpoolctl import threadpool_limits

    import opsplaybook as ops
    from opsplaybook.models.personas import find_personas
    from opsplaybook.models.tag_rules import DEFAULT_TAG_RULES
    from opsplaybook.models.tags import tag_users

    wrong: list[str] = []
    print(f"bench_segments: {n_users:,}-user world, {_load()}", flush=True)
    world, s, _ = timed(ops.generate_world, n_users=n_users, seed=11)
    print(f"  world generated in {s:.1f}s: {len(world.events):,} events, {len(world.orders):,} orders", flush=True)

    # --- user_features vs the reference groupby
    _, ref_s, ref_c = timed(reference_features, world)
    feats, fs, fc = timed(ops.user_features, world)
    print(f"  user_features   {fs:6.2f}s wall ({fc:.2f}s CPU)  target {TARGET_FEATURES_S:.0f}s -> ratio {fs / TARGET_FEATURES_S:.2f} wall, {fc / TARGET_FEATURES_S:.2f} CPU"
          f"  | reference groupby {ref_s:.2f}s -> user_features costs {fs / ref_s:.1f}x the reference", flush=True)
    if len(feats) != len(world.users):
        wrong.append(f"user_features has {len(feats)} rows for {len(world.users)} users")
    from opsplaybook.models.personas import event_mix

    mix, ms, mc = timed(event_mix, world)
    print(f"  event_mix       {ms:6.2f}s wall ({mc:.2f}s CPU) over {len(world.events):,} events", flush=True)
    per_user = world.events.groupby("user_id").size()
    if len(mix) != len(per_user):
        wrong.append(f"event_mix has {len(mix)} rows for {len(per_user)} users with events")
    feats = feats.merge(mix, on="user_id", how="left")

    # --- find_personas growth with users: min_orders=0 clusters everyone (the worst case for the cost)
    rows = []
    for n in sizes:
        sub = feats.iloc[:n]
        res, ps, pc = timed(find_personas, sub, min_orders=0, random_state=0)
        g = res.groups["group"].to_numpy()
        use = g >= 0
        m = int(use.sum())
        if len(g) != n or not np.isin(g, list(range(res.k)) + [-1]).all():
            wrong.append(f"{n} users: a user outside the groups")
        with threadpool_limits(limits=1):
            Z = res.transform(sub.loc[use])
            pred = res.model.predict(Z)
            order = np.argsort(-res.model.cluster_centers_.sum(axis=1), kind="stable")
            remap = np.empty(res.k, dtype=np.int64)
            remap[order] = np.arange(res.k)
            if not np.array_equal(remap[pred], g[use]):
                wrong.append(f"{n} users: groups differ from the model's nearest centre")
            full, ks, kc = timed(KMeans(n_clusters=res.k, n_init=4, random_state=0).fit, Z)
        ari = adjusted_rand_score(full.labels_, g[use])
        # sampled centres must fit all users about as well as centres fitted on all of them
        inertia = float((res.model.transform(Z).min(axis=1) ** 2).sum())
        quality = inertia / full.inertia_
        if quality > 1.10:
            wrong.append(f"{n} users: sample-then-assign fits {quality:.2f}x worse than the full fit (inertia)")
        rows.append((n, m, res.k, ps, pc, ks, ari))
        print(f"  find_personas {n:>7,} users ({m:,} clustered, k={res.k}): {ps:6.2f}s wall ({pc:.2f}s CPU), "
              f"{1000 * ps / n:.3f}s per 1 000 users | full KMeans(k) on all clustered {ks:.2f}s; inertia "
              f"sample-then-assign / full {quality:.3f}, ARI between them {ari:.2f}", flush=True)
    if rows:
        n, m, k, ps, pc, ks, ari = rows[-1]
        print(f"  find_personas at {n:,} users: target {TARGET_PERSONAS_S:.0f}s -> ratio {ps / TARGET_PERSONAS_S:.2f} wall, "
              f"{pc / TARGET_PERSONAS_S:.2f} CPU")
        if len(rows) > 1:
            (n0, *_r0), (n1, *_r1) = rows[0], rows[-1]
            print(f"  growth: {n1 / n0:.0f}x users -> {rows[-1][3] / rows[0][3]:.1f}x wall, {rows[-1][4] / rows[0][4]:.1f}x CPU "
                  f"(k-means fitted on at most 20 000 sampled users for each k tried, silhouette on 4 000, "
                  "then one nearest-centre assignment per user: linear in users beyond the sample)")

    # --- the default tags on all users
    tags, ts, tc = timed(tag_users, feats, DEFAULT_TAG_RULES)
    sizes_ok = (tags.sizes()["users"].to_numpy() == tags.wide.sum().to_numpy()).all()
    if not sizes_ok:
        wrong.append("tag sizes differ from the boolean frame")
    print(f"  tag_users (default rules) {len(feats):,} users: {ts:.2f}s wall ({tc:.2f}s CPU)")

    if wrong:
        print("WRONG:", *wrong, sep="\n  ")
        return 1
    print("  all checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
