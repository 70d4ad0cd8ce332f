from django.utils.functional import SimpleLazyObject


def unread_notices(request):
    """The unread count in the top bar: one query, and only on pages that show it; none on the
    home page, whose flags query counted them with the person's other flags (issue 19)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}

    def count() -> int:
        viewer = getattr(request, "_home_viewer", None)
        known = viewer.figure("unread_notices") if viewer is not None else None
        return known if known is not None else user.notices.filter(read_at=None).count()

    return {"unread_notices": SimpleLazyObject(count)}


def count_unread(user):
    """The home flag «unread_notices» (networks.hooks): the person's unread notices, counted in
    the flags query."""
    from django.db.models import OuterRef

    from networks.hooks import count_of

    from .models import Notice

    return count_of(Notice.objects.filter(user=OuterRef("pk"), read_at=None))
