from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Invitation, JoinRequest, MembershipBlock


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
