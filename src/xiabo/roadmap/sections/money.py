"""§6 财务清算与税务申报: shop closing, withdrawals, records and the annual tax filing.

A section builder reads rules through ``ctx`` (see :mod:`xiabo.roadmap.engine`) and adds
tasks, blockers and warnings.
"""

from __future__ import annotations

from ...money.brackets import percent
from ...rules import is_unknown
from ..planner import Dep
from ._common import L, has


# ---------------------------------------------------------------- shop (legal)
def build_shop(ctx) -> None:
    shop = ctx.p.shop
    if shop is None:
        return
    book = ctx.view.book
    notice = book.value("common.law.shop_close_notice_days", ctx.on)
    returns = book.value("common.law.consumer_return_days", ctx.on)
    ctx.rules.update({"common.law.shop_close_notice_days", "common.law.consumer_return_days"})
    ctx.add("shop-notice", "legal", "shop_notice", (L + "shop_notice.title", {"days": notice}),
            steps=[(L + "shop_notice.s1", {"days": notice}), (L + "shop_notice.s2", {})],
            rules=["common.law.shop_close_notice_days"])
    if shop.open_orders:
        ctx.add("ship-orders", "legal", "process_orders",
                (L + "ship_orders.title", {"n": shop.open_orders}),
                steps=[(L + "ship_orders.s1", {"n": shop.open_orders}), (L + "ship_orders.s2", {})],
                rules=["legal.process_unshipped_orders"])
        ctx.block("orders", "legal.process_unshipped_orders",
                  ("blockers.orders", {"n": shop.open_orders}), "ship-orders")
    close_deps = [Dep("shop-notice", notice, "legal")]
    if has(ctx, "ship-orders"):
        close_deps.append(Dep("ship-orders", 1))
    ctx.add("close-shop", "legal", "close_shop", (L + "close_shop.title", {}),
            steps=[(L + "close_shop.s1", {}), (L + "close_shop.s2", {})],
            rules=["common.law.shop_close_notice_days", "common.law.period_start_next_day",
                   "common.law.period_end_holiday_extends"],
            deps=close_deps, days=0, not_before=ctx.facts.get("orders_earliest_close"))
    ctx.add("returns-window", "legal", "process_orders", (L + "returns_window.title", {"days": returns}),
            steps=[(L + "returns_window.s1", {"days": returns}), (L + "returns_window.s2", {})],
            rules=["common.law.consumer_return_days", "legal.process_unshipped_orders"],
            deps=[Dep("close-shop", 1)], days=returns)


# ---------------------------------------------------------------- finance
def build_finance(ctx) -> None:
    m = ctx.p.money
    after_live = Dep("last-live", 1)
    money_deps: list[Dep] = []
    if m.diamonds:
        ctx.add("settle-gifts", "finance", "settle_gifts", (L + "settle_gifts.title", {}),
                steps=[(L + "settle_gifts.s1", {"n": f"{m.diamonds:,}"}), (L + "settle_gifts.s2", {})],
                rules=["finance.gift_share_rate", "finance.diamond_value_cny"], deps=[after_live])
        money_deps.append(Dep("settle-gifts", 1))
        ctx.block("gifts", "finance.gift_share_rate", ("blockers.gifts", {"n": f"{m.diamonds:,}"}),
                  "settle-gifts")
    if m.pending_gift_orders:
        ctx.add("gift-orders", "finance", "process_gift_orders", (L + "gift_orders.title", {}),
                steps=[(L + "gift_orders.s1", {"n": m.pending_gift_orders}), (L + "gift_orders.s2", {})],
                rules=["finance.clearing_items"], deps=[after_live])
        money_deps.append(Dep("gift-orders", 1))
        ctx.block("gift-orders", "finance.clearing_items",
                  ("blockers.gift_orders", {"n": m.pending_gift_orders}), "gift-orders")
    if has(ctx, "settle-agency"):
        money_deps.append(Dep("settle-agency", 1))
    requirement = ctx.value("deletion.balance_requirement")
    if m.balance_cny or m.diamonds or money_deps:
        ctx.add("withdraw", "finance", "withdraw", (L + "withdraw.title", {}),
                steps=[(L + "withdraw.s1", {"balance": f"{m.balance_cny:,.2f}"}),
                       (L + "withdraw.s2", {"requirement": requirement}),
                       (L + "withdraw.s3", {})],
                rules=["deletion.balance_requirement", "finance.withholding_rate"],
                deps=money_deps or [after_live])
        if ctx.view.find("deletion.wallet_items"):
            ctx.tasks[-1].steps.append((L + "withdraw.wallet", {"items": ctx.value("deletion.wallet_items")}))
            ctx.tasks[-1].rules.append(ctx.rule_id("deletion.wallet_items"))
        for key, step in (("finance.withdrawal", "withdraw.how"), ("finance.revenue_share", "withdraw.share")):
            rule = ctx.view.find(key)
            if rule is not None:  # the platform's own words (or what to check)
                what = ctx.value(key)
                if rule.unit == "ratio" and not is_unknown(what):
                    what = percent(what)
                ctx.tasks[-1].steps.append((L + step, {"what": what, "title": rule.title}))
                ctx.tasks[-1].rules.append(ctx.rule_id(key))
        if m.balance_cny:
            ctx.block("balance", "deletion.balance_requirement",
                      ("blockers.balance", {"balance": f"{m.balance_cny:,.2f}",
                                            "requirement": requirement}), "withdraw")
    # certificates and statements are issued on working days after the money arrives
    records_deps = [Dep("withdraw", 1, "working")] if has(ctx, "withdraw") else [after_live]
    ctx.add("tax-records", "finance", "tax_records", (L + "tax_records.title", {}),
            steps=[(L + "tax_records.s1", {"system": ctx.value("finance.tax_system")}),
                   (L + "tax_records.s2", {
                       "law_years": ctx.view.book.value("common.law.accounting_records_years", ctx.on),
                       "guide_years": ctx.value("finance.record_keeping_years")})],
            rules=["finance.tax_system", "finance.record_keeping_years",
                   "common.law.accounting_records_years"], deps=records_deps)
    if ctx.get("finance.foreign_income") is True:  # an overseas platform: foreign income
        ctx.tasks[-1].steps.append((L + "tax_records.foreign", {
            "how": ctx.view.book.value("common.tax.foreign_income_filing", ctx.on)}))
        ctx.tasks[-1].rules += [ctx.rule_id("finance.foreign_income"),
                                ctx.rule_id("common.tax.foreign_income_filing")]
    tax_declaration(ctx)


def _filing_window(book, year: int):
    """The law's filing window for ``year`` (None when an overlay lacks the rule); cached."""
    cache = book.memo("filing_windows")
    if year not in cache:
        from ...money.tax import filing_window

        try:
            cache[year] = filing_window(book, year)
        except LookupError:
            cache[year] = None
    return cache[year]


def tax_declaration(ctx) -> None:
    """The annual reconciliation for each year with streaming income (law: the next spring).

    The last income year's task is ``tax-declaration``; earlier years get ``tax-declaration-<year>``.
    """
    years = sorted(set(ctx.facts["income_years"]))
    for year in years:
        tid = "tax-declaration" if year == years[-1] else f"tax-declaration-{year}"
        deps = [Dep("tax-records", 1)] if year == years[-1] else []
        window = _filing_window(ctx.view.book, year)
        if window:
            start, end = window
            ctx.add(tid, "finance", "tax_declaration", (L + "tax_declaration.title", {"year": year}),
                    steps=[(L + "tax_declaration.s1", {"year": year, "start": start, "end": end}),
                           (L + "tax_declaration.s2", {})],
                    rules=["finance.clearing_items", "common.tax.reconciliation_window"],
                    deps=deps, not_before=start, days=(end - start).days + 1, exit_path=False)
            ctx.tasks[-1].deadline = end  # the law's window closes: a real deadline
            ctx.tasks[-1].deadline_what = ("plan.deadline.tax_window", {"year": year})
        else:
            ctx.add(tid, "finance", "tax_declaration", (L + "tax_declaration.title", {"year": year}),
                    steps=[(L + "tax_declaration.s_guide", {}), (L + "tax_declaration.s2", {})],
                    rules=["finance.clearing_items"], deps=deps or [Dep("evidence-setup", 0)],
                    exit_path=False)
        ctx.facts.setdefault("tax_windows", {})[year] = window
