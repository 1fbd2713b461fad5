"""The seeded synthetic company (users, events, orders, surveys, experiment, points) and its truth.

One generator (:mod:`.generator`, stages in functions; surveys in :mod:`.surveys`; worker
processes in :mod:`.parallel`); personas, presets and locales are data (:mod:`.personas`,
:mod:`.presets`, :mod:`.locales`).
"""
from __future__ import annotations

from .presets import PRESETS
from .world import TABLES, Truth, World, generate_world, load_demo, load_world, write_world

__all__ = ["generate_world", "write_world", "load_world", "load_demo", "World", "Truth", "TABLES", "PRESETS"]
