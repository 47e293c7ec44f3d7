"""Shared pieces of the campaign tests: the province's SMS channel on a loopback gateway, an .xlsx staff list."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from notifications.models import Channel, ChannelKind

SIGN = "节能宣传周"  # 【节能宣传周】 is 7 characters
ACCEPT = (200, {"code": 0, "message_id": "m1"})


def sms_channel(org, url: str = "http://127.0.0.1:9/sms", **config) -> Channel:
    """An enabled SMS channel of `org` with the sign name 节能宣传周 (gateway key "gw-key-0123456789abcdef")."""
    return Channel.objects.create(
        org=org,
        kind=ChannelKind.SMS,
        name="短信网关",
        url=url,
        secret="gw-key-0123456789abcdef",
        config={"sign_name": SIGN, "max_chars": 500, "timeout": 2, **config},
    )


def xlsx_upload(rows, header=("姓名", "手机", "单位"), name="staff.xlsx") -> SimpleUploadedFile:
    """A staff list: the header row, then `rows` (tuples of cell values; a str starting with "=" is a formula)."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(list(header))
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile(
        name, buffer.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )


def campaign_form(**extra) -> dict:
    return {"name": "节能宣传周公益短信", "message": "节能降碳，绿色发展。", "source": "xlsx", **extra}
