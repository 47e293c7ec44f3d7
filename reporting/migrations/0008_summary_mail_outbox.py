"""Summary mail and reminders onto the one outbox (eventweek.outbox.OutboxRow).

The submission's mail_* fields become the outbox fields; the lease once kept in next_attempt_at becomes claimed_at;
a reminder's status is derived from what it had: sent, tried and failed, or not tried yet.
"""

import datetime

from django.db import migrations, models

OLD_LEASE = datetime.timedelta(minutes=10)  # SENDING_LEASE of the old summary sender


def onto_the_outbox(apps, schema_editor):
    SummarySubmission = apps.get_model("reporting", "SummarySubmission")
    for row in SummarySubmission.objects.filter(status="sending"):
        # The old claim kept its lease's end in next_attempt_at.
        claimed = row.next_attempt_at - OLD_LEASE if row.next_attempt_at else None
        SummarySubmission.objects.filter(pk=row.pk).update(claimed_at=claimed, next_attempt_at=None)
    SummaryReminder = apps.get_model("reporting", "SummaryReminder")
    SummaryReminder.objects.filter(sent_at__isnull=False).update(status="sent", next_attempt_at=None)
    unsent = SummaryReminder.objects.filter(sent_at__isnull=True)
    unsent.filter(attempts__gt=0).exclude(last_error="").update(status="failed")
    # Claimed and not finished (no error recorded): a SENDING row whose lease ended at next_attempt_at.
    for row in unsent.filter(attempts__gt=0, last_error="", next_attempt_at__isnull=False):
        SummaryReminder.objects.filter(pk=row.pk).update(
            status="sending", claimed_at=row.next_attempt_at - OLD_LEASE, next_attempt_at=None
        )


def back_from_the_outbox(apps, schema_editor):
    SummarySubmission = apps.get_model("reporting", "SummarySubmission")
    for row in SummarySubmission.objects.filter(status="sending", claimed_at__isnull=False):
        SummarySubmission.objects.filter(pk=row.pk).update(next_attempt_at=row.claimed_at + OLD_LEASE)
    SummarySubmission.objects.filter(status="gave_up").update(status="failed")
    SummaryReminder = apps.get_model("reporting", "SummaryReminder")
    for row in SummaryReminder.objects.filter(status="sending", claimed_at__isnull=False):
        SummaryReminder.objects.filter(pk=row.pk).update(next_attempt_at=row.claimed_at + OLD_LEASE)


class Migration(migrations.Migration):
    dependencies = [
        ("reporting", "0007_report_notice_outbox"),
    ]

    operations = [
        migrations.RenameField("summarysubmission", "mail_status", "status"),
        migrations.RenameField("summarysubmission", "mail_attempts", "attempts"),
        migrations.RenameField("summarysubmission", "mail_last_error", "last_error"),
        migrations.RenameField("summarysubmission", "mail_next_attempt_at", "next_attempt_at"),
        migrations.RenameField("summarysubmission", "mail_sent_at", "sent_at"),
        migrations.AddField(
            model_name="summaryreminder",
            name="claimed_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="认领时间"),
        ),
        migrations.AddField(
            model_name="summaryreminder",
            name="status",
            field=models.CharField(
                choices=[
                    ("pending", "待发送"),
                    ("sending", "发送中"),
                    ("sent", "已发送"),
                    ("failed", "发送失败，等待重试"),
                    ("gave_up", "已放弃"),
                ],
                db_index=True,
                default="pending",
                max_length=20,
                verbose_name="状态",
            ),
        ),
        migrations.AddField(
            model_name="summarysubmission",
            name="claimed_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="认领时间"),
        ),
        migrations.AlterField(
            model_name="summaryreminder",
            name="attempts",
            field=models.PositiveIntegerField(default=0, verbose_name="尝试次数"),
        ),
        migrations.AlterField(
            model_name="summarysubmission",
            name="attempts",
            field=models.PositiveIntegerField(default=0, verbose_name="尝试次数"),
        ),
        migrations.AlterField(
            model_name="summarysubmission",
            name="next_attempt_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="下次尝试时间"),
        ),
        migrations.AlterField(
            model_name="summarysubmission",
            name="status",
            field=models.CharField(
                choices=[
                    ("pending", "待发送"),
                    ("sending", "发送中"),
                    ("sent", "已发送"),
                    ("failed", "发送失败，等待重试"),
                    ("gave_up", "已放弃"),
                    ("none", "无需发送"),
                ],
                db_index=True,
                default="pending",
                max_length=20,
                verbose_name="邮件状态",
            ),
        ),
        migrations.RunPython(onto_the_outbox, back_from_the_outbox),
    ]
