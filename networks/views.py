from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render

from . import hooks, permissions, selectors
from .filters import StructureFilter
from .manage.permissions import can_set_up_structure, can_set_up_structures
from .manage.selectors import structure_timeline
from .models import Structure
from .schoolyear import SchoolYear

PAGE_SIZE = 25


@login_required
def home(request):
    return render(request, "networks/home.html", {"blocks": hooks.home_blocks(request)})


@login_required
def structure_list(request):
    if not permissions.can_browse_structures(request.user):
        return render(request, "403.html", status=403)
    queryset = Structure.objects.for_list().order_by("kind__code", "name")
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
    structure = permissions.structure_for(
        request.user, pk, queryset=selectors.structure_detail_queryset()
    )
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
            "members": [
                (m, permissions.can_see_name(access, request.user, m.user))
                for m in selectors.structure_members(structure, year)
            ],
            "children": selectors.structure_children(structure),
            # Issue 16: the orders and documents of the structure, and who may set it up.
            "timeline": structure_timeline(structure),
            "can_set_up": can_set_up_structure(access),
            "panels": hooks.structure_panels(request, structure),
        },
    )
