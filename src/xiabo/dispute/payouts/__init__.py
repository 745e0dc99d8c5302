"""Payouts reconciled: the agency's or platform's settlement statements against the contract's
split and guarantee, month by month (issue 25).

``read_statements(paths, mapping)`` → lines; ``load_terms(path)`` / ``terms_from_dict(data)`` →
terms; ``reconcile(lines, terms, book, today)`` → ``Reconciliation`` whose ``shortfall_total``
feeds the dispute exposure and the settlement letter (``letter_values``).
"""

from .columns import FIELDS, parse_mapping
from .reconcile import MonthResult, Reconciliation, reconcile
from .statements import StatementLine, read_statement, read_statements
from .terms import Terms, load_terms, terms_from_dict

__all__ = ["FIELDS", "MonthResult", "Reconciliation", "StatementLine", "Terms", "load_terms",
           "parse_mapping", "read_statement", "read_statements", "reconcile", "terms_from_dict"]
