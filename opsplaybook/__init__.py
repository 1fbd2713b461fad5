"""opsplaybook — a Jupyter workbook kit for user operations (用户运营) training.

Importing the package does nothing but define names: no data is loaded, no option is set, nothing
is sent anywhere, no sub-package is imported. Public functions live in sub-packages (``world``,
``analytics``, ``charts`` …) and are reachable from the top level, e.g. ``opsplaybook.generate_world``
or ``opsplaybook.funnel``: :data:`_EXPORTS` says which module holds each name, and that module is
imported the first time one of its names is used (``opsplaybook.funnel`` imports the analytics, not
matplotlib). A name that is not in the table raises AttributeError with the closest one.

A new public name of a sub-package is one line in :data:`_EXPORTS` (and one in the
``TYPE_CHECKING`` imports, which IDEs and type checkers read); ``tests/meta`` checks that every
``__all__`` name of the sub-packages below is in the table and that every entry resolves.
"""
from __future__ import annotations

import importlib

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (IDEs and type checkers read it as True)

__version__ = "0.1.0"

#: Every top-level name -> the module (relative to this package) that defines it.
_EXPORTS: dict[str, str] = {
    # labels: the label catalog
    "LANGS": "labels",
    "label": "labels",
    "labels_for": "labels",
    "get_lang": "labels",
    "set_lang": "labels",
    # errors: the error hierarchy and the checks that teach
    "OpsPlaybookError": "errors",
    "InvalidParameterError": "errors",
    "ColumnNotFoundError": "errors",
    "UnknownLabelError": "errors",
    "DataValidationError": "errors",
    "OutputExistsError": "errors",
    "closest": "errors",
    "did_you_mean": "errors",
    "check_choice": "errors",
    "check_lang": "errors",
    "check_columns": "errors",
    # world: the synthetic company
    "generate_world": "world",
    "write_world": "world",
    "load_world": "world",
    "load_demo": "world",
    "World": "world",
    "Truth": "world",
    "TABLES": "world",
    "PRESETS": "world",
    # analytics: event-log analytics on any engine
    "funnel": "analytics",
    "retention": "analytics",
    "RetentionResult": "analytics",
    "lifecycle": "analytics",
    "lifecycle_counts": "analytics",
    "lifecycle_transitions": "analytics",
    "posthog_lifecycle": "analytics",
    "rfm": "analytics",
    "rfm_strategy": "analytics",
    "kpis": "analytics",
    "revenue_drivers": "analytics",
    "aarrr": "analytics",
    "growth_decomposition": "analytics",
    "fractal_growth": "analytics",
    "kpi_tree": "analytics",
    "growth_change": "analytics",
    "fractal_drivers": "analytics",
    "user_features": "analytics",
    # models: course models on small tables
    "kano": "models",
    "kano_category": "models",
    "KANO_TABLE": "models",
    "van_westendorp": "models",
    "PriceSensitivityResult": "models",
    "ab_test": "models",
    "ABTestResult": "models",
    "sample_size": "models",
    "wilson_interval": "models",
    "newcombe_interval": "models",
    "channel_value": "models",
    "fraud_signals": "models",
    "tag_users": "models",
    "TagResult": "models",
    "load_tag_rules": "models",
    "tier_users": "models",
    "tier_summary": "models",
    "PYRAMID": "models",
    "segment_assessment": "models",
    "SegmentAssessment": "models",
    "find_personas": "models",
    "persona_cards": "models",
    "PersonaResult": "models",
    "event_mix": "models",
    "DEFAULT_TAG_RULES": "models",
    "default_tag_rules": "models",
    "tag_rules_yaml": "models",
    "pareto": "models",
    "ParetoResult": "models",
    # charts: charts, theme and fonts
    "set_theme": "charts",
    "format_number": "charts",
    "format_percent": "charts",
    "format_yuan": "charts",
    "number_formatter": "charts",
    "percent_formatter": "charts",
    "yuan_formatter": "charts",
    "color_for": "charts",
    "palette_for": "charts",
    "PALETTE": "charts",
    "KEY_COLORS": "charts",
    "SEQUENTIAL_CMAP": "charts",
    "DIVERGING_CMAP": "charts",
    "ensure_cjk_font": "charts",
    "cjk_font_name": "charts",
    "bundled_font_path": "charts",
    "CJK_FONT_CANDIDATES": "charts",
    "BUNDLED_FONT_FAMILY": "charts",
    "plot_scatter": "charts",
    "plot_bubble": "charts",
    "plot_jitter": "charts",
    "plot_counts": "charts",
    "plot_histogram": "charts",
    "plot_box": "charts",
    "plot_correlogram": "charts",
    "plot_pairs": "charts",
    "plot_diverging_bars": "charts",
    "plot_ordered_bars": "charts",
    "plot_area": "charts",
    "plot_density_histogram": "charts",
    "plot_funnel": "charts",
    "plot_retention_heatmap": "charts",
    "plot_retention_curves": "charts",
    "plot_lifecycle_area": "charts",
    "plot_posthog_lifecycle": "charts",
    "plot_sankey": "charts",
    "sankey_figure": "charts",
    "plot_rfm_heatmap": "charts",
    "plot_rfm_segments": "charts",
    "plot_pareto": "charts",
    "plot_kpi_dashboard": "charts",
    "plot_kpi_tree": "charts",
    "plot_revenue_waterfall": "charts",
    "plot_revenue_drivers_by": "charts",
    "squarify_rects": "charts",
    "plot_kano": "charts",
    "plot_positioning_map": "charts",
    "plot_price_sensitivity": "charts",
    "plot_channel_matrix": "charts",
    "plot_ab_result": "charts",
    "KANO_COLORS": "charts",
    "PSM_COLORS": "charts",
    "QUADRANT_COLORS": "charts",
    "plot_persona_map": "charts",
    "plot_tag_sizes": "charts",
    "plot_tag_overlap": "charts",
    # widgets: live explorers
    "revenue_driver_explorer": "widgets",
    "RevenueDriverState": "widgets",
    "ExplorerState": "widgets",
    "ExplorerInfo": "widgets",
    "explorers": "widgets",
    "register": "widgets",
    "persona_explorer": "widgets",
    "PersonaState": "widgets",
    "tag_rule_editor": "widgets",
    "TagEditorState": "widgets",
    # io: teams' own files
    "FileInfo": "io",
    "read_table": "io",
    "sniff_file": "io",
    "Mapping": "io",
    "TableMapping": "io",
    "guess_mapping": "io",
    "load_mapping": "io",
    "mapping_yaml": "io",
    "validate_tables": "io",
    "ValidationReport": "io",
    "Problem": "io",
    # reporting: the playbook run on a team's data
    "report": "reporting",
    "ReportResult": "reporting",
    "SUMMARY_SCHEMA": "reporting",
    # localization: results in the reader's language
    "localize": "localization",
}

#: Public names of a sub-package that are not offered at the top level, and why.
_NOT_AT_TOP = {
    "catalog": "labels.catalog() is reached as opsplaybook.labels.catalog(); opsplaybook.catalog is the "
               "sub-package of label data (importing it rebinds that attribute)",
}

#: Modules reachable as attributes (``opsplaybook.charts``), imported on first use.
_SUBMODULES = frozenset({*_EXPORTS.values(), "catalog", "cli", "workbook", "launcher", "classroom", "exercises",
                        "reporting"})

__all__ = sorted(_EXPORTS)

if TYPE_CHECKING:  # what static tools (IDEs, mypy, pyright) see; nothing is imported at run time
    from .labels import (
        LANGS, label, labels_for, get_lang, set_lang,
    )
    from .errors import (
        OpsPlaybookError, InvalidParameterError, ColumnNotFoundError, UnknownLabelError,
        DataValidationError, OutputExistsError, closest, did_you_mean, check_choice, check_lang,
        check_columns,
    )
    from .world import (
        generate_world, write_world, load_world, load_demo, World, Truth, TABLES, PRESETS,
    )
    from .analytics import (
        funnel, retention, RetentionResult, lifecycle, lifecycle_counts, lifecycle_transitions,
        posthog_lifecycle, rfm, rfm_strategy, kpis, revenue_drivers, aarrr, growth_decomposition,
        fractal_growth, kpi_tree, growth_change, fractal_drivers, user_features,
    )
    from .models import (
        kano, kano_category, KANO_TABLE, van_westendorp, PriceSensitivityResult, ab_test,
        ABTestResult, sample_size, wilson_interval, newcombe_interval, channel_value, fraud_signals,
        pareto, ParetoResult, tag_users, TagResult, load_tag_rules, tier_users, tier_summary, PYRAMID,
        segment_assessment, SegmentAssessment, find_personas, persona_cards, PersonaResult, event_mix,
        DEFAULT_TAG_RULES, default_tag_rules, tag_rules_yaml,
    )
    from .reporting import (
        report, ReportResult, SUMMARY_SCHEMA,
    )
    from .charts import (
        set_theme, format_number, format_percent, format_yuan, number_formatter, percent_formatter,
        yuan_formatter, color_for, palette_for, PALETTE, KEY_COLORS, SEQUENTIAL_CMAP,
        DIVERGING_CMAP, ensure_cjk_font, cjk_font_name, bundled_font_path, CJK_FONT_CANDIDATES,
        BUNDLED_FONT_FAMILY, plot_scatter, plot_bubble, plot_jitter, plot_counts, plot_histogram,
        plot_box, plot_correlogram, plot_pairs, plot_diverging_bars, plot_ordered_bars, plot_area,
        plot_density_histogram, plot_funnel, plot_retention_heatmap, plot_retention_curves,
        plot_lifecycle_area, plot_posthog_lifecycle, plot_sankey, sankey_figure, plot_rfm_heatmap,
        plot_rfm_segments, plot_pareto, plot_kpi_dashboard, plot_kpi_tree, plot_revenue_waterfall, plot_revenue_drivers_by, squarify_rects,
        plot_kano, plot_positioning_map, plot_price_sensitivity, plot_channel_matrix,
        plot_ab_result, KANO_COLORS, PSM_COLORS, QUADRANT_COLORS,
        plot_persona_map, plot_tag_sizes, plot_tag_overlap,
    )
    from .widgets import (
        revenue_driver_explorer, RevenueDriverState, ExplorerState, ExplorerInfo, explorers,
        register, persona_explorer, PersonaState, tag_rule_editor, TagEditorState,
    )
    from .io import (
        FileInfo, read_table, sniff_file, Mapping, TableMapping, guess_mapping, load_mapping,
        mapping_yaml, validate_tables, ValidationReport, Problem,
    )
    from .localization import (
        localize,
    )


def __getattr__(name: str):
    module = _EXPORTS.get(name)
    if module is not None:
        value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
        globals()[name] = value  # later look-ups skip this function
        return value
    if name in _SUBMODULES:
        return importlib.import_module(f"{__name__}.{name}")
    if name.startswith("__"):
        raise AttributeError(name)
    from .errors import did_you_mean  # the kit's one did-you-mean builder (standard library only)

    raise AttributeError(f"module 'opsplaybook' has no attribute {name!r}."
                         + did_you_mean(name, [*_EXPORTS, *_SUBMODULES]))


def __dir__() -> list[str]:
    return sorted({*globals(), *_EXPORTS, *_SUBMODULES})
