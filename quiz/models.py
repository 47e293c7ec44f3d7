"""The quiz (云竞答): a question bank per quiz, papers drawn per attempt, graded answers, draws and exports."""

import datetime
import secrets

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from eventweek.models import LOCAL_TZ, Activity, Org, Week
from eventweek.phones import mask_phone

LETTERS = "ABCDEF"
TRUE_FALSE_OPTIONS = ["正确", "错误"]


def new_token() -> str:
    """An unguessable attempt identifier (never derived from the phone number)."""
    return secrets.token_urlsafe(24)


def new_bank_version() -> int:
    return secrets.randbelow(2**31 - 1) + 1


class Quiz(models.Model):
    """A week's prize quiz; tied to the week's quiz activity, whose start and end are its window."""

    class ShowAnswers(models.TextChoices):
        AFTER_SUBMIT = "after_submit", _("提交后立即显示")
        AFTER_CLOSE = "after_close", _("竞答结束后显示")
        NEVER = "never", _("不显示")

    week = models.ForeignKey(Week, verbose_name=_("活动周"), on_delete=models.CASCADE, related_name="quizzes")
    activity = models.ForeignKey(
        Activity,
        verbose_name=_("关联活动"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="quizzes",
        help_text=_("关联后以活动的开始和结束时间为答题时间窗口"),
    )
    slug = models.SlugField(_("网址标识"), max_length=60, unique=True)
    title = models.CharField(_("标题"), max_length=200)
    intro = models.TextField(_("说明"), blank=True)
    opens_at = models.DateTimeField(_("开始时间"), null=True, blank=True, help_text=_("未关联活动时使用"))
    closes_at = models.DateTimeField(_("结束时间"), null=True, blank=True, help_text=_("未关联活动时使用"))
    question_count = models.PositiveIntegerField(
        _("每卷题数"), default=20, help_text=_("未按分类设置时，从全部启用题目中抽取")
    )
    # {"节能": 5, "节水": 5, ...}: how many questions of each category a paper draws.
    paper_spec = models.JSONField(_("按分类抽题"), default=dict, blank=True)
    points_per_question = models.PositiveIntegerField(_("每题分值"), default=5)
    time_limit_seconds = models.PositiveIntegerField(_("答题时限（秒）"), default=600)
    attempts_per_person = models.PositiveIntegerField(_("每人可答次数"), default=1)
    shuffle_questions = models.BooleanField(_("打乱题目顺序"), default=True)
    shuffle_options = models.BooleanField(_("打乱选项顺序"), default=True)
    show_answers = models.CharField(
        _("何时显示答案与解析"), max_length=20, choices=ShowAnswers.choices, default=ShowAnswers.AFTER_SUBMIT
    )
    prize_min_score = models.PositiveIntegerField(
        _("获奖资格最低分"), null=True, blank=True, help_text=_("留空表示满分才有抽奖资格")
    )
    prize_count = models.PositiveIntegerField(_("奖品数量"), default=10)
    prize_note = models.CharField(_("奖励说明"), max_length=300, blank=True)
    # Participation counts for whole past hours are rolled up once; only the current hours are counted live.
    # A new random value on every change to the bank, so processes know their cached copy of the keys is stale
    # (random rather than +1, so a rolled-back change can never make two different banks share a version).
    bank_version = models.PositiveIntegerField(_("题库版本"), default=new_bank_version, editable=False)
    rolled_until = models.DateTimeField(_("参与统计已汇总至"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("竞答")
        verbose_name_plural = _("竞答")
        ordering = ["-created_at", "pk"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("quiz:entry", args=[self.slug])

    @property
    def window_start(self) -> datetime.datetime | None:
        return self.activity.start if self.activity_id else self.opens_at

    @property
    def window_end(self) -> datetime.datetime | None:
        return self.activity.end if self.activity_id else self.closes_at

    @property
    def paper_size(self) -> int:
        return sum(self.paper_spec.values()) if self.paper_spec else self.question_count

    @property
    def full_marks(self) -> int:
        return self.paper_size * self.points_per_question

    @property
    def prize_threshold(self) -> int:
        return self.full_marks if self.prize_min_score is None else self.prize_min_score

    def is_open(self, now: datetime.datetime | None = None) -> bool:
        now = now or timezone.now()
        start, end = self.window_start, self.window_end
        return start is not None and end is not None and start <= now < end

    def is_closed(self, now: datetime.datetime | None = None) -> bool:
        end = self.window_end
        return end is not None and (now or timezone.now()) >= end

    def answers_visible(self, now: datetime.datetime | None = None) -> bool:
        """Whether a submitted attempt may show the correct answers and explanations now."""
        if self.show_answers == self.ShowAnswers.AFTER_SUBMIT:
            return True
        if self.show_answers == self.ShowAnswers.AFTER_CLOSE:
            return self.is_closed(now)
        return False

    def local_window(self) -> tuple[datetime.datetime | None, datetime.datetime | None]:
        start, end = self.window_start, self.window_end
        return (
            timezone.localtime(start, LOCAL_TZ) if start else None,
            timezone.localtime(end, LOCAL_TZ) if end else None,
        )


class Question(models.Model):
    """One question of a quiz's bank. The answer is a string of option letters, e.g. "B" or "ACD"."""

    class Kind(models.TextChoices):
        SINGLE = "single", _("单选")
        MULTIPLE = "multiple", _("多选")
        TRUE_FALSE = "truefalse", _("判断")

    class Difficulty(models.IntegerChoices):
        EASY = 1, _("易")
        MEDIUM = 2, _("中")
        HARD = 3, _("难")

    quiz = models.ForeignKey(Quiz, verbose_name=_("竞答"), on_delete=models.CASCADE, related_name="questions")
    kind = models.CharField(_("题型"), max_length=20, choices=Kind.choices)
    category = models.CharField(_("分类"), max_length=30)
    difficulty = models.PositiveSmallIntegerField(_("难度"), choices=Difficulty.choices, default=Difficulty.EASY)
    text = models.CharField(_("题目"), max_length=500)
    options = models.JSONField(_("选项"), default=list)
    answer = models.CharField(_("正确答案"), max_length=6)
    explanation = models.TextField(_("解析"), blank=True)
    active = models.BooleanField(_("启用"), default=True)
    sort_order = models.PositiveIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("题目")
        verbose_name_plural = _("题库")
        ordering = ["sort_order", "pk"]
        constraints = [models.UniqueConstraint(fields=["quiz", "text"], name="quiz_question_text_unique")]

    def __str__(self):
        return self.text

    @property
    def letters(self) -> str:
        return LETTERS[: len(self.options)]

    def lettered_options(self) -> list[tuple[str, str]]:
        return list(zip(self.letters, self.options, strict=False))


class Attempt(models.Model):
    """One person's paper. (quiz, phone, number) is unique: with one attempt per person, one phone is one attempt."""

    class Status(models.TextChoices):
        OPEN = "open", _("答题中")
        SUBMITTED = "submitted", _("已提交")

    # Every index is written on each submit (the status and score change), so none is redundant: the quiz's own
    # index is covered by the composite ones that lead with it, and the token's uniqueness is a constraint (a
    # unique field would add a second, pattern-matching index on PostgreSQL that nothing uses).
    quiz = models.ForeignKey(
        Quiz, verbose_name=_("竞答"), on_delete=models.CASCADE, related_name="attempts", db_index=False
    )
    token = models.CharField(_("答卷标识"), max_length=64, default=new_token, editable=False)
    name = models.CharField(_("姓名"), max_length=50)
    phone = models.CharField(_("手机号"), max_length=11)
    org = models.ForeignKey(Org, verbose_name=_("单位"), on_delete=models.PROTECT, related_name="quiz_attempts")
    number = models.PositiveIntegerField(_("第几次作答"), default=1)
    # [{"q": question id, "o": [original option indexes in display order]}], drawn by the server at start.
    paper = models.JSONField(_("试卷"), default=list)
    # {"<question id>": "AC"}: the saved answers while open; once submitted, the graded answer to every question on
    # the paper ("" when unanswered), so per-question statistics group this column instead of a row per answer.
    answers = models.JSONField(_("已保存答案"), default=dict, blank=True)
    # Ids of the questions answered correctly, fixed at grading time (a later key change does not regrade).
    correct_questions = models.JSONField(_("答对的题目"), default=list, blank=True)
    started_at = models.DateTimeField(_("开始时间"), default=timezone.now)
    deadline = models.DateTimeField(_("答题截止"))
    saved_at = models.DateTimeField(_("最后保存"), null=True, blank=True)
    status = models.CharField(_("状态"), max_length=20, choices=Status.choices, default=Status.OPEN)
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    auto_submitted = models.BooleanField(_("系统代交"), default=False)
    late_answers_ignored = models.BooleanField(_("超时答案未计入"), default=False)
    score = models.IntegerField(_("得分"), null=True, blank=True)
    max_score = models.PositiveIntegerField(_("满分"), default=0)
    correct_count = models.PositiveIntegerField(_("答对题数"), default=0)
    duration_ms = models.PositiveIntegerField(_("用时（毫秒）"), null=True, blank=True)

    class Meta:
        verbose_name = _("答卷")
        verbose_name_plural = _("答卷")
        ordering = ["-started_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["quiz", "phone", "number"], name="quiz_attempt_phone_once"),
            models.UniqueConstraint(fields=["token"], name="quiz_attempt_token_unique"),
        ]
        indexes = [
            # The leaderboard: score, then time taken, then earlier finish, straight off the index. Not a partial
            # index: SQLite cannot match a partial index's condition against a bound parameter.
            models.Index(
                fields=["quiz", "status", "-score", "duration_ms", "submitted_at", "id"],
                name="quiz_attempt_leaderboard",
            ),
            models.Index(fields=["quiz", "started_at"], name="quiz_attempt_started"),
            models.Index(fields=["status", "deadline"], name="quiz_attempt_open_deadline"),
        ]

    def __str__(self):
        return f"{self.name} {mask_phone(self.phone)}"

    @property
    def masked_phone(self) -> str:
        return mask_phone(self.phone)

    @property
    def is_submitted(self) -> bool:
        return self.status == self.Status.SUBMITTED

    @property
    def duration_seconds(self) -> float | None:
        return None if self.duration_ms is None else self.duration_ms / 1000

    def get_absolute_url(self):
        return reverse("quiz:paper", args=[self.token])


class ParticipationHour(models.Model):
    """Participants (first attempts) per unit and hour, for whole hours already past: a precomputed aggregate."""

    quiz = models.ForeignKey(Quiz, on_delete=models.CASCADE, related_name="participation_hours")
    org = models.ForeignKey(Org, on_delete=models.CASCADE, related_name="+")
    hour = models.DateTimeField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("参与统计")
        verbose_name_plural = _("参与统计")
        constraints = [models.UniqueConstraint(fields=["quiz", "org", "hour"], name="quiz_participation_hour_unique")]

    def __str__(self):
        return f"{self.org_id} {self.hour:%Y-%m-%d %H}:00 {self.count}"


class PrizeDraw(models.Model):
    """A reproducible draw: the seed and the eligible list are kept, so anyone can re-run it."""

    quiz = models.ForeignKey(Quiz, verbose_name=_("竞答"), on_delete=models.CASCADE, related_name="draws")
    seed = models.CharField(_("随机种子"), max_length=100)
    min_score = models.PositiveIntegerField(_("资格分数线"))
    eligible = models.JSONField(_("有资格的答卷"), default=list, help_text=_("答卷编号，按编号升序"))
    winners = models.JSONField(_("中奖答卷"), default=list)
    prize_count = models.PositiveIntegerField(_("奖品数量"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("操作人"), null=True, blank=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField(_("抽奖时间"), default=timezone.now)

    class Meta:
        verbose_name = _("抽奖")
        verbose_name_plural = _("抽奖")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.quiz} 抽奖 {self.created_at:%Y-%m-%d %H:%M}"


class ExportJob(models.Model):
    """An xlsx export run by a django-q2 task; progress is written as rows are streamed."""

    class Kind(models.TextChoices):
        ATTEMPTS = "attempts", _("答卷明细")
        PARTICIPATION = "participation", _("各单位参与情况")
        QUESTIONS = "questions", _("题目统计")

    class Status(models.TextChoices):
        PENDING = "pending", _("排队中")
        RUNNING = "running", _("生成中")
        DONE = "done", _("已完成")
        FAILED = "failed", _("失败")

    quiz = models.ForeignKey(Quiz, verbose_name=_("竞答"), on_delete=models.CASCADE, related_name="exports")
    kind = models.CharField(_("内容"), max_length=20, choices=Kind.choices)
    status = models.CharField(_("状态"), max_length=20, choices=Status.choices, default=Status.PENDING)
    rows_total = models.PositiveIntegerField(_("总行数"), default=0)
    rows_done = models.PositiveIntegerField(_("已写行数"), default=0)
    file = models.CharField(_("文件"), max_length=300, blank=True)
    error = models.TextField(_("错误"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("操作人"), null=True, blank=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    # The lease: set when the job is queued and claimed and at every progress write. A job whose heartbeat is older
    # than quiz.exporters.export_lease() lost its worker: the sweep queues it again or marks it failed.
    heartbeat_at = models.DateTimeField(_("心跳时间"), null=True, blank=True)
    # Runs started (claims); a claim's number is its token, so only the run holding the latest claim writes.
    attempts = models.PositiveSmallIntegerField(_("运行次数"), default=0)

    class Meta:
        verbose_name = _("导出任务")
        verbose_name_plural = _("导出任务")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.quiz} {self.get_kind_display()} {self.get_status_display()}"

    @property
    def percent(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        return int(self.rows_done * 100 / self.rows_total) if self.rows_total else 0

    @property
    def filename(self) -> str:
        """The Chinese download name: the quiz's title, what the export holds and when it was asked for."""
        stamp = timezone.localtime(self.created_at, LOCAL_TZ).strftime("%Y%m%d-%H%M")
        return f"{self.quiz.title}-{self.get_kind_display()}-{stamp}.xlsx".replace("/", "-")


class AccessCode(models.Model):
    """A 6-digit code sent by SMS to a participant's phone, to resume the attempt or look up its result on another
    device. Only a keyed hash of the code is stored; it expires, and it is void once used or after too many tries."""

    class Purpose(models.TextChoices):
        RESUME = "resume", _("继续作答")
        RESULT = "result", _("查询成绩")

    quiz = models.ForeignKey(Quiz, verbose_name=_("竞答"), on_delete=models.CASCADE, related_name="access_codes")
    phone = models.CharField(_("手机号"), max_length=11)
    purpose = models.CharField(_("用途"), max_length=10, choices=Purpose.choices)
    code_hash = models.CharField(_("验证码摘要"), max_length=64)
    created_at = models.DateTimeField(_("发送时间"), default=timezone.now)
    expires_at = models.DateTimeField(_("失效时间"))
    tries = models.PositiveSmallIntegerField(_("错误次数"), default=0)
    used_at = models.DateTimeField(_("使用时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("短信验证码")
        verbose_name_plural = _("短信验证码")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["quiz", "phone", "created_at"], name="quiz_accesscode_phone")]

    def __str__(self):
        return f"{self.get_purpose_display()} {mask_phone(self.phone)}"
