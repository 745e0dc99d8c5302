"""join the feature branches of wave 2 into one line again

Revision ID: 0008_merge
Revises: 0003_case_dirs, 0004_letters, 0005_opinion, 0006_pairing, 0007_drafts

Case folders by id, letters, opinion imports, phone pairing and wizard drafts were built side by
side from 0002; this revision has no schema change of its own, it makes ``head`` one revision.
"""

revision = "0008_merge"
down_revision = ("0003_case_dirs", "0004_letters", "0005_opinion", "0006_pairing", "0007_drafts")
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
