import pytest

from calls.models import Entry

CASE = "以智慧审判庭建设推动节约型机关创建"

# (url, owner, same tree, expected for the same tree); an outsider (another province's admin) always gets 404.
PAGES = [
    ("/calls/entries/{pk}/", "jdz_court", "jingdezhen_admin", 403),
    ("/calls/entries/{pk}/docx/", "jdz_court", "jingdezhen_admin", 200),
    ("/calls/entries/{pk}/review/", "jingdezhen_reviewer", "jdz_court", 404),
    ("/calls/2023-jingdezhen/manage/", "jingdezhen_admin", "jdz_court", 200),
    ("/calls/2023-jingdezhen/edit/", "jingdezhen_admin", "jdz_court", 404),
    ("/calls/2023-jingdezhen/board/", "jingdezhen_admin", "jdz_court", 404),
    ("/calls/2023-jingdezhen/review/", "jingdezhen_reviewer", "jdz_court", 404),
    ("/calls/2023-jingdezhen/collection/case/", "jingdezhen_admin", "jdz_court", 404),
    ("/calls/2023-jingdezhen/entries.xlsx", "jingdezhen_admin", "jdz_court", 404),
]


@pytest.mark.parametrize(("url", "owner", "same_tree", "expected"), PAGES)
def test_each_protected_call_page_answers_owner_same_tree_and_outsider(jdz, client, url, owner, same_tree, expected):
    url = url.format(pk=Entry.objects.get(title=CASE).pk)
    client.force_login(jdz.user(owner))
    assert client.get(url).status_code == 200
    client.force_login(jdz.user(same_tree))
    assert client.get(url).status_code == expected
    client.force_login(jdz.user("jiangsu_admin"))
    assert client.get(url).status_code == 404


@pytest.mark.parametrize(
    ("url", "owner", "same_tree", "expected"),
    [
        ("/calls/2023-jingdezhen/publish/", "jingdezhen_admin", "jdz_court", 404),
        ("/calls/2023-jingdezhen/forward/", "jingdezhen_admin", "jdz_court", 404),
        ("/calls/2023-jingdezhen/new/essay/", "jdz_stats", "jingdezhen_admin", 302),
    ],
)
def test_each_protected_call_action_answers_owner_same_tree_and_outsider(jdz, client, url, owner, same_tree, expected):
    client.force_login(jdz.user("jiangsu_admin"))
    assert client.post(url).status_code == 404
    client.force_login(jdz.user(same_tree))
    assert client.post(url).status_code == expected
    client.force_login(jdz.user(owner))
    assert client.post(url).status_code == 302


def test_the_public_page_shows_the_themes_and_its_qr_code_and_the_home_lists_open_calls(jdz, client):
    page = client.get("/calls/2023-jingdezhen/").content.decode()
    assert "<li><strong>绿色化改造</strong>：照明系统节能改造、供热系统节能改造、合同能源管理</li>" in page
    assert '<img src="/calls/2023-jingdezhen/qr.svg"' in page
    qr = client.get("/calls/2023-jingdezhen/qr.svg")
    assert qr["Content-Type"] == "image/svg+xml" and qr.content.startswith(b"<?xml")
    assert 'data-call="2023-jingdezhen"' not in client.get("/").content.decode()  # closed on 2023-04-30
    jdz.call.deadline = jdz.call.deadline.replace(year=2123)
    jdz.call.save()
    assert 'data-call="2023-jingdezhen"' in client.get("/").content.decode()
