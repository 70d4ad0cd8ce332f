from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render

from . import detail_queries, hooks, permissions, selectors
from .filters import StructureFilter
from .manage.permissions import can_set_up_structure, can_set_up_structures
from .manage.selectors import structure_timeline
from .models import Structure
from .schoolyear import SchoolYear

PAGE_SIZE = 25
LIST_COLUMNS = (
    "name",
    "platform_url",
    "closed_on",
    "kind__code",
    "kind__name",
    "kind__has_online_platform",
    "region__name",
    "municipality__name",
    "host__short_name",
    "host__full_name",
    "parent__name",
)


@login_required
def home(request):
    """What waits for the person first, then what is coming up or new, then the rest, folded but
    for the person's own ways in while anything waits or is coming up (issue 20)."""
    blocks = hooks.home_blocks(request)
    groups = hooks.home_groups(blocks)
    shown, folded = hooks.home_folds(groups)
    return render(
        request,
        "networks/home.html",
        {"blocks": blocks, "groups": groups, "shown": shown, "folded": folded},
    )


@login_required
def structure_list(request):
    if not permissions.can_browse_structures(request.user):
        return render(request, "403.html", status=403)
    # The columns the rows show (a structure and its host have some thirty each).
    queryset = Structure.objects.for_list().only(*LIST_COLUMNS).order_by("kind__code", "name")
    structure_filter = StructureFilter(request.GET, queryset=queryset)
    page = Paginator(structure_filter.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = selectors.attach_administrators(list(page.object_list))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "networks/structure_list.html",
        {
            "filter": structure_filter,
            "page": page,
            "query": query.urlencode(),
            "can_create": can_set_up_structures(request.user),
        },
    )


@login_required
def structure_detail(request, pk: int):
    structure = detail_queries.structure_for_page(request.user, pk)
    access = structure.access
    years = structure.school_years()
    year = SchoolYear.parse(request.GET.get("year"))
    if year not in years:
        year = structure.default_school_year()
    return render(
        request,
        "networks/structure_detail.html",
        {
            "structure": structure,
            "year": year,
            "years": years,
            "access": access,
            "members": detail_queries.member_rows(structure, year, request.user),
            "children": detail_queries.structure_children(structure),
            # Issue 16: the orders and documents of the structure, and who may set it up.
            "timeline": structure_timeline(structure),
            "can_set_up": can_set_up_structure(access),
            "panels": hooks.structure_panels(request, structure),
        },
    )
