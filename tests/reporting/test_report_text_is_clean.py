"""A daily report's free text is clean at the door: control characters dropped, line breaks only in the text areas."""

from reporting.models import DailyReport, ReportItem, ReportPicture, ReportVersion

from .conftest import DAY1, at, image_bytes, item, upload
from .test_report_form import EDIT, form_data


def test_control_characters_are_dropped_from_an_items_text(demo, client_for, travel):
    travel(at(DAY1, 14, 30))
    data = form_data(
        items=[
            {
                "title": "节能\x00讲座\x0b\x1b[31m\x7f",
                "kind": "lecture",
                "mode": "offline",
                "place": "市\x0b图书馆",
                "description": "邀请专家\x00讲解\x1b节能\x7f常识。",
                "pictures": [upload("a.png", image_bytes("PNG"), "image/png")],
                "captions": ["讲座\x0b现场"],
            }
        ],
        narrative="今日\x0b活动有序开展。",
        contact_name="王\x1b明",
    )

    response = client_for(demo.user("nanjing_reporter")).post(EDIT, data)

    assert response.status_code == 302
    report = DailyReport.objects.get()
    assert (report.narrative, report.contact_name) == ("今日活动有序开展。", "王明")
    assert list(ReportItem.objects.values_list("title", "place", "description")) == [
        ("节能讲座[31m", "市图书馆", "邀请专家讲解节能常识。")
    ]
    assert list(ReportPicture.objects.values_list("caption", flat=True)) == ["讲座现场"]


def test_a_text_area_keeps_its_newlines_and_tabs_and_loses_carriage_returns(demo, client_for, travel):
    travel(at(DAY1, 14, 30))
    data = form_data(
        items=[
            {
                "title": "节能讲座",
                "kind": "lecture",
                "mode": "offline",
                "description": "一、上午\r\n\t专家讲座\r二、下午\n\t现场答疑",
            }
        ],
        narrative="第一段\r\n\t第二段",
    )

    assert client_for(demo.user("nanjing_reporter")).post(EDIT, data).status_code == 302

    assert DailyReport.objects.get().narrative == "第一段\n\t第二段"
    assert ReportItem.objects.get().description == "一、上午\n\t专家讲座\n二、下午\n\t现场答疑"


def test_an_item_title_with_a_line_break_is_refused_naming_the_item_and_field(demo, client_for, travel):
    travel(at(DAY1, 14, 30))
    data = form_data(items=[{"title": "节能\n讲座", "kind": "lecture", "mode": "offline"}])

    response = client_for(demo.user("nanjing_reporter")).post(EDIT, data)

    assert response.status_code == 200
    assert "<strong>活动 1 · 活动名称</strong>：“活动名称”不能包含换行。" in response.content.decode()
    assert (DailyReport.objects.count(), ReportItem.objects.count(), ReportVersion.objects.count()) == (0, 0, 0)


def test_a_picture_caption_with_a_line_break_is_refused_and_the_old_caption_kept(demo, client_for, travel, submit):
    travel(at(DAY1, 14, 30))
    report = submit(items=[item("展览", pictures=[(image_bytes(), "展板一")])])
    picture = report.pictures.get()
    data = form_data(
        version=1,
        items=[
            {
                "id": str(report.items.get().pk),
                "title": "展览",
                "kind": "exhibition",
                "mode": "offline",
                f"caption_{picture.pk}": "展板\r\n（改）",
            }
        ],
    )
    data["items-INITIAL_FORMS"] = "1"

    response = client_for(demo.user("nanjing_reporter")).post(EDIT, data)

    assert response.status_code == 200
    assert "<strong>活动 1 · 添加图片</strong>：“图片说明”不能包含换行。" in response.content.decode()
    picture.refresh_from_db()
    report.refresh_from_db()
    assert (picture.caption, report.version, ReportVersion.objects.count()) == ("展板一", 1, 1)
