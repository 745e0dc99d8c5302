"""The dispute kit: when the agency (MCN / 公会) won't let go.

``load_dispute`` reads ``dispute.yaml`` (beside the situation profile); ``assess`` returns the
exposure (ranges with reasons, never a promise), the relationship test and the evidence
checklist; ``sections`` words them for every front end; ``bundle.write_bundle`` makes the PDF
and the verifiable evidence bundle for a lawyer. The payouts reconciliation (``payouts/``)
hands its shortfall to ``assess(..., payout_shortfall=...)``.
"""

from __future__ import annotations

from .profile import DisputeError, DisputeProfile, dispute_from_dict, dispute_path, load_dispute
from .report import DisputeReport, assess, report_json, sections

__all__ = ["DisputeError", "DisputeProfile", "DisputeReport", "assess", "dispute_from_dict",
           "dispute_path", "load_dispute", "report_json", "sections"]
