"""Reading import files and writing CSV safely (cells neutralised by licensing/text.py)."""

import csv

from licensing.text import safe_cell


def write_csv(path, header, rows):
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        for row in rows:
            writer.writerow([safe_cell(v) for v in row])


def read_rows(path):
    """(header, [(file line number, {column: text})]) with the header on line 1.

    Quoted cells may span lines, so each record's number is the line it starts on."""
    with open(path, newline="", encoding="utf-8-sig") as handle:
        reader = csv.reader(handle)
        header = [name.strip().lower() for name in next(reader, [])]
        rows = []
        start = reader.line_num + 1
        for record in reader:
            if any(cell.strip() for cell in record):
                cells = record + [""] * (len(header) - len(record))
                rows.append((start, dict(zip(header, cells, strict=False)), len(record) > len(header)))
            start = reader.line_num + 1
    return header, rows
