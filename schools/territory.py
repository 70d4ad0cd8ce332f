from django.http import Http404


def territory_table(request):
    raise Http404
