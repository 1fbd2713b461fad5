"""The twelve chart types of the course's monitoring module (being written)."""
from __future__ import annotations

__all__: list[str] = []
GALLERY: dict = {}
