from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    Discussion,
    Event,
    Invitation,
    JoinRequest,
    Material,
    MembershipBlock,
    Minutes,
    MinutesItem,
    Plan,
    PlanItem,
    PlanStep,
    Poll,
    PollOption,
    Post,
)


@admin.register(JoinRequest)
class JoinRequestAdmin(SimpleHistoryAdmin):
    list_display = ["user", "structure", "status", "created_at", "decided_by", "decided_at"]
    list_filter = ["status", "structure__kind"]
    search_fields = ["user__last_name", "user__email", "structure__name"]
    raw_id_fields = ["structure", "user", "decided_by"]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    # The token exists only in the letter; the admin sees who was invited and whether it was used.
    list_display = ["email", "structure", "role", "invited_by", "expires_at", "used_at"]
    list_filter = ["role"]
    search_fields = ["email", "structure__name"]
    raw_id_fields = ["structure", "invited_by", "used_by"]
    readonly_fields = ["used_at", "used_by"]

    def has_add_permission(self, request):
        return False  # an invitation needs its letter: invite from the structure's members page


@admin.register(MembershipBlock)
class MembershipBlockAdmin(SimpleHistoryAdmin):
    list_display = ["user", "structure", "blocked_by", "created_at"]
    search_fields = ["user__last_name", "user__email", "structure__name"]
    raw_id_fields = ["structure", "user", "blocked_by"]


# --- The year of a structure ---------------------------------------------------------------------


class PlanItemInline(admin.TabularInline):
    model = PlanItem
    extra = 0


class PlanStepInline(admin.TabularInline):
    model = PlanStep
    extra = 0
    readonly_fields = ["action", "by", "at", "comment"]


@admin.register(Plan)
class PlanAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "structure", "school_year", "version", "status"]
    list_filter = ["status", "school_year", "structure__kind"]
    search_fields = ["structure__name", "title"]
    raw_id_fields = ["structure", "previous", "created_by"]
    inlines = [PlanItemInline, PlanStepInline]


@admin.register(Event)
class EventAdmin(SimpleHistoryAdmin):
    list_display = ["title", "structure", "form", "format", "starts_at", "status"]
    list_filter = ["status", "form", "format", "structure__kind"]
    search_fields = ["title", "structure__name"]
    raw_id_fields = ["structure", "plan_item", "proposed_by", "created_by"]
    date_hierarchy = "starts_at"


class MinutesItemInline(admin.StackedInline):
    model = MinutesItem
    extra = 0


@admin.register(Minutes)
class MinutesAdmin(SimpleHistoryAdmin):
    # Signed minutes are a record: corrections go through a new version with a reason, in the
    # portal, not by editing here.
    list_display = ["__str__", "event", "status", "attendee_count", "signed_at"]
    list_filter = ["status"]
    search_fields = ["number", "event__title", "event__structure__name"]
    raw_id_fields = ["event", "previous", "created_by", "signed_by"]
    inlines = [MinutesItemInline]

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.is_signed:
            return False
        return super().has_change_permission(request, obj)


@admin.register(Material)
class MaterialAdmin(admin.ModelAdmin):
    list_display = ["title", "structure", "kind", "status", "author", "created_at"]
    list_filter = ["status", "kind", "structure__kind"]
    search_fields = ["title", "subject", "structure__name"]
    raw_id_fields = ["structure", "author", "admitted_by", "removed_by"]


class PostInline(admin.TabularInline):
    model = Post
    extra = 0
    raw_id_fields = ["author"]


@admin.register(Discussion)
class DiscussionAdmin(admin.ModelAdmin):
    list_display = ["title", "structure", "opened_by", "created_at", "closed_at"]
    search_fields = ["title", "structure__name"]
    raw_id_fields = ["structure", "opened_by"]
    inlines = [PostInline]


class PollOptionInline(admin.TabularInline):
    model = PollOption
    extra = 0


@admin.register(Poll)
class PollAdmin(admin.ModelAdmin):
    list_display = ["question", "structure", "multiple", "created_at", "closes_at"]
    search_fields = ["question", "structure__name"]
    raw_id_fields = ["structure", "discussion", "created_by"]
    inlines = [PollOptionInline]
