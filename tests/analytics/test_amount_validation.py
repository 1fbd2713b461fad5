"""Text in an amount column gets the kit's own error on every engine, naming the column and a bad value."""
from __future__ import annotations

import pandas as pd
import pytest

import opsplaybook as ops
from opsplaybook.errors import DataValidationError


def _orders(amounts):
    return pd.DataFrame({
        "user_id": [1, 1, 2],
        "ts": pd.to_datetime(["2025-01-01", "2025-01-05", "2025-01-03"]),
        "amount": pd.Series(amounts, dtype="str"),
    })


def test_text_amount_is_refused_on_every_engine(constructor):
    data = constructor(_orders(["12.50", "30元", "7"]))
    with pytest.raises(DataValidationError, match=r"Column 'amount' given as `amount_col` holds text, e.g. '30元'"):
        ops.rfm(data, as_of="2025-02-01")


def test_text_amount_names_the_row_for_pandas():
    with pytest.raises(DataValidationError, match=r"'abc' \(row 2\)"):
        ops.rfm(_orders(["12.50", "30", "abc"]), as_of="2025-02-01")


def test_numeric_text_is_accepted_on_every_engine(constructor):
    from helpers import to_pandas

    out = to_pandas(ops.rfm(constructor(_orders(["12.50", " 30 ", "7"])), as_of="2025-02-01"))
    assert out.set_index("user_id")["monetary"].to_dict() == {1: 42.5, 2: 7.0}
