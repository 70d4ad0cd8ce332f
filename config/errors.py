"""The portal's own error pages that Django does not look up by template name alone."""

from django.shortcuts import render


def csrf_failure(request, reason: str = ""):
    """CSRF_FAILURE_VIEW: a form refused by the CSRF check, explained in Russian.

    Django's own page is English and tells the visitor about DEBUG; the reason stays out of the
    page (it helps nobody but an attacker) and the status stays 403.
    """
    return render(request, "403_csrf.html", status=403)
