"""Forms of the notification pages: a channel (fields by kind), the channels per kind of notice, a contact, the
delivery log's filter."""

from django import forms
from django.core.validators import EmailValidator
from django.utils.translation import gettext_lazy as _

from eventweek.outbox import OutboxStatus
from eventweek.phones import normalize_phone
from notifications.models import ROUTED_KINDS, Channel, ChannelKind, Contact

URL_KINDS = (ChannelKind.SMS, ChannelKind.WECOM, ChannelKind.DINGTALK, ChannelKind.WEBHOOK)
KEEP_HELP = _("留空则保持不变（当前：%(current)s）")


class ChannelForm(forms.Form):
    """One channel: the common fields, then each kind's own; secrets and the address are kept when left blank."""

    kind = forms.ChoiceField(label=_("类型"), choices=ChannelKind.choices)
    name = forms.CharField(label=_("名称"), max_length=100)
    enabled = forms.BooleanField(label=_("启用"), required=False, initial=True)
    url = forms.CharField(
        label=_("地址"), max_length=1000, required=False, help_text=_("短信网关、机器人 webhook 或接收系统的地址")
    )
    secret = forms.CharField(
        label=_("密钥"),
        max_length=500,
        required=False,
        widget=forms.PasswordInput(render_value=False),
        help_text=_("短信网关的 key、钉钉加签密钥（SEC 开头）或 Webhook 签名密钥"),
    )
    addresses = forms.CharField(
        label=_("收件邮箱"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("每行一个；留空则发往单位联系邮箱和联系人邮箱"),
    )
    sign_name = forms.CharField(label=_("短信签名"), max_length=20, required=False, help_text=_("例如 节能宣传周"))
    template_id = forms.CharField(label=_("短信模板编号"), max_length=100, required=False)
    max_chars = forms.IntegerField(
        label=_("短信最长字数（含签名）"), min_value=10, max_value=1000, required=False, initial=500
    )
    test_mobile = forms.CharField(label=_("测试手机号"), max_length=20, required=False)
    format = forms.ChoiceField(
        label=_("消息格式"), choices=[("text", _("文本")), ("markdown", "Markdown")], required=False, initial="text"
    )
    mode = forms.ChoiceField(
        label=_("钉钉安全设置"),
        choices=[("sign", _("加签")), ("keyword", _("自定义关键词"))],
        required=False,
        initial="sign",
    )
    keyword = forms.CharField(label=_("钉钉关键词"), max_length=50, required=False)
    at_contacts = forms.BooleanField(label=_("在群里 @ 单位联系人"), required=False)
    timeout = forms.IntegerField(label=_("应答超时（秒）"), min_value=1, max_value=60, required=False, initial=10)

    def __init__(self, *args, instance: Channel | None = None, **kwargs):
        self.instance = instance
        initial = kwargs.pop("initial", {}) or {}
        if instance is not None:
            config = instance.config or {}
            initial.update(
                kind=instance.kind,
                name=instance.name,
                enabled=instance.enabled,
                addresses="\n".join(config.get("addresses") or []),
                **{
                    key: config[key]
                    for key in ("sign_name", "template_id", "max_chars", "test_mobile", "format", "mode", "keyword")
                    if key in config
                },
                at_contacts=bool(config.get("at_contacts")),
                timeout=config.get("timeout", 10),
            )
        super().__init__(*args, initial=initial, **kwargs)
        if instance is not None:
            self.fields["kind"].disabled = True
            if instance.url:
                self.fields["url"].help_text = KEEP_HELP % {"current": instance.masked_url}
            if instance.secret:
                self.fields["secret"].help_text = KEEP_HELP % {"current": instance.masked_secret}

    def clean_url(self):
        url = self.cleaned_data["url"].strip()
        if url and not url.lower().startswith(("http://", "https://")):
            raise forms.ValidationError(_("地址必须以 http:// 或 https:// 开头。"))
        if url and "://" in url and not url.split("://", 1)[1].split("/", 1)[0]:
            raise forms.ValidationError(_("地址缺少主机名。"))
        return url

    def clean_addresses(self):
        lines = [line.strip() for line in self.cleaned_data["addresses"].splitlines() if line.strip()]
        for number, line in enumerate(lines, start=1):
            try:
                EmailValidator()(line)
            except forms.ValidationError:
                raise forms.ValidationError(
                    _("第 %(n)d 行“%(line)s”不是有效的邮箱。") % {"n": number, "line": line}
                ) from None
        return lines

    def clean_test_mobile(self):
        value = self.cleaned_data["test_mobile"].strip()
        if not value:
            return ""
        try:
            return normalize_phone(value)
        except ValueError as exc:
            raise forms.ValidationError(str(exc)) from None

    def clean(self):
        data = super().clean()
        kind = data.get("kind") or (self.instance.kind if self.instance else None)
        has_url = data.get("url") or (self.instance is not None and self.instance.url)
        has_secret = data.get("secret") or (self.instance is not None and self.instance.secret)
        if kind in URL_KINDS and not has_url and "url" not in self.errors:
            self.add_error("url", _("请填写地址。"))
        if kind == ChannelKind.DINGTALK:
            if data.get("mode") == "keyword" and not data.get("keyword"):
                self.add_error("keyword", _("关键词模式需要填写关键词。"))
            if data.get("mode", "sign") in ("sign", "") and not has_secret:
                self.add_error("secret", _("加签模式需要填写以 SEC 开头的密钥。"))
        return data

    def apply(self, channel: Channel) -> Channel:
        """Copy the cleaned values onto the channel (not saved)."""
        data = self.cleaned_data
        if self.instance is None:
            channel.kind = data["kind"]
        channel.name = data["name"]
        channel.enabled = data["enabled"]
        if data["url"]:
            channel.url = data["url"]
        if data["secret"]:
            channel.secret = data["secret"]
        config = {}
        if channel.kind == ChannelKind.EMAIL:
            config["addresses"] = data["addresses"]
        if channel.kind == ChannelKind.SMS:
            config.update(
                sign_name=data["sign_name"],
                template_id=data["template_id"],
                max_chars=data["max_chars"] or 500,
                test_mobile=data["test_mobile"],
            )
        if channel.kind in (ChannelKind.WECOM, ChannelKind.DINGTALK):
            config.update(format=data["format"] or "text", at_contacts=data["at_contacts"])
        if channel.kind == ChannelKind.DINGTALK:
            config.update(mode=data["mode"] or "sign", keyword=data["keyword"])
        if channel.kind in URL_KINDS:
            config["timeout"] = data["timeout"] or 10
        channel.config = config
        return channel


class RoutesForm(forms.Form):
    """For each kind of notice, which of the org's channels carry it."""

    def __init__(self, *args, channels, routes: dict[str, list[int]], **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(c.pk, str(c) + ("" if c.enabled else _("（已停用）"))) for c in channels]
        self.channels = {c.pk: c for c in channels}
        email_ids = [c.pk for c in channels if c.kind == ChannelKind.EMAIL][:1]
        for kind in ROUTED_KINDS:
            self.fields[kind] = forms.TypedMultipleChoiceField(
                label=kind.label,
                choices=choices,
                coerce=int,
                required=False,
                widget=forms.CheckboxSelectMultiple,
                initial=routes.get(kind, email_ids),
            )

    def chosen(self) -> dict:
        """{kind: [Channel]} as chosen."""
        return {kind: [self.channels[pk] for pk in self.cleaned_data[kind]] for kind in ROUTED_KINDS}


class ContactForm(forms.ModelForm):
    class Meta:
        model = Contact
        fields = ["name", "mobile", "email", "receives_reminders"]

    def __init__(self, *args, org=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.org = org or (self.instance.org if self.instance.pk else None)

    def clean_mobile(self):
        try:
            mobile = normalize_phone(self.cleaned_data["mobile"])
        except ValueError as exc:
            raise forms.ValidationError(str(exc)) from None
        clash = Contact.objects.filter(org=self.org, mobile=mobile).exclude(pk=self.instance.pk)
        if self.org is not None and clash.exists():
            raise forms.ValidationError(_("本单位已有这个手机号的联系人。"))
        return mobile


class LogFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("状态"), choices=[("", _("全部"))] + list(OutboxStatus.choices), required=False)
    channel = forms.TypedChoiceField(label=_("渠道"), coerce=int, required=False, empty_value=None)

    def __init__(self, *args, channels, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["channel"].choices = [("", _("全部"))] + [(c.pk, f"{c.org.display_name} · {c}") for c in channels]
