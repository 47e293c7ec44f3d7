"""The entry page's unit list: the organizer's whole subtree in a plain <select>, indented by depth, built once per
process however many units a national quiz lists, with the chosen unit kept when a start is refused."""

import html
import re

import time_machine
from django.urls import reverse

from eventweek.models import Org
from tests.quiz.conftest import DURING

OPTION = re.compile(r'<option value="([^"]*)"( selected)?>([^<]*)</option>')


def _options(page: str) -> list[tuple[str, bool, str]]:
    select = re.search(r'<select name="org"[^>]*>(.*?)</select>', page, re.S).group(1)
    return [(value, bool(selected), html.unescape(label)) for value, selected, label in OPTION.findall(select)]


def test_the_unit_list_is_the_organizers_subtree_indented_by_depth(client, demo, jiangsu_quiz):
    with time_machine.travel(DURING, tick=False):
        page = client.get(reverse("quiz:entry", args=[jiangsu_quiz.slug])).content.decode()
    organizer = demo.jiangsu.organizer
    subtree = Org.objects.filter(path__startswith=organizer.path).order_by("path")
    expected = [
        (str(org.pk), False, "\u3000" * (org.path.count("/") - organizer.path.count("/")) + org.name) for org in subtree
    ]
    assert _options(page) == [("", False, "请选择所在单位"), *expected]
    assert expected[0] == (str(organizer.pk), False, organizer.name) and len(expected) > 1
    assert '<select name="org" id="id_org" required>' in page


def test_a_refused_start_keeps_the_chosen_unit_selected(client, demo, jiangsu_quiz):
    unit = demo.org("320100")
    with time_machine.travel(DURING, tick=False):
        response = client.post(
            reverse("quiz:entry", args=[jiangsu_quiz.slug]), {"name": "张三", "phone": "1381234", "org": unit.pk}
        )
    assert response.status_code == 400
    chosen = [value for value, selected, _label in _options(response.content.decode()) if selected]
    assert chosen == [str(unit.pk)]


def test_a_unit_outside_the_subtree_is_refused_by_name(client, demo, jiangsu_quiz):
    outside = demo.org("360000")  # Jiangxi
    with time_machine.travel(DURING, tick=False):
        response = client.post(
            reverse("quiz:entry", args=[jiangsu_quiz.slug]), {"name": "张三", "phone": "13812345678", "org": outside.pk}
        )
    assert response.status_code == 400
    assert "所选单位不存在或不在本次竞答范围内，请重新选择。" in response.content.decode()


def test_a_unit_name_is_escaped_in_the_list(client, demo, jiangsu_quiz):
    Org.objects.create(code="320198", name="<b>试点</b>", level=Org.Level.INSTITUTION, parent=demo.org("320100"))
    with time_machine.travel(DURING, tick=False):
        page = client.get(reverse("quiz:entry", args=[jiangsu_quiz.slug])).content.decode()
    assert "&lt;b&gt;试点&lt;/b&gt;</option>" in page and "<b>试点" not in page
