"""Write notebooks/90-Chart-Gallery.ipynb: one cell per chart of the kit, drawn from the demo world.

    python scripts/build_gallery_notebook.py
"""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from nbtools import code, md, write  # noqa: E402

from opsplaybook.charts.gallery import _first_line, gallery_entries  # noqa: E402

cells = [
    md("""
# 90 · Chart gallery (图表库)

Every chart of the kit, drawn from the demo world. Each cell calls `draw_entry(name)`; the function
behind it is named in the heading — look at its docstring (`ops.plot_funnel?`) for its parameters.
Switch the language with `ops.set_theme(lang="en")` and run the notebook again.
"""),
    code("""
import opsplaybook as ops
from opsplaybook.charts.gallery import draw_entry

ops.set_theme(lang="zh")
world = ops.load_demo()
"""),
]
for module, name, _draw, func in gallery_entries():
    title = f"`{func.__name__}`" if func is not None else f"`{name}`"
    if func is not None and func.__name__ != name:
        title += f" ({name.removeprefix(func.__name__).strip('_').replace('_', ' ')})"
    cells.append(md(f"## {title}\n\n{_first_line(func)}"))
    cells.append(code(f'draw_entry("{name}", world)'))
write(Path(__file__).parents[1] / "notebooks" / "90-Chart-Gallery.ipynb", cells)
