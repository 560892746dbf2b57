"""The API's documentation page (/api/v1/docs, linked from the main menu) opens in a browser:
Swagger UI, served from our own static files, renders every operation of the OpenAPI document."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser


def test_the_api_docs_page_renders_every_operation_without_an_error(visit):
    from zonedesk.api import api

    document = api.get_openapi_schema(path_prefix="/api/v1/")
    operations = sum(
        1 for item in document["paths"].values() for operation in item.values() if isinstance(operation, dict)
    )

    visit.goto("/api/v1/docs")
    page = visit.page
    page.wait_for_selector(".swagger-ui .info .title")
    page.wait_for_function(f"document.querySelectorAll('.opblock').length >= {operations}")
    text = page.inner_text("body")
    assert "Unable to render" not in text and "duplicated mapping key" not in text
    assert page.locator(".errors-wrapper").count() == 0

    # an operation opens on its answers, the error ones included (one shape, `Error`)
    page.locator(".opblock-get .opblock-summary", has_text="/api/v1/projects").first.click()
    page.wait_for_selector(".responses-table")
    codes = page.locator(".responses-table .response-col_status").all_inner_texts()
    assert {"200", "401", "404"} <= {code.strip() for code in codes}

    assert visit.errors == []
    assert visit.foreign_requests() == []
