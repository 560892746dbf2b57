"""A progress bar for the commands (plan and sheet imports, backup and restore, the scale generator)."""

from __future__ import annotations

import time


class ProgressBar:
    """A one-line progress bar, redrawn in place on a terminal, every tenth otherwise."""

    WIDTH = 30

    def __init__(self, stream, label: str):
        """`stream`: a command's OutputWrapper (`self.stderr`)."""
        self.stream = stream
        self.label = label
        self.tty = hasattr(stream, "isatty") and stream.isatty()
        self.shown = -1
        self.last = 0.0

    def __call__(self, done: int, total: int) -> None:
        if total <= 0:
            return
        pct = int(100 * done / total)
        now = time.monotonic()
        if self.tty:
            if pct == self.shown or (now - self.last < 0.1 and done < total):
                return
        elif pct // 10 == self.shown // 10 and done < total:
            return
        self.shown, self.last = pct, now
        filled = self.WIDTH * done // total
        line = f"{self.label} [{'#' * filled}{'.' * (self.WIDTH - filled)}] {pct:3d}% ({done}/{total})"
        self.stream.write(("\r" + line) if self.tty else line + "\n", ending="")
        self.stream.flush()

    def close(self) -> None:
        if self.tty and self.shown >= 0:
            self.stream.write("\n", ending="")
            self.stream.flush()
