"""Reading an agency list file as Indonesian offices save it: any delimiter, any common encoding.

Excel in Indonesia saves CSV with `;` and cp1252; others send UTF-8 with a BOM, tabs or `|`.
The reader detects both, parses strictly (an unclosed quote is an error, not one giant row) and
says which rows it could not read, so `plan_import` can refuse a file that looks wrong."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path

from charset_normalizer import from_bytes

DELIMITERS = ",;\t|"
OFFICE_ENCODINGS = ("cp1252", "utf_16", "latin_1")  # Excel "CSV", Excel "Unicode text", older tools
MAX_BYTES = 20 * 1024 * 1024  # the national list has a few hundred agencies; 20 MB is far beyond it


class ListFileError(ValueError):
    """The file cannot be read as a list; the message says why."""


@dataclass
class ParsedList:
    header: list[str]
    rows: list[dict[str, str]]
    encoding: str
    delimiter: str
    bad_rows: list[int] = field(default_factory=list)  # 1-based line numbers of rows that did not fit


def decode(raw: bytes) -> tuple[str, str]:
    """UTF-8 (with or without BOM) when it decodes; otherwise charset-normalizer's best guess."""
    try:
        return raw.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        pass
    # Limited to what office software here writes: an unrestricted guess on a short list picks
    # DOS code pages (cp850 turns "–" into "û").
    best = from_bytes(raw, cp_isolation=list(OFFICE_ENCODINGS)).best()
    if best is None:
        raise ListFileError("the file is not text in any encoding I know (is it an .xlsx? save it as CSV)")
    return str(best), best.encoding


def sniff_delimiter(text: str) -> str:
    sample = "\n".join(text.splitlines()[:20])
    try:
        return csv.Sniffer().sniff(sample, delimiters=DELIMITERS).delimiter
    except csv.Error:
        # One column, or a header-only sample the sniffer cannot decide: the most frequent candidate.
        first = sample.splitlines()[0] if sample else ""
        counts = {d: first.count(d) for d in DELIMITERS}
        best = max(counts, key=lambda d: counts[d])
        return best if counts[best] else ","


def read_list(path: Path) -> ParsedList:
    raw = path.read_bytes()
    if len(raw) > MAX_BYTES:
        raise ListFileError(f"the file has {len(raw):,} bytes, more than an agency list can have")
    text, encoding = decode(raw)
    delimiter = sniff_delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    try:
        header = [h.strip() for h in next(reader, [])]
        width = len(header)
        rows: list[dict[str, str]] = []
        bad: list[int] = []
        for record in reader:
            if not any(cell.strip() for cell in record):
                continue
            # A record that spans lines or has another width is a broken quote or a stray delimiter.
            if len(record) != width or any("\n" in cell or "\r" in cell for cell in record):
                bad.append(reader.line_num)
                continue
            rows.append(dict(zip(header, (cell.strip() for cell in record), strict=True)))
    except csv.Error as exc:
        raise ListFileError(f"line {reader.line_num}: {exc} (an unclosed quote?)") from None
    return ParsedList(header, rows, encoding, delimiter, bad)
