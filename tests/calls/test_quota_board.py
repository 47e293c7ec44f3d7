from calls.services.quotas import quota_board, quota_totals


def test_quota_board_of_the_jingdezhen_demo_counts_each_unit_and_county(jdz):
    rows = [
        (row.org.code, row.group, row.cases, row.cases_required, row.essays, row.essays_required, row.met)
        for row in quota_board(jdz.call)
    ]
    assert rows == [
        ("360200001", "示范单位", 1, 1, 1, 1, True),
        ("360200002", "示范单位", 0, 1, 0, 1, False),
        ("360200003", "示范单位", 0, 1, 0, 1, False),
        ("360200004", "示范单位", 1, 1, 0, 1, False),
        ("360200005", "示范单位", 0, 1, 0, 1, False),
        ("360200006", "市直单位", 0, 0, 1, 1, True),
        ("360203", "县（市、区）", 0, 2, 0, 5, False),
        ("360222", "县（市、区）", 0, 2, 0, 5, False),
        ("360222001", "示范单位", 0, 1, 0, 1, False),
        ("360281", "县（市、区）", 1, 2, 0, 5, False),
        ("360281001", "示范单位", 1, 1, 0, 1, False),
    ]
    assert quota_totals(quota_board(jdz.call)) == {"met": 2, "short": 9}
    short = {row.org.code: row.short for row in quota_board(jdz.call)}
    assert short["360281"] == "差案例 1 个，差征文 5 篇"
    assert short["360200004"] == "差征文 1 篇"


def test_quota_board_page_shows_the_counts_to_the_city_and_404_to_another_city(jdz, client_for):
    page = client_for(jdz.user("jingdezhen_admin")).get("/calls/2023-jingdezhen/board/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "<strong data-met>2</strong>" in text and "<strong data-short>9</strong>" in text
    assert client_for(jdz.user("jiangsu_admin")).get("/calls/2023-jingdezhen/board/").status_code == 404
