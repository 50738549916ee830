"""What every CSV batch command shares: reading with line numbers, skipping bad
rows loudly, a progress bar on stderr, and the one-line summary at the end."""

from __future__ import annotations

import csv
import io
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.core.management.base import CommandError
from tqdm import tqdm


@dataclass
class BatchReport:
    rows_in: int = 0
    rows_written: int = 0
    rows_skipped: int = 0
    started: float = field(default_factory=time.monotonic)
    stderr: object = None

    def skip(self, line: int, reason: str) -> None:
        """A bad row is reported with its line number and skipped, never fatal."""
        self.rows_skipped += 1
        self.note(line, f"skipped: {reason}")

    def note(self, line: int, message: str) -> None:
        """Something about a row that is still written, with its line number."""
        print(f"line {line}: {message}", file=self.stderr or sys.stderr)

    def summary(self) -> str:
        seconds = time.monotonic() - self.started
        return (
            f"rows in: {self.rows_in}, rows written: {self.rows_written}, "
            f"rows skipped: {self.rows_skipped}, seconds: {seconds:.1f}"
        )


def read_rows(path: str, *, required: list[str]) -> tuple[list[str], list[tuple[int, dict]]]:
    """All rows with their line numbers (header is line 1); missing columns stop the command."""
    source = Path(path)
    if not source.is_file():
        raise CommandError(f"{path}: no such file")
    text = _decoded(source)
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=_delimiter(text.partition("\n")[0]))
    columns = [c.strip() for c in reader.fieldnames or []]
    if missing := [c for c in required if c not in columns]:
        raise CommandError(f"{path}: missing column(s) {', '.join(missing)}; found {', '.join(columns) or 'none'}")
    reader.fieldnames = columns
    rows = [(reader.line_num, row) for row in reader]
    return columns, rows


def _decoded(source: Path) -> str:
    data = source.read_bytes()
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Spreadsheets saved on Windows are often Windows-1252 ("café" as one byte); better read than refused.
        sys.stderr.write(f"{source}: not UTF-8, read as Windows-1252\n")
        return data.decode("cp1252", errors="replace")


def _delimiter(header: str) -> str:
    """Comma unless the header splits into more columns on ';' (European spreadsheets), tab or '|'."""
    return max(",;\t|", key=lambda d: (header.count(d), d == ","))


def progress(total: int, *, unit: str) -> tqdm:
    return tqdm(total=total, unit=unit, file=sys.stderr, dynamic_ncols=True, mininterval=0.5)


def batches(items: list, size: int) -> Iterator[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def open_output(path: str, columns: list[str]):
    """A CSV writer over `path` (created with its folder); returns (file, writer)."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    handle = target.open("w", newline="", encoding="utf-8")
    writer = csv.DictWriter(handle, fieldnames=columns, extrasaction="ignore")
    writer.writeheader()
    return handle, writer
