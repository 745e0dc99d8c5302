"""Draw the Gantt charts in a forked child while the parent writes the other formats.

matplotlib and fpdf2 are both CPU-bound Python, so threads do not overlap them; on a machine
with two cores a child process does, and a full ``xiabo export`` gets faster by the charts'
time. Only used where forking is safe: POSIX, and a process with a single thread (the CLI).
A web server (threads) or ``XIABO_EXPORT_FORK=0`` draws the charts in-process instead; the
PDF bytes are the same either way. Any failure in the child falls back to drawing in-process.

The child dies with its parent: a killed ``xiabo export`` must not leave a chart process
drawing at full CPU. On Linux the kernel sends it SIGKILL (``PR_SET_PDEATHSIG``); everywhere a
watchdog thread exits as soon as the parent is gone (the child is re-parented).
"""

from __future__ import annotations

import os
import pickle
import signal
import sys
import threading
import time

__all__ = ["can_fork", "start"]


def can_fork() -> bool:
    return (hasattr(os, "fork") and threading.active_count() == 1
            and os.environ.get("XIABO_EXPORT_FORK", "1") != "0")


class _Pending:
    """A chart job running in a child process; ``collect()`` or ``cancel()`` exactly once."""

    def __init__(self, pid: int, fd: int):
        self.pid, self.fd = pid, fd

    def collect(self):
        from PIL import Image

        try:
            with os.fdopen(self.fd, "rb") as fh:
                data = fh.read()
        finally:
            _, status = os.waitpid(self.pid, 0)
        if status != 0 or not data:
            return None
        try:
            return [Image.frombytes("L", size, raw) for size, raw in pickle.loads(data)]
        except Exception:  # noqa: BLE001 - a damaged payload: draw in-process instead
            return None

    def cancel(self) -> None:
        try:
            os.close(self.fd)
        except OSError:
            pass
        try:
            os.waitpid(self.pid, 0)
        except ChildProcessError:
            pass


_PR_SET_PDEATHSIG = 1  # linux/prctl.h


def die_with_parent(parent: int, poll: float = 0.2) -> None:
    """In a forked child: end this process when ``parent`` ends (kernel signal + watchdog)."""
    if sys.platform.startswith("linux"):
        try:
            import ctypes

            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        except (OSError, AttributeError):  # no libc symbol: the watchdog still holds
            pass
    if os.getppid() != parent:  # the parent died before the signal was armed
        os._exit(1)

    def watch() -> None:
        while True:
            time.sleep(poll)
            if os.getppid() != parent:
                os._exit(1)

    threading.Thread(target=watch, name="parent-watchdog", daemon=True).start()


def start(plan, font) -> _Pending | None:
    """Fork a child that draws the charts; None when forking is not safe here."""
    if not can_fork():
        return None
    read_fd, write_fd = os.pipe()
    parent = os.getpid()
    try:
        pid = os.fork()
    except OSError:
        os.close(read_fd)
        os.close(write_fd)
        return None
    if pid == 0:  # child: draw, send the pixels, leave without running any cleanup
        code = 1
        try:
            die_with_parent(parent)
            os.close(read_fd)
            from .printable import render_charts

            images = render_charts(plan, font)
            payload = pickle.dumps([(img.size, img.tobytes()) for img in images],
                                   protocol=pickle.HIGHEST_PROTOCOL)
            with os.fdopen(write_fd, "wb") as fh:
                fh.write(payload)
            code = 0
        except BaseException:  # noqa: BLE001 - never return into the parent's code
            code = 1
        finally:
            os._exit(code)
    os.close(write_fd)
    return _Pending(pid, read_fd)
