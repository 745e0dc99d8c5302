"""The guide's eight modules as task builders. Each reads rules through ``ctx`` and adds
tasks, blockers and warnings; the order of calls in :func:`xiabo.engine.build_tasks` matters
only for which tasks exist when a later builder links to them.
"""

from __future__ import annotations

from decimal import Decimal

from .planner import Dep

L = "tasks."  # catalogue prefix for task texts


def _has(ctx, task_id: str) -> bool:
    return task_id in ctx.ids


# ---------------------------------------------------------------- legal (start)
def build_legal_start(ctx) -> None:
    ctx.add("evidence-setup", "legal", "evidence", (L + "evidence_setup.title", {}),
            steps=[(L + "evidence_setup.s1", {}), (L + "evidence_setup.s2", {}),
                   (L + "evidence_setup.s3", {})],
            rules=["legal.record_evidence", "common.law.electronic_evidence"])


# ---------------------------------------------------------------- account
def build_account_status(ctx) -> None:
    p = ctx.p
    if p.account.status != "normal" or p.account.pending_violations:
        ctx.add("account-status", "account", "resolve_account_status",
                (L + "account_status.title", {}),
                steps=[(L + "account_status.s1", {"status": p.account.status,
                                                  "n": p.account.pending_violations}),
                       (L + "account_status.s2", {}), (L + "account_status.s3", {})],
                rules=["deletion.requires_normal_status", "deletion.requires_no_violations"])
    if p.account.status != "normal":
        ctx.block("account-status", "deletion.requires_normal_status",
                  ("blockers.account_status", {"status": p.account.status}), "account-status")
    if p.account.pending_violations:
        ctx.block("violations", "deletion.requires_no_violations",
                  ("blockers.violations", {"n": p.account.pending_violations}), "account-status")


# ---------------------------------------------------------------- contract
def build_contract(ctx) -> None:
    c = ctx.p.contract
    if not c.signed:
        return
    agency = c.agency or ""
    if not ctx.p.delete_account:
        ctx.add("rest-period", "contract", "negotiate_rest_period",
                (L + "rest_period.title", {"agency": agency}),
                steps=[(L + "rest_period.s1", {"agency": agency}), (L + "rest_period.s2", {}),
                       (L + "rest_period.s3", {})],
                rules=["comeback.rest_period"])
        return
    notice_days = c.notice_days if c.notice_days is not None else ctx.value("contract.notice_days")
    ctx.facts["notice_days"] = notice_days
    notice_rules = ["contract.notice_days"] if c.notice_days is None else []
    if c.kind == "labour":
        notice_rules.append("common.law.labour_notice_days")
    steps = [(L + "mcn_notice.s1", {}), (L + "mcn_notice.s2", {"days": notice_days}),
             (L + "mcn_notice.s3", {}), (L + "mcn_notice.s4", {})]
    ctx.add("mcn-notice", "contract", "mcn_notice", (L + "mcn_notice.title", {"agency": agency}),
            steps=steps, rules=notice_rules + ["contract.legal_review"],
            not_before=c.notice_sent_on, days=1 if c.notice_sent_on is None else 0,
            milestone="mcn_notice")
    if c.notice_sent_on is not None and "mcn-notice" not in ctx.p.progress:
        ctx.tasks[-1].done = c.notice_sent_on
    ctx.add("mcn-termination", "contract", "mcn_termination",
            (L + "mcn_termination.title", {"agency": agency}),
            steps=[(L + "mcn_termination.s1", {"days": notice_days}), (L + "mcn_termination.s2", {})],
            rules=notice_rules + ["common.law.period_start_next_day",
                                  "common.law.period_end_holiday_extends"],
            deps=[Dep("mcn-notice", notice_days, "legal")], days=0, milestone="mcn_termination")
    settle_steps = [(L + "settle_agency.s1", {"items": ctx.value("contract.settle_items")}),
                    (L + "settle_agency.s2", {})]
    settle_rules = ["contract.settle_items"]
    protection = ctx.get("contract.creator_protection_plan")
    if protection:
        settle_steps.append((L + "settle_agency.protection", {"text": protection}))
        settle_rules.append("contract.creator_protection_plan")
    ctx.add("settle-agency", "contract", "settle_agency",
            (L + "settle_agency.title", {"agency": agency}), steps=settle_steps,
            rules=settle_rules, deps=[Dep("mcn-notice", 1)])
    ctx.block("contract", "contract.notice_days", ("blockers.contract", {"agency": agency}),
              "mcn-termination", lapses=True)
    months = c.non_compete_months
    if months:
        nc_rules = ["contract.non_compete_years"]
        nc_steps = [(L + "non_compete.s1", {"months": months}), (L + "non_compete.s2", {})]
        if c.kind == "labour":
            nc_rules += ["common.law.labour_non_compete_max_months",
                         "common.law.non_compete_unpaid_months"]
            nc_steps.append((L + "non_compete.labour", {
                "max": ctx.view.book.value("common.law.labour_non_compete_max_months", ctx.on),
                "unpaid": ctx.view.book.value("common.law.non_compete_unpaid_months", ctx.on)}))
        else:
            nc_steps.append((L + "non_compete.cooperation", {}))
        ctx.add("non-compete-end", "contract", "non_compete",
                (L + "non_compete.title", {"months": months}), steps=nc_steps, rules=nc_rules,
                deps=[Dep("mcn-termination", months, "months")], days=0, exit_path=False,
                milestone="non_compete_end")
    if c.penalty_cny:
        ratio = ctx.view.book.value("common.law.penalty_excessive_ratio", ctx.on)
        ctx.warn("penalty", ("warnings.penalty", {"penalty": f"{c.penalty_cny:,.2f}",
                                                  "pct": f"{Decimal(ratio) * 100:.0f}"}),
                 ["common.law.penalty_excessive_ratio"])


# ---------------------------------------------------------------- data
def build_data(ctx) -> None:
    classes = list(ctx.value("data.classes"))
    if ctx.p.shop is None and "sales" in classes:
        classes.remove("sales")
    media = ctx.value("data.backup_media")
    for cls in classes:
        tid = f"backup-{cls}"
        method = ctx.value(f"data.{cls}.method")
        ctx.add(tid, "data", "backup", (L + f"backup.title_{cls}", {}),
                steps=[(L + "backup.s_get", {"method": method}),
                       (L + "backup.s_copy", {"media": media}),
                       (L + "backup.s_verify", {"cls": cls})],
                rules=["data.classes", f"data.{cls}.method", "data.backup_media",
                       "common.practice.backup_copies"])
        found = ctx.facts["backups"].get(cls)
        if found:  # what `xiabo backup status` knows about this class
            spec = ctx.tasks[-1]
            spec.steps.append((L + "backup.s_status", {
                "copies": found["copies"], "media": found["media"], "offsite": found["offsite"],
                "need_copies": ctx.view.book.value("common.practice.backup_copies", ctx.on),
                "need_media": ctx.view.book.value("common.practice.backup_media", ctx.on),
                "need_offsite": ctx.view.book.value("common.practice.backup_offsite", ctx.on)}))
            spec.rules += ["common.practice.backup_media", "common.practice.backup_offsite"]
            ctx.rules.update(spec.rules)
        verified = bool(found and found.get("has_verified"))
        if cls not in ctx.p.data.backed_up and not verified:
            ctx.block(f"backup:{cls}", "data.classes", ("blockers.backup", {"cls": (L + f"cls.{cls}")}),
                      tid)
        elif ctx.tasks[-1].done is None:
            # already backed up before the plan started (or verified by xiabo backup)
            when = found.get("last_verified") if found else None
            ctx.tasks[-1].done = when if (when and when >= ctx.on) else ctx.on
    retention = ctx.get("data.recordings.cloud_retention_months")
    if retention:
        ctx.warn("recordings-retention", ("warnings.retention", {"months": retention}),
                 [ctx.rule_id("data.recordings.cloud_retention_months")])
    ctx.facts["data_classes"] = classes


# ---------------------------------------------------------------- fans
def build_fans(ctx) -> None:
    p = ctx.p
    wind_down_at = ctx.value("fans.wind_down_followers")
    monitor_at = ctx.value("fans.opinion_monitoring_followers")
    if p.followers >= wind_down_at:
        days = ctx.value("fans.wind_down_days")
        interval = ctx.value("fans.wind_down_video_interval_days")
        ctx.add("wind-down", "fans", "wind_down", (L + "wind_down.title", {"days": days}),
                steps=[(L + "wind_down.s1", {"days": interval}), (L + "wind_down.s2", {}),
                       (L + "wind_down.s3", {})],
                rules=["fans.wind_down_followers", "fans.wind_down_days",
                       "fans.wind_down_video_interval_days"], days=days)
        ctx.facts["wind_down"] = {"days": days, "interval": interval}
        before_last = Dep("wind-down", 1)
    else:
        lead = ctx.value("fans.announce_lead_days")
        ctx.add("pre-announce", "fans", "announce", (L + "pre_announce.title", {"days": lead}),
                steps=[(L + "pre_announce.s1", {"days": lead}), (L + "pre_announce.s2", {})],
                rules=["fans.announce_lead_days"])
        before_last = Dep("pre-announce", lead)
    cs = ctx.value("fans.customer_service_account")
    ctx.add("last-live", "fans", "announce", (L + "last_live.title", {}),
            steps=[(L + "last_live.s1", {}), (L + "last_live.s2", {}), (L + "last_live.s3", {})],
            rules=["fans.announce_channels"], deps=[before_last], milestone="last_live")
    ctx.add("pinned-video", "fans", "announce", (L + "pinned_video.title", {"cs": cs}),
            steps=[(L + "pinned_video.s1", {"cs": cs}), (L + "pinned_video.s2", {})],
            rules=["fans.announce_channels", "fans.customer_service_account"],
            deps=[Dep("last-live", 0)])
    for channel in p.channels:
        ctx.add(f"announce-{channel}", "fans", "announce",
                (L + "announce.title", {"channel": L + f"channels.{channel}"}),
                steps=[(L + "announce.s1", {"channel": L + f"channels.{channel}"}),
                       (L + "announce.s2", {})],
                rules=["fans.announce_channels"], deps=[Dep("last-live", 1)])
    transition = ctx.value("fans.transition_days")
    ctx.add("auto-reply", "fans", "auto_reply", (L + "auto_reply.title", {"days": transition}),
            steps=[(L + "auto_reply.s1", {}), (L + "auto_reply.s2", {"days": transition}),
                   (L + "auto_reply.s3", {})],
            rules=["fans.transition_days"], deps=[Dep("last-live", 1)], days=transition,
            milestone="transition_end")
    if p.followers >= monitor_at:
        ctx.add("opinion-monitoring", "fans", "opinion_monitoring",
                (L + "opinion_monitoring.title", {}),
                steps=[(L + "opinion_monitoring.s1", {}), (L + "opinion_monitoring.s2", {}),
                       (L + "opinion_monitoring.s3", {})],
                rules=["fans.opinion_monitoring_followers", "fans.transition_days"],
                deps=[Dep("last-live", 0)], days=transition + 1)
    ctx.block("transition", "fans.transition_days", ("blockers.transition", {"days": transition}),
              "auto-reply", lapses=True)
    if not p.delete_account:
        ctx.add("keep-active", "fans", "keep_active", (L + "keep_active.title", {}),
                steps=[(L + "keep_active.s1", {}), (L + "keep_active.s2", {})],
                rules=["fans.wind_down_video_interval_days", "comeback.rest_period"],
                deps=[Dep("last-live", 1)], exit_path=False)


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
    if _has(ctx, "ship-orders"):
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
    if _has(ctx, "settle-agency"):
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
        if m.balance_cny:
            ctx.block("balance", "deletion.balance_requirement",
                      ("blockers.balance", {"balance": f"{m.balance_cny:,.2f}",
                                            "requirement": requirement}), "withdraw")
    # certificates and statements are issued on working days after the money arrives
    records_deps = [Dep("withdraw", 1, "working")] if _has(ctx, "withdraw") else [after_live]
    ctx.add("tax-records", "finance", "tax_records", (L + "tax_records.title", {}),
            steps=[(L + "tax_records.s1", {"system": ctx.value("finance.tax_system")}),
                   (L + "tax_records.s2", {
                       "law_years": ctx.view.book.value("common.law.accounting_records_years", ctx.on),
                       "guide_years": ctx.value("finance.record_keeping_years")})],
            rules=["finance.tax_system", "finance.record_keeping_years",
                   "common.law.accounting_records_years"], deps=records_deps)
    _tax_declaration(ctx)


def _filing_window(book, year: int):
    """The law's filing window for ``year`` (None when an overlay lacks the rule); cached."""
    cache = book.memo("filing_windows")
    if year not in cache:
        from .money.tax import filing_window

        try:
            cache[year] = filing_window(book, year)
        except LookupError:
            cache[year] = None
    return cache[year]


def _tax_declaration(ctx) -> None:
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
        else:
            ctx.add(tid, "finance", "tax_declaration", (L + "tax_declaration.title", {"year": year}),
                    steps=[(L + "tax_declaration.s_guide", {}), (L + "tax_declaration.s2", {})],
                    rules=["finance.clearing_items"], deps=deps or [Dep("evidence-setup", 0)],
                    exit_path=False)
        ctx.facts.setdefault("tax_windows", {})[year] = window


# ---------------------------------------------------------------- legal (cleanup)
def build_legal_cleanup(ctx) -> None:
    deps = [Dep("backup-recordings", 1)] if _has(ctx, "backup-recordings") else []
    ctx.add("remove-media", "legal", "remove_unlicensed_media", (L + "remove_media.title", {}),
            steps=[(L + "remove_media.s1", {}), (L + "remove_media.s2", {})],
            rules=["legal.remove_unlicensed_media"], deps=deps)
    ctx.add("backup-final", "data", "backup", (L + "backup.title_final", {}),
            steps=[(L + "backup.s_final", {}), (L + "backup.s_verify", {"cls": "recordings"})],
            rules=["data.classes"], deps=[Dep("auto-reply", 1)], days=1)
    fan_deps = [Dep("backup-final", 0)]
    if _has(ctx, "backup-fan_profile"):
        fan_deps.append(Dep("backup-fan_profile", 1))
    ctx.add("delete-fan-contacts", "legal", "delete_fan_contacts",
            (L + "delete_fan_contacts.title", {}),
            steps=[(L + "delete_fan_contacts.s1", {}), (L + "delete_fan_contacts.s2", {}),
                   (L + "delete_fan_contacts.s3", {})],
            rules=["legal.delete_fan_contacts", "common.law.pipl_delete"], deps=fan_deps)


# ---------------------------------------------------------------- account deletion
def build_account_deletion(ctx) -> None:
    p = ctx.p
    unbind_deps = [Dep(t, 1) for t in ("withdraw", "tax-records") if _has(ctx, t)]
    bindings = list(p.account.bindings)
    for binding in bindings:
        tid = f"unbind-{binding}"
        ctx.add(tid, "account", "unbind", (L + "unbind.title", {"binding": L + f"bindings.{binding}"}),
                steps=[(L + "unbind.s1", {"binding": L + f"bindings.{binding}"}), (L + "unbind.s2", {})],
                rules=["deletion.requires_unbinding"], deps=unbind_deps)
        ctx.block(f"binding:{binding}", "deletion.requires_unbinding",
                  ("blockers.binding", {"binding": L + f"bindings.{binding}"}), tid)
    if not p.delete_account:
        return
    prereq = [t.id for t in ctx.tasks if t.exit_path and t.id not in ("evidence-setup",)
              and t.kind not in ("announce", "non_compete", "opinion_monitoring")]
    verification = ctx.value("deletion.identity_verification")
    ctx.add("verify-identity", "account", "verify_identity", (L + "verify_identity.title", {}),
            steps=[(L + "verify_identity.s1", {"methods": verification}), (L + "verify_identity.s2", {})],
            rules=["deletion.identity_verification"], deps=[Dep(t, 1) for t in prereq])
    review = ctx.value("deletion.review_days")
    ctx.add("apply-deletion", "account", "apply_deletion", (L + "apply_deletion.title", {}),
            steps=[(L + "apply_deletion.s1", {"path": ctx.value("deletion.path")}),
                   (L + "apply_deletion.s2", {}), (L + "apply_deletion.s3", {})],
            rules=["deletion.path", "deletion.requires_unbinding", "deletion.balance_requirement"],
            deps=[Dep("verify-identity", 0)], milestone="deletion_apply")
    if ctx.view.find("deletion.terminated_by_open_items"):
        ctx.tasks[-1].steps.append((L + "apply_deletion.terminated", {}))
        ctx.tasks[-1].rules.append(ctx.rule_id("deletion.terminated_by_open_items"))
    ctx.add("deletion-review", "account", "await_review", (L + "deletion_review.title", {"days": review}),
            steps=[(L + "deletion_review.s1", {"days": review}), (L + "deletion_review.s2", {}),
                   (L + "deletion_review.s3", {})],
            rules=["deletion.review_days"], deps=[Dep("apply-deletion", 1)], days=review,
            milestone="deletion_complete")


# ---------------------------------------------------------------- equipment
def build_equipment(ctx) -> None:
    if not ctx.p.equipment:
        return
    electronic = set(ctx.value("equipment.electronic_types"))
    after = "deletion-review" if _has(ctx, "deletion-review") else "auto-reply"
    for i, device in enumerate(ctx.p.equipment, start=1):
        needs_wipe = device.type in electronic or device.os in ("ios", "android", "windows", "macos")
        deps = [Dep(after, 1)]
        if needs_wipe:
            wipe_key = {"ios": "equipment.wipe_ios", "android": "equipment.wipe_android"}.get(device.os or "")
            steps = [(L + "wipe.s_backup", {"name": device.name})]
            rules = ["equipment.disposal_paths"]
            if wipe_key:
                steps.append((L + "wipe.s_os", {"how": ctx.value(wipe_key)}))
                rules.append(wipe_key)
            else:
                steps.append((L + "wipe.s_generic", {}))
            steps.append((L + "wipe.s_check", {}))
            ctx.add(f"wipe-{i}", "equipment", "wipe_device", (L + "wipe.title", {"name": device.name}),
                    steps=steps, rules=rules, deps=deps)
            deps = [Dep(f"wipe-{i}", 1)]
        elif device.disposal != "keep":
            deps = [Dep("last-live", 1)]
        if device.disposal == "keep":
            if not needs_wipe:
                continue
            ctx.tasks[-1].steps.append((L + "wipe.s_keep", {}))
            continue
        steps = [(L + f"dispose.{device.disposal}", {"name": device.name})]
        rules = ["equipment.disposal_paths"]
        if device.disposal == "donate":
            steps.append((L + "dispose.donate_receipt", {}))
            rules.append("equipment.donation_deduction")
        ctx.add(f"dispose-{i}", "equipment", "dispose_device",
                (L + "dispose.title", {"name": device.name, "how": L + f"disposals.{device.disposal}"}),
                steps=steps, rules=rules, deps=deps)


# ---------------------------------------------------------------- comeback
def build_comeback(ctx) -> None:
    plan = ctx.p.comeback.plan
    if plan == "none":
        return
    rules: list[str] = []
    if _has(ctx, "non-compete-end"):
        deps = [Dep("non-compete-end", 1)]
        steps = [(L + "comeback.s_non_compete", {})]
    elif ctx.p.contract.signed and ctx.p.delete_account and plan == "other_platform":
        gap = ctx.value("comeback.other_platform_gap_months")
        deps = [Dep("mcn-termination", gap["min"], "months")]
        steps = [(L + "comeback.s_guide_gap", {"min": gap["min"], "max": gap["max"]})]
        rules.append("comeback.other_platform_gap_months")
        ctx.warn("non-compete-unknown", ("warnings.non_compete_unknown",
                                         {"min": gap["min"], "max": gap["max"]}),
                 [ctx.rule_id("comeback.other_platform_gap_months")])
    else:
        deps = [Dep("deletion-review" if _has(ctx, "deletion-review") else "auto-reply", 1)]
        steps = []
    if plan == "same_platform":
        if ctx.p.delete_account:
            steps.append((L + "comeback.s_new_account", {}))
            rules.append("comeback.new_account")
        recert = ctx.get("comeback.recertification_after_days")
        if recert:
            steps.append((L + "comeback.s_recert", {"days": recert}))
            rules.append("comeback.recertification_after_days")
    else:
        steps.append((L + "comeback.s_other", {"platform": ctx.p.comeback.platform or ""}))
        rules.append("comeback.new_account")
    ctx.add("comeback", "comeback", "comeback", (L + f"comeback.title_{plan}", {}),
            steps=steps, rules=rules, deps=deps, exit_path=False)


# ---------------------------------------------------------------- legal (end)
def build_evidence_seal(ctx) -> None:
    last = "deletion-review" if _has(ctx, "deletion-review") else "backup-final"
    ctx.add("evidence-seal", "legal", "evidence", (L + "evidence_seal.title", {}),
            steps=[(L + "evidence_seal.s1", {}), (L + "evidence_seal.s2", {}),
                   (L + "evidence_seal.s3", {"mediation": ctx.value("legal.mediation")})],
            rules=["legal.record_evidence", "common.law.blockchain_evidence", "legal.mediation"],
            deps=[Dep(last, 1)])
