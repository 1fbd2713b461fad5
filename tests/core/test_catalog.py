"""The label catalog as a Chinese trainer reads it: complete in both languages, Chinese punctuation,
one term per concept, no two labels of one kind that a reader could not tell apart — and the
glossary page (docs/glossary.md) saying exactly what the catalog says."""
from __future__ import annotations

import re
import string
from collections import defaultdict
from pathlib import Path

import pytest

from opsplaybook.labels import LANGS, catalog, label

GLOSSARY = Path(__file__).resolve().parents[2] / "docs" / "glossary.md"

# Keys of one kind (same prefix) that share a label on purpose, with the reason.
SHARED_ON_PURPOSE = {
    ("zh", frozenset({"col.segment", "col.segment_key"})): "a segment's key column and its label column "
                                                            "hold the same thing (localize keeps one)",
    ("en", frozenset({"col.segment", "col.segment_key"})): "same as zh",
    ("zh", frozenset({"col.stage", "col.stage_label"})): "a stage's key column and its label column",
    ("en", frozenset({"col.stage", "col.stage_label"})): "same as zh",
    ("zh", frozenset({"ops.retention.rate", "ops.retention.colorbar"})): "the curve's axis and the "
                                                                         "heatmap's colour bar show one quantity",
    ("en", frozenset({"basic.counts.title", "basic.counts.title_rows"})): "English says 'count' for both "
                                                                          "人数 (users) and 数量 (rows)",
}

# Texts whose languages fill different fields on purpose (the caller passes all of them).
PLACEHOLDERS_DIFFER = {
    "widget.period.M": "the month as a number in Chinese (2025年3月), as a name in English (Mar 2025)",
}

# Families that are one kind although their keys differ in a middle part.
FAMILIES = {
    r"rfm_strategy\.(cn8|en11)\.[^.]+\.(rule|who|action)": lambda m: f"rfm_strategy.{m[1]}.*.{m[2]}",
}

# One concept, one Chinese term: keys that name the same definition must use the same term
# (the label without a trailing Latin abbreviation or bracketed note: 客单价ARPPU -> 客单价).
SAME_CONCEPT = {
    "GMV: total paid amount": ["kpi.gmv", "driver.gmv", "aarrr.metric.gmv", "kpi_tree.node.gmv"],
    "UV: distinct users with an event": ["kpi.uv", "driver.uv", "kpi_tree.node.uv"],
    "CVR: buyers / UV": ["kpi.cvr", "driver.cvr", "kpi_tree.node.cvr"],
    "P: GMV / buyers": ["kpi.arppu", "driver.p", "aarrr.metric.arppu", "kpi_tree.node.p"],
    "ARPU: GMV / UV": ["kpi.arpu", "aarrr.metric.arpu"],
    "mean amount per order": ["models.positioning.avg_order_value", "kpi_tree.node.aov"],
    "buyers": ["kpi.buyers", "aarrr.metric.buyers"],
    "new users": ["kpi.new_users", "aarrr.metric.new_users"],
    "RFM segment": ["col.segment", "col.segment_key", "ops.rfm.segment", "rfm_strategy.col.segment"],
    "lifecycle stage": ["col.stage", "col.stage_label", "ops.lifecycle.stage"],
}

# A Chinese word that means one definition may only label keys with that definition.
TERM_OWNERS = {
    # per buyer, never per order (the explorer's sentence names the factor P)
    "客单价": {"kpi.arppu", "driver.p", "aarrr.metric.arppu", "kpi_tree.node.p", "widget.drivers.summary",
            "kpi_tree.formula.gmv"},
    "笔单价": {"models.positioning.avg_order_value", "kpi_tree.node.aov", "kpi_tree.formula.p",
            "rfm_strategy.cn8.general_value.action"},
    "UV价值": {"kpi.arpu", "aarrr.metric.arpu"},
    "投产比": {"kpi.roi", "models.channel.quality.roi"},
}
# Key names that carry the definition: such keys may use the term without being listed above.
TERM_KEY_NAMES = {"客单价": ("arppu", "p"), "笔单价": ("aov", "avg_order_value"), "UV价值": ("arpu",),
                  "投产比": ("roi",)}
# Words a practitioner reads differently from what the kit computes (see docs/glossary.md).
MISLEADING = {
    "潜在用户": "prospects who have not signed up; the kit's stage is users who signed up and never came",
    "投资回报率": "(revenue - cost) / cost; the kit's ROI is revenue / spend (投产比)",
    "平均客单价": "客单价 is per buyer; the mean per order is 笔单价",
}


def _zh_term(text: str) -> str:
    return re.sub(r"（[^（）]*）$|[A-Za-z/ ]+$", "", text)


def _kind(key: str) -> str:
    for pattern, name in FAMILIES.items():
        m = re.fullmatch(pattern, key)
        if m:
            return name(m)
    return key.rsplit(".", 1)[0]


def _fields(text: str) -> set[str]:
    return {f for _, f, _, _ in string.Formatter().parse(text) if f is not None}


def test_every_key_has_every_language():
    bad = {k: v for k, v in catalog().items()
           if set(v) != set(LANGS) or not all(isinstance(v[lang], str) and v[lang].strip() for lang in LANGS)}
    assert not bad, f"keys without a non-empty text in each of {LANGS}: {bad}"


def test_chinese_uses_full_width_brackets_and_english_half_width():
    half = {k: v["zh"] for k, v in catalog().items() if re.search(r"[()]", v["zh"])}
    assert not half, f"Chinese labels with half-width brackets (use （ ）): {half}"
    full = {k: v["en"] for k, v in catalog().items() if re.search(r"[（）：，]", v["en"])}
    assert not full, f"English labels with full-width punctuation: {full}"
    unbalanced = {k: v["zh"] for k, v in catalog().items() if v["zh"].count("（") != v["zh"].count("）")}
    assert not unbalanced


def test_both_languages_fill_the_same_placeholders():
    bad = {k: (v["zh"], v["en"]) for k, v in catalog().items()
           if _fields(v["zh"]) != _fields(v["en"]) and k not in PLACEHOLDERS_DIFFER}
    assert not bad, f"zh and en texts with different {{placeholders}}: {bad}"


@pytest.mark.parametrize("lang", LANGS)
def test_no_two_keys_of_one_kind_share_a_label_by_accident(lang):
    groups = defaultdict(set)
    for key, texts in catalog().items():
        groups[(_kind(key), texts[lang])].add(key)
    clashes = {(kind, text): sorted(keys) for (kind, text), keys in groups.items()
               if len(keys) > 1 and (lang, frozenset(keys)) not in SHARED_ON_PURPOSE}
    assert not clashes, f"{lang} labels shared within one kind (rename, or allow with a reason): {clashes}"


def test_the_allow_list_is_still_needed():
    cat = catalog()
    for (lang, keys), reason in SHARED_ON_PURPOSE.items():
        assert reason
        texts = {cat[k][lang] for k in keys if k in cat}
        assert len(texts) <= 1, f"{sorted(keys)} no longer share a {lang} label: drop them from the allow-list"


def test_kind_grouping_sees_the_strategy_table_as_one_kind():
    assert _kind("rfm_strategy.cn8.important_value.who") == _kind("rfm_strategy.cn8.general_retain.who")
    assert _kind("rfm_strategy.cn8.important_value.who") != _kind("rfm_strategy.en11.lost.who")
    assert _kind("stage.new") == "stage" and _kind("rfm.cn8.important_value") == "rfm.cn8"


@pytest.mark.parametrize("concept", sorted(SAME_CONCEPT))
def test_one_concept_one_chinese_term(concept):
    cat = catalog()
    present = [k for k in SAME_CONCEPT[concept] if k in cat]
    assert len(present) >= 2 or concept == "mean amount per order", f"{concept}: keys missing from the catalog"
    terms = {k: _zh_term(cat[k]["zh"]) for k in present}
    assert len(set(terms.values())) == 1, f"{concept} is named differently: {terms}"


def test_zh_term_strips_only_the_abbreviation():
    assert _zh_term("客单价ARPPU") == _zh_term("客单价P") == "客单价"
    assert _zh_term("UV价值（ARPU）") == "UV价值" and _zh_term("用户粘性（DAU/MAU）") == "用户粘性"
    assert _zh_term("笔单价（元）") == "笔单价" and _zh_term("访客数UV") == "访客数"


@pytest.mark.parametrize("term", sorted(TERM_OWNERS))
def test_a_term_labels_only_its_own_definition(term):
    users = {k for k, v in catalog().items() if term in v["zh"]}
    assert users, f"{term!r} labels nothing any more: update TERM_OWNERS"
    # a key named after the definition may use its term anywhere (``report.figure.aov`` is 笔单价)
    others = {k for k in users - TERM_OWNERS[term] if k.rsplit(".", 1)[-1] not in TERM_KEY_NAMES.get(term, ())}
    assert not others, f"{term!r} also labels {sorted(others)}"


@pytest.mark.parametrize("word", sorted(MISLEADING))
def test_no_label_uses_a_misleading_word(word):
    users = {k: v["zh"] for k, v in catalog().items() if word in v["zh"]}
    assert not users, f"{word!r} reads as {MISLEADING[word]}: {users}"


def test_lifecycle_stage_and_posthog_status_names_never_collide():
    # PostHog's "returning" (active in both periods) is not the stage "returning" (came back)
    cat = catalog()
    stages = {k: v for k, v in cat.items() if k.startswith("stage.")}
    statuses = {k: v for k, v in cat.items() if k.startswith("posthog.")}
    for lang in LANGS:
        shared = {(s, p) for s in stages for p in statuses if stages[s][lang] == statuses[p][lang]}
        # both "New": a user new in the data (stage) and new in the period (status) read alike on purpose
        assert shared <= {("stage.new", "posthog.new")}, (lang, shared)
    assert label("stage.returning", "en") != label("posthog.returning", "en")
    assert label("stage.returning", "zh") != label("posthog.returning", "zh")


# --------------------------------------------------------------------------- the glossary page
_ROW = re.compile(r"^\|(?P<zh>[^|]+)\|(?P<en>[^|]+)\|(?P<definition>[^|]+)\|\s*`(?P<key>[A-Za-z0-9_.]+)`\s*\|\s*$")


def _glossary_rows() -> list[dict[str, str]]:
    rows = []
    for line in GLOSSARY.read_text(encoding="utf-8").splitlines():
        m = _ROW.match(line)
        if m:
            rows.append({k: v.strip() for k, v in m.groupdict().items()})
    return rows


def test_glossary_terms_are_the_catalog_labels():
    rows = _glossary_rows()
    assert len(rows) >= 60, "the glossary table lost its rows (or its format: | zh | en | definition | `key` |)"
    cat = catalog()
    unknown = [r["key"] for r in rows if r["key"] not in cat]
    assert not unknown, f"glossary keys not in the catalog: {unknown}"
    drift = {r["key"]: ((r["zh"], r["en"]), (cat[r["key"]]["zh"], cat[r["key"]]["en"]))
             for r in rows if (r["zh"], r["en"]) != (cat[r["key"]]["zh"], cat[r["key"]]["en"])}
    assert not drift, f"glossary (left) differs from the catalog (right): {drift}"
    keys = [r["key"] for r in rows]
    assert len(keys) == len(set(keys)), "a key appears twice in the glossary"
    assert all(len(r["definition"]) > 10 for r in rows), "every term needs a one-line definition"


def test_glossary_covers_every_stage_segment_status_and_kpi():
    listed = {r["key"] for r in _glossary_rows()}
    prefixes = ("stage.", "posthog.", "rfm.cn8.", "rfm.en11.", "kpi.", "driver.", "aarrr.", "persona.",
                "models.kano.")
    needed = {k for k in catalog() if k.startswith(prefixes) and not k.startswith("aarrr.metric.")}
    needed -= {"models.kano.title", "models.kano.xlabel", "models.kano.ylabel", "models.kano.legend"}
    assert not needed - listed, f"not in docs/glossary.md: {sorted(needed - listed)}"


def test_glossary_has_no_machine_paths():
    text = GLOSSARY.read_text(encoding="utf-8")
    assert not re.search(r"/tmp/|/work/|shared/", text)
