import io

from docx import Document

from calls.models import Entry
from inbox.models import InboxEntry

POINTS = {"c0": 20, "c1": 30, "c2": 20, "comment": "很好"}


def test_the_chain_city_selection_to_province_inbox_to_national_inbox_shows_adoption_to_the_unit(jdz, client_for):
    city = client_for(jdz.user("jingdezhen_admin"))
    assert city.post("/calls/2023-jingdezhen/forward/").status_code == 302
    to_province = InboxEntry.objects.get(kind="call", receiver__code="360000")
    assert (to_province.sender.code, to_province.title) == (
        "360200",
        "景德镇市机关事务管理局2023年度公共机构绿色低碳示范案例遴选与节约型机关创建主题征文入选作品（4 件）",
    )
    forwarded = list(to_province.forwarding.entries.order_by("pk").values_list("title", flat=True))
    assert forwarded == [
        "以智慧审判庭建设推动节约型机关创建",
        "新时代法院节约型机关创建的实践与思考",
        "为民服务中心绿色办公实践",
        "一名市民眼中的节约型机关",
    ]
    province = client_for(jdz.user("jiangxi_admin"))
    page = province.get(f"/inbox/{to_province.pk}/").content.decode()
    assert "入选作品（4 件）" in page
    court_case = Entry.objects.get(title="以智慧审判庭建设推动节约型机关创建")
    review_page = province.get("/calls/2023-jingdezhen/review/").content.decode()
    assert review_page.count('href="/calls/entries/') == 8  # 4 entries, a title and a 评分 link each
    assert province.post(f"/calls/entries/{court_case.pk}/review/", dict(POINTS, selected="on")).status_code == 302
    assert province.post("/calls/2023-jingdezhen/forward/").status_code == 302
    to_national = InboxEntry.objects.get(kind="call", receiver__code="100000")
    assert [e.title for e in to_national.forwarding.entries.all()] == ["以智慧审判庭建设推动节约型机关创建"]
    assert to_national.sender.code == "360000"
    national = client_for(jdz.user("national_admin"))
    assert national.post(f"/calls/entries/{court_case.pk}/review/", dict(POINTS, selected="on")).status_code == 302
    unit_page = client_for(jdz.user("jdz_court")).get(f"/calls/entries/{court_case.pk}/").content.decode()
    assert (
        '<p class="msg msg-info" data-adopted>已被采用：江西省机关事务管理局、国家机关事务管理局公共机构节能管理司</p>'
        in unit_page
    )
    national = client_for(jdz.user("national_admin"))  # one client: log the national admin in again
    docx_inbox = national.get(f"/inbox/{to_national.pk}/download.docx")
    assert docx_inbox.status_code == 200
    headings = [p.text for p in Document(io.BytesIO(docx_inbox.content)).paragraphs if p.style.name == "Heading 1"]
    assert headings == ["以智慧审判庭建设推动节约型机关创建"]


def test_a_reviewer_of_another_org_scoring_an_entry_gets_404_and_nothing_is_saved(jdz, client_for):
    entry = Entry.objects.get(title="陶瓷博物馆照明系统节能改造")
    outsider = client_for(jdz.user("jiangsu_admin"))
    assert outsider.post(f"/calls/entries/{entry.pk}/review/", dict(POINTS, selected="on")).status_code == 404
    # The province before anything was forwarded to it: not yet its entry to score.
    assert client_for(jdz.user("jiangxi_admin")).post(f"/calls/entries/{entry.pk}/review/", POINTS).status_code == 404
    assert entry.scores.count() == 0 and entry.decisions.count() == 0


def test_a_city_reviewer_scores_on_the_calls_criteria_and_an_out_of_range_score_is_refused(jdz, client_for):
    entry = Entry.objects.get(title="陶瓷博物馆照明系统节能改造")
    reviewer = client_for(jdz.user("jingdezhen_reviewer"))
    bad = reviewer.post(f"/calls/entries/{entry.pk}/review/", dict(POINTS, c1=41))
    assert bad.status_code == 200 and "确保该值小于或等于40。" in bad.content.decode()
    assert reviewer.post(f"/calls/entries/{entry.pk}/review/", dict(POINTS, shortlisted="on")).status_code == 302
    score = entry.scores.get()
    assert (score.points, score.total, score.comment) == ({"主题契合": 20, "措施实效": 30, "推广价值": 20}, 70, "很好")
    decision = entry.decisions.get()
    assert (decision.org.code, decision.shortlisted, decision.selected) == ("360200", True, False)
