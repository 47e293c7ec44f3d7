"""The quiz across devices: a participant who lost the session (a WeChat in-app browser forgets cookies) resumes the
unsubmitted attempt, or looks up its result, on another device.

With an SMS channel for the quiz's organizer (its own or its nearest ancestor's), a 6-digit code sent to the phone
proves the phone: one code per phone per minute, at most five an hour, valid for ten minutes, void after five wrong
tries; only a keyed hash is stored and the code is never logged. Without SMS, the same name, phone and unit reopen an
unsubmitted attempt (never a submitted one), and no result is looked up elsewhere: anyone who knows a colleague's
name, phone and unit could read it. Nothing here touches the start, autosave or submit statements: a reopened attempt
keeps its paper, its answers and its deadline.
"""

import datetime
import hmac
import secrets

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from eventweek.errors import DomainError
from eventweek.models import LOCAL_TZ, Org
from eventweek.phones import mask_phone, normalize_phone
from notifications.models import Channel
from notifications.services.routing import sms_channel_for
from notifications.services.senders import GatewayError, send_sms
from quiz.models import AccessCode, Attempt, Quiz
from quiz.services.attempts import finalize_if_expired
from quiz.services.grading import grace

CODE_DIGITS = 6
CODE_TTL = datetime.timedelta(minutes=10)
MAX_TRIES = 5
RESEND_AFTER = datetime.timedelta(seconds=60)
HOURLY_MAX = 5
_SALT = "quiz.resume.code"

Purpose = AccessCode.Purpose


def sms_channel(quiz: Quiz) -> Channel | None:
    """The SMS channel that sends the quiz's codes (the organizer's or its nearest ancestor's), or None."""
    return sms_channel_for(quiz.week.organizer)


def _refuse(field: str, message: str) -> ValidationError:
    return ValidationError({field: message})


def _phone(phone: str) -> str:
    try:
        return normalize_phone(phone)
    except ValueError as exc:
        raise _refuse("phone", str(exc)) from None


def _hash(quiz: Quiz, phone: str, purpose: str, code: str) -> str:
    """The keyed hash stored instead of the code (SECRET_KEY-keyed: a leaked table does not give codes away)."""
    return salted_hmac(_SALT, f"{quiz.pk}:{phone}:{purpose}:{code}", algorithm="sha256").hexdigest()


def _closed(quiz: Quiz, now: datetime.datetime) -> DomainError:
    end = timezone.localtime(quiz.window_end, LOCAL_TZ).strftime("%m月%d日 %H:%M")
    return DomainError(_("竞答已于 %(end)s 结束，不能再继续作答。") % {"end": end})


def _open_attempt(quiz: Quiz, phone: str, now: datetime.datetime, *, lock: bool = False) -> Attempt | None:
    """The phone's unsubmitted attempt whose time has not run out (an expired one is submitted on the way)."""
    rows = Attempt.objects.filter(quiz=quiz, phone=phone, status=Attempt.Status.OPEN).order_by("-number")
    if lock:
        rows = rows.select_for_update()
    for attempt in rows:
        if attempt.deadline + grace() >= now:
            return attempt
        finalize_if_expired(attempt, now)
    return None


def _submitted_attempt(quiz: Quiz, phone: str, now: datetime.datetime) -> Attempt | None:
    """The phone's latest submitted attempt (an open one whose time ran out is submitted first)."""
    for attempt in Attempt.objects.filter(quiz=quiz, phone=phone, status=Attempt.Status.OPEN):
        finalize_if_expired(attempt, now)
    return (
        Attempt.objects.filter(quiz=quiz, phone=phone, status=Attempt.Status.SUBMITTED)
        .select_related("quiz", "org")
        .order_by("-number")
        .first()
    )


def _no_open_attempt() -> ValidationError:
    return _refuse("phone", _("该手机号在本次竞答中没有未交卷的答卷。"))


def _no_result() -> ValidationError:
    return _refuse("phone", _("该手机号在本次竞答中还没有已交卷的成绩。"))


def _target(quiz: Quiz, phone: str, purpose: str, now: datetime.datetime, *, lock: bool = False) -> Attempt:
    """The attempt a code of this purpose opens, or the refusal naming the field."""
    if purpose == Purpose.RESUME:
        if quiz.is_closed(now):
            raise _closed(quiz, now)
        attempt = _open_attempt(quiz, phone, now, lock=lock)
        if attempt is None:
            raise _no_open_attempt()
        return attempt
    attempt = _submitted_attempt(quiz, phone, now)
    if attempt is None:
        raise _no_result()
    return attempt


def code_message(quiz: Quiz, code: str, purpose: str) -> str:
    """The SMS text (the channel puts its sign name in front)."""
    return _("验证码 %(code)s，用于在新设备上%(purpose)s“%(title)s”，10 分钟内有效。如非本人操作，请忽略。") % {
        "code": code,
        "purpose": Purpose(purpose).label,
        "title": quiz.title[:30],
    }


def send_code(quiz: Quiz, phone: str, purpose: str, now: datetime.datetime | None = None) -> str:
    """Send a new code to the phone (which must have an attempt for the purpose); returns the masked phone.

    The attempt row is locked while the limits are counted, so two requests cannot both pass them. A code the gateway
    refused is deleted again: it never reached anyone, and the participant may ask at once."""
    now = now or timezone.now()
    channel = sms_channel(quiz)
    if channel is None:
        raise DomainError(_("本次竞答未开通短信验证码。"))
    phone = _phone(phone)
    with transaction.atomic():
        _target(quiz, phone, purpose, now, lock=True)
        recent = list(
            AccessCode.objects.filter(
                quiz=quiz, phone=phone, created_at__gt=now - datetime.timedelta(hours=1)
            ).values_list("created_at", flat=True)
        )
        if any(created > now - RESEND_AFTER for created in recent):
            raise _refuse("phone", _("验证码已发送到该手机号，请 60 秒后再重新获取。"))
        if len(recent) >= HOURLY_MAX:
            raise _refuse("phone", _("该手机号一小时内最多获取 %(n)d 次验证码，请稍后再试。") % {"n": HOURLY_MAX})
        code = f"{secrets.randbelow(10**CODE_DIGITS):0{CODE_DIGITS}d}"
        # A new code voids the earlier ones of the same purpose: only the latest message is the one to type.
        AccessCode.objects.filter(quiz=quiz, phone=phone, purpose=purpose, used_at__isnull=True).update(used_at=now)
        row = AccessCode.objects.create(
            quiz=quiz,
            phone=phone,
            purpose=purpose,
            code_hash=_hash(quiz, phone, purpose, code),
            created_at=now,
            expires_at=now + CODE_TTL,
        )
    try:
        send_sms(channel, phone, code_message(quiz, code, purpose))
    except GatewayError as exc:
        AccessCode.objects.filter(pk=row.pk).delete()
        raise DomainError(_("验证码短信未能发出：%(reason)s 请稍后再试。") % {"reason": exc}) from None
    return mask_phone(phone)


def _check_code(quiz: Quiz, phone: str, code: str, purpose: str, now: datetime.datetime) -> str | None:
    """Spend one try of the phone's latest code; None when it is right, else the refusal (the try is kept)."""
    with transaction.atomic():
        row = (
            AccessCode.objects.select_for_update()
            .filter(quiz=quiz, phone=phone, purpose=purpose)
            .order_by("-created_at", "-pk")
            .first()
        )
        if row is None:
            return _("请先获取验证码。")
        if row.tries >= MAX_TRIES:
            return _("错误次数过多，该验证码已作废，请重新获取。")
        if row.used_at is not None:
            return _("该验证码已使用或已作废，请重新获取。")
        if now >= row.expires_at:
            return _("验证码已过期（10 分钟内有效），请重新获取。")
        if hmac.compare_digest(row.code_hash, _hash(quiz, phone, purpose, code)):
            row.used_at = now
            row.save(update_fields=["used_at"])
            return None
        row.tries += 1
        row.save(update_fields=["tries"])
        left = MAX_TRIES - row.tries
    if left == 0:
        return _("验证码错误次数过多，该验证码已作废，请重新获取。")
    return _("验证码不正确，还可再试 %(n)d 次。") % {"n": left}


def redeem_code(quiz: Quiz, phone: str, code: str, purpose: str, now: datetime.datetime | None = None) -> Attempt:
    """The attempt the right code opens on this device (its token is the credential the caller hands over)."""
    now = now or timezone.now()
    if sms_channel(quiz) is None:
        raise DomainError(_("本次竞答未开通短信验证码。"))
    phone = _phone(phone)
    code = (code or "").strip()
    if not (len(code) == CODE_DIGITS and code.isascii() and code.isdigit()):
        raise _refuse("code", _("请输入短信中的 %(n)d 位数字验证码。") % {"n": CODE_DIGITS})
    if purpose == Purpose.RESUME and quiz.is_closed(now):
        raise _closed(quiz, now)
    refusal = _check_code(quiz, phone, code, purpose, now)
    if refusal is not None:
        raise _refuse("code", refusal)
    return _target(quiz, phone, purpose, now)


def reopen_same_person(
    quiz: Quiz, *, name: str, phone: str, org: Org, now: datetime.datetime | None = None
) -> Attempt | None:
    """After a refused start: the phone's unsubmitted attempt when no SMS channel is configured and name, phone and
    unit are the ones it was started with; None when there is none to reopen (the start's refusal stands).

    With SMS the phone itself must be proven (a colleague knows one's name and unit), so the refusal says how."""
    now = now or timezone.now()
    if not quiz.is_open(now):
        return None
    try:
        phone = normalize_phone(phone)
    except ValueError:
        return None
    attempt = _open_attempt(quiz, phone, now)
    if attempt is None:
        return None
    if sms_channel(quiz) is not None:
        raise _refuse("phone", _("该手机号有一份未交卷的答卷：请点“继续作答”，用短信验证码在本设备继续。"))
    if attempt.name != name.strip() or attempt.org_id != org.pk:
        # One message for both fields: saying which one matched would help someone guessing.
        raise DomainError(_("姓名或单位与该手机号开始答题时填写的不一致，不能继续未交卷的答卷。"))
    return attempt
