"""Every gallery chart draws from a world of every preset and locale (a trainer may demo either)."""
from __future__ import annotations

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402

import opsplaybook as ops  # noqa: E402
from opsplaybook.charts.gallery import draw_entry, gallery_names  # noqa: E402


@pytest.mark.parametrize(("preset", "locale", "lang"), [("short_video", "en_US", "en"), ("short_video", "zh_CN", "zh")])
def test_gallery_draws_from_every_preset(preset, locale, lang):
    world = ops.generate_world(n_users=800, preset=preset, locale=locale, seed=2)
    for name in gallery_names():
        res = draw_entry(name, world, lang=lang)
        fig = res if isinstance(res, matplotlib.figure.Figure) else res.figure
        fig.canvas.draw()
        plt.close("all")
    steps = [t.get_text() for t in draw_entry("plot_funnel", world, lang=lang).get_xticklabels()]
    assert steps[0] == ops.label("event.app_open", lang)
