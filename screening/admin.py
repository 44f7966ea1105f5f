"""Staff see every pipeline; the history of moves is never edited, here either.

Assessments, grades, interviews and scorecards are shown read-only: they change only
through the product, which emails the people concerned and keeps the blind rules.
Staff may edit the starter questions (those with no company) that every company sees.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from screening.models import (
    Assessment,
    AssessmentTemplate,
    Candidacy,
    Grade,
    Interview,
    InterviewKit,
    KitQuestion,
    Question,
    Review,
    RubricCriterion,
    Scorecard,
    StageMove,
)


class ReadOnlyInline(admin.TabularInline):  # type: ignore[type-arg]
    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class StageMoveInline(ReadOnlyInline):
    model = StageMove
    fields = readonly_fields = (
        "at",
        "from_stage",
        "to_stage",
        "by",
        "reason",
        "note",
        "told_engineer",
    )


class ReviewInline(ReadOnlyInline):
    model = Review
    fields = readonly_fields = ("author", "rating", "note", "updated_at")


@admin.register(Candidacy)
class CandidacyAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["profile", "brief", "company", "stage", "stage_since", "added_by"]
    list_filter = ["stage", "company"]
    list_select_related = ["profile__user", "brief", "company", "added_by"]
    search_fields = ["profile__user__full_name", "profile__user__email", "brief__title"]
    readonly_fields = [
        "company",
        "brief",
        "profile",
        "stage",
        "stage_since",
        "added_by",
        "created_at",
    ]
    inlines = [StageMoveInline, ReviewInline]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # engineers enter a pipeline through the product, with a history row

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # a stage changes only through a move, which writes its history


@admin.register(StageMove)
class StageMoveAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["candidacy", "from_stage", "to_stage", "by", "at"]
    list_filter = ["to_stage"]
    list_select_related = ["candidacy__profile__user", "candidacy__brief", "by"]
    date_hierarchy = "at"

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return [f.name for f in StageMove._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ReadOnlyAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Every field shown, nothing added, changed or deleted from here."""

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return [f.name for f in self.model._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class RubricCriterionInline(ReadOnlyInline):
    model = RubricCriterion
    fields = readonly_fields = ("position", "name", "weight", "level_1", "level_4")


@admin.register(AssessmentTemplate)
class AssessmentTemplateAdmin(ReadOnlyAdmin):
    list_display = ["title", "company", "paid", "time_box_hours", "deadline_days", "archived_at"]
    list_filter = ["paid", "company"]
    list_select_related = ["company"]
    search_fields = ["title", "company__name"]
    inlines = [RubricCriterionInline]


class GradeInline(ReadOnlyInline):
    model = Grade
    fields = readonly_fields = ("grader", "recommendation", "submitted_at", "scores")


@admin.register(Assessment)
class AssessmentAdmin(ReadOnlyAdmin):
    list_display = ["title", "candidacy", "company", "status", "deadline", "submitted_at"]
    list_filter = ["status", "paid", "anonymous"]
    list_select_related = ["candidacy__profile__user", "candidacy__brief", "company"]
    search_fields = ["title", "company__name", "candidacy__profile__user__email"]
    date_hierarchy = "sent_at"
    inlines = [GradeInline]


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["text", "focus", "company", "archived_at"]
    list_filter = ["focus", ("company", admin.EmptyFieldListFilter)]
    list_select_related = ["company"]
    search_fields = ["text", "company__name"]
    readonly_fields = ["created_by", "created_at"]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # A company's own questions are theirs to change; starters are Karigar's.
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or obj.company_id is None)


class KitQuestionInline(ReadOnlyInline):
    model = KitQuestion
    fields = readonly_fields = ("position", "question")


@admin.register(InterviewKit)
class InterviewKitAdmin(ReadOnlyAdmin):
    list_display = ["title", "kind", "company", "archived_at"]
    list_filter = ["kind"]
    list_select_related = ["company"]
    search_fields = ["title", "company__name"]
    inlines = [KitQuestionInline]


class ScorecardInline(ReadOnlyInline):
    model = Scorecard
    fields = readonly_fields = ("interviewer", "recommendation", "submitted_at", "ratings")


@admin.register(Interview)
class InterviewAdmin(ReadOnlyAdmin):
    list_display = ["candidacy", "kind", "status", "starts_at", "sequence", "company"]
    list_filter = ["status", "kind"]
    list_select_related = ["candidacy__profile__user", "candidacy__brief", "company"]
    search_fields = ["company__name", "candidacy__profile__user__email"]
    date_hierarchy = "created_at"
    inlines = [ScorecardInline]
