"""Streamed, spreadsheet-safe CSV downloads, shared by every export of the site."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator

from django.conf import settings
from django.http import StreamingHttpResponse

from .hooks import Hook

# Called with (filename=..., program=..., rows_of=...) each time an export is served: the
# audit log writes who downloaded what, and when.
export_served = Hook("a CSV export is served")

# Spreadsheets run a cell that starts with one of these as a formula.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


# Excel on Windows reads a CSV file as the local code page unless it starts with this byte
# order mark ("QuiÃ±ones" for "Quiñones"); other spreadsheets ignore it.
BOM = "\ufeff"


def csv_bom(bom: bool | None = None) -> str:
    """The byte order mark that starts every CSV file the site hands out, unless turned off
    (the CSV_EXPORT_BOM setting, or `bom=False` for a single file)."""
    wanted = getattr(settings, "CSV_EXPORT_BOM", True) if bom is None else bom
    return BOM if wanted else ""


def csv_safe(value) -> str:
    """The cell as text, prefixed with ' when a spreadsheet would read it as a formula."""
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(FORMULA_PREFIXES) else text


class _Echo:
    """csv.writer writes to this and gets the line back, so rows can be streamed."""

    def write(self, value):
        return value


# Rows are sent in pieces of about this many characters: one piece per row would cost the
# server a write for every row, and memory stays flat either way.
PIECE_SIZE = 64 * 1024


def csv_lines(
    header: list[str], rows: Iterable[Iterable], *, bom: bool | None = None
) -> Iterator[str]:
    writer = csv.writer(_Echo())
    piece = [csv_bom(bom) + writer.writerow(header)]
    size = 0
    for row in rows:
        line = writer.writerow([csv_safe(cell) for cell in row])
        piece.append(line)
        size += len(line)
        if size >= PIECE_SIZE:
            yield "".join(piece)
            piece, size = [], 0
    if piece:
        yield "".join(piece)


def csv_download(
    filename: str,
    header: list[str],
    rows: Iterable[Iterable],
    *,
    program=None,
    subject: str = "",
    bom: bool | None = None,
):
    """A streamed CSV attachment: memory stays flat however many rows there are. Every
    download is announced on `export_served` (and so audited), with the program the data
    belongs to (staff of that program read the entry) and what it is about. The file starts
    with a UTF-8 byte order mark (`csv_bom`) so that Excel reads accents right."""
    export_served.call(filename=filename, program=program, subject=subject)
    response = StreamingHttpResponse(
        csv_lines(header, rows, bom=bom), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response
