"""Reading back the CSV and XLSX files a view answers with, in tests."""

import csv
import io

from python_calamine import CalamineWorkbook


def response_bytes(response):
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return response.content


def csv_rows(response):
    """The rows of a CSV download, header first (the BOM dropped)."""
    text = response_bytes(response).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


def xlsx_sheets(response):
    """Every sheet of an XLSX download as {title: rows}, header first."""
    workbook = CalamineWorkbook.from_filelike(io.BytesIO(response_bytes(response)))
    return {name: workbook.get_sheet_by_name(name).to_python() for name in workbook.sheet_names}
