"""The mapping file: guessed from headers and values, read back safely, checked against the data."""
from __future__ import annotations

import pytest
import yaml

from opsplaybook.cli import main
from opsplaybook.errors import ColumnNotFoundError, InvalidParameterError
from opsplaybook.io import guess_mapping, load_mapping, mapping_yaml

ORDERS = ("用户ID,下单时间,实付金额,渠道,手机号,姓名\n"
          "u1,2025-01-02 10:00,9.9,抖音,13812345678,张三\nu2,2025-01-03 11:00,19.9,微信,13912345678,李四\n")
EVENTS = "uid,event_time,action\nu1,2025-01-02 10:00:00,浏览商品\nu1,2025-01-02 10:01:00,加入购物车\nu1,2025-01-02 10:02:00,支付成功\nu1,2025-01-02 10:03:00,摇一摇\n"


@pytest.fixture()
def files(tmp_path):
    o = tmp_path / "订单导出.csv"
    o.write_bytes(ORDERS.encode("gbk"))
    e = tmp_path / "behaviour_log.csv"
    e.write_text(EVENTS, encoding="utf-8")
    return o, e


def test_guess_from_chinese_and_english_headers(files):
    m = guess_mapping(files)
    assert m.tables["orders"].columns == {"user": "用户ID", "time": "下单时间", "amount": "实付金额",
                                          "channel": "渠道", "name": "姓名", "phone": "手机号"}
    assert m.tables["orders"].pii_columns == ["姓名", "手机号"]
    assert m.tables["events"].columns == {"user": "uid", "time": "event_time", "event": "action"}
    assert m.tables["events"].events == {"加入购物车": "cart", "摇一摇": "摇一摇", "支付成功": "purchase",
                                         "浏览商品": "view"}


def test_guess_by_values_when_headers_say_nothing(tmp_path):
    p = tmp_path / "orders.csv"
    p.write_text("会员,col_a,col_b\nu1,2025-01-02,12.5\nu2,2025-02-03,7\n", encoding="utf-8")
    cols = guess_mapping([p]).tables["orders"]
    assert cols.columns == {"user": "会员", "time": "col_a", "amount": "col_b"}
    assert "check this one" in cols.comments["time"]


def test_yaml_round_trip_with_comments_and_no_personal_data(files):
    text = mapping_yaml(guess_mapping(files))
    assert "# header '下单时间' reads as time" in text
    assert "13812345678" not in text and "张三" not in text  # guesses never copy personal data
    assert "# not recognised: kept as it is" in text
    m = load_mapping(yaml.safe_load(text))
    assert m.tables["orders"].rename()["下单时间"] == "ts"
    assert m.funnel == ["view", "cart", "purchase"]


def test_a_mapping_object_is_accepted_and_checked_again(files):
    m = guess_mapping(files)
    again = load_mapping(m)
    assert again.tables["orders"].columns == m.tables["orders"].columns and again.funnel == m.funnel
    assert again.tables["events"].events == m.tables["events"].events
    with pytest.raises(ColumnNotFoundError, match="下单时间"):  # checked against the data like a file is
        load_mapping(m, data={"orders": ["用户ID", "实付金额"], "events": ["uid", "event_time", "action"]})


def test_cli_writes_atomically_and_refuses_to_overwrite(files, tmp_path, capsys):
    out = tmp_path / "mapping.yaml"
    assert main(["mapping", "init", *map(str, files), "--out", str(out)]) == 0
    first = out.read_bytes()
    assert main(["mapping", "init", str(files[0]), "--out", str(out)]) == 2
    assert "already exists; nothing was written" in capsys.readouterr().err
    assert out.read_bytes() == first
    assert not list(tmp_path.glob(".mapping.yaml.*"))  # no partial file left behind
    assert load_mapping(out).tables["events"].columns["event"] == "action"


@pytest.mark.parametrize("raw,message", [
    ({"tables": {"order": {"columns": {"user": "u"}}}}, "unknown table 'order'.*Did you mean 'orders'"),
    ({"tables": {"orders": {"columns": {"user": "u", "tme": "t", "amount": "a"}}}},
     "unknown role 'tme' in table 'orders'.*Did you mean 'time'"),
    ({"tables": {"orders": {"columns": {"user": "u", "amount": "a"}}}}, r"needs the role\(s\) \['time'\]"),
    ({"tables": {"orders": {"columns": {"user": "u", "time": "u", "amount": "a"}}}}, "mapped twice"),
    ({"tables": {"orders": {"columns": {"user": "", "time": "t", "amount": "a"}}}}, "must name a column"),
    ({"tabels": {}}, "needs a `tables:` section"),
    ({"tables": {}, "funel": []}, "unknown section 'funel'.*Did you mean 'funnel'"),
    ({"tables": {"events": {"columns": {"user": "u", "time": "t", "event": "e"}, "events": {"浏览": "view"}}},
      "funnel": ["veiw"]}, "funnel step 'veiw' is not an event.*Did you mean 'view'"),
])
def test_bad_mappings_name_what_is_wrong(raw, message):
    with pytest.raises(InvalidParameterError, match=message):
        load_mapping(raw)


def test_mapped_column_missing_from_the_data(files):
    raw = {"tables": {"orders": {"file": "订单导出.csv", "columns": {"user": "用户ID", "time": "下单日期",
                                                                 "amount": "实付金额"}}}}
    with pytest.raises(ColumnNotFoundError, match=r"role 'time' of table 'orders' is mapped to column '下单日期'"
                                                  r".*Did you mean '下单时间'"):
        load_mapping(raw, data={"orders": ["用户ID", "下单时间", "实付金额"]})


def test_unsafe_yaml_is_refused(tmp_path):
    p = tmp_path / "m.yaml"
    p.write_text("tables: !!python/object/apply:os.system ['echo pwned']\n", encoding="utf-8")
    with pytest.raises(InvalidParameterError, match="not valid YAML"):
        load_mapping(p)
    p.write_text("tables: {orders: [\n", encoding="utf-8")
    with pytest.raises(InvalidParameterError, match=r"not valid YAML \(line 2"):
        load_mapping(p)
    with pytest.raises(InvalidParameterError, match="no such mapping file"):
        load_mapping(tmp_path / "none.yaml")


def test_a_guess_that_misses_a_required_role_says_what_to_do(tmp_path):
    from opsplaybook.io.mapping import check_required_roles
    p = tmp_path / "orders.csv"
    p.write_text("用户ID,备注,数值\nu1,a,x\n", encoding="utf-8")
    m = guess_mapping([p])
    with pytest.raises(InvalidParameterError, match=r"orders.csv: no column was recognised as the orders table's "
                                                    r"'time', 'amount'.*opsplaybook mapping init"):
        check_required_roles(m)


def test_an_exact_header_is_kept_even_when_some_values_are_bad(tmp_path):
    p = tmp_path / "orders.csv"
    p.write_text("用户ID,下单时间,实付金额\nu1,2025-01-02,9.9\nu2,昨天,-5\nu3,2025-01-03,免费\n", encoding="utf-8")
    m = guess_mapping([p]).tables["orders"]
    assert m.columns == {"user": "用户ID", "time": "下单时间", "amount": "实付金额"}
    assert "only 67% of the first values fit" in m.comments["time"]
