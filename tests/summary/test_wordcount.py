"""The character count follows Word's 字数: CJK and full-width marks 1 each, runs of Latin letters or digits 1."""

import pytest

from reporting.summary.wordcount import count_chars, count_document

# (text, count): the same table is run through static/js/summary.js in test_wordcount_js.py.
FIXED_TEXTS = [
    ("", 0),
    ("节能宣传周", 5),
    ("绿水青山，节能增效", 9),
    ("“云启动”仪式。", 8),
    ("《通知》（国管办发〔2020〕21号）", 15),
    ("省局、市局；……——", 10),
    ("Energy saving week", 3),
    ("Hello, world!", 2),
    ("2020", 1),
    ("2020年6月29日", 6),
    ("16:00前报送", 4),
    ("COVID-19疫情防控", 5),
    ("共182项活动，60270人次参与", 11),
    ("ＡＢＣ１２３", 6),
    ("  \t\n\u3000 ", 0),
    ("中文 English 中文", 5),
    ("中文,中文", 5),
    ("a.b-c d", 2),
    ("第30个全国节能宣传周", 10),
    ("邮箱jnc@jsjgsw.example.cn报送", 5),
]


@pytest.mark.parametrize(("text", "expected"), FIXED_TEXTS)
def test_count_chars_matches_words_rule(text, expected):
    assert count_chars(text) == expected


def test_count_document_adds_title_body_and_captions():
    assert count_document("总结", "一、基本情况\n共3项活动。", ["图1 启动会现场", "Photo 2"]) == 2 + 12 + 7 + 2
