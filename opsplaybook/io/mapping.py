"""The mapping file: which of a team's columns and event names play which role for the kit.

A mapping is a small YAML file a team keeps beside its exports::

    version: 1
    tables:
      orders:
        file: 订单导出.csv          # optional; the command line can give the file instead
        columns:
          user: 用户ID
          time: 下单时间
          amount: 订单金额
          channel: 渠道
      events:
        columns: {user: 用户ID, time: 行为时间, event: 行为}
        events: {浏览商品: view, 加入购物车: cart, 支付成功: purchase}
    funnel: [visit, view, cart, purchase]

:func:`guess_mapping` writes a first version from the files' headers and values (``opsplaybook
mapping init FILE...``), with a comment per guess; :func:`load_mapping` reads one back (safe YAML
only) and checks every role and column against the data, naming both when something is wrong.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import ColumnNotFoundError, InvalidParameterError, did_you_mean

__all__ = ["ROLES", "PII_ROLES", "Mapping", "TableMapping", "guess_mapping", "load_mapping",
           "mapping_yaml", "check_required_roles", "check_mapping_columns"]

#: The roles a column can play, per table, with what the kit's functions call them.
ROLES: dict[str, dict[str, str]] = {
    "orders": {"user": "user_id", "time": "ts", "amount": "amount", "order_id": "order_id",
               "channel": "channel", "category": "category", "status": "status", "coupon": "coupon",
               "seller": "seller_id", "city": "city", "platform": "platform"},
    "events": {"user": "user_id", "time": "ts", "event": "event", "channel": "channel",
               "platform": "platform", "device": "device_id", "session": "session_id"},
    "users": {"user": "user_id", "signup_time": "signup_ts", "channel": "channel", "city": "city",
              "city_tier": "city_tier", "gender": "gender", "age": "age", "member_level": "member_level",
              "name": "name", "phone": "phone", "email": "email", "device": "device_id"},
}
#: Roles that hold personal data: masked or hashed in every export. Any table may have them.
PII_ROLES = ("name", "phone", "email")
for _roles in ROLES.values():
    _roles.update({r: r for r in PII_ROLES})
del _roles
#: Roles each table needs before any analysis can run on it.
REQUIRED = {"orders": ("user", "time", "amount"), "events": ("user", "time", "event"), "users": ("user",)}

# Header words per role, Chinese and English, most specific first. Matched on a normalised header
# (lower case, no spaces, underscores or brackets).
_HEADER_WORDS: dict[str, tuple[str, ...]] = {
    "order_id": ("订单号", "订单编号", "订单id", "orderid", "orderno", "order_id", "单号"),
    "user": ("用户id", "会员id", "客户id", "买家id", "用户编号", "会员编号", "客户编号", "userid", "uid",
             "customerid", "memberid", "buyerid", "用户", "会员", "客户", "user", "customer"),
    "signup_time": ("注册时间", "注册日期", "开户时间", "signuptime", "signupts", "registertime", "signupdate",
                    "createdat", "registered"),
    "time": ("下单时间", "支付时间", "付款时间", "成交时间", "行为时间", "事件时间", "发生时间", "访问时间", "时间",
             "日期", "eventtime", "timestamp", "ordertime", "createtime", "datetime", "ts", "time", "date"),
    "amount": ("实付金额", "支付金额", "订单金额", "成交金额", "付款金额", "实收金额", "金额", "销售额", "gmv",
               "amount", "revenue", "payment", "paid", "price", "total"),
    "event": ("事件名称", "事件", "行为类型", "行为", "动作", "eventname", "eventtype", "event", "action"),
    "channel": ("渠道", "来源渠道", "来源", "投放渠道", "channel", "source", "utmsource", "medium"),
    "category": ("品类", "类目", "商品类目", "商品分类", "category"),
    "status": ("订单状态", "状态", "status", "orderstatus"),
    "coupon": ("是否用券", "用券", "优惠券", "券", "coupon", "couponused", "voucher"),
    "seller": ("分销员", "导购", "销售员", "推荐人", "seller", "sellerid", "referrer"),
    "city_tier": ("城市等级", "城市线级", "citytier"),
    "city": ("城市", "所在城市", "city"),
    "platform": ("平台", "终端", "platform", "os"),
    "device": ("设备id", "设备号", "设备", "deviceid", "device", "imei", "idfa"),
    "session": ("会话id", "会话", "sessionid", "session"),
    "gender": ("性别", "gender", "sex"),
    "age": ("年龄", "age"),
    "member_level": ("会员等级", "等级", "memberlevel", "level", "tier"),
    "name": ("姓名", "名字", "用户名", "昵称", "name", "username", "nickname", "fullname"),
    "phone": ("手机号", "手机号码", "手机", "电话", "联系电话", "phone", "mobile", "tel"),
    "email": ("邮箱", "电子邮箱", "email", "mail"),
}
# Team event names → the kit's, besides the catalog's own zh/en labels of each event.
_EVENT_WORDS: dict[str, tuple[str, ...]] = {
    "visit": ("访问", "进入", "启动", "打开", "登录", "pageview", "pv", "sessionstart", "visit", "open", "launch"),
    "view": ("浏览", "查看", "商品详情", "详情页", "浏览商品", "viewitem", "productview", "view", "detail"),
    "cart": ("加购", "加入购物车", "购物车", "addtocart", "addcart", "cart"),
    "checkout": ("下单", "提交订单", "结算", "checkout", "placeorder", "order"),
    "purchase": ("支付", "支付成功", "付款", "购买", "成交", "purchase", "pay", "paid", "payment", "buy"),
    "share": ("分享", "share"), "invite": ("邀请", "invite"), "sign_in": ("签到", "signin", "checkin"),
    "coupon_claim": ("领券", "领取优惠券", "claimcoupon", "coupon"),
}
_PHONE = re.compile(r"^(\+?86[- ]?)?1[3-9]\d{9}$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[a-z]{2,}$", re.I)


def _norm(header: str) -> str:
    return re.sub(r"[\s_\-()（）\[\]【】.]", "", str(header)).lower()


@dataclass
class TableMapping:
    """One table's mapping: role → the team's column, and (events) team event name → kit event."""

    table: str
    columns: dict[str, str]
    file: str | None = None
    events: dict[str, str] = field(default_factory=dict)
    comments: dict[str, str] = field(default_factory=dict)  # role -> why it was guessed

    def rename(self) -> dict[str, str]:
        """``{team column: kit column}`` for :meth:`pandas.DataFrame.rename`."""
        return {col: ROLES[self.table][role] for role, col in self.columns.items()}

    @property
    def pii_columns(self) -> list[str]:
        return [self.columns[r] for r in PII_ROLES if r in self.columns]


@dataclass
class Mapping:
    """A whole mapping file: the tables and the funnel steps (kit event names)."""

    tables: dict[str, TableMapping]
    funnel: list[str] = field(default_factory=list)
    source: Path | None = None


def _table_kind(path: Path, columns: list[str]) -> str:
    """Tell orders, events or users from the file name first, then from the roles its headers fill."""
    name = _norm(path.stem)
    for kind, words in (("orders", ("订单", "order", "交易", "transaction", "sales", "销售")),
                        ("events", ("行为", "事件", "埋点", "event", "log", "click", "日志")),
                        ("users", ("用户", "会员", "客户", "user", "member", "customer"))):
        if any(w in name for w in words):
            return kind
    roles = {r for c in columns for r in _roles_for_header(c)}
    if "amount" in roles:
        return "orders"
    if "event" in roles:
        return "events"
    return "users"


def _roles_for_header(header: str) -> list[str]:
    h = _norm(header)
    exact = [role for role, words in _HEADER_WORDS.items() if h in words]
    if exact:
        return exact
    return [role for role, words in _HEADER_WORDS.items() if any(len(w) >= 2 and w in h for w in words)]


def _kit_event(name: str) -> str | None:
    """The kit's event for a team's event name, or None when nothing fits."""
    from ..labels import catalog

    n = _norm(name)
    words = {ev: set(ws) for ev, ws in _EVENT_WORDS.items()}
    for key, texts in catalog().items():
        if key.startswith("event."):
            words.setdefault(key[6:], set()).update(_norm(t) for t in texts.values())
    for ev, ws in words.items():  # exact first, then the longest word contained in the name
        if n in ws or n == ev:
            return ev
    best = max(((len(w), ev) for ev, ws in words.items() for w in ws if len(w) >= 2 and w in n), default=None)
    return best[1] if best else None


def _looks_like(values, role: str) -> float:
    """Share of sample values consistent with a role (used to confirm or find guesses)."""
    import pandas as pd

    s = pd.Series(values).dropna().astype(str).str.strip()
    s = s[s != ""]
    if s.empty:
        return 0.0
    if role in ("time", "signup_time"):
        parsed = pd.to_datetime(s, errors="coerce", format="mixed")
        return float(parsed.notna().mean()) if not s.str.fullmatch(r"-?\d+(\.\d+)?").all() else 0.0
    if role == "amount":
        return float(pd.to_numeric(s.str.replace(r"[,¥￥$ ]", "", regex=True), errors="coerce").notna().mean())
    if role == "phone":
        return float(s.str.replace(r"[\s-]", "", regex=True).str.match(_PHONE).mean())
    if role == "email":
        return float(s.str.match(_EMAIL).mean())
    return 1.0


def guess_mapping(files) -> Mapping:
    """A first mapping for a team's files, guessed from their headers and values.

    Each file is read (its first 2 000 rows) with :func:`opsplaybook.io.read_table`; its kind
    (orders, events, users) comes from the file name or the roles its headers fill; each role takes
    the first column whose header is a known word for it (Chinese or English) and whose values fit
    (times parse, amounts are numbers, phones look like phones). Columns whose headers say nothing
    are tried by their values for the time and amount roles. Every guess carries a comment saying why.

    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (d / "订单.csv").write_text("用户ID,下单时间,实付金额\\nu1,2025-01-02 10:00,9.9\\n", encoding="utf-8")
    >>> m = guess_mapping([d / "订单.csv"])
    >>> m.tables["orders"].columns
    {'user': '用户ID', 'time': '下单时间', 'amount': '实付金额'}
    """
    from .readers import read_table

    tables: dict[str, TableMapping] = {}
    for f in files:
        path = Path(f)
        df = read_table(path, dtype=str, nrows=2000)
        cols = [str(c) for c in df.columns]
        kind = _table_kind(path, cols)
        if kind in tables:
            raise InvalidParameterError(
                f"{path}: looks like a second {kind} table (the first is {tables[kind].file}). "
                "Give one file per table kind, or combine the files first.")
        chosen: dict[str, str] = {}
        comments: dict[str, str] = {}
        for col in cols:
            for role in _roles_for_header(col):
                if role not in ROLES[kind] or role in chosen or col in chosen.values():
                    continue
                fit = _looks_like(df[col], role)
                exact = _norm(col) in _HEADER_WORDS[role]
                if fit < 0.8 and not exact:  # a header that only contains a word must also fit by value
                    continue
                chosen[role] = col
                example = [] if role in PII_ROLES else df[col].dropna().astype(str).head(1).tolist()
                comments[role] = (f"header {col!r} reads as {role}"
                                  + (f"; values like {example[0]!r}" if example else "")
                                  + (f"; only {fit:.0%} of the first values fit: the validation will list the others"
                                     if fit < 0.8 else ""))
                break
        for role in ("time", "amount"):
            if role in ROLES[kind] and role not in chosen:
                for col in cols:
                    if col not in chosen.values() and _looks_like(df[col], role) >= 0.95:
                        chosen[role] = col
                        comments[role] = f"no header says {role}; the values of {col!r} fit (check this one)"
                        break
        for role in ("phone", "email"):  # personal data with an unhelpful header is still masked
            if role in ROLES[kind] and role not in chosen:
                for col in cols:
                    if col not in chosen.values() and _looks_like(df[col], role) >= 0.9:
                        chosen[role] = col
                        comments[role] = f"the values of {col!r} look like {role} numbers/addresses (personal data)"
                        break
        events: dict[str, str] = {}
        if kind == "events" and "event" in chosen:
            for name in sorted(df[chosen["event"]].dropna().astype(str).unique())[:100]:
                ev = _kit_event(name)
                events[name] = ev if ev is not None else name
                if ev is None:
                    comments[f"event:{name}"] = "not recognised: kept as it is"
        ordered = {r: chosen[r] for r in ROLES[kind] if r in chosen}
        tables[kind] = TableMapping(kind, ordered, file=str(path), events=events, comments=comments)
    mapping = Mapping(tables)
    mapping.funnel = default_funnel(mapping)
    return mapping


def default_funnel(mapping: Mapping) -> list[str]:
    """The funnel a guessed mapping starts with: the kit's steps its events map to, in funnel order."""
    if "events" not in mapping.tables:
        return []
    mapped = set(mapping.tables["events"].events.values())
    return [e for e in ("visit", "view", "cart", "checkout", "purchase") if e in mapped]


def mapping_yaml(mapping: Mapping) -> str:
    """The mapping as YAML text with a comment per guess and the roles left to fill listed."""
    import yaml

    out = ["# opsplaybook mapping: which of your columns plays which role.",
           "# Edit the right-hand sides; remove a line to leave a role unmapped.",
           "# Roles per table: " + "; ".join(f"{t}: {', '.join(r)}" for t, r in ROLES.items()),
           "version: 1", "tables:"]

    def q(v: str) -> str:
        return yaml.safe_dump(v, allow_unicode=True, default_style=None).strip().removesuffix("\n...").strip()

    for kind, tm in mapping.tables.items():
        out.append(f"  {kind}:")
        if tm.file:
            out.append(f"    file: {q(tm.file)}")
        out.append("    columns:")
        for role, col in tm.columns.items():
            why = tm.comments.get(role)
            out.append(f"      {role}: {q(col)}" + (f"  # {why}" if why else ""))
        missing = [r for r in REQUIRED[kind] if r not in tm.columns]
        for role in missing:
            out.append(f"      # {role}: ???   # REQUIRED: no column was recognised; name yours here")
        if kind == "events":
            out.append("    events:  # your event names -> the kit's (visit, view, cart, checkout, purchase …)")
            for name, target in tm.events.items():
                why = tm.comments.get(f"event:{name}")
                out.append(f"      {q(name)}: {q(target)}" + (f"  # {why}" if why else ""))
    steps = mapping.funnel or default_funnel(mapping)
    out.append(f"funnel: [{', '.join(steps)}]  # the kit's event names in funnel order")
    return "\n".join(out) + "\n"


def _fail(source: Path | None, msg: str) -> InvalidParameterError:
    return InvalidParameterError(f"{source or 'mapping'}: {msg}")


def load_mapping(path_or_dict, *, data: dict | None = None) -> Mapping:
    """Read a mapping (a YAML file or a dict) and check it.

    Parameters
    ----------
    path_or_dict : str, Path, dict or Mapping
        The mapping file (read with ``yaml.safe_load``: no Python objects, no code), its content, or
        a :class:`Mapping` read before (e.g. from :func:`guess_mapping`), checked again.
    data : dict, optional
        ``{table: DataFrame or list of column names}``: when given, every mapped column must exist.

    Raises
    ------
    InvalidParameterError
        Not YAML, an unknown table or role (the closest allowed one suggested), a required role
        unmapped, a column mapped to two roles.
    ColumnNotFoundError
        A mapped column is not in the data (naming the role, the column and the closest column).
    """
    import yaml

    source = None
    if isinstance(path_or_dict, Mapping):  # already read: checked again (and against ``data``) through its YAML
        source = path_or_dict.source
        raw = yaml.safe_load(mapping_yaml(path_or_dict))
    elif isinstance(path_or_dict, dict):
        raw = path_or_dict
    else:
        source = Path(path_or_dict)
        try:
            raw = yaml.safe_load(source.read_text(encoding="utf-8-sig"))
        except FileNotFoundError:
            raise InvalidParameterError(f"{source}: no such mapping file. Write one with "
                                        "`opsplaybook mapping init YOUR_FILES... > mapping.yaml`.") from None
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            where = f" (line {mark.line + 1}, column {mark.column + 1})" if mark else ""
            raise _fail(source, f"is not valid YAML{where}: {getattr(exc, 'problem', exc)}.") from None
    if not isinstance(raw, dict) or not isinstance(raw.get("tables"), dict):
        raise _fail(source, "needs a `tables:` section, e.g. `tables: {orders: {columns: {user: 用户ID, "
                            "time: 下单时间, amount: 订单金额}}}`.")
    unknown_top = set(raw) - {"version", "tables", "funnel"}
    if unknown_top:
        k = sorted(unknown_top)[0]
        raise _fail(source, f"unknown section {k!r}. Allowed: ['version', 'tables', 'funnel']."
                    + did_you_mean(k, ["version", "tables", "funnel"]))
    tables: dict[str, TableMapping] = {}
    for kind, spec in raw["tables"].items():
        if kind not in ROLES:
            raise _fail(source, f"unknown table {kind!r}. Allowed: {list(ROLES)}." + did_you_mean(kind, ROLES))
        spec = spec or {}
        cols = spec.get("columns") or {}
        if not isinstance(cols, dict):
            raise _fail(source, f"`tables.{kind}.columns` must map roles to column names, got {cols!r}.")
        seen: dict[str, str] = {}
        for role, col in cols.items():
            if role not in ROLES[kind]:
                raise _fail(source, f"unknown role {role!r} in table {kind!r}. Allowed: {list(ROLES[kind])}."
                            + did_you_mean(role, ROLES[kind]))
            if not isinstance(col, str) or not col.strip():
                raise _fail(source, f"role {role!r} of table {kind!r} must name a column, got {col!r}.")
            if col in seen:
                raise _fail(source, f"column {col!r} of table {kind!r} is mapped twice "
                                    f"(roles {seen[col]!r} and {role!r}). Map each column to one role.")
            seen[col] = role
        missing = [r for r in REQUIRED[kind] if r not in cols]
        if missing:
            raise _fail(source, f"table {kind!r} needs the role(s) {missing}; add e.g. "
                                f"`{missing[0]}: <your column>` under `tables.{kind}.columns`.")
        events = spec.get("events") or {}
        if not isinstance(events, dict):
            raise _fail(source, f"`tables.{kind}.events` must map your event names to the kit's.")
        tables[kind] = TableMapping(kind, dict(cols), file=spec.get("file"),
                                    events={str(k): str(v) for k, v in events.items()})
    funnel = raw.get("funnel") or []
    if not isinstance(funnel, list):
        raise _fail(source, f"`funnel` must be a list of event names, got {funnel!r}.")
    if funnel and "events" in tables:
        known = set(tables["events"].events.values()) | set(tables["events"].events)
        for step in funnel:
            if known and step not in known:
                raise _fail(source, f"funnel step {step!r} is not an event of the mapping. "
                                    f"Known: {sorted(known)}." + did_you_mean(step, known))
    mapping = Mapping(tables, [str(s) for s in funnel], source)
    if data is not None:
        check_mapping_columns(mapping, data)
    return mapping


def _column_names(table) -> list[str]:
    """Column names of any frame (a lazy one's schema, without collecting it) or a list of names."""
    if isinstance(table, (list, tuple)):
        return [str(c) for c in table]
    import narwhals as nw

    return [str(c) for c in nw.from_native(table).collect_schema().names()]


def check_required_roles(mapping: Mapping) -> None:
    """Every table of a (guessed) mapping has its required roles, or an error naming file, role and headers."""
    for kind, tm in mapping.tables.items():
        missing = [r for r in REQUIRED[kind] if r not in tm.columns]
        if missing:
            where = tm.file or kind
            raise InvalidParameterError(
                f"{where}: no column was recognised as the {kind} table's {', '.join(map(repr, missing))} "
                f"(mapped: {tm.columns or 'nothing'}). Write a mapping with `opsplaybook mapping init {where} "
                f"--out mapping.yaml`, name your column(s) for {missing[0]!r}, and pass --mapping mapping.yaml.")


def check_mapping_columns(mapping: Mapping, data: dict) -> None:
    """Every mapped column exists in its table's data; otherwise an error naming role and column."""
    for kind, tm in mapping.tables.items():
        if kind not in data:
            continue
        available = _column_names(data[kind])
        for role, col in tm.columns.items():
            if col not in available:
                where = f" ({tm.file})" if tm.file else ""
                raise ColumnNotFoundError(
                    f"{mapping.source or 'mapping'}: role {role!r} of table {kind!r} is mapped to column "
                    f"{col!r}, which is not in the data{where}. Available: {available}."
                    + did_you_mean(col, available, otherwise=" Fix the column name in the mapping."))
