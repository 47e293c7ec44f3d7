"""The participation rate of a unit: its subtree's participants over the same subtree's headcount, on one base."""

import time_machine
from django.urls import reverse

from quiz.services.participation import participation_by_org, quiz_participation
from tests.quiz.conftest import at, start


def test_the_province_rate_divides_every_city_participant_by_the_whole_province_headcount(demo, jiangsu_quiz):
    start(jiangsu_quiz, demo, "13900000001", org="320000")
    start(jiangsu_quiz, demo, "13900000002", org="320100")
    start(jiangsu_quiz, demo, "13900000003", org="320100")
    start(jiangsu_quiz, demo, "13900000004", org="320412001")
    with time_machine.travel(at(6, 9), tick=False):
        province, nanjing = participation_by_org(demo.jiangsu, [demo.org("320000"), demo.org("320100")])
    # Not 4 / 5,200 (the provincial bureau's own staff): all 18 Jiangsu units hold 324,180 people.
    assert (province["count"], province["headcount"], province["rate"], province["coverage"]) == (
        4,
        324180,
        4 / 324180,
        "",
    )
    assert (nanjing["count"], nanjing["headcount"], nanjing["rate"]) == (2, 42000, 2 / 42000)


def test_units_without_headcount_are_left_out_of_both_sides_of_the_rate_and_the_row_says_so(demo, jiangsu_quiz):
    for code in ("320500", "320412002"):  # 苏州 (39,000) and 武进实验小学 (180) have no headcount
        org = demo.org(code)
        org.headcount = None
        org.save()
    start(jiangsu_quiz, demo, "13900000001", org="320500")
    start(jiangsu_quiz, demo, "13900000002", org="320100")
    start(jiangsu_quiz, demo, "13900000003", org="320100")
    start(jiangsu_quiz, demo, "13900000004", org="320412002")
    with time_machine.travel(at(6, 9), tick=False):
        province, suzhou = participation_by_org(demo.jiangsu, [demo.org("320000"), demo.org("320500")])
    assert {key: province[key] for key in ("count", "covered_count", "headcount", "units", "covered_units")} == {
        "count": 4,
        "covered_count": 2,
        "headcount": 324180 - 39000 - 180,
        "units": 18,
        "covered_units": 16,
    }
    assert province["rate"] == 2 / 285000
    assert province["coverage"] == "覆盖 16/18 个单位"
    assert (suzhou["count"], suzhou["headcount"], suzhou["rate"], suzhou["coverage"]) == (1, None, None, "")


def test_the_quiz_participation_page_shows_the_subtree_rate_and_its_coverage(demo, jiangsu_quiz, client_for):
    org = demo.org("320412002")
    org.headcount = None
    org.save()
    start(jiangsu_quiz, demo, "13900000001", org="320412001")
    start(jiangsu_quiz, demo, "13900000002", org="320412002")
    with time_machine.travel(at(6, 9), tick=False):
        data = quiz_participation(jiangsu_quiz)
        page = client_for(demo.user("jiangsu_admin")).get(reverse("quiz:manage_participation", args=[jiangsu_quiz.pk]))
    wujin = next(row for row in data["by_org"] if row["org"].code == "320412")
    assert (wujin["count"], wujin["headcount"], wujin["rate"], wujin["coverage"]) == (
        2,
        8700,
        1 / 8700,
        "覆盖 2/3 个单位",
    )
    html = page.content.decode()
    assert (
        f'<td>2</td><td>8700</td>\n      <td>{1 / 8700 * 100:.2f}%<br><span class="muted small">覆盖 2/3 个单位</span>'
        in html
    )
