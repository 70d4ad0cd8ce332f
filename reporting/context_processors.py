from django.utils.functional import SimpleLazyObject


def unread_notices(request):
    """The unread count in the top bar: one query, and only on pages that show it."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_notices": SimpleLazyObject(lambda: user.notices.filter(read_at=None).count())}
