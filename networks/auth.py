"""Glue for the sign-in libraries."""


def axes_username(request, credentials: dict | None) -> str:
    """The address being tried, whichever form sent it.

    allauth authenticates with `email=`, Django's admin login with `username=`; a lockout must
    count both against the same address.
    """
    credentials = credentials or {}
    value = credentials.get("email") or credentials.get("username")
    if not value and request is not None:
        value = request.POST.get("login") or request.POST.get("username")
    return (value or "").strip().lower()
