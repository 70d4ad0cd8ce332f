"""A region's mentoring limits, set by its coordinator in the browser (issue 16: instead of the
Django admin)."""

from __future__ import annotations

from django.db import transaction

from networks.models import Region, User

from ..models import MentoringSettings


@transaction.atomic
def mentoring_settings_save(
    *,
    region: Region,
    max_pairs_per_mentor: int,
    dormant_after_days: int,
    request_overdue_days: int,
    by: User,
) -> MentoringSettings:
    settings, _ = MentoringSettings.objects.select_for_update().get_or_create(region=region)
    settings.max_pairs_per_mentor = max_pairs_per_mentor
    settings.dormant_after_days = dormant_after_days
    settings.request_overdue_days = request_overdue_days
    settings.full_clean()
    settings.save()
    return settings
