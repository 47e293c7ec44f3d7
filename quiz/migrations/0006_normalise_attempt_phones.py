"""Stored attempt phones in the one spelling quiz.services.normalize_phone now gives (issue 10, point 3).

Before it, full-width or other-script digits and "0086"/"(…)" spellings were stored as typed, so one number could hold
several attempts. Attempts are taken oldest first (started_at, id): each gets the normalised number unless another
attempt of the quiz already holds that (phone, number); an attempt already stored normalised always keeps its row. A
collision is left exactly as stored and printed (the organizer decides which attempt counts), as is a stored value that
is not a mobile number at all. Nothing is deleted, so the migration never fails on data.
"""

import re
import unicodedata

from django.db import migrations

# A frozen copy of quiz.services.normalize_phone as of this migration (a migration must not change with later code).
_PHONE = re.compile(r"1[3-9][0-9]{9}")
_SEPARATORS = frozenset(" -.()")


def normalised(phone: str) -> str | None:
    kept = []
    for char in unicodedata.normalize("NFKC", phone or ""):
        if char.isdecimal():
            kept.append(str(unicodedata.decimal(char)))
        elif not (char in _SEPARATORS or char.isspace() or unicodedata.category(char) in ("Pd", "Cf")):
            kept.append(char)
    cleaned = "".join(kept)
    for prefix in ("+86", "0086"):
        if cleaned.startswith(prefix):
            cleaned = cleaned[len(prefix) :]
            break
    return cleaned if _PHONE.fullmatch(cleaned) else None


def normalise_phones(apps, schema_editor=None, out=print) -> tuple[int, list[str]]:
    """Rewrite the phones that are not in the normalised spelling; returns (rewritten, the lines reported)."""
    Attempt = apps.get_model("quiz", "Attempt")
    rows = list(Attempt.objects.order_by("started_at", "id").values_list("id", "quiz_id", "phone", "number"))
    holder = {(quiz_id, phone, number): pk for pk, quiz_id, phone, number in rows}
    rewritten, report = 0, []
    for pk, quiz_id, phone, number in rows:
        target = normalised(phone)
        if target == phone:
            continue
        if target is None:
            report.append(f"答卷 {pk}（竞答 {quiz_id}）：手机号 {phone!r} 不是手机号，保留原样。")
            continue
        other = holder.get((quiz_id, target, number))
        if other is not None:
            report.append(
                f"答卷 {pk}（竞答 {quiz_id}）：手机号 {phone!r} 即 {target}，与答卷 {other} 重复（第 {number} 次作答），"
                "保留原样，请主办单位核对。"
            )
            continue
        Attempt.objects.filter(pk=pk).update(phone=target)
        del holder[(quiz_id, phone, number)]
        holder[(quiz_id, target, number)] = pk
        rewritten += 1
    if rewritten or report:
        out(f"\n  答卷手机号规范化：改写 {rewritten} 份，{len(report)} 份保留原样。")
        for line in report:
            out("  " + line)
    return rewritten, report


class Migration(migrations.Migration):
    dependencies = [("quiz", "0005_fewer_attempt_indexes")]

    operations = [migrations.RunPython(normalise_phones, migrations.RunPython.noop, elidable=True)]
