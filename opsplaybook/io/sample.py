"""A deliberately messy export, as a Chinese team's systems produce it, for the capstone (Module 07).

Made from the demo company: orders as GBK CSV with Chinese headers (and a few bad rows), members as
an Excel-style GBK CSV with names and phone numbers, the behaviour log as UTF-8 CSV with the team's
own event names. ``datasets/sample_export/`` holds the committed copy; a test proves it equals a
fresh :func:`write_sample_export`.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

__all__ = ["write_sample_export", "SAMPLE_BAD_ROWS"]

#: The planted problems: (file, data row, column, what) — the validation must find each.
SAMPLE_BAD_ROWS = (
    ("订单导出.csv", 6, "下单时间", "昨天"),
    ("订单导出.csv", 11, "实付金额", "免费"),
    ("订单导出.csv", 17, "会员ID", ""),
    ("订单导出.csv", 23, "实付金额", "-59.00"),
)
_EVENT_NAMES = {"visit": "启动App", "view": "浏览商品详情", "cart": "加入购物车", "checkout": "提交订单",
                "purchase": "支付成功", "share": "分享", "coupon_claim": "领取优惠券"}


def write_sample_export(out, *, users: int = 400, force: bool = False) -> Path:
    """Write the messy sample export (three files) into a new folder ``out``.

    The first ``users`` users of the demo company, their orders and events, renamed and encoded
    as a team's export would be; the rows of :data:`SAMPLE_BAD_ROWS` are broken on purpose.
    """
    from ..world import load_demo
    from .._files import atomic_dir

    w = load_demo()
    keep = set(w.users.user_id.iloc[:users])
    u = w.users[w.users.user_id.isin(keep)]
    o = w.orders[w.orders.user_id.isin(keep)].sort_values("ts").reset_index(drop=True)
    e = w.events[w.events.user_id.isin(keep) & w.events.event.isin(list(_EVENT_NAMES))].sort_values("ts")

    orders = pd.DataFrame({
        "订单号": o.order_id.map(lambda i: f"DD{int(i):08d}"),
        "会员ID": o.user_id.map(lambda i: f"M{int(i):06d}"),
        "下单时间": o.ts.dt.strftime("%Y-%m-%d %H:%M:%S"),
        "实付金额": o.amount.map(lambda v: f"{v:.2f}"),
        "商品类目": o.category,
        "是否用券": np.where(o.coupon_used, "是", "否"),
    })
    for file, row, col, value in SAMPLE_BAD_ROWS:
        if file == "订单导出.csv":
            orders.loc[row - 1, col] = value
    orders = pd.concat([orders, orders.iloc[[29]]], ignore_index=True)  # an exported row twice
    rng = np.random.default_rng(7)
    members = pd.DataFrame({
        "会员ID": u.user_id.map(lambda i: f"M{int(i):06d}"),
        "姓名": u.name,
        "手机号": [f"1{rng.choice([3, 5, 7, 8, 9])}{rng.integers(0, 10**9):09d}" for _ in range(len(u))],
        "注册时间": u.signup_ts.dt.strftime("%Y/%m/%d %H:%M"),
        "注册渠道": u.channel,
        "城市": u.city,
        "会员等级": u.member_level,
    })
    events = pd.DataFrame({
        "member_id": e.user_id.map(lambda i: f"M{int(i):06d}"),
        "event_time": e.ts.dt.strftime("%Y-%m-%dT%H:%M:%S"),
        "action": e.event.map(_EVENT_NAMES),
    })

    def write(tmp: Path) -> None:
        orders.to_csv(tmp / "订单导出.csv", index=False, encoding="gbk", lineterminator="\r\n")
        members.to_csv(tmp / "会员信息.csv", index=False, encoding="gbk", lineterminator="\r\n")
        events.to_csv(tmp / "行为日志.csv", index=False, encoding="utf-8")

    return atomic_dir(out, write, force=force)
