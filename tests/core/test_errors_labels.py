"""The error hierarchy, closest-match suggestions and the zh/en label catalog."""
from __future__ import annotations

import pytest

from opsplaybook import errors, labels


def test_errors_subclass_builtin_kinds():
    assert issubclass(errors.ColumnNotFoundError, KeyError)
    assert issubclass(errors.InvalidParameterError, ValueError)
    assert issubclass(errors.DataValidationError, ValueError)
    for cls in (errors.ColumnNotFoundError, errors.InvalidParameterError, errors.DataValidationError,
                errors.OutputExistsError):
        assert issubclass(cls, errors.OpsPlaybookError)


@pytest.mark.parametrize(
    ("value", "options", "expected"),
    [
        ("functional", ["dysfunctional", "functional_answer"], "functional_answer"),
        ("USER_ID", ["user_id", "ts"], "user_id"),
        ("time", ["user_id", "ts", "timestamp"], "timestamp"),
        ("amout", ["amount", "user_id"], "amount"),
        ("zzz", ["user_id", "ts"], None),
        ("onorafter", ["on", "on_or_after"], "on_or_after"),
    ],
)
def test_closest(value, options, expected):
    assert errors.closest(value, options) == expected


def test_check_columns_message_lists_available_and_suggests():
    with pytest.raises(errors.ColumnNotFoundError) as exc:
        errors.check_columns(["user_id", "event_time"], user_col="user_id", time_col="ts")
    msg = str(exc.value)
    assert "Column 'ts' given as `time_col` is not in the data" in msg
    assert "Available: ['user_id', 'event_time']" in msg


def test_check_choice():
    assert errors.check_choice("period", "W", ["D", "W", "M"]) == "W"
    with pytest.raises(errors.InvalidParameterError, match=r"`period`='w'.*Did you mean 'W'"):
        errors.check_choice("period", "w", ["D", "W", "M"])


def test_every_label_has_both_languages_and_no_key_twice():
    cat = labels.catalog()
    assert len(cat) > 100
    for key, texts in cat.items():
        assert texts.get("zh") and texts.get("en"), key


def test_label_language_switch():
    old = labels.get_lang()
    try:
        labels.set_lang("en")
        assert labels.label("stage.silent") == "Silent"
        assert labels.label("stage.silent", lang="zh") == "沉默用户"
        with pytest.raises(errors.InvalidParameterError):
            labels.set_lang("fr")
        with pytest.raises(errors.UnknownLabelError, match="No label 'stage.silnt'.*Did you mean 'stage.silent'"):
            labels.label("stage.silnt")
        assert labels.labels_for("rfm.cn8", lang="zh")["important_value"] == "重要价值客户"
    finally:
        labels.set_lang(old)


def test_unknown_label_is_the_kits_error_and_a_key_error():
    assert issubclass(errors.UnknownLabelError, errors.OpsPlaybookError)
    assert issubclass(errors.UnknownLabelError, KeyError)
    with pytest.raises(errors.UnknownLabelError) as exc:
        labels.label("qqqqqqqq")
    # shown as written (not repr()-quoted as a bare KeyError would), with a way forward when nothing is close
    assert str(exc.value).startswith("No label 'qqqqqqqq' in the catalog.")
    assert "catalog()" in str(exc.value)
    assert labels.label("zz.nothing.like.it", default="x") == "x"


@pytest.mark.parametrize("call", [
    lambda: labels.label("stage.silent", lang="fr"),
    lambda: labels.labels_for("stage", lang="EN"),
    lambda: labels.set_lang("de"),
    lambda: errors.check_lang("cn"),
])
def test_every_lang_check_is_check_lang(call):
    with pytest.raises(errors.InvalidParameterError, match=r"`lang`=.* is not allowed. Allowed: \['zh', 'en'\]"):
        call()


def test_check_lang_suggests_the_right_code():
    with pytest.raises(errors.InvalidParameterError, match="Did you mean 'en'"):
        errors.check_lang("EN")
