"""A real browser on the workshop's JupyterLab: start it with the launcher (token on), open the built
Module 0 notebook in headless Chromium (Debian's ``chromium``, driven by Playwright), run all cells,
check that no cell shows an error or a warning, move the explorer's slider and dropdown and check
that the figure and the numbers change, check that no news/update prompt appears, and prove that
the Chinese text is drawn with the kit's bundled font.

Screenshots go to ``tests/browser/screenshots/`` (ignored by git): look at them.

Skipped with a message when Playwright or Chromium is missing (``make test`` installs Debian's
``chromium`` when run as root). The notebook is a parameter: ``OPSPLAYBOOK_BROWSER_NOTEBOOK=path``
(one or more paths separated by ``os.pathsep``); by default the built Module 0 notebook
``notebooks/zh/00-合成公司与运营数据体系.ipynb`` — or, until it is built, a small notebook made here
with Chinese markdown and the Module 0 explorer.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import time
import urllib.parse
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
SCREENSHOTS = Path(__file__).resolve().parent / "screenshots"
MODULE0 = REPO / "notebooks" / "zh" / "00-合成公司与运营数据体系.ipynb"
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--no-first-run"]
FAMILY = "OpsPlaybook Sans SC"
CJK = re.compile(r"[\u4e00-\u9fff]")

pytestmark = pytest.mark.slow


def _chromium() -> str | None:
    for candidate in (os.environ.get("OPSPLAYBOOK_CHROMIUM"), "/usr/bin/chromium", shutil.which("chromium"),
                      shutil.which("chromium-browser")):
        if candidate and Path(candidate).is_file():
            return candidate
    return None


def _notebooks() -> list[Path | None]:
    given = os.environ.get("OPSPLAYBOOK_BROWSER_NOTEBOOK")
    if given:
        return [Path(p) for p in given.split(os.pathsep) if p]
    return [MODULE0 if MODULE0.is_file() else None]  # None: a stand-in notebook made by the test


def _stand_in(folder: Path) -> Path:
    """Chinese markdown and the Module 0 explorer, for as long as Module 0 is not built."""
    import nbformat

    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_markdown_cell("# 合成公司与运营数据体系\n\n用户运营的核心公式：销售额 = 访客数 × 转化率 × 客单价。"
                                      "拖动下面的滑块，看看是哪个因素推动了销售额的变化。"),
        nbformat.v4.new_code_cell("import opsplaybook as ops\nworld = ops.load_demo()"),
        nbformat.v4.new_code_cell("from opsplaybook.widgets import revenue_driver_explorer\n"
                                  "revenue_driver_explorer(world, lang=\"zh\")"),
    ]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    path = folder / "00-合成公司（替身）.ipynb"
    nbformat.write(nb, path)
    return path


def _system_cjk_fonts() -> list[str]:
    if not shutil.which("fc-list"):
        return []
    out = subprocess.run(["fc-list", ":lang=zh", "family"], capture_output=True, text=True).stdout
    return sorted({line.strip() for line in out.splitlines() if line.strip()})


@pytest.fixture(scope="module")
def browser():
    sync_api = pytest.importorskip("playwright.sync_api", reason="the browser test needs Playwright: "
                                   "pip install playwright (it drives Debian's chromium; never `playwright install`)")
    exe = _chromium()
    if exe is None:
        pytest.skip("the browser test needs Chromium: apt-get install chromium (make test does it when root), "
                    "or set OPSPLAYBOOK_CHROMIUM=/path/to/chromium")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=exe, args=CHROMIUM_FLAGS)
        yield b
        b.close()


def _prompts(page) -> list[str]:
    return [e.text_content().strip() for e in page.query_selector_all(".jp-CodeCell .jp-InputPrompt")]


def _platform_fonts(page, selector: str) -> list[dict]:
    """The fonts Chromium really drew the text of ``selector`` with (DevTools CSS.getPlatformFontsForNode)."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("DOM.enable")
    cdp.send("CSS.enable")
    root = cdp.send("DOM.getDocument", {"depth": -1})["root"]["nodeId"]
    node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": selector})["nodeId"]
    assert node, f"nothing matches {selector!r}"
    fonts = cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]
    cdp.detach()
    return fonts


@pytest.mark.parametrize("notebook", _notebooks(), ids=lambda p: p.name if p else "stand-in")
def test_notebook_runs_and_explorer_reacts_in_a_real_browser(browser, notebook, tmp_path):
    from opsplaybook.launcher import start_lab

    # the learner's files are never touched: JupyterLab works on a copy
    work = tmp_path / "notebooks"
    work.mkdir()
    if notebook is None:
        nb_path = _stand_in(work)
    else:
        assert notebook.is_file(), f"OPSPLAYBOOK_BROWSER_NOTEBOOK: no notebook {notebook}"
        nb_path = work / notebook.name
        shutil.copyfile(notebook, nb_path)
    home = tmp_path / "kit"
    # every cell in the page (not only those scrolled into view), so the test can find them all
    user = home / "jupyter" / "config" / "lab" / "user-settings" / "@jupyterlab" / "notebook-extension"
    user.mkdir(parents=True)
    (user / "tracker.jupyterlab-settings").write_text(json.dumps({"windowingMode": "none"}), encoding="utf-8")
    SCREENSHOTS.mkdir(exist_ok=True)
    shot = SCREENSHOTS / nb_path.stem

    with start_lab(port=0, home=home, notebook_dir=work, timeout=120,
                   extra_args=["--LabApp.expose_app_in_browser=True"]) as lab:
        page = browser.new_page(viewport={"width": 1400, "height": 1600})
        try:
            page.goto(f"{lab.base}lab/tree/{urllib.parse.quote(nb_path.name)}?token={lab.token}")
            page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=90_000)
            page.wait_for_function(
                "() => { const w = window.jupyterapp && window.jupyterapp.shell.currentWidget;"
                " const k = w && w.sessionContext && w.sessionContext.session && w.sessionContext.session.kernel;"
                " return k && k.status === 'idle'; }", timeout=90_000)
            t0 = time.perf_counter()
            page.evaluate("window.jupyterapp.commands.execute('notebook:run-all-cells')")
            page.wait_for_function(
                "() => { const p = [...document.querySelectorAll('.jp-CodeCell .jp-InputPrompt')];"
                " return p.length > 0 && p.every(e => /\\[\\d+\\]/.test(e.textContent)); }", timeout=180_000)
            page.wait_for_function(
                "() => window.jupyterapp.shell.currentWidget.sessionContext.session.kernel.status === 'idle'",
                timeout=60_000)
            ran = time.perf_counter() - t0
            page.wait_for_selector(".opsplaybook-explorer img", timeout=60_000)
            page.wait_for_timeout(1500)  # let late toasts (news prompt) and fonts arrive
            page.evaluate("document.querySelectorAll('.jp-WindowedPanel-outer').forEach(e => { e.scrollTop = 0; })")
            page.wait_for_timeout(300)
            page.screenshot(path=str(shot) + "-top.png")

            # --- every cell ran, none shows an error or a warning
            prompts = _prompts(page)
            assert prompts and all(re.fullmatch(r"\[\d+\]:", p) for p in prompts), prompts
            stderr = [e.inner_text()[:300] for e in
                      page.query_selector_all('.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]')]
            assert not stderr, f"cells show errors or warnings: {stderr}"

            # --- no news or update prompt (the workshop runs offline)
            toasts = [e.inner_text() for e in page.query_selector_all(".Toastify__toast")]
            assert not toasts, f"a notification popped up: {toasts}"
            assert "Jupyter news" not in page.inner_text("body")

            # --- Chinese is drawn with the bundled font, whatever the machine has installed
            loaded = page.evaluate(
                f"async () => {{ await document.fonts.ready; return [...document.fonts]"
                f".filter(f => f.family.replace(/\"/g, '') === '{FAMILY}' && f.status === 'loaded').length; }}")
            assert loaded >= 1, "the bundled font was not loaded by the page"
            heading = page.query_selector(".jp-MarkdownCell .jp-RenderedMarkdown h1")
            assert heading is not None and CJK.search(heading.inner_text())
            used = _platform_fonts(page, ".jp-MarkdownCell .jp-RenderedMarkdown h1")
            cjk_glyphs = len(CJK.findall(heading.inner_text()))
            ours = sum(f["glyphCount"] for f in used if f["familyName"] == FAMILY)
            assert ours >= cjk_glyphs, (f"Chinese heading drawn with {used} (system CJK fonts: "
                                        f"{_system_cjk_fonts() or 'none'})")
            for widget_text in (".opsplaybook-explorer .widget-label", ".opsplaybook-explorer select",
                                ".jp-DirListing-itemText",  # the panels drawn before the notebook opened
                                "#jp-main-dock-panel .lm-TabBar-tab.lm-mod-current .lm-TabBar-tabLabel"):
                element = page.query_selector(widget_text)
                if element is None or not CJK.search(element.inner_text()):
                    continue  # e.g. an English notebook's file name
                fonts = _platform_fonts(page, widget_text)
                assert any(f["familyName"] == FAMILY for f in fonts), (widget_text, element.inner_text(), fonts)

            # --- the explorer reacts: move the compare slider, pick a breakdown
            explorer = page.query_selector(".opsplaybook-explorer")
            explorer.scroll_into_view_if_needed()
            img = explorer.query_selector("img.widget-image")
            table = lambda: explorer.query_selector(".opsplaybook-table").inner_text()  # noqa: E731
            src0, png0, table0 = img.get_attribute("src"), img.screenshot(), table()
            readouts0 = [e.inner_text() for e in explorer.query_selector_all(".widget-readout")]
            handle = explorer.query_selector_all(".noUi-handle")[1]  # the compare period
            box = handle.bounding_box()
            page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
            page.mouse.down()
            page.mouse.move(box["x"] - 150, box["y"] + box["height"] / 2, steps=8)
            page.mouse.up()
            page.wait_for_function("([el, src]) => el.getAttribute('src') !== src", arg=[img, src0], timeout=30_000)
            page.wait_for_timeout(300)
            readouts1 = [e.inner_text() for e in explorer.query_selector_all(".widget-readout")]
            assert readouts1[1] != readouts0[1] and readouts1[0] == readouts0[0], (readouts0, readouts1)
            assert readouts1[1] in table(), "the KPI table names the new compare period"
            assert table() != table0, "the KPI numbers did not change"
            assert img.screenshot() != png0, "the figure did not change"

            select = explorer.query_selector("select")
            src1 = img.get_attribute("src")
            select.select_option(label="获客渠道")
            page.wait_for_function("([el, src]) => el.getAttribute('src') !== src", arg=[img, src1], timeout=30_000)
            page.wait_for_timeout(300)
            tables = [t.inner_text() for t in explorer.query_selector_all(".opsplaybook-table")]
            assert len(tables) == 2 and "合计" in tables[0], tables[:1]
            explorer.screenshot(path=str(shot) + "-explorer.png")
            print(f"\n{nb_path.name}: ran all cells in {ran:.1f} s; prompts {prompts}; "
                  f"system CJK fonts: {_system_cjk_fonts() or 'none'}; heading drawn with {used}; "
                  f"screenshots {shot}-top.png, {shot}-explorer.png")
        finally:
            page.close()
