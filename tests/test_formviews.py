"""Issue 24, item 5: the one form-page routine (core.formviews) and the one chart builder
(core.charts) every app's pages use. The pages' own tests (test_versions, test_roadmaps, ...)
keep their behaviour; these pin what the shared pieces promise to each of them."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from django import forms
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.db import SessionStore
from django.template import Context, Template
from django.test import RequestFactory

from zonedesk.core.charts import Series, chart
from zonedesk.core.errors import ConflictError, ServiceError
from zonedesk.core.formviews import form_view
from zonedesk.core.models import Agency

pytestmark = pytest.mark.django_db


class NameForm(forms.Form):
    name = forms.CharField(max_length=50)


def _request(method: str = "get", data: dict | None = None):
    request = getattr(RequestFactory(), method)("/x/", data or {})
    request.session = SessionStore()
    request._messages = FallbackStorage(request)
    return request


def _view(request, write, **options):
    form = NameForm(request.POST if request.method == "POST" else None)
    return form_view(
        request,
        form,
        write=write,
        success="/done/",
        message=lambda agency: f"Saved {agency.name}.",
        page=lambda form, status: _page(form, status),
        **options,
    )


def _page(form, status):
    from django.http import HttpResponse

    errors = {field: [str(m) for m in messages] for field, messages in form.errors.items()}
    return HttpResponse(json.dumps(errors), status=status)


def _add(cd):
    return Agency.objects.create(name_vi=cd["name"], code=cd["name"][:20], kind="other")


def test_a_get_shows_the_form_and_writes_nothing():
    response = _view(_request(), _add)
    assert response.status_code == 200 and json.loads(response.content) == {}
    assert not Agency.objects.filter(name_vi="Sở Xây dựng").exists()


def test_a_valid_form_writes_says_so_and_redirects():
    request = _request("post", {"name": "Sở Xây dựng"})
    response = _view(request, _add)
    assert response.status_code == 302 and response["Location"] == "/done/"
    assert [str(m) for m in get_messages(request)] == ["Saved Sở Xây dựng."]
    assert Agency.objects.filter(name_vi="Sở Xây dựng").exists()


def test_an_invalid_form_is_shown_again_with_the_status_the_page_answers():
    assert _view(_request("post", {}), _add).status_code == 200
    response = _view(_request("post", {}), _add, invalid_status=400)
    assert response.status_code == 400 and "name" in json.loads(response.content)


def test_a_service_refusal_goes_beside_its_field_and_an_unknown_field_on_top():
    def refuse(cd):
        raise ServiceError({"name": ["Taken."], "elsewhere": ["Not here."]})

    request = _request("post", {"name": "Sở Xây dựng"})
    response = _view(request, refuse)
    assert response.status_code == 200
    assert json.loads(response.content) == {"name": ["Taken."], "__all__": ["Not here."]}
    assert not list(get_messages(request))


def test_a_stale_version_is_refused_with_409_its_reason_on_top_and_nothing_written():
    def stale(cd):
        _add(cd)
        raise ConflictError("Changed since you read it.")

    response = _view(_request("post", {"name": "Sở Xây dựng"}), stale)
    assert response.status_code == 409
    assert json.loads(response.content) == {"__all__": ["Changed since you read it."]}
    assert not Agency.objects.filter(name_vi="Sở Xây dựng").exists()


def test_a_write_that_finds_the_input_wrong_keeps_nothing_it_did():
    def half(cd):
        _add(cd)
        form.add_error("name", "No such parcel.")

    request = _request("post", {"name": "Sở Xây dựng"})
    form = NameForm(request.POST)
    response = form_view(request, form, write=half, success="/done/", page=lambda f, s: _page(f, s))
    assert response.status_code == 200 and json.loads(response.content) == {"name": ["No such parcel."]}
    assert not Agency.objects.filter(name_vi="Sở Xây dựng").exists()


def test_a_refusal_the_view_names_goes_on_top_and_others_are_not_swallowed():
    class StepRefused(Exception):
        pass

    def refuse(cd):
        raise StepRefused("Not in this state.")

    response = _view(_request("post", {"name": "x"}), refuse, refused=(StepRefused,))
    assert response.status_code == 200 and json.loads(response.content) == {"__all__": ["Not in this state."]}
    with pytest.raises(StepRefused):
        _view(_request("post", {"name": "x"}), refuse)


def test_a_chart_reads_its_labels_and_every_series_from_the_same_rows():
    rows = [
        {"zone": "HHTP", "area": Decimal("12.5"), "target": 20},
        {"zone": "DNHP", "area": None, "target": 10},
    ]
    spec = chart(
        "bar",
        "Area",
        rows,
        label=lambda r: r["zone"],
        series=[Series("Handed over", lambda r: r["area"]), Series("Target", lambda r: r["target"], line=True)],
        unit="ha",
        max=100,
    )
    assert spec == {
        "type": "bar",
        "title": "Area",
        "labels": ["HHTP", "DNHP"],
        "datasets": [
            {"label": "Handed over", "data": [12.5, None]},
            {"label": "Target", "type": "line", "data": [20, 10]},
        ],
        "unit": "ha",
        "max": 100,
    }
    # on the page: numbers, never strings (a Decimal would reach zonedesk.js as "12.5")
    html = Template("{{ spec|json_script:'c' }}").render(Context({"spec": spec}))
    assert '"data": [12.5, null]' in html


def test_a_chart_with_an_id_and_no_rows_is_empty_but_whole():
    spec = chart("line", "Households", [], label=str, series=[Series("Agreed", int)], id="x-households", stepped=True)
    assert spec == {
        "id": "x-households",
        "type": "line",
        "title": "Households",
        "labels": [],
        "datasets": [{"label": "Agreed", "data": []}],
        "stepped": True,
    }
