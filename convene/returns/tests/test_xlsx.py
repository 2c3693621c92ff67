"""The workbook written a row at a time (`convene.returns.xlsx`) reads back as written."""

from datetime import date, datetime
from io import BytesIO

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import to_excel

from convene.returns.xlsx import StreamedWorkbook, Value, _serial, column_letter


def test_column_letters_are_excels():
    for n in [1, 2, 25, 26, 27, 52, 53, 702, 703, 16384]:
        assert column_letter(n) == get_column_letter(n)


def test_dates_count_days_as_excel_and_openpyxl_do():
    for day in [date(1899, 12, 31), date(1900, 1, 1), date(1900, 2, 28), date(1900, 3, 1),
                date(2008, 2, 29), date(2026, 11, 24)]:  # fmt: skip
        assert _serial(day) == to_excel(day)


def test_a_workbook_reads_back_with_its_values_and_formats():
    rows: list[list[Value]] = [
        ["Ann & <Bo>", date(2020, 2, 29), 6],
        [" spaced ", None, 0],
        ["bell\x07", date(1900, 1, 1), -1],
    ]
    stream = BytesIO()
    with StreamedWorkbook(stream) as book:
        book.add_sheet(
            "List 5",
            ["Name", "Born", "Age"],
            [14, 20.5, 32],
            iter(rows),
        )
        assert book.add_sheet("Bob's list", ["Only"], [14], iter([])) == 0
    stream.seek(0)
    workbook = load_workbook(stream)
    assert workbook.sheetnames == ["List 5", "Bob's list"]
    sheet = workbook["List 5"]
    # openpyxl reads an Excel date back as a datetime at midnight.
    values = [
        [c.value.date() if isinstance(c.value, datetime) else c.value for c in row]
        for row in sheet.iter_rows()
    ]
    assert values == [
        ["Name", "Born", "Age"],
        ["Ann & <Bo>", date(2020, 2, 29), 6],
        [" spaced ", None, 0],
        ["bell", date(1900, 1, 1), -1],
    ]
    assert all(c.font.bold and c.alignment.wrap_text for c in sheet[1])
    assert not sheet["A2"].font.bold
    assert sheet["B2"].number_format == "DD/MM/YYYY"
    assert sheet["C2"].number_format == "General"
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:C4"
    assert [sheet.column_dimensions[x].width for x in "ABC"] == [14, 20.5, 32]
    assert workbook["Bob's list"].auto_filter.ref == "A1:A1"
