"""Calls for demonstration cases and essays (案例遴选与征文): the call, its entries, versions, pictures, authors,
scores, decisions per reviewing org and the selections forwarded upward."""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from eventweek.deadlines import DeadlineStatus
from eventweek.models import Org

# The seed's (景管字〔2023〕9号) five themes and ten directions: the default of a new call.
DEFAULT_THEMES = [
    {"name": "示范创建", "directions": ["节约型机关创建", "节约型公共机构示范单位创建"]},
    {"name": "制止餐饮浪费", "directions": ["制止餐饮浪费"]},
    {"name": "生活垃圾分类", "directions": ["生活垃圾分类", "废旧物品循环利用"]},
    {"name": "绿色生活方式倡导", "directions": ["绿色办公", "绿色出行"]},
    {"name": "绿色化改造", "directions": ["照明系统节能改造", "供热系统节能改造", "合同能源管理"]},
]
DEFAULT_CRITERIA = [
    {"name": "主题契合", "max": 30},
    {"name": "措施实效", "max": 40},
    {"name": "推广价值", "max": 30},
]
# The template's four sections, in the printed order (attachment 2).
CASE_SECTIONS = [
    ("basic", "一、基本情况"),
    ("measures", "二、推进措施"),
    ("results", "三、成果效益"),
    ("experience", "四、经验总结"),
]


def default_themes():
    return [dict(theme, directions=list(theme["directions"])) for theme in DEFAULT_THEMES]


def default_criteria():
    return [dict(criterion) for criterion in DEFAULT_CRITERIA]


def new_reference() -> str:
    return secrets.token_hex(4).upper()


class Call(models.Model):
    """A call set up by an org: kinds, themes, limits, quotas, a deadline and its reviewers."""

    org = models.ForeignKey(Org, verbose_name=_("征集单位"), on_delete=models.PROTECT, related_name="calls")
    slug = models.SlugField(_("网址标识"), max_length=60, unique=True)
    title = models.CharField(_("标题"), max_length=200)
    intro = models.TextField(_("说明"), blank=True)
    accepts_cases = models.BooleanField(_("征集案例"), default=True)
    accepts_essays = models.BooleanField(_("征集征文"), default=True)
    themes = models.JSONField(_("主题与方向"), default=default_themes)
    essay_topics = models.TextField(_("征文选题"), blank=True)
    body_limit = models.PositiveIntegerField(_("正文字数上限"), default=2500)
    abstract_limit = models.PositiveIntegerField(_("摘要字数上限"), default=200)
    demo_cases = models.PositiveIntegerField(_("示范单位案例数"), default=1)
    demo_essays = models.PositiveIntegerField(_("示范单位征文数"), default=1)
    direct_essays = models.PositiveIntegerField(_("直属单位征文数"), default=1)
    county_cases = models.PositiveIntegerField(_("每县至少案例数"), default=2)
    county_essays = models.PositiveIntegerField(_("每县至少征文数"), default=5)
    deadline = models.DateTimeField(_("截止时间"))
    criteria = models.JSONField(_("评分项"), default=default_criteria)
    reviewers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("评审人"), blank=True, related_name="review_calls"
    )
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("征集")
        verbose_name_plural = _("征集")
        ordering = ["-deadline", "slug"]

    def __str__(self):
        return self.title

    @property
    def is_open(self) -> bool:
        return self.published_at is not None and timezone.now() <= self.deadline

    def directions_of(self, theme: str) -> list[str]:
        for item in self.themes:
            if item["name"] == theme:
                return list(item["directions"])
        return []


class Entry(models.Model):
    """A case (案例) or an essay (征文): from a unit's account, or from an outsider by phone."""

    class Kind(models.TextChoices):
        CASE = "case", _("案例")
        ESSAY = "essay", _("征文")

    class State(models.TextChoices):
        DRAFT = "draft", _("草稿")
        SUBMITTED = "submitted", _("已提交")

    call = models.ForeignKey(Call, verbose_name=_("征集"), on_delete=models.CASCADE, related_name="entries")
    kind = models.CharField(_("类型"), max_length=10, choices=Kind.choices)
    org = models.ForeignKey(
        Org, verbose_name=_("报送单位"), null=True, blank=True, on_delete=models.PROTECT, related_name="call_entries"
    )
    phone = models.CharField(_("手机号"), max_length=20, blank=True, help_text=_("社会投稿人的手机号（已规范化）"))
    reference = models.CharField(_("查询码"), max_length=12, unique=True, default=new_reference)
    title = models.CharField(_("标题"), max_length=200)
    unit_name = models.CharField(_("单位名称"), max_length=200, blank=True)
    theme = models.CharField(_("主题"), max_length=50, blank=True)
    direction = models.CharField(_("方向"), max_length=50, blank=True)
    abstract = models.TextField(_("摘要"), blank=True)
    keywords = models.CharField(_("关键词"), max_length=200, blank=True)
    basic = models.TextField(_("一、基本情况"), blank=True)
    measures = models.TextField(_("二、推进措施"), blank=True)
    results = models.TextField(_("三、成果效益"), blank=True)
    experience = models.TextField(_("四、经验总结"), blank=True)
    body = models.TextField(_("正文"), blank=True, help_text=_("征文正文"))
    authors = models.JSONField(_("作者"), default=list, blank=True)
    state = models.CharField(_("状态"), max_length=10, choices=State.choices, default=State.DRAFT)
    version = models.PositiveIntegerField(_("版本"), default=0)
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    deadline_status = models.CharField(
        _("报送情况"), max_length=20, choices=DeadlineStatus.choices, default=DeadlineStatus.OPEN
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("修改时间"), auto_now=True)

    class Meta:
        verbose_name = _("作品")
        verbose_name_plural = _("作品")
        ordering = ["call", "kind", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(org__isnull=False) | ~Q(phone=""), name="calls_entry_has_org_or_phone")
        ]

    def __str__(self):
        return self.title

    @property
    def sender_name(self) -> str:
        return self.org.name if self.org_id else self.unit_name

    def body_text(self) -> str:
        """What the 正文 limit counts: the four sections of a case, or the essay's body."""
        if self.kind == self.Kind.CASE:
            return "\n".join(getattr(self, field) for field, _label in CASE_SECTIONS)
        return self.body


class EntryVersion(models.Model):
    """Every save of an entry, kept."""

    entry = models.ForeignKey(Entry, verbose_name=_("作品"), on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("版本号"))
    content = models.JSONField(_("内容"))
    saved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("保存人"), null=True, blank=True, on_delete=models.SET_NULL
    )
    saved_at = models.DateTimeField(_("保存时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("作品版本")
        verbose_name_plural = _("作品版本")
        ordering = ["entry", "number"]
        constraints = [models.UniqueConstraint(fields=["entry", "number"], name="calls_version_unique")]

    def __str__(self):
        return f"{self.entry} 第 {self.number} 版"


class EntryPicture(models.Model):
    """A picture of an entry, checked by content (reporting.pictures), with its caption."""

    entry = models.ForeignKey(Entry, verbose_name=_("作品"), on_delete=models.CASCADE, related_name="pictures")
    content = models.BinaryField(_("图片"))
    content_type = models.CharField(_("文件类型"), max_length=50)
    caption = models.CharField(_("图片说明"), max_length=200, blank=True)
    sort_order = models.PositiveIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("作品图片")
        verbose_name_plural = _("作品图片")
        ordering = ["sort_order", "pk"]

    def __str__(self):
        return self.caption or f"{self.entry} 图片"


class Forwarding(models.Model):
    """An org's selection of a call's entries, forwarded to the org above (lands in its inbox)."""

    call = models.ForeignKey(Call, verbose_name=_("征集"), on_delete=models.CASCADE, related_name="forwardings")
    sender = models.ForeignKey(Org, verbose_name=_("报送单位"), on_delete=models.PROTECT, related_name="+")
    receiver = models.ForeignKey(Org, verbose_name=_("接收单位"), on_delete=models.PROTECT, related_name="+")
    entries = models.ManyToManyField(Entry, verbose_name=_("作品"), related_name="forwardings")
    forwarded_at = models.DateTimeField(_("报送时间"))

    class Meta:
        verbose_name = _("作品报送")
        verbose_name_plural = _("作品报送")
        ordering = ["-forwarded_at", "-pk"]

    def __str__(self):
        return f"{self.sender} → {self.receiver}"


class Decision(models.Model):
    """What one reviewing org decided on an entry: shortlisted, selected (its selection goes upward)."""

    entry = models.ForeignKey(Entry, verbose_name=_("作品"), on_delete=models.CASCADE, related_name="decisions")
    org = models.ForeignKey(Org, verbose_name=_("评审单位"), on_delete=models.PROTECT, related_name="+")
    shortlisted = models.BooleanField(_("入围"), default=False)
    selected = models.BooleanField(_("入选"), default=False)
    decided_at = models.DateTimeField(_("决定时间"), auto_now=True)

    class Meta:
        verbose_name = _("评审结果")
        verbose_name_plural = _("评审结果")
        constraints = [models.UniqueConstraint(fields=["entry", "org"], name="calls_decision_unique")]

    def __str__(self):
        return f"{self.org}：{self.entry}"


class Score(models.Model):
    """One reviewer's scores of an entry on the call's criteria, with a comment."""

    entry = models.ForeignKey(Entry, verbose_name=_("作品"), on_delete=models.CASCADE, related_name="scores")
    org = models.ForeignKey(Org, verbose_name=_("评审单位"), on_delete=models.PROTECT, related_name="+")
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("评审人"), on_delete=models.CASCADE)
    points = models.JSONField(_("各项得分"), default=dict)
    total = models.PositiveIntegerField(_("总分"), default=0)
    comment = models.TextField(_("评语"), blank=True)
    scored_at = models.DateTimeField(_("评分时间"), auto_now=True)

    class Meta:
        verbose_name = _("评分")
        verbose_name_plural = _("评分")
        constraints = [models.UniqueConstraint(fields=["entry", "reviewer"], name="calls_score_unique")]

    def __str__(self):
        return f"{self.reviewer}：{self.entry} {self.total}"


class CertificatePdf(models.Model):
    """An award certificate as PDF, made by LibreOffice in a django-q2 task (never inside a request); polled."""

    class Status(models.TextChoices):
        PENDING = "pending", _("排队中")
        RUNNING = "running", _("生成中")
        DONE = "done", _("已完成")
        FAILED = "failed", _("失败")

    entry = models.ForeignKey(Entry, verbose_name=_("作品"), on_delete=models.CASCADE, related_name="certificate_pdfs")
    adopted_by = models.ForeignKey(Org, verbose_name=_("采用单位"), on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("状态"), max_length=20, choices=Status.choices, default=Status.PENDING)
    content = models.BinaryField(_("PDF"), blank=True, default=b"")
    error = models.TextField(_("错误"), blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    # The claim: runs so far and when the current one started. A job RUNNING for longer than the lease lost its
    # worker; the sweep queues it again or, after the allowed runs, marks it failed (as the summary's PDF jobs).
    attempts = models.PositiveIntegerField(_("运行次数"), default=0)
    claimed_at = models.DateTimeField(_("认领时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("证书 PDF")
        verbose_name_plural = _("证书 PDF")

    def __str__(self):
        return f"{self.entry} 证书 PDF（{self.get_status_display()}）"
