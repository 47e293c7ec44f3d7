"""The question bank's xlsx template: every row validated, errors by row and column, nothing imported if one is bad."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from quiz import bank
from quiz.models import Question

HEADER = bank.COLUMNS
GOOD = ["单选", "节能", "易", "一度电是多少电能？", "1千瓦时", "1瓦时", "", "", "", "", "A", "1度电即1千瓦时。", "是"]


def xlsx(*rows, header=HEADER) -> SimpleUploadedFile:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "题库"
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile("bank.xlsx", buffer.getvalue())


@pytest.fixture
def empty_quiz(demo):
    from quiz.services.setup import create_quiz_for_week

    return create_quiz_for_week(demo.jiangsu)


def test_the_template_has_the_columns_and_two_examples_that_import(empty_quiz):
    data = bank.template_xlsx()
    sheet = load_workbook(io.BytesIO(data))["题库"]
    assert [cell.value for cell in sheet[1]] == HEADER
    assert bank.import_bank(empty_quiz, data) == 2
    tf = Question.objects.get(quiz=empty_quiz, kind="truefalse")
    assert (tf.options, tf.answer, tf.category) == (["正确", "错误"], "A", "绿色出行")


def test_a_good_file_imports_every_row(empty_quiz):
    multiple = ["多选", "节水", "中", "哪些做法节水？", "随手关龙头", "一水多用", "长流水", "", "", "", "B A", "", ""]
    assert bank.import_bank(empty_quiz, xlsx(GOOD, multiple)) == 2
    question = Question.objects.get(quiz=empty_quiz, text="哪些做法节水？")
    assert (question.kind, question.options, question.answer, question.difficulty, question.active) == (
        "multiple",
        ["随手关龙头", "一水多用", "长流水"],
        "AB",
        2,
        True,
    )


def test_a_missing_column_is_named(empty_quiz):
    header = [c for c in HEADER if c != "正确答案"]
    with pytest.raises(bank.BankImportError) as error:
        bank.import_bank(empty_quiz, xlsx(GOOD[:10] + GOOD[11:], header=header))
    assert error.value.errors == ["表头缺少“正确答案”列，请使用下载的模板。"]


def test_an_answer_not_among_the_options_names_row_and_column_and_nothing_is_imported(empty_quiz):
    bad = ["单选", "节能", "易", "LED灯节能吗？", "节能", "不节能", "", "", "", "", "C", "", ""]
    with pytest.raises(bank.BankImportError) as error:
        bank.import_bank(empty_quiz, xlsx(GOOD, bad))
    assert error.value.errors == ["第 3 行“正确答案”列：答案 C 不在选项中（本题只有 A–B）。"]
    assert Question.objects.filter(quiz=empty_quiz).count() == 0


def test_a_duplicate_question_in_the_file_or_the_bank_is_refused(empty_quiz):
    bank.import_bank(empty_quiz, xlsx(GOOD))
    other = ["判断", "节能", "易", "随手关灯可以节电。", "", "", "", "", "", "", "正确", "", ""]
    with pytest.raises(bank.BankImportError) as error:
        bank.import_bank(empty_quiz, xlsx(other, GOOD, other))
    assert error.value.errors == [
        "第 3 行“题目”列：题库中已有相同的题目。",
        "第 4 行“题目”列：与第 2 行的题目重复。",
    ]
    assert Question.objects.filter(quiz=empty_quiz).count() == 1


def test_every_bad_cell_is_reported(empty_quiz):
    row = ["填空", "", "很难", "", "", "", "", "", "", "", "", "", "也许"]
    with pytest.raises(bank.BankImportError) as error:
        bank.import_bank(empty_quiz, xlsx(row))
    assert error.value.errors == [
        "第 2 行“题型”列：应为 单选、多选 或 判断，现为“填空”。",
        "第 2 行“分类”列：不能为空。",
        "第 2 行“难度”列：应为 易、中 或 难。",
        "第 2 行“题目”列：不能为空。",
        "第 2 行“启用”列：应为 是 或 否。",
    ]


def test_single_and_multiple_answers_are_checked_for_their_count(empty_quiz):
    single = ["单选", "节能", "易", "单选两个答案？", "甲", "乙", "", "", "", "", "AB", "", ""]
    multiple = ["多选", "节能", "易", "多选一个答案？", "甲", "乙", "丙", "", "", "", "A", "", ""]
    with pytest.raises(bank.BankImportError) as error:
        bank.import_bank(empty_quiz, xlsx(single, multiple))
    assert error.value.errors == [
        "第 2 行“正确答案”列：单选题只能有一个正确答案。",
        "第 3 行“正确答案”列：多选题至少有两个正确答案。",
    ]


@pytest.mark.parametrize(
    "content",
    [b"\x89PNG\r\n\x1a\n0000", "题型,分类\n单选,节能\n".encode(), b""],
    ids=["png", "csv", "empty"],
)
def test_a_file_that_is_not_xlsx_is_refused_by_content(empty_quiz, content):
    with pytest.raises(bank.BankImportError) as error:
        bank.import_bank(empty_quiz, SimpleUploadedFile("bank.xlsx", content))
    assert error.value.errors[0] in {
        "上传的文件不是 Excel（.xlsx）文件，请下载模板填写后再上传。",
        "上传的文件是空的。",
    }


def test_the_export_reads_back_as_the_template_and_reimports(demo, jiangsu_quiz, empty_quiz):
    data = bank.export_bank_xlsx(jiangsu_quiz)
    rows = list(load_workbook(io.BytesIO(data))["题库"].iter_rows(values_only=True))
    assert list(rows[0]) == HEADER
    first = Question.objects.filter(quiz=jiangsu_quiz).order_by("sort_order", "pk").first()
    assert rows[1][:5] == ("单选", first.category, "易", first.text, first.options[0])
    assert len(rows) == 1 + 88
    assert bank.import_bank(empty_quiz, data) == 88
    assert sorted(Question.objects.filter(quiz=empty_quiz).values_list("text", "answer")) == sorted(
        Question.objects.filter(quiz=jiangsu_quiz).values_list("text", "answer")
    )


def test_the_import_page_lists_the_errors_in_chinese(client_for, demo, empty_quiz):
    from django.urls import reverse

    client = client_for(demo.user("jiangsu_admin"))
    bad = ["单选", "节能", "易", "LED灯节能吗？", "节能", "不节能", "", "", "", "", "E", "", ""]
    response = client.post(reverse("quiz:manage_bank", args=[empty_quiz.pk]), {"file": xlsx(GOOD, bad)})
    assert response.status_code == 400
    assert "第 3 行“正确答案”列：答案 E 不在选项中（本题只有 A–B）。" in response.content.decode()
    assert Question.objects.filter(quiz=empty_quiz).count() == 0
    ok = client.post(reverse("quiz:manage_bank", args=[empty_quiz.pk]), {"file": xlsx(GOOD)}, follow=True)
    assert "已导入 1 道题。" in ok.content.decode()


def test_a_formula_cell_is_refused_as_a_formula_naming_its_row_and_column(empty_quiz):
    formula_text = ["单选", "节能", "易", '=A1&"？"', "1千瓦时", "1瓦时", "", "", "", "", "A", "", ""]
    formula_option = ["单选", "节水", "易", "一吨水是多少升？", "=1000", "100", "", "", "", "", "A", "", ""]
    with pytest.raises(bank.BankImportError) as error:
        bank.import_bank(empty_quiz, xlsx(GOOD, formula_text, formula_option))
    assert error.value.errors == [
        "第 3 行“题目”列：是公式，请填写文字。",
        "第 4 行“选项A”列：是公式，请填写文字。",
    ]
    assert Question.objects.filter(quiz=empty_quiz).count() == 0


def test_the_bank_export_keeps_text_that_looks_like_a_formula_as_text_and_reimports(jiangsu_quiz, empty_quiz):
    first = Question.objects.filter(quiz=jiangsu_quiz).order_by("sort_order", "pk").first()
    Question.objects.filter(pk=first.pk).update(text="=SUM(1,2) 是几？", explanation="-3\x0b不对")
    data = bank.export_bank_xlsx(jiangsu_quiz)
    sheet = load_workbook(io.BytesIO(data))["题库"]
    assert [sheet["D2"].value, sheet["D2"].data_type, sheet["L2"].value] == ["=SUM(1,2) 是几？", "s", "-3 不对"]
    assert (sheet.freeze_panes, sheet["A1"].font.b, sheet.column_dimensions["D"].width) == ("A2", True, 50)
    assert [str(rule.sqref) for rule in sheet.data_validations.dataValidation] == ["A2:A5000", "C2:C5000", "M2:M5000"]
    assert [cell.coordinate for row in sheet.iter_rows() for cell in row if cell.data_type == "f"] == []
    assert bank.import_bank(empty_quiz, data) == 88
    assert Question.objects.get(quiz=empty_quiz, text="=SUM(1,2) 是几？").explanation == "-3 不对"
