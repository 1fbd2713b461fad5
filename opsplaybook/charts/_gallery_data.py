"""What the chart modules' ``GALLERY`` entries draw: the analytics' results on a synthetic ``World``.

Each chart module's ``GALLERY = {name: callable(world, ax)}`` says how to draw its charts from a
world (``generate_world`` / ``load_demo``); the inputs shared by several entries are made here, so
each is computed one way. The analytics are imported when an entry is drawn (charts sit above
analytics, and importing a chart module must not import them).
"""
from __future__ import annotations

#: The in-session funnel of a world whose preset is unknown (the ecommerce preset's steps).
FUNNEL_STEPS = ("visit", "view", "cart", "checkout", "purchase")


def analytics(name: str):
    """``opsplaybook.analytics.<name>``, imported on first use."""
    from .. import analytics as pkg

    return getattr(pkg, name)


def funnel_steps(world) -> list[str]:
    """The world's in-session funnel (its preset's steps), e.g. visit → view → cart → checkout → purchase."""
    from ..world.presets import PRESETS

    preset = getattr(getattr(world, "truth", None), "preset", None)
    return [s["event"] for s in PRESETS[preset]["steps"]] if preset in PRESETS else list(FUNNEL_STEPS)


def world_mid(world):
    """The middle and the last time of the world's events (the two dates of a lifecycle Sankey)."""
    ts = world.events["ts"]
    return ts.min() + (ts.max() - ts.min()) / 2, ts.max()


def weekly_retention(world, events=None):
    """Weekly cohort retention over nine weeks of ``events`` (default: all the world's events)."""
    return analytics("retention")(world.events if events is None else events, period="W", periods=9)


def rfm_of(world):
    """The RFM table of the world's orders."""
    return analytics("rfm")(world.orders)
