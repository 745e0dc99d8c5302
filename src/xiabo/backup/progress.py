"""A progress bar for long copies and checks: rich, on stderr, and only when stderr is a TTY
(pipes, logs and tests get no escape codes)."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager

__all__ = ["progress_bar"]


class _Bar:
    def __init__(self, label: str, files_label: str):
        self.label, self.files_label = label, files_label
        self.progress = None
        self.task = None
        self.files = 0
        self.total_files = 0

    def start(self, total_bytes: int, total_files: int) -> None:
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            DownloadColumn,
            Progress,
            TextColumn,
            TimeRemainingColumn,
            TransferSpeedColumn,
        )

        self.total_files = total_files
        self.progress = Progress(
            TextColumn("{task.description}"), BarColumn(), DownloadColumn(binary_units=True),
            TransferSpeedColumn(), TextColumn("{task.fields[files]}"), TimeRemainingColumn(),
            console=Console(file=sys.stderr), transient=False,
        )
        self.progress.start()
        self.task = self.progress.add_task(self.label, total=total_bytes or 1,
                                           files=self._files_text())

    def _files_text(self) -> str:
        return self.files_label.format(done=self.files, total=self.total_files)

    def advance(self, nbytes: int, nfiles: int) -> None:
        if self.progress is None:
            return
        self.files += nfiles
        self.progress.update(self.task, advance=nbytes, files=self._files_text())

    def stop(self) -> None:
        if self.progress is not None:
            self.progress.stop()


@contextmanager
def progress_bar(label: str, files_label: str, enabled: bool | None = None
                 ) -> Iterator[tuple[Callable[[int, int], None] | None,
                                     Callable[[int, int], None] | None]]:
    """Yield (on_start, advance) callbacks, or (None, None) when not on a terminal."""
    if enabled is None:
        enabled = sys.stderr.isatty()
    if not enabled:
        yield None, None
        return
    bar = _Bar(label, files_label)
    try:
        yield bar.start, bar.advance
    finally:
        bar.stop()
