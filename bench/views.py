from django.http import HttpResponse

# The framework floor: Django's full middleware stack and a view doing no work at all.
TWENTY_KB = ("<p>" + "x" * 1017 + "</p>\n") * 20


def bare(request):
    return HttpResponse(TWENTY_KB)
