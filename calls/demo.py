"""Demo loader: the 2023 Jingdezhen call (景管字〔2023〕9号), attachment 1's demonstration units, and entries in
several states, some selected by the city, so that `export_collection 2023-jingdezhen` has entries to collect."""

import datetime

from django.contrib.auth.hashers import make_password
from django.db import transaction

from calls.models import Entry
from calls.services.entries import save_entry, start_entry, submit_entry
from calls.services.review import decide, score_entry
from calls.services.setup import create_call, publish_call
from eventweek.deadlines import DeadlineStatus
from eventweek.demo import read_fixture
from eventweek.models import LOCAL_TZ, Org, User

CITY = "360200"  # 景德镇市机关事务管理局 (fixtures/orgs.json)
DEMO = Org.Category.DEMONSTRATION
# (code, name, level, parent, category): three counties and a handful of attachment 1's units, and one 市直单位.
ORGS = [
    ("360203", "珠山区机关事务服务中心", Org.Level.COUNTY, CITY, ""),
    ("360222", "浮梁县机关事务管理局", Org.Level.COUNTY, CITY, ""),
    ("360281", "乐平市机关事务管理局", Org.Level.COUNTY, CITY, ""),
    ("360200001", "景德镇市中级人民法院", Org.Level.INSTITUTION, CITY, DEMO),
    ("360200002", "景德镇市人民检察院", Org.Level.INSTITUTION, CITY, DEMO),
    ("360200003", "景德镇市第五中学", Org.Level.INSTITUTION, CITY, DEMO),
    ("360200004", "中国陶瓷博物馆", Org.Level.INSTITUTION, CITY, DEMO),
    ("360200005", "景德镇市自然资源和规划局", Org.Level.INSTITUTION, CITY, DEMO),
    ("360200006", "景德镇市统计局", Org.Level.INSTITUTION, CITY, ""),
    ("360222001", "浮梁县机关事务管理中心", Org.Level.INSTITUTION, "360222", DEMO),
    ("360281001", "乐平市为民服务中心", Org.Level.INSTITUTION, "360281", DEMO),
]
USERS = [
    ("jingdezhen_admin", "景德镇市管理员", CITY, User.Role.ADMIN),
    ("jingdezhen_reviewer", "景德镇市评审人", CITY, User.Role.REVIEWER),
    ("jdz_court", "市中院报送员", "360200001", User.Role.ADMIN),
    ("jdz_museum", "陶博馆报送员", "360200004", User.Role.ADMIN),
    ("jdz_school", "五中报送员", "360200003", User.Role.ADMIN),
    ("jdz_stats", "统计局报送员", "360200006", User.Role.ADMIN),
    ("leping_service", "乐平市为民服务中心报送员", "360281001", User.Role.ADMIN),
]
DEADLINE = datetime.datetime(2023, 4, 30, 17, 0, tzinfo=LOCAL_TZ)
OUTSIDER_PHONE = "13900000017"


def _case(title, theme, direction, lines=3):
    section = "。".join(["本单位坚持节约优先，健全制度，压实责任，数据逐月公示"] * lines) + "。"
    return {
        "title": title,
        "theme": theme,
        "direction": direction,
        "abstract": f"{title}：通过制度建设与技术改造，年节约用电一成以上。",
        "keywords": "公共机构",
        "basic": section,
        "measures": section,
        "results": section,
        "experience": section,
    }


def _essay(title, author, unit):
    return {
        "title": title,
        "body": "节约型机关创建是推动公共机构绿色低碳转型的重要抓手。\n" * 4,
        "authors": [{"name": author, "unit": unit, "contact": "0798-8383376"}],
    }


def _filed(entry, data, user, at, status=DeadlineStatus.ON_TIME):
    save_entry(entry, data, user=user)
    submit_entry(entry, user=user)
    Entry.objects.filter(pk=entry.pk).update(submitted_at=at, deadline_status=status)
    return entry


def _at(month, day, hour=10):
    return datetime.datetime(2023, month, day, hour, 0, tzinfo=LOCAL_TZ)


@transaction.atomic
def load(stdout=None) -> list[str]:
    """The Jingdezhen units and the 2023 call with its entries; returns its summary lines."""
    orgs = {CITY: Org.objects.get(code=CITY)}
    for code, name, level, parent, category in ORGS:
        orgs[code], _created = Org.objects.update_or_create(
            code=code, defaults={"name": name, "level": level, "parent": orgs[parent], "category": category}
        )
    password = make_password(read_fixture("users.json")["password"])
    users = {}
    for username, full_name, code, role in USERS:
        users[username], _created = User.objects.get_or_create(
            username=username, defaults={"first_name": full_name, "org": orgs[code], "role": role, "password": password}
        )
    call = create_call(
        orgs[CITY],
        slug="2023-jingdezhen",
        title="2023年度公共机构绿色低碳示范案例遴选与节约型机关创建主题征文",
        deadline=DEADLINE,
        intro="景管字〔2023〕9号：市管中心组织开展示范案例遴选与节约型机关创建主题征文活动。",
        essay_topics="节约型机关创建的基本理论问题；治理现代化背景下的创建研究；地区比较；实践思路和经验；"
        "支撑载体研究；典型做法、亮点推介（包括但不限于）。",
        reviewers=[users["jingdezhen_reviewer"], users["jingdezhen_admin"]],
    )
    publish_call(call)
    court, museum, school, stats, leping = (
        users[name] for name in ("jdz_court", "jdz_museum", "jdz_school", "jdz_stats", "leping_service")
    )
    court_case = _filed(
        start_entry(call, Entry.Kind.CASE, org=court.org, user=court),
        _case("以智慧审判庭建设推动节约型机关创建", "示范创建", "节约型机关创建"),
        court,
        _at(4, 20),
    )
    court_essay = _filed(
        start_entry(call, Entry.Kind.ESSAY, org=court.org, user=court),
        _essay("新时代法院节约型机关创建的实践与思考", "李明", "景德镇市中级人民法院"),
        court,
        _at(4, 21),
    )
    _filed(
        start_entry(call, Entry.Kind.CASE, org=museum.org, user=museum),
        _case("陶瓷博物馆照明系统节能改造", "绿色化改造", "照明系统节能改造"),
        museum,
        _at(4, 25),
    )
    save_entry(
        start_entry(call, Entry.Kind.ESSAY, org=museum.org, user=museum),
        _essay("博物馆绿色办公初探", "王芳", "中国陶瓷博物馆"),
        user=museum,
    )
    save_entry(
        start_entry(call, Entry.Kind.CASE, org=school.org, user=school),
        _case("校园生活垃圾分类", "生活垃圾分类", "生活垃圾分类", lines=60),
        user=school,
    )
    _filed(
        start_entry(call, Entry.Kind.ESSAY, org=stats.org, user=stats),
        _essay("以数据治理助推节约型机关建设", "赵强", "景德镇市统计局"),
        stats,
        _at(5, 4),
        DeadlineStatus.LATE,
    )
    leping_case = _filed(
        start_entry(call, Entry.Kind.CASE, org=leping.org, user=leping),
        _case("为民服务中心绿色办公实践", "绿色生活方式倡导", "绿色办公"),
        leping,
        _at(4, 28),
    )
    outsider_essay = _filed(
        start_entry(call, Entry.Kind.ESSAY, phone=OUTSIDER_PHONE),
        dict(_essay("一名市民眼中的节约型机关", "陈静", "景德镇陶瓷大学"), unit_name="景德镇陶瓷大学"),
        None,
        _at(4, 29),
    )
    reviewer = users["jingdezhen_reviewer"]
    for entry, points in (
        (court_case, (28, 36, 27)),
        (court_essay, (26, 35, 25)),
        (leping_case, (25, 33, 26)),
        (outsider_essay, (24, 30, 24)),
    ):
        score_entry(
            entry, reviewer, dict(zip([c["name"] for c in call.criteria], points, strict=True)), "内容扎实，数据翔实。"
        )
        decide(entry, orgs[CITY], selected=True)
    return [
        f"案例征文：{call.title}（{call.slug}），示范单位 {sum(1 for o in ORGS if o[4])} 个，作品 {call.entries.count()} 件，入选 4 件"
    ]
