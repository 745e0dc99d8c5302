"""What every section builder shares."""

from __future__ import annotations

L = "tasks."  # catalogue prefix for task texts


def has(ctx, task_id: str) -> bool:
    """Whether an earlier section added ``task_id`` (sections link only to existing tasks)."""
    return task_id in ctx.ids
