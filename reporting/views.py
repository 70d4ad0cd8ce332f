from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from networks.messages import DIGEST, MessageKind, unsubscribe_read
from networks.models import User
from networks.schoolyear import SchoolYear

from . import notification_centre, selectors, services
from .forms import PREFERENCES_HELP, PreferencesForm
from .models import Notice


@login_required
def notices(request):
    page = Paginator(selectors.notices_of(request.user), 25).get_page(request.GET.get("page"))
    return render(request, "reporting/notices.html", {"page": page})


@login_required
@require_POST
def notices_read(request):
    services.notices_mark_read(user=request.user)
    messages.success(request, _("Все уведомления отмечены прочитанными."))
    return redirect("reporting:notices")


@login_required
def notice_open(request, notice_pk: int):
    """Marks a notice read and follows its link (only one's own notices: others are 404)."""
    notice = get_object_or_404(Notice, pk=notice_pk, user=request.user)
    services.notices_mark_read(user=request.user, pk=notice.pk)
    return redirect(notice.url or "reporting:notices")


@login_required
def preferences(request):
    form = PreferencesForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        services.preferences_save(user=request.user, enabled=form.enabled())
        notification_centre.deliveries_save(user=request.user, choices=form.deliveries())
        messages.success(request, _("Настройки напоминаний сохранены."))
        return redirect("reporting:preferences")
    return render(request, "reporting/preferences.html", {"form": form, "help": PREFERENCES_HELP})


# Issue 17, RFC 8058: a mail client posts «List-Unsubscribe=One-Click» to this address without a
# session or a CSRF token, so the view takes a POST without them; the signed token is the proof.
# A GET (a link scanner, a person following the link) only shows the page with the button.
@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token: str):
    found = unsubscribe_read(token)
    person = None
    if found is not None:
        person = User.objects.filter(pk=found[0], is_active=True).first()
    if person is None:
        return render(request, "reporting/unsubscribe.html", {"refused": True}, status=400)
    kind = found[1]
    label = (
        _("все сообщения, которые приходят сводкой") if kind == DIGEST else MessageKind(kind).label
    )
    done = request.method == "POST"
    if done:
        notification_centre.unsubscribe(user_id=person.pk, kind=kind)
    return render(request, "reporting/unsubscribe.html", {"label": label, "done": done})


@login_required
def deadlines(request):
    year = SchoolYear.parse(request.GET.get("year")) or SchoolYear.current()
    rows = list(selectors.my_deadlines(request.user, year))
    return render(
        request,
        "reporting/deadlines.html",
        {"deadlines": rows, "year": year, "today": timezone.localdate()},
    )
