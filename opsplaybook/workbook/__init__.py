"""The workbook engine: one bilingual source per module (``workbook/*.py``, jupytext percent
format) built into the teaching, learner and solved notebooks in English and Chinese.

>>> from opsplaybook.workbook import build
>>> build(".", check=True).ok  # doctest: +SKIP
True

The source format is described in ``workbook/README.md``.
"""
from __future__ import annotations

from .build import KINDS, BuildResult, build, output_path
from .modules import Module, load_modules
from .source import WorkbookSourceError

__all__ = ["build", "BuildResult", "KINDS", "Module", "load_modules", "output_path", "WorkbookSourceError"]
