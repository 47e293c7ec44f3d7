from django.core.management.base import BaseCommand
from django_q.models import Schedule

from eventweek.services.publishing import ensure_schedules


class Command(BaseCommand):
    help = "创建或更新活动周所需的 django-q2 定时任务（可重复执行）。"

    def handle(self, *args, **options):
        ensure_schedules()
        names = list(
            Schedule.objects.filter(name__startswith="eventweek:").order_by("name").values_list("name", flat=True)
        )
        for name in names:
            self.stdout.write(f"schedule={name}")
        self.stdout.write(self.style.SUCCESS(f"schedules={len(names)}"))
