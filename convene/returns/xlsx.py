"""A workbook written a row at a time, straight into its zip file: just what Ofsted Annex A
needs (issue 16, decision 0027).

Each sheet is a heading row in bold, wrapped to the top of the cell and frozen, with a filter,
and then rows of text, whole numbers and dates (real Excel dates shown DD/MM/YYYY); a column
is as wide as it is told. The sheets are written one after the other into the zip as their
rows come, so memory holds a thousand rows' text at most, and each cell is a few string
operations: openpyxl's write-only mode wrote the same cells in about six times the time.
Text goes in the cell (`inlineStr`) rather than a table of shared strings, which would have to
be held until the end; Excel, LibreOffice and openpyxl read both.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterable, Sequence
from datetime import date
from pathlib import Path
from typing import IO
from xml.sax.saxutils import escape, quoteattr

Value = str | int | date | None

DATE_FORMAT = "DD/MM/YYYY"
_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_RELATIONSHIPS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PACKAGE = "http://schemas.openxmlformats.org/package/2006/relationships"
_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
# Excel counts days from 30 December 1899, with a 29 February 1900 that never was (Lotus's
# leap year): as openpyxl counts them.
_EPOCH = date(1899, 12, 30)
# Characters XML 1.0 cannot hold (openpyxl refused them too): left out of the text.
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
# The cell formats in styles.xml: 0 plain, 1 a date, 2 a heading.
_DATE_STYLE, _HEADING_STYLE = 1, 2
_STYLES = f"""{_HEAD}<styleSheet xmlns="{_MAIN}">\
<numFmts count="1"><numFmt numFmtId="164" formatCode="{DATE_FORMAT}"/></numFmts>\
<fonts count="2">\
<font><sz val="11"/><name val="Calibri"/><family val="2"/><scheme val="minor"/></font>\
<font><b/><sz val="11"/><name val="Calibri"/><family val="2"/><scheme val="minor"/></font>\
</fonts>\
<fills count="2"><fill><patternFill patternType="none"/></fill>\
<fill><patternFill patternType="gray125"/></fill></fills>\
<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>\
<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>\
<cellXfs count="3">\
<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>\
<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>\
<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1" applyAlignment="1">\
<alignment vertical="top" wrapText="1"/></xf>\
</cellXfs>\
<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>\
</styleSheet>"""


def column_letter(number: int) -> str:
    """1 is A, 26 is Z, 27 is AA."""
    letters = ""
    while number > 0:
        number, rest = divmod(number - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def _text(value: str) -> str:
    text = escape(_ILLEGAL.sub("", value))
    if text != text.strip():
        return f'<is><t xml:space="preserve">{text}</t></is>'
    return f"<is><t>{text}</t></is>"


def _serial(day: date) -> int:
    days = (day - _EPOCH).days
    return days - 1 if 0 < days <= 60 else days


class _Sheet:
    def __init__(self, title: str, columns: Sequence[str], widths: Sequence[float]) -> None:
        self.title = title
        self.letters = [column_letter(i) for i in range(1, len(columns) + 1)]
        self.columns = columns
        self.widths = widths
        self.rows = 0

    @property
    def filter_ref(self) -> str:
        return f"A1:{self.letters[-1]}{self.rows + 1}"

    def top(self) -> str:
        cols = "".join(
            f'<col min="{i}" max="{i}" width="{width}" customWidth="1"/>'
            for i, width in enumerate(self.widths, start=1)
        )
        return (
            f'{_HEAD}<worksheet xmlns="{_MAIN}" xmlns:r="{_RELATIONSHIPS}">'
            '<sheetViews><sheetView workbookViewId="0">'
            '<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>'
            '<selection pane="bottomLeft" activeCell="A2" sqref="A2"/>'
            "</sheetView></sheetViews>"
            '<sheetFormatPr defaultRowHeight="15"/>'
            f"<cols>{cols}</cols><sheetData>" + self.row(1, self.columns, style=_HEADING_STYLE)
        )

    def row(self, number: int, values: Iterable[Value], style: int = 0) -> str:
        cells = []
        s = f' s="{style}"' if style else ""
        for letter, value in zip(self.letters, values, strict=False):
            if value is None:
                continue
            if isinstance(value, str):
                cells.append(f'<c r="{letter}{number}"{s} t="inlineStr">{_text(value)}</c>')
            elif isinstance(value, date):
                cells.append(
                    f'<c r="{letter}{number}" s="{_DATE_STYLE}"><v>{_serial(value)}</v></c>'
                )
            else:
                cells.append(f'<c r="{letter}{number}"{s}><v>{int(value)}</v></c>')
        return f'<row r="{number}">{"".join(cells)}</row>'

    def bottom(self) -> str:
        return f'</sheetData><autoFilter ref="{self.filter_ref}"/></worksheet>'


class StreamedWorkbook:
    """Sheets added one at a time, each written as its rows come; `close` writes the rest.

    with StreamedWorkbook(path) as book:
        book.add_sheet("List 5", columns, widths, rows)
    """

    def __init__(self, output: Path | IO[bytes]) -> None:
        self.zip = zipfile.ZipFile(output, "w", compression=zipfile.ZIP_DEFLATED)
        self.sheets: list[_Sheet] = []

    def __enter__(self) -> StreamedWorkbook:
        return self

    def __exit__(self, kind: object, error: object, trace: object) -> None:
        if error is None:
            self.close()
        else:
            self.zip.close()

    def add_sheet(
        self,
        title: str,
        columns: Sequence[str],
        widths: Sequence[float],
        rows: Iterable[Iterable[Value]],
    ) -> int:
        """Write a sheet: a heading row of `columns`, then `rows`; how many rows it has."""
        sheet = _Sheet(title, columns, widths)
        self.sheets.append(sheet)
        name = f"xl/worksheets/sheet{len(self.sheets)}.xml"
        with self.zip.open(name, "w") as out:
            out.write(sheet.top().encode())
            lines = []
            for number, row in enumerate(rows, start=2):
                lines.append(sheet.row(number, row))
                sheet.rows += 1
                if len(lines) == 1000:
                    out.write("".join(lines).encode())
                    lines = []
            out.write("".join(lines).encode())
            out.write(sheet.bottom().encode())
        return sheet.rows

    def close(self) -> None:
        count = len(self.sheets)
        sheets = "".join(
            f'<sheet name={quoteattr(s.title)} sheetId="{i}" r:id="rId{i}"/>'
            for i, s in enumerate(self.sheets, start=1)
        )
        names = "".join(
            f'<definedName name="_xlnm._FilterDatabase" localSheetId="{i}" hidden="1">'
            f"{escape(_quoted(s.title))}!{_absolute(s.filter_ref)}</definedName>"
            for i, s in enumerate(self.sheets)
        )
        self.zip.writestr(
            "xl/workbook.xml",
            f'{_HEAD}<workbook xmlns="{_MAIN}" xmlns:r="{_RELATIONSHIPS}">'
            f"<bookViews><workbookView/></bookViews><sheets>{sheets}</sheets>"
            f"<definedNames>{names}</definedNames></workbook>",
        )
        relationships = "".join(
            f'<Relationship Id="rId{i}" Target="worksheets/sheet{i}.xml" '
            f'Type="{_RELATIONSHIPS}/worksheet"/>'
            for i in range(1, count + 1)
        )
        self.zip.writestr(
            "xl/_rels/workbook.xml.rels",
            f'{_HEAD}<Relationships xmlns="{_PACKAGE}">{relationships}'
            f'<Relationship Id="rId{count + 1}" Target="styles.xml" '
            f'Type="{_RELATIONSHIPS}/styles"/></Relationships>',
        )
        self.zip.writestr("xl/styles.xml", _STYLES)
        self.zip.writestr(
            "_rels/.rels",
            f'{_HEAD}<Relationships xmlns="{_PACKAGE}">'
            f'<Relationship Id="rId1" Target="xl/workbook.xml" '
            f'Type="{_RELATIONSHIPS}/officeDocument"/></Relationships>',
        )
        spreadsheet = "application/vnd.openxmlformats-officedocument.spreadsheetml"
        overrides = "".join(
            f'<Override PartName="/xl/worksheets/sheet{i}.xml" '
            f'ContentType="{spreadsheet}.worksheet+xml"/>'
            for i in range(1, count + 1)
        )
        self.zip.writestr(
            "[Content_Types].xml",
            f'{_HEAD}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" '
            'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            f'<Override PartName="/xl/workbook.xml" ContentType="{spreadsheet}.sheet.main+xml"/>'
            f'<Override PartName="/xl/styles.xml" ContentType="{spreadsheet}.styles+xml"/>'
            f"{overrides}</Types>",
        )
        self.zip.close()


def _quoted(title: str) -> str:
    return "'" + title.replace("'", "''") + "'"


def _absolute(ref: str) -> str:
    """A1:N912 as $A$1:$N$912."""
    return ":".join(re.sub(r"([A-Z]+)(\d+)", r"$\1$\2", part) for part in ref.split(":"))
