"""Every chart renders its Chinese text in a fresh process that never called ``set_theme`` (a learner
who skipped the first cell): no missing-glyph warning from any gallery entry."""
from __future__ import annotations

import subprocess
import sys

CODE = r"""
import warnings
import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt
import opsplaybook as ops
from opsplaybook.charts.gallery import draw_entry, gallery_names

world = ops.generate_world(n_users=800, seed=3)
bad = []
for name in gallery_names():
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        res = draw_entry(name, world, lang="zh")
        fig = res if isinstance(res, matplotlib.figure.Figure) else res.figure
        fig.canvas.draw()
    glyphs = [str(w.message) for w in caught if "missing from font" in str(w.message)]
    if glyphs:
        bad.append(f"{name}: {glyphs[0]}")
    plt.close("all")
print("\n".join(bad) or "OK")
"""


def test_every_chart_renders_chinese_without_set_theme():
    out = subprocess.run([sys.executable, "-c", CODE], capture_output=True, text=True, timeout=600)
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.strip().splitlines()[-1] == "OK", out.stdout
