"""One sender per kind of channel: email, SMS gateway, WeCom robot, DingTalk robot, generic webhook.

Every sender returns a `GatewayAnswer` (HTTP status, the body with secrets masked, the gateway's message id) when the
gateway accepted the message, and raises `GatewayError` (a Chinese message, the masked answer, and whether trying
again may help) when it did not. Error texts are built here, never taken from an exception of `requests`, whose
messages carry the full URL (WeCom's key, DingTalk's access_token). Nothing here logs a URL or a secret.

Stable API for the other notification work: `send_message(channel, recipient, subject, body)`,
`send_sms(channel, mobile, text)`, `send_email(channel, to, subject, body)`.
"""

import base64
import hashlib
import hmac
import json
import smtplib
import time
import urllib.parse
from dataclasses import dataclass

import requests
from django.core.mail import send_mail
from django.utils.translation import gettext as _

from notifications.models import Channel, ChannelKind, mask_secret

CONNECT_TIMEOUT = 5
# How long a gateway may take to answer, unless the channel says otherwise (config "timeout", seconds).
READ_TIMEOUT = 10
# WeCom's documented limits, in UTF-8 bytes.
WECOM_TEXT_MAX_BYTES = 2048
WECOM_MARKDOWN_MAX_BYTES = 4096
# DingTalk refuses messages above 20,000 bytes.
DINGTALK_MAX_BYTES = 20000
# An SMS gateway's own limit is a channel setting ("max_chars"); this is its default, the sign name included.
SMS_DEFAULT_MAX_CHARS = 500
ANSWER_MAX_CHARS = 1000
SIGNATURE_HEADER = "X-Eventweek-Signature"

# What DingTalk's and WeCom's error codes mean, in Chinese (codes from their robot documentation).
DINGTALK_ERRORS = {
    310000: _("签名不匹配或消息不含关键词（请检查加签密钥、关键词或 IP 白名单）"),
    300001: _("无效的 access_token（机器人已被删除或地址有误）"),
    300005: _("无效的 access_token（机器人已被删除或地址有误）"),
    130101: _("发送太快，超过每分钟 20 条的频率限制"),
    460101: _("消息太长"),
}
WECOM_ERRORS = {
    93000: _("无效的 webhook 地址（机器人已被删除或 key 有误）"),
    45009: _("发送频率超过限制（每分钟 20 条）"),
    45002: _("消息太长"),
    40008: _("消息类型无效"),
    44004: _("消息内容为空"),
    40058: _("请求参数不合法"),
}


@dataclass(frozen=True)
class GatewayAnswer:
    """What a gateway answered: HTTP status (None for email), the body with secrets masked, its message id."""

    status: int | None
    body: str
    message_id: str = ""

    def as_text(self) -> str:
        """ "HTTP 200 {…}" as shown on the test page and in the delivery log."""
        return f"HTTP {self.status} {self.body}".strip() if self.status is not None else self.body


class GatewayError(Exception):
    """The gateway did not accept the message; the message is Chinese, `answer` what it said (masked)."""

    def __init__(self, message: str, answer: GatewayAnswer | None = None, *, retryable: bool = True):
        super().__init__(message)
        self.answer = answer
        self.retryable = retryable


class MessageTooLong(GatewayError):
    """The message is longer than the channel accepts: never retried."""

    def __init__(self, message: str):
        super().__init__(message, retryable=False)


def redact(text: str, channel: Channel) -> str:
    """The text with the channel's secret, its URL's query values and its whole URL masked."""
    if not text:
        return ""
    secrets = [channel.secret, channel.url]
    if "?" in channel.url:
        for pair in channel.url.partition("?")[2].split("&"):
            secrets.append(pair.partition("=")[2])
    for secret in sorted((s for s in secrets if s and len(s) >= 4), key=len, reverse=True):
        masked = channel.masked_url if secret == channel.url else mask_secret(secret)
        text = text.replace(secret, masked)
        text = text.replace(urllib.parse.quote(secret, safe=""), masked)
    return text


def dingtalk_sign(secret: str, timestamp_ms: int) -> str:
    """DingTalk's signed-secret mode: base64(HMAC-SHA256(key=secret, "timestamp\\nsecret")), then URL-encoded."""
    string_to_sign = f"{timestamp_ms}\n{secret}".encode()
    digest = hmac.new(secret.encode(), string_to_sign, digestmod=hashlib.sha256).digest()
    return urllib.parse.quote_plus(base64.b64encode(digest))


def webhook_signature(secret: str, raw_body: bytes) -> str:
    """The generic webhook's header value: "sha256=<hex HMAC-SHA256 of the raw body>"."""
    return "sha256=" + hmac.new(secret.encode(), raw_body, hashlib.sha256).hexdigest()


def _post_json(channel: Channel, url: str, payload: dict, headers: dict | None = None) -> tuple[requests.Response, str]:
    """POST the payload as JSON with connect/read timeouts; a Chinese GatewayError for no answer or a 5xx/4xx."""
    raw = json.dumps(payload, ensure_ascii=False).encode()
    all_headers = {"Content-Type": "application/json; charset=utf-8", **(headers or {})}
    if channel.kind == ChannelKind.WEBHOOK and channel.secret:
        all_headers[SIGNATURE_HEADER] = webhook_signature(channel.secret, raw)
    host = urllib.parse.urlsplit(url).netloc
    read_timeout = float((channel.config or {}).get("timeout") or READ_TIMEOUT)
    try:
        response = requests.post(
            url, data=raw, headers=all_headers, timeout=(min(CONNECT_TIMEOUT, read_timeout), read_timeout)
        )
    except requests.Timeout:
        raise GatewayError(
            _("网关超时：%(host)s 在 %(seconds)s 秒内没有应答。") % {"host": host, "seconds": f"{read_timeout:g}"}
        ) from None
    except requests.RequestException:
        raise GatewayError(_("无法连接网关 %(host)s。") % {"host": host}) from None
    body = redact(response.text[:ANSWER_MAX_CHARS], channel)
    answer = GatewayAnswer(response.status_code, body)
    if response.status_code >= 500:
        raise GatewayError(_("网关暂时故障（HTTP %(status)d）。") % {"status": response.status_code}, answer)
    if response.status_code >= 400:
        # 429 is "too many requests": worth another try later; any other 4xx will answer the same again.
        raise GatewayError(
            _("网关拒绝了请求（HTTP %(status)d）。") % {"status": response.status_code},
            answer,
            retryable=response.status_code in (408, 429),
        )
    return response, body


def _json_of(response: requests.Response) -> dict:
    try:
        data = response.json()
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def _check_errcode(channel: Channel, data: dict, answer: GatewayAnswer, gateway: str, known: dict) -> None:
    """DingTalk and WeCom answer 200 with an errcode: anything but 0 is a failure, worded in Chinese if known."""
    errcode = data.get("errcode", 0)
    try:
        errcode = int(errcode)
    except (TypeError, ValueError):
        errcode = -1
    if errcode == 0:
        return
    meaning = known.get(errcode, _("未知错误"))
    raise GatewayError(
        _("%(gateway)s返回错误 %(code)s：%(meaning)s（%(errmsg)s）")
        % {
            "gateway": gateway,
            "code": errcode,
            "meaning": meaning,
            "errmsg": redact(str(data.get("errmsg", ""))[:200], channel),
        },
        answer,
        # A rate limit passes; a wrong secret, keyword or address does not.
        retryable=errcode in (45009, 130101),
    )


def _check_bytes(text: str, limit: int, label: str) -> None:
    size = len(text.encode())
    if size > limit:
        raise MessageTooLong(
            _("消息太长：%(label)s最多 %(limit)d 字节，这条有 %(size)d 字节。")
            % {"label": label, "limit": limit, "size": size}
        )


def _joined(subject: str, body: str) -> str:
    return f"{subject}\n{body}" if subject else body


def send_email(channel: Channel, to: str, subject: str, body: str) -> GatewayAnswer:
    """Mail one address through Django's SMTP settings."""
    try:
        send_mail(subject, body, None, [to])
    except (smtplib.SMTPException, OSError) as exc:  # OSError covers refused connections and timeouts
        code = getattr(exc, "smtp_code", None)
        detail = f"SMTP {code}" if code else type(exc).__name__
        raise GatewayError(_("邮件服务器未接收（%(detail)s）。") % {"detail": detail}) from None
    return GatewayAnswer(None, _("邮件服务器已接收：%(to)s") % {"to": to})


def sms_text(channel: Channel, text: str) -> str:
    """The SMS as the phone shows it: 【sign name】 then the text (the sign counts toward the length)."""
    sign = (channel.config or {}).get("sign_name", "")
    return f"【{sign}】{text}" if sign else text


def send_sms(channel: Channel, mobile: str, text: str) -> GatewayAnswer:
    """Send one SMS through the channel's HTTP gateway (JSON POST); the answer carries the gateway's message id.

    Request: {"mobile", "content" (sign included), "sign_name", "template_id"?, "params": {"content": text}} with the
    key in the X-Api-Key header. The gateway accepts with 2xx and a JSON "code" of 0/"0"/"OK" (or none); its message
    id is read from "message_id", "msg_id", "biz_id" or "id".
    """
    config = channel.config or {}
    content = sms_text(channel, text)
    limit = int(config.get("max_chars") or SMS_DEFAULT_MAX_CHARS)
    if len(content) > limit:
        raise MessageTooLong(
            _("短信太长：本网关最多 %(limit)d 字（含签名），这条有 %(size)d 字。")
            % {"limit": limit, "size": len(content)}
        )
    payload = {
        "mobile": mobile,
        "content": content,
        "sign_name": config.get("sign_name", ""),
        "params": {"content": text},
    }
    if config.get("template_id"):
        payload["template_id"] = config["template_id"]
    response, body = _post_json(
        channel, channel.url, payload, {"X-Api-Key": channel.secret} if channel.secret else None
    )
    data = _json_of(response)
    answer = GatewayAnswer(response.status_code, body, _message_id(data))
    code = data.get("code", 0)
    if str(code).upper() not in ("0", "OK", "200"):
        message = redact(str(data.get("message") or data.get("msg") or "")[:200], channel)
        raise GatewayError(
            _("短信网关返回错误 %(code)s：%(message)s") % {"code": code, "message": message}, answer, retryable=False
        )
    return answer


def _message_id(data: dict) -> str:
    for name in ("message_id", "msg_id", "msgid", "biz_id", "BizId", "id"):
        value = data.get(name)
        if value:
            return str(value)[:200]
    return ""


def send_wecom(channel: Channel, subject: str, body: str, mentioned_mobiles: list[str] | None = None) -> GatewayAnswer:
    """Post to a WeCom group robot: text (with @mobiles) or markdown, as the channel's "format" says."""
    markdown = (channel.config or {}).get("format") == "markdown"
    if markdown:
        content = f"**{subject}**\n{body}" if subject else body
        _check_bytes(content, WECOM_MARKDOWN_MAX_BYTES, _("企业微信 Markdown 消息"))
        payload = {"msgtype": "markdown", "markdown": {"content": content}}
    else:
        content = _joined(subject, body)
        _check_bytes(content, WECOM_TEXT_MAX_BYTES, _("企业微信文本消息"))
        payload = {"msgtype": "text", "text": {"content": content}}
        if mentioned_mobiles:
            payload["text"]["mentioned_mobile_list"] = list(mentioned_mobiles)
    response, body_text = _post_json(channel, channel.url, payload)
    answer = GatewayAnswer(response.status_code, body_text)
    _check_errcode(channel, _json_of(response), answer, _("企业微信"), WECOM_ERRORS)
    return answer


def dingtalk_url(channel: Channel, timestamp_ms: int | None = None) -> str:
    """The robot's address, with timestamp and sign appended in signed-secret mode."""
    config = channel.config or {}
    if config.get("mode", "sign") != "sign" or not channel.secret:
        return channel.url
    timestamp_ms = timestamp_ms if timestamp_ms is not None else int(time.time() * 1000)
    joiner = "&" if "?" in channel.url else "?"
    return f"{channel.url}{joiner}timestamp={timestamp_ms}&sign={dingtalk_sign(channel.secret, timestamp_ms)}"


def send_dingtalk(channel: Channel, subject: str, body: str, at_mobiles: list[str] | None = None) -> GatewayAnswer:
    """Post to a DingTalk custom robot, signed (timestamp + sign) or in keyword mode (the keyword is put in front
    when the message lacks it), as text (with @mobiles) or markdown."""
    config = channel.config or {}
    content = _joined(subject, body)
    keyword = config.get("keyword", "") if config.get("mode") == "keyword" else ""
    if keyword and keyword not in content:
        content = f"【{keyword}】{content}"
    if config.get("format") == "markdown":
        text = f"### {subject}\n{body}" if subject else body
        if keyword and keyword not in text:
            text = f"【{keyword}】{text}"
        payload = {"msgtype": "markdown", "markdown": {"title": subject or keyword or text[:20], "text": text}}
    else:
        payload = {"msgtype": "text", "text": {"content": content}}
    _check_bytes(json.dumps(payload, ensure_ascii=False), DINGTALK_MAX_BYTES, _("钉钉消息"))
    if at_mobiles:
        payload["at"] = {"atMobiles": list(at_mobiles), "isAtAll": False}
    response, body_text = _post_json(channel, dingtalk_url(channel), payload)
    answer = GatewayAnswer(response.status_code, body_text)
    _check_errcode(channel, _json_of(response), answer, _("钉钉"), DINGTALK_ERRORS)
    return answer


def send_webhook(
    channel: Channel, subject: str, body: str, *, recipient: str = "", extra: dict | None = None
) -> GatewayAnswer:
    """POST {"subject", "body", "recipient", …extra} as JSON, signed with X-Eventweek-Signature: sha256=<hex HMAC of
    the raw body> when the channel has a secret; any 2xx is accepted ("id"/"message_id" in a JSON answer kept)."""
    payload = {"subject": subject, "body": body, "recipient": recipient, **(extra or {})}
    response, body_text = _post_json(channel, channel.url, payload)
    return GatewayAnswer(response.status_code, body_text, _message_id(_json_of(response)))


def send_message(
    channel: Channel,
    recipient: str,
    subject: str,
    body: str,
    *,
    mentions: list[str] | None = None,
    extra: dict | None = None,
) -> GatewayAnswer:
    """Send one message over any kind of channel: `recipient` is the address (email), the mobile (SMS), or "" for a
    group robot or webhook (`mentions`: mobiles to @ in the group)."""
    if channel.kind == ChannelKind.EMAIL:
        return send_email(channel, recipient, subject, body)
    if channel.kind == ChannelKind.SMS:
        return send_sms(channel, recipient, _joined(subject, body) if subject and subject not in body else body)
    if channel.kind == ChannelKind.WECOM:
        return send_wecom(channel, subject, body, mentions)
    if channel.kind == ChannelKind.DINGTALK:
        return send_dingtalk(channel, subject, body, mentions)
    return send_webhook(channel, subject, body, recipient=recipient, extra=extra)
