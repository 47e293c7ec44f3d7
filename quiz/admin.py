from django.contrib import admin

from quiz.models import Attempt, ExportJob, PrizeDraw, Question, Quiz


@admin.register(Quiz)
class QuizAdmin(admin.ModelAdmin):
    list_display = ["title", "week", "slug", "activity", "time_limit_seconds", "attempts_per_person"]
    list_select_related = ["week", "activity"]


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    list_display = ["text", "quiz", "kind", "category", "difficulty", "answer", "active"]
    list_filter = ["kind", "category", "active"]
    search_fields = ["text"]


@admin.register(Attempt)
class AttemptAdmin(admin.ModelAdmin):
    list_display = ["name", "masked_phone", "org", "quiz", "status", "score", "duration_ms", "started_at"]
    list_filter = ["status"]
    list_select_related = ["org", "quiz"]
    exclude = ["paper", "answers", "correct_questions"]
    readonly_fields = ["token"]


@admin.register(PrizeDraw)
class PrizeDrawAdmin(admin.ModelAdmin):
    list_display = ["quiz", "seed", "min_score", "prize_count", "created_at"]
    readonly_fields = ["seed", "eligible", "winners"]


@admin.register(ExportJob)
class ExportJobAdmin(admin.ModelAdmin):
    list_display = ["quiz", "kind", "status", "rows_done", "rows_total", "created_at"]
