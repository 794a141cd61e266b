from django.http import HttpResponse
from django.urls import path

from eguarantee.urls import urlpatterns as platform_urls


def bare(request):
    return HttpResponse("ok")


urlpatterns = [path("bench/bare/", bare), *platform_urls]
