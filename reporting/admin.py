from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .models import (
    Deadline,
    DeadlineRule,
    Delivery,
    DigestItem,
    ExportJob,
    Notice,
    ReminderPreference,
    Report,
)


@admin.register(DeadlineRule)
class DeadlineRuleAdmin(admin.ModelAdmin):
    """Operators edit the national deadlines the orders set (coordinators keep their region's own
    at /deadline-rules/); the next instantiation picks them up."""

    list_display = [
        "title",
        "kind",
        "programme",
        "region",
        "due_day",
        "due_month",
        "deliverer_role",
        "mandatory",
        "is_active",
    ]
    list_filter = ["is_active", "mandatory", "deliverable", "kind", "region"]
    search_fields = ["title", "recipient", "rule_ref"]
    autocomplete_fields = ["programme", "region"]


@admin.register(Deadline)
class DeadlineAdmin(admin.ModelAdmin):
    list_display = ["rule", "structure", "school_year", "due_on", "delivered_at"]
    list_filter = ["school_year", "rule__deliverable", "rule__kind", "structure__region"]
    list_select_related = ["rule", "structure"]
    search_fields = ["structure__name", "rule__title"]
    raw_id_fields = ["structure"]
    date_hierarchy = "due_on"


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = ["recipient", "subject", "step", "local_date", "status", "attempts", "sent_at"]
    list_filter = ["status", "kind", "step"]
    list_select_related = ["recipient"]
    search_fields = ["recipient__email", "recipient__last_name", "subject", "topic"]
    raw_id_fields = ["recipient", "deadline"]
    readonly_fields = [
        "topic",
        "step",
        "recipient",
        "deadline",
        "subject",
        "body",
        "url",
        "due_at",
        "local_date",
        "kind",
        "attempts",
        "last_error",
        "created_at",
        "sent_at",
    ]
    actions = ["requeue"]

    def has_add_permission(self, request):
        return False  # reminders are claimed by the sweep, never typed in

    @admin.action(description=_("Вернуть в очередь (не отправленные и неудачные)"))
    def requeue(self, request, queryset):
        # A worker killed while sending leaves its row «sending»; a failed one stays failed. A person
        # who checked the mail server puts them back; a sent one is never sent again.
        count = queryset.filter(
            status__in=[Delivery.Status.SENDING, Delivery.Status.FAILED]
        ).update(status=Delivery.Status.PENDING, attempts=0)
        self.message_user(
            request,
            ngettext(
                "%(n)d напоминание возвращено в очередь.",
                "Возвращено в очередь напоминаний: %(n)d.",
                count,
            )
            % {"n": count},
            messages.SUCCESS,
        )


@admin.register(Notice)
class NoticeAdmin(admin.ModelAdmin):
    list_display = ["user", "title", "created_at", "read_at"]
    list_select_related = ["user"]
    search_fields = ["user__email", "title"]
    raw_id_fields = ["user", "delivery"]


@admin.register(ReminderPreference)
class ReminderPreferenceAdmin(admin.ModelAdmin):
    list_display = ["user", "kind", "enabled", "delivery"]
    list_filter = ["kind", "enabled", "delivery"]
    raw_id_fields = ["user"]


@admin.register(DigestItem)
class DigestItemAdmin(admin.ModelAdmin):
    """Messages waiting for (or sent in) a person's digest: to look at, not to edit."""

    list_display = ["user", "kind", "delivery", "subject", "created_at", "sent_at"]
    list_filter = ["kind", "delivery"]
    list_select_related = ["user"]
    search_fields = ["user__email", "subject"]
    raw_id_fields = ["user"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
    list_display = ["title", "structure", "school_year", "status", "submitted_at", "decided_at"]
    list_filter = ["status", "school_year", "structure__kind", "structure__region"]
    list_select_related = ["structure"]
    search_fields = ["title", "structure__name"]
    raw_id_fields = ["structure", "deadline", "author", "decided_by"]
    readonly_fields = ["figures"]


@admin.register(ExportJob)
class ExportJobAdmin(admin.ModelAdmin):
    list_display = ["exporter", "file_format", "requested_by", "status", "progress", "total"]
    list_filter = ["status", "exporter", "file_format"]
    raw_id_fields = ["requested_by"]
    readonly_fields = ["params", "error", "created_at", "finished_at"]
