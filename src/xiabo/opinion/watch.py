"""Watch a folder of exports: ingest what is new, say which days spiked, once per day.

Why polling and not inotify: exports land on shared and synced folders (NAS, cloud drives)
where change notifications are unreliable; a poll every half minute costs nothing. A file is
recognised by its content hash, so a renamed or re-saved copy is not counted twice, and a file
still being written (it fails to read, or its size changes) is retried on the next poll.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from ..errors import UserError
from ..i18n import t
from .ingest import file_sha256, ingest_file
from .report import build_report
from .sentiment import Scorer
from .store import open_store

__all__ = ["EXTENSIONS", "Watcher"]

EXTENSIONS = frozenset({".csv", ".tsv", ".xlsx", ".xlsm", ".json", ".jsonl", ".ndjson"})
_ANNOUNCED = "watch_announced"


class Watcher:
    """One folder, one store; ``poll`` returns the lines to print."""

    def __init__(self, folder: Path, directory: Path, today: date | None = None):
        self.folder = folder
        self.store = open_store(directory)
        self.today = today
        self.scorer: Scorer | None = None
        self._sizes: dict[Path, int] = {}
        self._done: set[Path] = set()

    def close(self) -> None:
        self.store.close()

    def _known_hashes(self) -> set[str]:
        return {r[0] for r in self.store.conn.execute("SELECT sha256 FROM files WHERE rows > 0")}

    def _candidates(self) -> list[Path]:
        files = [p for p in self.folder.iterdir()
                 if p.is_file() and p.suffix.lower() in EXTENSIONS and not p.name.startswith(".")]
        return sorted(files, key=lambda p: (p.stat().st_mtime, p.name))

    def poll(self, lang: str = "zh") -> list[str]:
        """Ingest new files, then report spikes not reported before."""
        lines: list[str] = []
        first_poll = not self._sizes
        known = self._known_hashes()
        for path in self._candidates():
            size = path.stat().st_size
            if path in self._done and self._sizes.get(path) == size:
                continue
            growing = path in self._sizes and self._sizes[path] != size
            self._sizes[path] = size
            if growing:
                continue                      # still being written: try on the next poll
            if file_sha256(path) in known:
                self._done.add(path)
                continue
            self.scorer = self.scorer or Scorer()
            try:
                result = ingest_file(self.store, path, self.scorer)
            except UserError as err:
                lines.append(t("opinion.watch.skipped", lang, file=path.name))
                lines.append(err.render(lang))
                self._done.add(path)
                continue
            self._done.add(path)
            known.add(file_sha256(path))
            lines.append(t("opinion.watch.new_file", lang, file=path.name,
                           added=f"{result.added:,}"))
        lines.extend(self._spikes(lang, quiet_line=first_poll or bool(lines)))
        return lines

    def _spikes(self, lang: str, quiet_line: bool) -> list[str]:
        if self.store.span() is None:
            return []
        report = build_report(self.store, today=self.today)
        conn = self.store.conn
        row = conn.execute("SELECT value FROM meta WHERE key = ?", (_ANNOUNCED,)).fetchone()
        announced = set(json.loads(row[0])) if row else set()
        lines = []
        for day in report.spikes:
            key = day.day.isoformat()
            if key in announced:
                continue
            announced.add(key)
            lines.append(t("opinion.watch.spike", lang, date=key, negative=f"{day.negative:,}",
                           baseline=f"{day.point.baseline:,.0f}"))
        conn.execute("INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)",
                     (_ANNOUNCED, json.dumps(sorted(announced))))
        if not lines and quiet_line:
            lines.append(t("opinion.watch.quiet", lang))
        return lines
