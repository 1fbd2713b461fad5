"""Tiny helpers to write course notebooks from Python lists of cells (markdown prose stays in
markdown cells, so a Chinese edition can replace the prose without touching code cells)."""
from __future__ import annotations

from pathlib import Path

import nbformat


def md(text: str):
    return nbformat.v4.new_markdown_cell(text.strip("\n"))


def code(text: str):
    return nbformat.v4.new_code_cell(text.strip("\n"))


def write(path: str | Path, cells: list) -> None:
    nb = nbformat.v4.new_notebook()
    nb.cells = cells
    nb.metadata["kernelspec"] = {"display_name": "Python 3", "language": "python", "name": "python3"}
    nb.metadata["language_info"] = {"name": "python"}
    nbformat.write(nb, str(path))
