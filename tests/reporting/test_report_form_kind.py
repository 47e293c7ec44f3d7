"""The report form is kind: an amended report's form adds no empty item; a refused post names the pictures to pick
again (the browser drops them); the page carries the upload progress bar that static/js/reporting.js fills."""

import re

from .conftest import DAY1, at, image_bytes, item, upload
from .test_report_form import EDIT, form_data


def _total_forms(page: str) -> int:
    return int(re.search(r'name="items-TOTAL_FORMS" value="(\d+)"', page).group(1))


def test_the_edit_form_of_a_filed_report_shows_its_items_and_no_empty_one(demo, client_for, travel, submit):
    travel(at(DAY1, 14, 0))
    submit("320100", items=[item("启动会"), item("旧物回收", kind="recycling")])
    page = client_for(demo.user("nanjing_reporter")).get(EDIT).content.decode()
    assert _total_forms(page) == 2
    assert 'name="items-2-title"' not in page
    assert "＋ 再添加一项活动" in page


def test_a_new_report_form_starts_with_one_empty_item(demo, client_for, travel):
    travel(at(DAY1, 14, 0))
    page = client_for(demo.user("nanjing_reporter")).get(EDIT).content.decode()
    assert _total_forms(page) == 1


def test_a_refused_post_names_the_pictures_to_pick_again(demo, client_for, travel):
    travel(at(DAY1, 14, 0))
    pictures = [upload("a.jpg", image_bytes("JPEG")), upload("现场 b.jpg", image_bytes("JPEG"))]
    data = form_data(items=[{"title": "", "kind": "kickoff", "mode": "offline", "pictures": pictures}])
    response = client_for(demo.user("nanjing_reporter")).post(EDIT, data)
    page = response.content.decode()
    assert response.status_code == 200
    assert "请重新选择图片：a.jpg、现场 b.jpg" in page


def test_a_form_without_pictures_asks_for_none_again(demo, client_for, travel):
    travel(at(DAY1, 14, 0))
    data = form_data(items=[{"title": "", "kind": "kickoff", "mode": "offline"}])
    page = client_for(demo.user("nanjing_reporter")).post(EDIT, data).content.decode()
    assert "请重新选择图片" not in page


def test_the_form_has_a_hidden_upload_progress_bar(demo, client_for, travel):
    travel(at(DAY1, 14, 0))
    page = client_for(demo.user("nanjing_reporter")).get(EDIT).content.decode()
    assert re.search(r'<div class="rp-progress" data-progress hidden>\s*<progress max="100" value="0"', page)
