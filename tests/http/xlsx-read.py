#!/usr/bin/python3
# tests/http/xlsx-read.py FILE.xlsx: what a real spreadsheet library (Debian's
# python3-openpyxl) reads in a workbook, as JSON on standard output: each sheet's
# title, whether it reads right to left, its frozen cell, its filter's range, and its
# rows with each cell typed: {"n": number}, {"s": text}, {"b": yes/no}, {"d":
# "YYYY-MM-DD"} or {"t": "YYYY-MM-DDTHH:MM:SS"} for dates and times, null when empty;
# a number shown in a format of its own (a percentage, an amount of money) has it in
# "f" ({"n": 0.5, "f": "0%"}).
import datetime
import json
import sys

import openpyxl


def cell(c):
    v = c.value
    if v is None:
        return None
    if isinstance(v, bool):
        return {"b": v}
    if isinstance(v, (int, float)):
        if c.number_format != "General":
            return {"n": v, "f": c.number_format}
        return {"n": v}
    if isinstance(v, datetime.datetime):
        if (v.hour, v.minute, v.second) == (0, 0, 0):
            return {"d": v.date().isoformat()}
        return {"t": v.isoformat()}
    return {"s": str(v)}


book = openpyxl.load_workbook(sys.argv[1], read_only=False)
sheets = []
for ws in book.worksheets:
    sheets.append({
        "title": ws.title,
        "rtl": bool(ws.sheet_view.rightToLeft),
        "freeze": ws.freeze_panes,
        "filter": ws.auto_filter.ref,
        "rows": [[cell(c) for c in row] for row in ws.iter_rows()],
    })
json.dump({"sheets": sheets}, sys.stdout, ensure_ascii=False)
