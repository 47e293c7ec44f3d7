"""The question bank as an .xlsx template: download it, fill it, import it (all rows or none), export the bank."""

import re

from django.db import transaction
from django.utils.translation import gettext as _
from openpyxl.worksheet.datavalidation import DataValidation

from audit import actions
from audit.services.log import log_action
from eventweek.xlsx import Column, Sheet, XlsxExporter
from eventweek.xlsx_read import missing_columns_check, read_table
from quiz.models import LETTERS, TRUE_FALSE_OPTIONS, Question, Quiz
from quiz.services.bank_cache import bump_bank_version

OPTION_COLUMNS = [f"选项{letter}" for letter in LETTERS]
COLUMNS = ["题型", "分类", "难度", "题目", *OPTION_COLUMNS, "正确答案", "解析", "启用"]
REQUIRED_COLUMNS = ["题型", "分类", "难度", "题目", "选项A", "选项B", "正确答案", "解析"]
KIND_BY_LABEL = {"单选": Question.Kind.SINGLE, "多选": Question.Kind.MULTIPLE, "判断": Question.Kind.TRUE_FALSE}
LABEL_BY_KIND = {value: key for key, value in KIND_BY_LABEL.items()}
DIFFICULTY_BY_LABEL = {"易": 1, "中": 2, "难": 3, "1": 1, "2": 2, "3": 3}
LABEL_BY_DIFFICULTY = {1: "易", 2: "中", 3: "难"}
YES = {"是", "启用", "1", "true", "TRUE", "True", "Y", "y"}
NO = {"否", "停用", "0", "false", "FALSE", "False", "N", "n"}
MAX_ROWS = 5000
SHEET_TITLE = "题库"


class BankImportError(Exception):
    """The file was refused; errors are Chinese messages naming the row and column."""

    def __init__(self, errors: list[str]):
        super().__init__("\n".join(errors))
        self.errors = errors


# The bank sheet's columns and widths, and the notes sheet's, in the import template's layout.
WIDTHS = {"题型": 8, "分类": 12, "难度": 6, "题目": 50, "正确答案": 10, "解析": 50, "启用": 6}
BANK_COLUMNS = [Column(name, WIDTHS.get(name, 22)) for name in COLUMNS]
HEADER_FILL = "E7F4EC"
NOTES = [
    ["题型", "单选、多选或判断"],
    ["分类", "如 节能、节水、垃圾分类、反食品浪费、绿色出行、政策法规、活动周"],
    ["难度", "易、中、难（留空为易）"],
    ["选项A–F", "单选、多选至少两个选项，从选项A起连续填写；判断题无需填写选项"],
    ["正确答案", "选项字母，多选写多个字母如 ACD；判断题写 正确 或 错误"],
    ["解析", "答题后展示给参与者的解释"],
    ["启用", "是 或 否（留空为是）"],
    [
        "导入规则",
        "任一行有误则整个文件都不导入；题目不能与题库中已有题目或文件中其他行重复；单元格请填写文字，不要用公式",
    ],
]
EXAMPLES = [
    [
        "单选",
        "节能",
        "易",
        "夏季公共机构办公区空调温度设置一般不低于多少摄氏度？",
        "22℃",
        "24℃",
        "26℃",
        "28℃",
        "",
        "",
        "C",
        "公共建筑夏季室内空调温度设置不得低于26℃。",
        "是",
    ],
    [
        "判断",
        "绿色出行",
        "易",
        "“135”绿色出行是指1公里以内步行、3公里以内骑自行车、5公里左右乘坐公共交通工具。",
        "",
        "",
        "",
        "",
        "",
        "",
        "正确",
        "这是倡导的“135”绿色出行方式。",
        "是",
    ],
]


def _validations() -> list[DataValidation]:
    """Drop-down lists for 题型, 难度 and 启用 (new objects each time: openpyxl ties one to one sheet)."""
    validations = []
    for formula, blank, ref in (('"单选,多选,判断"', False, "A2:A5000"), ('"易,中,难"', True, "C2:C5000"), ('"是,否"', True, "M2:M5000")):  # fmt: skip
        validation = DataValidation(type="list", formula1=formula, allow_blank=blank)
        validation.add(ref)
        validations.append(validation)
    return validations


def _bank_sheet(rows) -> Sheet:
    # No title row: the import reads its header from row 1, so an exported bank imports again.
    return Sheet(SHEET_TITLE, BANK_COLUMNS, rows, header_fill=HEADER_FILL, validations=_validations(), heading="")


class TemplateExporter(XlsxExporter):
    """The empty template with two example rows and a sheet of instructions."""

    filename = "question-bank-template.xlsx"

    def sheets(self):
        yield _bank_sheet(EXAMPLES)
        yield Sheet("填写说明", [Column("列", 12), Column("说明", 80)], NOTES)


class BankExporter(XlsxExporter):
    """The quiz's bank in the import template's layout, so it can be edited and imported elsewhere."""

    def __init__(self, quiz: Quiz):
        self.quiz = quiz
        self.filename = f"{quiz.slug}-bank.xlsx"

    def sheets(self):
        questions = Question.objects.filter(quiz=self.quiz).order_by("sort_order", "pk")
        yield _bank_sheet(_question_row(question) for question in questions.iterator(chunk_size=1000))


def _question_row(question: Question) -> list:
    options = list(question.options) + [""] * (len(LETTERS) - len(question.options))
    return [
        LABEL_BY_KIND[question.kind],
        question.category,
        LABEL_BY_DIFFICULTY.get(question.difficulty, "易"),
        question.text,
        *options,
        question.answer,
        question.explanation,
        "是" if question.active else "否",
    ]


def template_xlsx() -> bytes:
    """The empty template with two example rows and a sheet of instructions."""
    return TemplateExporter().to_bytes()


def export_bank_xlsx(quiz: Quiz) -> bytes:
    """The quiz's bank in the import template's layout, so it can be edited and imported elsewhere."""
    return BankExporter(quiz).to_bytes()


def _normalize_text(text: str) -> str:
    return re.sub(r"\s+", "", text)


def read_rows(upload) -> list[tuple[int, dict]]:
    """Open the upload as xlsx (checked by content, not by name) and return (row number, {column: text})."""
    return read_table(
        upload,
        COLUMNS,
        error=BankImportError,
        check_header=missing_columns_check(REQUIRED_COLUMNS),
        max_rows=MAX_ROWS,
        too_many=_("一次最多导入 %(n)d 道题。") % {"n": MAX_ROWS},
        no_rows=_("文件中没有题目（第 2 行起填写）。"),
        sheet_title=SHEET_TITLE,
    )


def parse_row(number: int, cells: dict) -> tuple[dict | None, list[str]]:
    """Validate one row; returns the question's fields or the row's errors."""
    errors = []

    def error(column: str, message: str) -> None:
        errors.append(_("第 %(row)d 行“%(col)s”列：%(msg)s") % {"row": number, "col": column, "msg": message})

    kind = KIND_BY_LABEL.get(cells.get("题型", ""))
    if kind is None:
        error("题型", _("应为 单选、多选 或 判断，现为“%(v)s”。") % {"v": cells.get("题型", "")})
    category = cells.get("分类", "")
    if not category:
        error("分类", _("不能为空。"))
    elif len(category) > 30:
        error("分类", _("不能超过 30 个字。"))
    difficulty = DIFFICULTY_BY_LABEL.get(cells.get("难度", "") or "易")
    if difficulty is None:
        error("难度", _("应为 易、中 或 难。"))
    text = cells.get("题目", "")
    if not text:
        error("题目", _("不能为空。"))
    elif len(text) > 500:
        error("题目", _("不能超过 500 个字。"))
    active_text = cells.get("启用", "") or "是"
    if active_text not in YES | NO:
        error("启用", _("应为 是 或 否。"))
    answer_text = cells.get("正确答案", "").replace(" ", "").replace(",", "").replace("，", "").upper()
    options: list[str] = []
    answer = ""
    if kind == Question.Kind.TRUE_FALSE:
        options = list(TRUE_FALSE_OPTIONS)
        mapping = {"正确": "A", "对": "A", "√": "A", "A": "A", "错误": "B", "错": "B", "×": "B", "B": "B"}
        answer = mapping.get(answer_text, "")
        if not answer:
            error("正确答案", _("判断题应填 正确 或 错误。"))
    elif kind is not None:
        values = [cells.get(column, "") for column in OPTION_COLUMNS]
        last = max((i for i, value in enumerate(values) if value), default=-1)
        options = values[: last + 1]
        for i, value in enumerate(options):
            if not value:
                error(OPTION_COLUMNS[i], _("选项中间不能留空。"))
        if len(options) < 2:
            error("选项B", _("至少需要两个选项。"))
        if len(set(options)) != len(options):
            error("选项A", _("选项内容有重复。"))
        if not answer_text:
            error("正确答案", _("不能为空。"))
        elif not set(answer_text) <= set(LETTERS) or len(set(answer_text)) != len(answer_text):
            error("正确答案", _("应填写选项字母，如 B 或 ACD，现为“%(v)s”。") % {"v": cells.get("正确答案", "")})
        else:
            outside = [letter for letter in answer_text if letter not in LETTERS[: len(options)]]
            if outside:
                error(
                    "正确答案",
                    _("答案 %(v)s 不在选项中（本题只有 %(first)s–%(last)s）。")
                    % {"v": "".join(outside), "first": "A", "last": LETTERS[max(len(options), 1) - 1]},
                )
            elif kind == Question.Kind.SINGLE and len(answer_text) != 1:
                error("正确答案", _("单选题只能有一个正确答案。"))
            elif kind == Question.Kind.MULTIPLE and len(answer_text) < 2:
                error("正确答案", _("多选题至少有两个正确答案。"))
            answer = "".join(sorted(answer_text))
    if errors:
        return None, errors
    return (
        {
            "kind": kind,
            "category": category,
            "difficulty": difficulty,
            "text": text,
            "options": options,
            "answer": answer,
            "explanation": cells.get("解析", ""),
            "active": active_text in YES,
        },
        [],
    )


def import_bank(quiz: Quiz, upload, *, user=None) -> int:
    """Add the file's questions to the quiz's bank; any bad row refuses the whole file. Returns how many were added."""
    rows = read_rows(upload)
    existing = {_normalize_text(text) for text in Question.objects.filter(quiz=quiz).values_list("text", flat=True)}
    seen: dict[str, int] = {}
    errors: list[str] = []
    parsed = []
    for number, cells in rows:
        fields, row_errors = parse_row(number, cells)
        errors.extend(row_errors)
        if fields is None:
            continue
        key = _normalize_text(fields["text"])
        if key in existing:
            errors.append(_("第 %(row)d 行“题目”列：题库中已有相同的题目。") % {"row": number})
        elif key in seen:
            errors.append(
                _("第 %(row)d 行“题目”列：与第 %(other)d 行的题目重复。") % {"row": number, "other": seen[key]}
            )
        else:
            seen[key] = number
            parsed.append(fields)
    if errors:
        raise BankImportError(errors)
    start = (
        Question.objects.filter(quiz=quiz).order_by("-sort_order").values_list("sort_order", flat=True).first() or 0
    ) + 1
    with transaction.atomic():
        Question.objects.bulk_create(
            [Question(quiz=quiz, sort_order=start + i, **fields) for i, fields in enumerate(parsed)]
        )
        bump_bank_version(quiz.pk)
        data = {"added": len(parsed), "file": getattr(upload, "name", "")}
        log_action(user, actions.QUIZ_BANK_IMPORT, quiz, org=quiz.week.organizer, data=data)
    return len(parsed)
