"""The checker's own sentences in both languages (``{fields}`` are filled in by ``core.text``).

Kept beside the exercise engine rather than in the chart/segment label catalog: these are message
templates with fields, read only by the checks and the grader.
"""
from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
    # headings of the feedback boxes
    "head.right": {"en": "Correct", "zh": "正确"},
    "head.wrong": {"en": "Incorrect", "zh": "不对"},
    "head.not_attempted": {"en": "Not attempted yet", "zh": "还没有作答"},
    "head.error": {"en": "Could not check", "zh": "无法检查"},
    "head.hint": {"en": "Hint {n}/{of}", "zh": "提示 {n}/{of}"},
    "head.solution": {"en": "Solution", "zh": "参考答案"},
    "right.default": {"en": "`{var}` is right.", "zh": "`{var}` 答对了。"},
    "not_attempted": {
        "en": "Replace `____` in `{var} = ____` with your answer, run the cell, then check again.",
        "zh": "把 `{var} = ____` 里的 `____` 换成你的答案，运行这个单元格，再检查一次。",
    },
    "undefined": {
        "en": "`{var}` is not defined yet: run the cell that assigns it (or the cells above it) first.",
        "zh": "还没有变量 `{var}`：先运行给它赋值的单元格（以及它上面的单元格）。",
    },
    "not_bound": {
        "en": "The checker cannot see your notebook yet: run the set-up cell with `ex.bind(globals())`.",
        "zh": "检查器还看不到你的笔记本：先运行包含 `ex.bind(globals())` 的准备单元格。",
    },
    "checker_failed": {
        "en": "The checker itself failed ({error}); tell the trainer. Your answer was not judged.",
        "zh": "检查器本身出错了（{error}），请告诉讲师。你的答案没有被评判。",
    },
    "uncheckable": {
        "en": "The expected answer cannot be computed from this data ({error}); tell the trainer.",
        "zh": "无法用这份数据算出标准答案（{error}），请告诉讲师。",
    },
    "hint.none": {"en": "This question has no hint; try `solution()`.", "zh": "这道题没有提示，可以看 `solution()`。"},
    "hint.range": {"en": "There are {of} hint(s): ask for `hint(1)` to `hint({of})`.",
                   "zh": "这道题共有 {of} 条提示：用 `hint(1)` 到 `hint({of})`。"},
    "hint.more": {"en": " (`hint({next})` gives the next one.)", "zh": "（`hint({next})` 查看下一条。）"},
    "strict": {"en": "OPSPLAYBOOK_STRICT is set and {q} is {outcome}: {message}",
               "zh": "已设置 OPSPLAYBOOK_STRICT，{q} 的结果是 {outcome}：{message}"},
    # numbers
    "number.type": {
        "en": "`{var}` should be a single number; it is {received_type} ({received}).",
        "zh": "`{var}` 应该是一个数字，现在却是 {received_type}（{received}）。",
    },
    "number.size": {
        "en": "`{var}` holds {size} values; the answer is one number (take it out with `.sum()`, `.iloc[0]` or `.item()`).",
        "zh": "`{var}` 里有 {size} 个值，答案只要一个数字（用 `.sum()`、`.iloc[0]` 或 `.item()` 取出来）。",
    },
    "number.nan": {"en": "`{var}` is NaN (not a number): an empty selection or a division by zero?",
                   "zh": "`{var}` 是 NaN（不是数字）：是不是筛选结果为空，或者除以了 0？"},
    "number.wrong": {"en": "`{var}` = {received}, expected {expected_text}.",
                     "zh": "`{var}` = {received}，正确答案是 {expected_text}。"},
    # frames
    "frame.type": {"en": "`{var}` should be a table (a DataFrame); it is {received_type}.",
                   "zh": "`{var}` 应该是一张表（DataFrame），现在却是 {received_type}。"},
    "frame.missing": {"en": "`{var}` lacks the column(s) {missing}; it has {columns}.",
                      "zh": "`{var}` 缺少列 {missing}；现在的列是 {columns}。"},
    "frame.extra": {"en": "`{var}` has column(s) that are not asked for: {extra}. Keep only {expected_columns}.",
                    "zh": "`{var}` 多了题目没要求的列：{extra}。只保留 {expected_columns}。"},
    "frame.rows": {"en": "`{var}` has {n_received} rows, expected {n_expected}.",
                   "zh": "`{var}` 有 {n_received} 行，应为 {n_expected} 行。"},
    "frame.values": {"en": "`{var}` has the right shape but {n_diff} row(s) differ; the first:\n\n{diff}",
                     "zh": "`{var}` 的形状对了，但有 {n_diff} 行的数值不一样，前几行：\n\n{diff}"},
    "frame.row": {"en": "row {row}: `{col}` is {got}, expected {want}", "zh": "第 {row} 行：`{col}` 是 {got}，应为 {want}"},
    # choices
    "choice.type": {"en": "`{var}` should be one of the options {options} (as text, e.g. `{var} = \"{first}\"`).",
                    "zh": "`{var}` 应该是选项 {options} 之一（写成文字，例如 `{var} = \"{first}\"`）。"},
    "choice.unknown": {"en": "{received} is not one of the options {options}.",
                       "zh": "{received} 不是选项 {options} 之一。"},
    "choice.wrong": {"en": "{received} is not the best option.", "zh": "{received} 不是最合适的选项。"},
    # charts
    "chart.type": {
        "en": "`{var}` should be the chart's Axes, e.g. `{var} = df.plot(...)` or `{var} = ops.plot_...(...)`; it is {received_type}.",
        "zh": "`{var}` 应该是图的 Axes，例如 `{var} = df.plot(...)` 或 `{var} = ops.plot_...(...)`；现在却是 {received_type}。",
    },
    "chart.artist": {"en": "The chart has no {artist}; this question asks for a {artist} chart.",
                     "zh": "图里没有{artist_zh}；这道题要画{artist_zh}图。"},
    "chart.data": {"en": "None of the chart's series is the data asked for ({n_expected} points expected; the chart has series of {lengths} points).",
                   "zh": "图里没有一条数据是题目要的（应有 {n_expected} 个点；图里数据的点数是 {lengths}）。"},
    "chart.title": {"en": "The chart has no title: say what it shows with `ax.set_title(...)`.",
                    "zh": "图没有标题：用 `ax.set_title(...)` 说明它画的是什么。"},
    "chart.ylabel": {"en": "The y axis has no label: name the measure and its unit with `ax.set_ylabel(...)`.",
                     "zh": "纵轴没有标签：用 `ax.set_ylabel(...)` 写出指标和单位。"},
    "chart.xlabel": {"en": "The x axis has no label: use `ax.set_xlabel(...)`.",
                     "zh": "横轴没有标签：用 `ax.set_xlabel(...)`。"},
    # open questions
    "open.type": {
        "en": "`{var}` should be a dict with your choice and your reasons: `{var} = {{\"choice\": \"B\", \"because\": \"...\"}}`; it is {received_type}.",
        "zh": "`{var}` 应该是一个字典，写出你的选择和理由：`{var} = {{\"choice\": \"B\", \"because\": \"……\"}}`；现在却是 {received_type}。",
    },
    "open.keys": {"en": "`{var}` lacks the key(s) {missing}: it needs \"choice\" and \"because\".",
                  "zh": "`{var}` 缺少键 {missing}：需要 \"choice\" 和 \"because\" 两项。"},
    "open.short": {"en": "Say why in a sentence or two (at least {min_chars} characters) in `\"because\"`.",
                   "zh": "请在 `\"because\"` 里用一两句话说明理由（至少 {min_chars} 个字）。"},
    "open.facts": {"en": "The choice is right, but the reasons do not say yet:",
                   "zh": "选择对了，但理由里还没有说到："},
}
