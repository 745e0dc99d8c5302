"""Money and tax: settlement figures for the roadmap and the statutory income-tax engine.

Submodules: ``tax`` (per-payment, cumulative, annual, business), ``settlement`` (figures for
the plan), ``ledger`` (payout CSV/XLSX), ``brackets`` (table arithmetic), ``amounts`` (parsers).
Import them directly; this package stays light.
"""

__all__ = ["tax", "settlement", "ledger", "brackets", "amounts"]
