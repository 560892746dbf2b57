"""The site's routes and one the access matrix does not know (tests/test_access.py)."""

from django.http import HttpResponse
from django.urls import path

from zonedesk.urls import urlpatterns as site

urlpatterns = [*site, path("unlisted/", lambda request: HttpResponse("not for anyone"), name="unlisted")]
