"""The quiz entry page names its help and error texts with the ids aria-describedby points to, and labels its search."""

import re

import time_machine
from django.urls import reverse

from tests.quiz.conftest import at


def describedby_targets(html: str) -> dict[str, list[str]]:
    """For each element with aria-describedby: its id → the referenced ids that exist in the page (missing ones too)."""
    ids = set(re.findall(r'\bid="([^"]+)"', html))
    found = {}
    for tag in re.findall(r"<[^>]*aria-describedby=\"[^\"]+\"[^>]*>", html):
        own = re.search(r'\bid="([^"]+)"', tag).group(1)
        refs = re.search(r'aria-describedby="([^"]+)"', tag).group(1).split()
        found[own] = [ref if ref in ids else f"missing {ref}" for ref in refs]
    return found


def test_a_refused_entry_points_every_field_to_its_help_and_error_texts(client, jiangsu_quiz):
    with time_machine.travel(at(4, 10)):
        response = client.post(reverse("quiz:entry", args=[jiangsu_quiz.slug]), {"name": "", "phone": "123", "org": ""})

    html = response.content.decode()
    assert response.status_code == 400  # the entry page again, with the errors
    assert describedby_targets(html) == {
        "id_name": ["id_name_error"],
        "id_phone": ["id_phone_helptext", "id_phone_error"],
        "id_org": ["id_org_error"],
    }
    invalid = [
        re.search(r'\bid="([^"]+)"', tag).group(1) for tag in re.findall(r'<[^>]*aria-invalid="true"[^>]*>', html)
    ]
    assert invalid == ["id_name", "id_phone", "id_org"]
    assert '<small class="help" id="id_phone_helptext">每个手机号限答一次，仅用于核对身份和发放奖品。</small>' in html


def test_the_unit_search_box_has_a_label_of_its_own(client, jiangsu_quiz):
    with time_machine.travel(at(4, 10)):
        html = client.get(reverse("quiz:entry", args=[jiangsu_quiz.slug])).content.decode()

    assert '<label for="id_org_search" class="visually-hidden">搜索单位：输入名称筛选下面的单位列表</label>' in html
    assert re.search(r'<input type="search" id="id_org_search" class="org-search"', html)
