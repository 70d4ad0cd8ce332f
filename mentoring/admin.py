from django.contrib import admin

from .models import (
    Competence,
    Contact,
    GroupStatistics,
    HelpRequest,
    MentoringSettings,
    PairState,
    Question,
    Questionnaire,
    Response,
    Round,
    Topic,
    TutorAssignment,
)


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ["name", "area", "position", "is_active"]
    list_filter = ["area", "is_active"]
    list_editable = ["position", "is_active"]
    search_fields = ["name"]


@admin.register(Competence)
class CompetenceAdmin(admin.ModelAdmin):
    list_display = ["user", "side", "topic", "stated_at"]
    list_filter = ["side", "topic__area"]
    list_select_related = ["user", "topic"]
    autocomplete_fields = ["user"]


@admin.register(MentoringSettings)
class MentoringSettingsAdmin(admin.ModelAdmin):
    list_display = ["region", "max_pairs_per_mentor", "dormant_after_days", "request_overdue_days"]


@admin.register(PairState)
class PairStateAdmin(admin.ModelAdmin):
    list_display = ["pair", "needs_rematch", "flagged_at"]
    list_filter = ["needs_rematch"]
    list_select_related = ["pair"]


@admin.register(Contact)
class ContactAdmin(admin.ModelAdmin):
    list_display = ["date", "pair", "tutoring", "form", "channel", "topic"]
    list_filter = ["form", "channel"]
    list_select_related = ["pair", "tutoring"]
    date_hierarchy = "date"


@admin.register(HelpRequest)
class HelpRequestAdmin(admin.ModelAdmin):
    list_display = ["created_at", "requester", "topic", "status", "consultant", "helped"]
    list_filter = ["status", "region", "topic__area"]
    list_select_related = ["requester", "topic", "consultant"]
    autocomplete_fields = ["requester", "consultant", "organisation"]


class QuestionInline(admin.TabularInline):
    model = Question
    extra = 0


@admin.register(Questionnaire)
class QuestionnaireAdmin(admin.ModelAdmin):
    list_display = ["title", "region", "created_at"]
    list_filter = ["region"]
    inlines = [QuestionInline]


@admin.register(Round)
class RoundAdmin(admin.ModelAdmin):
    list_display = ["questionnaire", "title", "audience", "opens_on", "closes_on"]
    list_filter = ["audience", "school_year"]


@admin.register(Response)
class ResponseAdmin(admin.ModelAdmin):
    list_display = ["round", "respondent", "side", "submitted_at"]
    list_filter = ["side", "round"]
    list_select_related = ["round", "respondent"]


@admin.register(TutorAssignment)
class TutorAssignmentAdmin(admin.ModelAdmin):
    list_display = ["tutor", "teacher", "subject", "structure", "since", "until"]
    list_filter = ["structure__kind"]
    list_select_related = ["tutor", "teacher", "structure"]
    autocomplete_fields = ["tutor", "teacher", "structure"]


@admin.register(GroupStatistics)
class GroupStatisticsAdmin(admin.ModelAdmin):
    list_display = ["structure", "period_start", "period_end", "visitors", "views", "actions"]
    list_filter = ["source"]
    list_select_related = ["structure"]
