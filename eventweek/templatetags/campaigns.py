"""Campaign wording in templates: the same functions the services use (eventweek.campaigns)."""

from django import template

from eventweek import campaigns

register = template.Library()


@register.filter
def campaign_name(week) -> str:
    """节水宣传周 / 全国低碳日 / the campaign's own name."""
    return campaigns.campaign_name(week)


@register.filter
def period_word(week) -> str:
    """活动周 / 活动日 / 活动月 / 活动期."""
    return campaigns.period_word(week)


@register.filter
def edition_text(week) -> str:
    """第N个全国节能宣传周, or "" for a kind without editions."""
    return campaigns.edition_text(week)


@register.simple_tag
def site_name() -> str:
    """The platform's name where no campaign is at hand."""
    return campaigns.site_name()
