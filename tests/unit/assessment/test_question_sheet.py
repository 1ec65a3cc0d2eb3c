"""The admins' question sheet read into rows that keep their sheet row number, and the item
analysis written back as a workbook. Workbooks are built in memory with openpyxl."""
from __future__ import annotations

import io
import zipfile

import pytest
from openpyxl import Workbook, load_workbook

from services.assessment.adapters import question_sheet
from services.assessment.adapters.question_sheet import (
    SheetRow,
    read_question_sheet,
    write_item_analysis,
)
from services.assessment.domain.errors import UnreadableSheet
from services.assessment.domain.item_analysis import (
    AttemptResponses,
    ItemAnalysis,
    ItemKey,
    ItemStatistics,
    OptionCount,
    analyse_items,
)
from services.shared.contracts.errors import InvalidInput

INDONESIAN = ["Pertanyaan", "Opsi A", "Opsi B", "Opsi C", "Opsi D", "Opsi E", "Jawaban",
              "Kategori"]


def xlsx(*rows, extra_sheet_first=False) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    if extra_sheet_first:
        sheet.append(["ignored"])
        sheet = workbook.create_sheet("second")
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def message(excinfo) -> str:
    return excinfo.value.errors["file"][0]


def test_a_four_and_a_five_option_question():
    content = xlsx(
        INDONESIAN,
        ["  Ibu kota Jawa Timur?  ", "Surabaya", "Malang", "Kediri", "Madiun", None, "a",
         "wawasan"],
        ["2 + 3 = ?", 4, 5, 6, 7, 8, "B", " hitung "],
    )
    assert read_question_sheet(content) == [
        SheetRow(row=2, text="Ibu kota Jawa Timur?",
                 options=["Surabaya", "Malang", "Kediri", "Madiun"], answer_index=0,
                 category="wawasan", problems=[]),
        # Numbers in text cells become their text.
        SheetRow(row=3, text="2 + 3 = ?", options=["4", "5", "6", "7", "8"], answer_index=1,
                 category="hitung", problems=[]),
    ]


@pytest.mark.parametrize("header", [
    ["pertanyaan", "opsi_a", "opsi_b", "opsi_c", "opsi_d", "opsi_e", "jawaban", "kategori"],
    ["Question", "A", "B", "C", "D", "E", "Answer", "Category"],
    ["TEXT", "Option A", "option-b", "OPTION_C", "option_d", "option_e", "ANSWER", "category"],
    ["Soal", "Pilihan A", "Pilihan B", "Pilihan C", "Pilihan D", "Pilihan E", "Kunci Jawaban",
     "Kategori"],
])
def test_header_aliases_in_either_language_and_any_case(header):
    [row] = read_question_sheet(xlsx(header, ["Q?", "w", "x", "y", "z", "v", "E", "umum"]))
    assert (row.text, row.options, row.answer_index, row.category) == (
        "Q?", ["w", "x", "y", "z", "v"], 4, "umum")


def test_columns_may_come_in_any_order_and_unknown_ones_are_ignored():
    header = ["No", "Kategori", "Jawaban", "D", "C", "B", "A", "Pertanyaan", "Catatan"]
    [row] = read_question_sheet(xlsx(header, [1, "umum", 3, "d", "c", "b", "a", "Q?", "x"]))
    assert (row.text, row.options, row.answer_index, row.category) == (
        "Q?", ["a", "b", "c", "d"], 2, "umum")


def test_category_and_option_e_columns_are_optional():
    header = ["pertanyaan", "a", "b", "c", "d", "jawaban"]
    [row] = read_question_sheet(xlsx(header, ["Q?", "a", "b", "c", "d", 4]))
    assert (row.options, row.answer_index, row.category) == (["a", "b", "c", "d"], 3, "")


@pytest.mark.parametrize(("answer", "index"), [
    ("A", 0), ("b", 1), (" C ", 2), ("e", 4), (1, 0), (5, 4), (3.0, 2), ("2", 1), ("5", 4),
])
def test_an_answer_is_a_letter_or_a_number_from_one(answer, index):
    [row] = read_question_sheet(xlsx(INDONESIAN, ["Q?", "a", "b", "c", "d", "e", answer, "k"]))
    assert (row.answer_index, row.problems) == (index, [])


@pytest.mark.parametrize("answer", ["Z", "F", "AB", 0, 6, 2.5, "0", "6", True, "jawab A"])
def test_an_answer_that_cannot_be_read_is_a_problem_of_its_row(answer):
    content = xlsx(
        INDONESIAN,
        ["Q1?", "a", "b", "c", "d", None, "A", "k"],
        [],
        ["Q2?", "a", "b", "c", "d", None, answer, "k"],
    )
    first, second = read_question_sheet(content)
    assert first.problems == []
    assert second.row == 4  # the sheet's row, past the empty one
    assert second.answer_index is None
    assert len(second.problems) == 1 and "A-E" in second.problems[0]


def test_a_missing_answer_is_left_to_the_domain():
    [row] = read_question_sheet(xlsx(INDONESIAN, ["Q?", "a", "b", "c", "d", None, "  ", "k"]))
    assert (row.answer_index, row.problems) == (None, [])


def test_domain_rules_are_not_checked_here():
    # Three options, a gap among them, an answer beyond them, no text: all the domain's to say.
    content = xlsx(
        INDONESIAN,
        [None, "a", "b", "c", None, None, "E", "k"],
        ["Q?", "a", None, "c", "d", None, "B", "k"],
    )
    three, gap = read_question_sheet(content)
    assert (three.text, three.options, three.answer_index, three.problems) == (
        "", ["a", "b", "c"], 4, [])
    assert (gap.options, gap.problems) == (["a", "", "c", "d"], [])


def test_empty_rows_are_skipped_and_rows_keep_their_numbers():
    content = xlsx(
        INDONESIAN,
        [],
        ["Q1?", "a", "b", "c", "d", None, "A", "k"],
        [None, "   ", None, "", None, None, None, None],
        [],
        ["Q2?", "a", "b", "c", "d", None, "D", "k"],
        [],
    )
    assert [(row.row, row.text) for row in read_question_sheet(content)] == [
        (3, "Q1?"), (6, "Q2?")]


def rewrite_sheet_xml(content: bytes, replace) -> bytes:
    """The same workbook with its first worksheet's XML passed through ``replace``."""
    source, target = zipfile.ZipFile(io.BytesIO(content)), io.BytesIO()
    with zipfile.ZipFile(target, "w") as archive:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = replace(data)
            archive.writestr(info, data)
    return target.getvalue()


def test_rows_beyond_a_wrong_stated_dimension_are_still_read():
    # Some writers state the dimension "A1" whatever the sheet holds; read-only openpyxl would
    # stop there and drop every question without a word.
    row = ["Q?", "a", "b", "c", "d", None, "A", "k"]
    content = rewrite_sheet_xml(xlsx(INDONESIAN, row, row),
                                lambda xml: xml.replace(b'ref="A1:H3"', b'ref="A1"'))
    assert b'ref="A1"' in zipfile.ZipFile(io.BytesIO(content)).read("xl/worksheets/sheet1.xml")
    assert [r.row for r in read_question_sheet(content)] == [2, 3]


def test_a_row_number_beyond_what_excel_allows_is_refused():
    # openpyxl fills the gap up to a row's stated number with empty rows: the bound stops it.
    workbook = Workbook()
    workbook.active.append(INDONESIAN)
    workbook.active.cell(row=9, column=1, value="far")
    buffer = io.BytesIO()
    workbook.save(buffer)
    content = rewrite_sheet_xml(
        buffer.getvalue(),
        lambda xml: xml.replace(b'r="9"', b'r="90000000"').replace(b'"A9"', b'"A90000000"'))
    with pytest.raises(UnreadableSheet) as excinfo:
        read_question_sheet(content)
    assert "more rows than Excel allows" in message(excinfo)


def test_a_sheet_with_a_header_only_has_no_rows():
    assert read_question_sheet(xlsx(INDONESIAN)) == []


def test_only_the_first_worksheet_is_read():
    content = xlsx(INDONESIAN, ["Q?", "a", "b", "c", "d", None, "A", "k"],
                   extra_sheet_first=True)
    with pytest.raises(UnreadableSheet):
        read_question_sheet(content)


@pytest.mark.parametrize("content", [
    b"",
    b"not a spreadsheet at all",
    b"PK\x03\x04 truncated zip",
    b"Pertanyaan;A;B;C;D;Jawaban\r\n",  # a CSV sent as the sheet
])
def test_garbage_is_an_unreadable_sheet(content):
    with pytest.raises(UnreadableSheet) as excinfo:
        read_question_sheet(content)
    assert isinstance(excinfo.value, InvalidInput)
    assert "xlsx" in message(excinfo)


def test_a_zip_that_is_not_a_workbook_is_an_unreadable_sheet():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "hello")
    with pytest.raises(UnreadableSheet):
        read_question_sheet(buffer.getvalue())


def test_missing_columns_are_named():
    content = xlsx(["Pertanyaan", "A", "B", "C", "Kategori"], ["Q?", "a", "b", "c", "k"])
    with pytest.raises(UnreadableSheet) as excinfo:
        read_question_sheet(content)
    assert "missing: opsi_d, jawaban." in message(excinfo)


def test_an_empty_workbook_misses_every_column():
    with pytest.raises(UnreadableSheet) as excinfo:
        read_question_sheet(xlsx())
    assert "pertanyaan, opsi_a, opsi_b, opsi_c, opsi_d, jawaban" in message(excinfo)


def test_a_column_named_twice_is_refused():
    header = ["Pertanyaan", "A", "B", "C", "D", "Jawaban", "Answer"]
    with pytest.raises(UnreadableSheet) as excinfo:
        read_question_sheet(xlsx(header, ["Q?", "a", "b", "c", "d", "A", "B"]))
    assert "F and G" in message(excinfo) and "jawaban" in message(excinfo)


def test_more_questions_than_the_bound_are_refused(monkeypatch):
    assert question_sheet._MAX_QUESTIONS == 5000
    monkeypatch.setattr(question_sheet, "_MAX_QUESTIONS", 3)
    row = ["Q?", "a", "b", "c", "d", None, "A", "k"]
    assert len(read_question_sheet(xlsx(INDONESIAN, row, row, [], row))) == 3
    with pytest.raises(UnreadableSheet) as excinfo:
        read_question_sheet(xlsx(INDONESIAN, row, row, row, [], row))
    assert "At most 3 questions" in message(excinfo)


def test_a_workbook_too_large_once_unpacked_is_refused_before_parsing(monkeypatch):
    monkeypatch.setattr(question_sheet, "_MAX_UNPACKED_BYTES", 1000)
    monkeypatch.setattr(question_sheet, "load_workbook", None)  # never reached
    with pytest.raises(UnreadableSheet) as excinfo:
        read_question_sheet(xlsx(INDONESIAN, ["Q?", "a", "b", "c", "d", None, "A", "k"]))
    assert "too large" in message(excinfo)


# --- The item analysis workbook ------------------------------------------------------------

def analysis() -> ItemAnalysis:
    keys = [
        ItemKey("q1", "Ibu kota Jawa Timur?", "wawasan", option_count=4, answer_index=0),
        ItemKey("q2", "=HYPERLINK(\"http://x\")", "-hitung", option_count=5, answer_index=2),
        ItemKey("q3", "Kepanjangan KUA?", "umum", option_count=4, answer_index=1),
    ]
    attempts = [
        AttemptResponses(("q1", "q2", "q3"), {"q1": 0, "q2": 2, "q3": 1}),
        AttemptResponses(("q1", "q2", "q3"), {"q1": 0, "q2": 2, "q3": 3}),
        AttemptResponses(("q1", "q2", "q3"), {"q1": 0, "q2": 4, "q3": 1}),
        AttemptResponses(("q2", "q3"), {"q2": 1, "q3": 1}),
        AttemptResponses(("q1", "q2"), {"q1": 0}),
    ]
    return analyse_items(keys, attempts)


def load(content: bytes):
    return load_workbook(io.BytesIO(content))


def test_the_item_analysis_workbook_round_trips():
    workbook = load(write_item_analysis(analysis()))
    assert workbook.sheetnames == ["Analisis butir", "Metode"]
    sheet = workbook["Analisis butir"]
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert rows[0] == ["No", "ID soal", "Kategori", "Pertanyaan", "Disajikan", "Dijawab",
                       "Indeks kesukaran (facility)", "Daya beda (discrimination)",
                       "A", "B", "C", "D", "E", "Kosong", "Catatan"]
    assert rows[1] == [1, "q1", "wawasan", "Ibu kota Jawa Timur?", 4, 4, 1, None,
                       "4 *", 0, 0, 0, None, 0, "semua benar"]
    assert rows[2][4:] == [5, 4, 0.4, 0.1667, 0, 1, "2 *", 0, 1, 1, None]
    assert rows[3][6:] == [0.75, -0.5222, 0, "3 *", 0, 1, None, 0, "daya beda negatif"]
    assert len(rows) == 4


def test_text_that_would_be_a_formula_is_written_as_text():
    sheet = load(write_item_analysis(analysis()))["Analisis butir"]
    # typed as text, so no apostrophe (that is CSV's guard): security review, finding 11
    assert sheet["D3"].value == "=HYPERLINK(\"http://x\")"
    assert sheet["C3"].value == "-hitung"
    assert sheet["D3"].data_type == "s" and sheet["C3"].data_type == "s"


def test_the_method_sheet_says_how_and_over_how_many_attempts():
    method = load(write_item_analysis(analysis()))["Metode"]
    assert method["A1"].value == "Metode"
    assert "point-biserial" in method["B1"].value
    assert (method["A2"].value, method["B2"].value) == ("Jumlah percobaan", 5)


def test_both_flags_on_one_item_are_joined():
    item = ItemStatistics("q", "t", "c", 1, 1, 0, 1.0, -0.5,
                          [OptionCount(0, 1, True)],
                          ["everyone_correct", "negative_discrimination"])
    sheet = load(write_item_analysis(ItemAnalysis(1, "m", [item])))["Analisis butir"]
    assert sheet["O2"].value == "semua benar; daya beda negatif"


def test_an_empty_analysis_is_a_header_only():
    workbook = load(write_item_analysis(ItemAnalysis(0, "m", [])))
    assert workbook["Analisis butir"].max_row == 1
    assert workbook["Metode"]["B2"].value == 0
