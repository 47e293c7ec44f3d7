"""Filing through the page: items, pictures with captions, errors in Chinese naming the field, retries and conflicts."""

import uuid

from django.urls import reverse

from reporting.models import DailyReport, ReportPicture, ReportVersion

from .conftest import DAY1, at, image_bytes, upload

EDIT = reverse("reporting:report_edit", args=["2020-jiangsu", "320100", "2020-06-29"])


def form_data(version=0, token=None, items=None, **extra):
    items = items if items is not None else [{"title": "节约型机关创建启动会", "kind": "kickoff", "mode": "offline"}]
    data = {
        "version": str(version),
        "token": str(token or uuid.uuid4()),
        "narrative": "今日各项活动有序开展。",
        "contact_name": "王明",
        "contact_phone": "025-68780001",
        "items-TOTAL_FORMS": str(len(items)),
        "items-INITIAL_FORMS": "0",
        "items-MIN_NUM_FORMS": "0",
        "items-MAX_NUM_FORMS": "30",
    }
    for index, fields in enumerate(items):
        for key, value in fields.items():
            data[f"items-{index}-{key}"] = value
    data.update(extra)
    return data


def test_a_reporter_files_a_report_with_pictures_and_captions(demo, client_for, travel):
    travel(at(DAY1, 14, 30))
    client = client_for(demo.user("nanjing_reporter"))
    data = form_data(
        items=[
            {
                "title": "节能宣传周启动会",
                "kind": "kickoff",
                "mode": "mixed",
                "place": "南京市级机关会议中心",
                "participants": "150",
                "recycled_kg": "",
                "pictures": [upload("a.jpg", image_bytes("JPEG")), upload("b.png", image_bytes("PNG"), "image/png")],
                "captions": ["会场全景", "领导讲话"],
            }
        ]
    )
    response = client.post(EDIT, data)
    assert response.status_code == 302
    assert response["Location"] == "/reporting/2020-jiangsu/r/320100/2020-06-29/"
    report = DailyReport.objects.get()
    assert (report.version, report.item_count, report.picture_count, report.participants) == (1, 1, 2, 150)
    assert list(ReportPicture.objects.order_by("position").values_list("caption", "content_type")) == [
        ("会场全景", "image/jpeg"),
        ("领导讲话", "image/png"),
    ]
    page = client.get(response["Location"]).content.decode()
    assert "已提交第 1 版（按时报送）。" in page
    assert "会场全景" in page


def test_an_item_without_a_title_is_refused_naming_the_item_and_field(demo, client_for, travel):
    travel(at(DAY1, 14, 30))
    response = client_for(demo.user("nanjing_reporter")).post(
        EDIT, form_data(items=[{"title": "", "kind": "lecture", "place": "市图书馆", "mode": "offline"}])
    )
    assert response.status_code == 200
    assert "<strong>活动 1 · 活动名称</strong>：请填写活动名称。" in response.content.decode()
    assert DailyReport.objects.count() == 0


def test_a_text_file_as_picture_is_refused_and_nothing_is_saved(demo, client_for, travel):
    travel(at(DAY1, 14, 30))
    data = form_data(
        items=[{"title": "展览", "kind": "exhibition", "mode": "offline", "pictures": [upload("x.jpg", b"hello")]}]
    )
    response = client_for(demo.user("nanjing_reporter")).post(EDIT, data)
    html = response.content.decode()
    assert "<strong>活动 1 · 添加图片</strong>：“x.jpg”不是有效的图片文件，请上传 JPEG、PNG 或 WebP 图片。" in html
    assert DailyReport.objects.count() == 0
    assert ReportPicture.objects.count() == 0


def test_an_empty_report_is_refused_with_a_message(demo, client_for, travel):
    travel(at(DAY1, 14, 30))
    data = form_data(items=[{"title": "", "kind": "other", "mode": "offline"}], narrative="")
    response = client_for(demo.user("nanjing_reporter")).post(EDIT, data)
    assert "报送内容为空：请至少填写一项活动或当日情况综述。" in response.content.decode()
    assert ReportVersion.objects.count() == 0


def test_a_network_retry_of_the_same_form_makes_one_submission(demo, client_for, travel):
    travel(at(DAY1, 14, 30))
    client = client_for(demo.user("nanjing_reporter"))
    data = form_data(token=uuid.uuid4())
    first = client.post(EDIT, data)
    second = client.post(EDIT, data)
    assert first.status_code == second.status_code == 302
    assert ReportVersion.objects.count() == 1
    assert DailyReport.objects.get().item_count == 1
    assert "该表单已提交过，未重复提交。" in client.get(second["Location"]).content.decode()


def test_the_second_of_two_savers_is_refused_and_the_first_is_kept(demo, client_for, travel):
    travel(at(DAY1, 14, 30))
    client = client_for(demo.user("nanjing_reporter"))
    client.post(EDIT, form_data())
    item_id = str(DailyReport.objects.get().items.get().pk)
    # Two browsers opened version 1; the first saves, then the second.
    first = form_data(version=1, items=[{"id": item_id, "title": "甲改的标题", "kind": "kickoff", "mode": "offline"}])
    second = form_data(version=1, items=[{"id": item_id, "title": "乙改的标题", "kind": "kickoff", "mode": "offline"}])
    first["items-INITIAL_FORMS"] = second["items-INITIAL_FORMS"] = "1"
    assert client.post(EDIT, first).status_code == 302
    response = client.post(EDIT, second)
    assert response.status_code == 200
    assert "这份报送刚刚已被他人修改并提交（现为第 2 版，您编辑的是第 1 版）。" in response.content.decode()
    report = DailyReport.objects.get()
    assert (report.version, report.items.get().title) == (2, "甲改的标题")


def test_a_day_in_the_future_gets_a_clear_page(demo, client_for, travel):
    travel(at(DAY1, 14, 30))
    url = reverse("reporting:report_edit", args=["2020-jiangsu", "320100", "2020-06-30"])
    response = client_for(demo.user("nanjing_reporter")).get(url)
    assert response.status_code == 400
    assert "2020-06-30 还没有到，不能提前报送。" in response.content.decode()


def test_the_form_shows_the_existing_pictures_for_amending(demo, client_for, travel, submit):
    from .conftest import item

    travel(at(DAY1, 14, 30))
    report = submit(items=[item("展览", pictures=[(image_bytes(), "展板一")])])
    picture = report.pictures.get()
    client = client_for(demo.user("nanjing_reporter"))
    html = client.get(EDIT).content.decode()
    assert f'name="items-0-caption_{picture.pk}" value="展板一"' in html
    item_id = str(report.items.get().pk)
    data = form_data(
        version=1,
        items=[
            {
                "id": item_id,
                "title": "展览",
                "kind": "exhibition",
                "mode": "offline",
                f"caption_{picture.pk}": "展板（改）",
            }
        ],
    )
    data["items-INITIAL_FORMS"] = "1"
    assert client.post(EDIT, data).status_code == 302
    picture.refresh_from_db()
    assert picture.caption == "展板（改）"
    data = form_data(
        version=2,
        items=[
            {"id": item_id, "title": "展览", "kind": "exhibition", "mode": "offline", "remove_picture": str(picture.pk)}
        ],
    )
    data["items-INITIAL_FORMS"] = "1"
    assert client.post(EDIT, data).status_code == 302
    report.refresh_from_db()
    assert report.picture_count == 0
    assert report.versions.get(number=2).snapshot["items"][0]["pictures"] == [
        {"id": picture.pk, "caption": "展板（改）"}
    ]
