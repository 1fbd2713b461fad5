"""Course models on small tables (pandas + scipy): KANO, Van Westendorp price sensitivity, A/B tests,
channel value and traffic-fraud signals, value concentration (Pareto / 二八法则, Gini), the tag system
(标签体系), tiers (用户分层, the value pyramid) and segment assessment (用户群价值评估).

Each model is a function that takes a data frame first, everything else keyword-only (column names
default to the synthetic world's), and returns a DataFrame or a small result object. Pictures of
these results live in :mod:`opsplaybook.charts.model_charts`.
"""
from __future__ import annotations

from .abtest import ABTestResult, ab_test, newcombe_interval, sample_size, wilson_interval
from .channels import channel_value, fraud_signals
from .kano import KANO_TABLE, kano, kano_category
from .pareto import ParetoResult, pareto
from .personas import PersonaResult, event_mix, find_personas, persona_cards
from .pricing import PriceSensitivityResult, van_westendorp
from .segments import PYRAMID, SegmentAssessment, segment_assessment, tier_summary, tier_users
from .tag_rules import DEFAULT_TAG_RULES, default_tag_rules, tag_rules_yaml
from .tags import TagResult, load_tag_rules, tag_users

__all__ = [
    "kano",
    "kano_category",
    "KANO_TABLE",
    "van_westendorp",
    "PriceSensitivityResult",
    "ab_test",
    "ABTestResult",
    "sample_size",
    "wilson_interval",
    "newcombe_interval",
    "channel_value",
    "fraud_signals",
    "pareto",
    "ParetoResult",
    "tag_users",
    "TagResult",
    "load_tag_rules",
    "tier_users",
    "tier_summary",
    "PYRAMID",
    "segment_assessment",
    "SegmentAssessment",
    "find_personas",
    "persona_cards",
    "PersonaResult",
    "event_mix",
    "DEFAULT_TAG_RULES",
    "default_tag_rules",
    "tag_rules_yaml",
]
