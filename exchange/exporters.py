"""The exchange tally as .xlsx, through the one writer (eventweek.xlsx): the sums per subtree, then each unit's record."""

from collections.abc import Iterator

from django.utils import timezone
from django.utils.translation import gettext as _

from eventweek.models import LOCAL_TZ, Activity
from eventweek.xlsx import DATETIME, Column, Sheet, Styled, XlsxExporter
from exchange.services.tally import Tally

KG = "#,##0.00"
YUAN = "#,##0.00"
COUNT = "#,##0"


class ExchangeTallyExporter(XlsxExporter):
    """Sheet 1: 汇总 per child subtree and 合计; sheet 2: 明细, one row per unit's record."""

    def __init__(self, activity: Activity, tally: Tally):
        self.activity = activity
        self.tally = tally
        self.filename = f"{activity.first_day:%Y%m%d}云兑换汇总-{tally.root.display_name}.xlsx"

    def sheets(self) -> Iterator[Sheet]:
        heading = _("%(title)s：回收与兑换汇总（%(org)s）") % {
            "title": self.activity.title,
            "org": self.tally.root.display_name,
        }
        yield Sheet(
            title=_("汇总"),
            heading=heading,
            columns=[
                Column(_("单位"), 28),
                Column(_("登记单位数"), 12, COUNT),
                Column(_("废旧报纸（千克）"), 16, KG),
                Column(_("墨盒硒鼓（个）"), 14, COUNT),
                Column(_("电子产品（件）"), 14, COUNT),
                Column(_("其他物品（件）"), 14, COUNT),
                Column(_("兑换扶贫产品（元）"), 18, YUAN),
            ],
            rows=self._sum_rows(),
        )
        yield Sheet(
            title=_("明细"),
            columns=[
                Column(_("单位"), 28),
                Column(_("废旧报纸（千克）"), 16, KG),
                Column(_("墨盒硒鼓（个）"), 14, COUNT),
                Column(_("电子产品（件）"), 14, COUNT),
                Column(_("其他物品"), 16),
                Column(_("其他物品（件）"), 14, COUNT),
                Column(_("兑换产品"), 40),
                Column(_("兑换扶贫产品（元）"), 18, YUAN),
                Column(_("登记时间"), 20, DATETIME),
            ],
            rows=self._record_rows(),
        )

    def _sum_rows(self):
        for row in [*self.tally.rows, self.tally.total]:
            bold = row is self.tally.total
            values = [
                row.label,
                row.units,
                row.newspapers_kg,
                row.ink_cartridges,
                row.electronics,
                row.other_count,
                row.products_yuan,
            ]
            yield [Styled(value, bold=True) for value in values] if bold else values

    def _record_rows(self):
        for record in self.tally.records:
            products = "；".join(
                f"{p.name}（{p.area}）{p.value_yuan:f}元" if p.area else f"{p.name} {p.value_yuan:f}元"
                for p in record.products.all()
            )
            yield [
                record.org.name,
                record.newspapers_kg,
                record.ink_cartridges,
                record.electronics,
                record.other_name,
                record.other_count,
                products,
                record.products_yuan or 0,
                timezone.localtime(record.recorded_at, LOCAL_TZ),
            ]
