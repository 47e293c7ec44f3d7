"""manage.py export_collection <call-slug> --out FILE.docx: the call org's selected entries as one .docx."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from calls.models import Call, Entry
from calls.services.documents import collection_docx, collection_title
from calls.services.review import selected_entries


class Command(BaseCommand):
    help = "把征集单位入选的作品导出为一份汇编 .docx（含目录）。"

    def add_arguments(self, parser):
        parser.add_argument("slug")
        parser.add_argument("--out", required=True)
        parser.add_argument("--kind", choices=Entry.Kind.values, default=None, help="只导出案例或征文；默认全部")

    def handle(self, *args, slug, out, kind, **options):
        call = Call.objects.select_related("org").filter(slug=slug).first()
        if call is None:
            raise CommandError(f"没有网址标识为“{slug}”的征集。")
        entries = [e for e in selected_entries(call, call.org) if kind is None or e.kind == kind]
        title = collection_title(call, kind) if kind else call.title + "作品汇编"
        Path(out).write_bytes(collection_docx(call, entries, title))
        self.stdout.write(f"{out}：{len(entries)} 件作品")
