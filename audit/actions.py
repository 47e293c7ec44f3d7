"""The audit log's action codes (dotted, stored) and their Chinese labels (shown)."""

from django.utils.translation import gettext_lazy as _

WEEK_PUBLISH = "week.publish"
WEEK_COPY = "week.copy"
ACTIVITY_CHANGE = "activity.change"
ACTIVITY_CANCEL = "activity.cancel"
ACTIVITY_RESTORE = "activity.restore"
HIGHLIGHTS_FORWARD = "highlights.forward"
INBOX_ADOPT = "inbox.adopt"
INBOX_COMMENT = "inbox.comment"
REPORT_RETURN = "report.return"
REPORT_COMMENT = "report.comment"
QUIZ_DRAW = "quiz.draw"
QUIZ_SETTINGS = "quiz.settings"
QUIZ_BANK_IMPORT = "quiz.bank_import"
USER_CREATE = "user.create"
USER_DEACTIVATE = "user.deactivate"
USER_ROLE = "user.role"
USER_PASSWORD_RESET = "user.password_reset"
ORG_CHANGE = "org.change"
ORG_MOVE = "org.move"
EXPORT_PERSONAL_DATA = "export.personal_data"
SMS_CAMPAIGN_SEND = "sms_campaign.send"
EXCHANGE_APPROVE = "exchange.approve"
EXCHANGE_RETURN = "exchange.return"
CALL_PUBLISH = "call.publish"
CALL_SELECT = "call.select"
CALL_FORWARD = "call.forward"
CALL_ADOPT = "call.adopt"

LABELS = {
    WEEK_PUBLISH: _("发布活动周"),
    WEEK_COPY: _("复制上年活动"),
    ACTIVITY_CHANGE: _("变更活动"),
    ACTIVITY_CANCEL: _("取消活动"),
    ACTIVITY_RESTORE: _("恢复活动"),
    HIGHLIGHTS_FORWARD: _("上报亮点"),
    INBOX_ADOPT: _("采用"),
    INBOX_COMMENT: _("回复意见"),
    REPORT_RETURN: _("退回修改"),
    REPORT_COMMENT: _("点评"),
    QUIZ_DRAW: _("抽奖"),
    QUIZ_SETTINGS: _("修改竞答设置"),
    QUIZ_BANK_IMPORT: _("导入题库"),
    USER_CREATE: _("创建用户"),
    USER_DEACTIVATE: _("停用用户"),
    USER_ROLE: _("修改角色"),
    USER_PASSWORD_RESET: _("重置密码"),
    ORG_CHANGE: _("修改单位信息"),
    ORG_MOVE: _("移动单位"),
    EXPORT_PERSONAL_DATA: _("导出个人信息"),
    SMS_CAMPAIGN_SEND: _("发送公益短信"),
    EXCHANGE_APPROVE: _("通过云兑换备案"),
    EXCHANGE_RETURN: _("退回云兑换备案"),
    CALL_PUBLISH: _("发布案例征文征集"),
    CALL_SELECT: _("评审作品（入围、入选）"),
    CALL_FORWARD: _("报送入选作品"),
    CALL_ADOPT: _("采用报送的作品"),
}

CHOICES = list(LABELS.items())


def label(code: str) -> str:
    """The Chinese label of an action code (the code itself for one not listed)."""
    return str(LABELS.get(code, code))
