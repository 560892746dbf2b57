"""The access matrix: for every page route and API operation, who may call it, on whose objects.

This is the one place that says it. `AccessMiddleware` enforces it before any view runs: a role
the matrix refuses is answered 403, 404 or "log in first" there, and a route without an entry is
refused (404), so a view's own checks (`core/permissions.py`: capabilities and restricted
querysets) are a second line, not the only one. Where a rule names a `scope`, the middleware also
looks the object up (with the lookup the object's app registered: `register_scope`) and answers
404 for one the person may not see, before the view reads the
form or the body. `tests/test_access.py` calls every registered route and every operation of the
OpenAPI document as each role (the public included), on an object of the caller's own enterprise
or agency and on another's, and checks the answer against this table; a route without an entry
fails that test.

Outcomes, for a role:
- `OK`: allowed, on any object the route names;
- `OWN`: allowed on the caller's own objects (or public ones), 404 on another's;
- `SEE`: 403 on an object the person may see (it is not theirs to change), 404 on another;
- `HIDDEN`: 404, as if the route did not exist (the row must not be known to exist);
- `FORBIDDEN`: 403 (the person is logged in and may know the page exists);
- `LOGIN`: the public is sent to log in (pages) or answered 401 (API); never a logged-in role.

"Own", by kind of object: an enterprise's projects, reports, petitions, imports and development
roadmaps; a petition an agency leads or is routed to, a roadmap it owns or answers a milestone
of; a person's notifications; public conferences and roadmaps and plan revisions in force are
everyone's.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseNotAllowed
from django.utils.deprecation import MiddlewareMixin
from django.utils.http import url_has_allowed_host_and_scheme

from zonedesk.core.models import Role

if TYPE_CHECKING:
    from django.http import HttpRequest, HttpResponse

PUBLIC = "public"
ROLES = (PUBLIC, Role.ENTERPRISE, Role.AGENCY, Role.BOARD, Role.LEADER, Role.ADMIN)

OK = "ok"
OWN = "own"
SEE = "see"
HIDDEN = "404"
FORBIDDEN = "403"
LOGIN = "login"
OUTCOMES = frozenset({OK, OWN, SEE, HIDDEN, FORBIDDEN, LOGIN})


@dataclass(frozen=True)
class Rule:
    public: str
    enterprise: str
    agency: str
    board: str
    leader: str
    admin: str
    scope: str | None = None  # the kind of object the route names, looked up for OWN and SEE

    def __post_init__(self):
        columns = [getattr(self, str(role)) for role in ROLES]
        if not set(columns) <= OUTCOMES:
            raise ValueError(f"unknown outcome in {columns}")
        if LOGIN in columns[1:]:
            raise ValueError("a logged-in person is never sent to log in")
        if SEE in columns and self.scope is None:
            raise ValueError("a rule with 'see' needs the scope that tells 403 from 404")

    def outcome(self, role: str | None) -> str:
        return getattr(self, str(role or PUBLIC))


def rule(spec: str, scope: str | None = None) -> Rule:
    """A rule from six outcomes in the order of ROLES: "login 403 403 ok 403 ok"."""
    return Rule(*spec.split(), scope=scope)


# --- scopes: may this person see the object the route names? -------------------------------
# Each app registers the lookup of its own kind of object (its AppConfig.ready): petitions
# "petition", investment "report", dialogue "conference", roadmaps "roadmap". A lookup is given the
# person (None for the public) and the route's keyword arguments, and says whether the object is
# theirs to see; core never imports an app. `check_scopes` (a system check) finds a rule whose
# scope nobody registered.

Scope = Callable[[Any, dict[str, Any]], bool]
SCOPES: dict[str, Scope] = {}


def register_scope(kind: str, lookup: Scope) -> None:
    """Name the lookup of `kind` that rules with `scope=kind` run for OWN and SEE."""
    SCOPES[kind] = lookup


# Common rows.
EVERYONE = "ok ok ok ok ok ok"
BOARD_EDITS = "login 403 403 ok 403 ok"  # board officers and admins
BOARD_SIDE = "login 403 403 ok ok ok"  # board officers, leaders and admins
SIGNED_IN = "login ok ok ok ok ok"

# Pages, by URL name.
PAGES: dict[str, Rule] = {
    "set_language": rule(EVERYONE),
    "login": rule(EVERYONE),
    "logout": rule(EVERYONE),
    "two_factor": rule(SIGNED_IN),
    "two_factor_setup": rule(SIGNED_IN),
    "two_factor_recovery": rule(SIGNED_IN),
    "two_factor_off": rule("login ok 403 403 403 403"),  # optional for enterprises only
    "audit_list": rule(BOARD_EDITS),  # the audit trail: board officers and admins
    "privacy_register": rule(BOARD_EDITS),  # the register of personal data: board officers and admins
    "home": rule(EVERYONE),
    # investment
    "project_list": rule(EVERYONE),
    "project_detail": rule(EVERYONE),
    "project_status": rule(BOARD_EDITS),
    "project_english": rule(BOARD_EDITS),  # the English of a project's objectives and milestones
    "dashboard": rule(BOARD_SIDE),
    "dashboard_behind": rule(BOARD_SIDE),  # the dashboard's lists, whole
    "dashboard_late": rule(BOARD_SIDE),
    "dashboard_targets": rule(BOARD_SIDE),
    "board_report": rule(BOARD_SIDE),
    "portal": rule("login ok 403 403 403 403"),
    "report_new": rule("login ok 403 403 403 403"),
    "report_correct": rule("login own 403 403 403 403"),
    # the investor's side of the public site (issue 26): public pages of public data
    "invest_home": rule(EVERYONE),
    "invest_incentives": rule(EVERYONE),
    "invest_parks": rule(EVERYONE),
    "invest_park": rule(EVERYONE),
    "invest_contacts": rule(EVERYONE),
    "invest_procedures": rule(EVERYONE),
    "invest_tenants": rule(EVERYONE),
    # the board keeps their reference data (incentives, park profiles, offices)
    "invest_incentive_new": rule(BOARD_EDITS),
    "invest_incentive_edit": rule(BOARD_EDITS),
    "invest_profile_edit": rule(BOARD_EDITS),
    "invest_contact_new": rule(BOARD_EDITS),
    "invest_contact_edit": rule(BOARD_EDITS),
    "invest_pipeline": rule(EVERYONE),  # only the prospects the board published, and only who and how far
    # petitions
    "portal_petitions": rule("login ok 403 403 403 403"),
    "portal_petition_new": rule("login ok 403 403 403 403"),
    "petition_queue": rule("login 403 ok ok ok ok"),
    "petition_filter_save": rule("login 403 ok ok ok ok"),  # a person's own saved filters only
    "petition_filter_delete": rule("login 403 ok ok ok ok"),  # another's: 404 (the service)
    "public_petition_new": rule(EVERYONE),
    "public_petition_thanks": rule(EVERYONE),
    "public_answers": rule(EVERYONE),
    # a person's rights over their personal data (privacy/urls_rights.py): a petitioner's private
    # link (a bad one answers 410 to everyone alike), the account page of whoever logs in
    "privacy_my_data_request": rule(EVERYONE),
    "privacy_my_data_erased": rule(EVERYONE),
    "privacy_my_data": rule(EVERYONE),
    "privacy_my_data_correct": rule(EVERYONE),
    "privacy_my_data_withdraw": rule(EVERYONE),
    "privacy_my_data_export": rule(EVERYONE),
    "privacy_my_data_erase": rule(EVERYONE),
    "account_my_data": rule(SIGNED_IN),
    "account_my_data_export": rule(SIGNED_IN),
    "account_erasure": rule(SIGNED_IN),
    "petition_detail": rule("login own own ok ok ok"),
    "petition_do": rule("login own own ok 403 ok", "petition"),  # which action: the view (may_attempt)
    "petition_attach": rule("login own own ok 403 ok"),
    "petition_answer_return": rule("login see see ok 403 ok", "petition"),
    "inbox": rule(SIGNED_IN),
    "inbox_open": rule("login own own own own own"),
    # promotion: the pipeline is the board's, leaders read it, an agency reads the prospects it
    # was asked to help with; the enquiry form and its tracking page (an unguessable token) are public
    "prospect_list": rule("login 403 ok ok ok ok"),  # an agency: the prospects it helps with
    "prospect_kanban": rule("login 403 ok ok ok ok"),
    "prospect_new": rule(BOARD_EDITS),
    "prospect_figures": rule(BOARD_SIDE),
    "screening_weights": rule(BOARD_SIDE),  # leaders read; officers add a weight (the view)
    "prospect_detail": rule("login 404 own ok ok ok", "prospect"),
    "prospect_edit": rule("login 404 see ok 403 ok", "prospect"),
    "prospect_land": rule("login 404 see ok 403 ok", "prospect"),
    "prospect_do": rule("login 404 see ok 403 ok", "prospect"),
    "prospect_document": rule("login 404 own ok ok ok", "prospect"),
    "promotion_events": rule(BOARD_SIDE),
    "promotion_event": rule(BOARD_SIDE),
    "promotion_event_new": rule(BOARD_EDITS),
    "promotion_event_edit": rule(BOARD_EDITS),
    "promotion_enquire": rule(EVERYONE),
    "promotion_enquiry_status": rule(EVERYONE),
    # the one-stop desk: the catalogue and the lookup are public; a dossier its enterprise's and the board's
    "procedure_list": rule(EVERYONE),
    "procedure_detail": rule(EVERYONE),
    "procedure_template": rule(EVERYONE),
    "dossier_lookup": rule(EVERYONE),
    "dossier_new": rule("login ok 403 ok 403 403"),  # online: an enterprise; on paper: the desk (the view)
    "portal_dossiers": rule("login ok 403 403 403 403"),
    "dossier_queue": rule(BOARD_SIDE),
    "dossier_figures": rule(EVERYONE),
    "result_verify": rule(EVERYONE),
    "dossier_detail": rule("login own 404 ok ok ok", "dossier"),
    "dossier_do": rule("login own 404 ok ok 403", "dossier"),  # which step: the view (may_attempt)
    "dossier_file": rule("login own 404 ok ok ok", "dossier"),
    "dossier_document": rule("login own 404 ok ok ok", "dossier"),
    # directions and their tasks: the public sees the published ones; a unit its own tasks; the board all
    "direction_list": rule(EVERYONE),  # which rows: Direction.objects.restrict
    "direction_followup": rule(BOARD_SIDE),
    "direction_new": rule(BOARD_SIDE),
    "direction_publish": rule(BOARD_SIDE),
    "direction_detail": rule("own own own ok ok ok", "direction"),
    "direction_document": rule("own own own ok ok ok", "direction"),
    "task_mine": rule(SIGNED_IN),
    # its lead unit's members only (a leader too, when a member of the board's unit that leads it)
    "task_report": rule("login own own own own 403", "task_lead"),
    "task_decide": rule("login 403 403 ok ok 403"),
    # a report's file: as the report (the board's side; the lead unit's members, 404 to others)
    "task_report_file": rule(
        "login own own ok ok ok", "task_lead"
    ),  # the board's officers and leaders accept or return
    # dialogue
    "conference_list": rule(EVERYONE),
    "conference_month": rule(EVERYONE),
    "conference_detail": rule("own own own ok ok ok"),
    "conference_new": rule(BOARD_EDITS),
    "conference_held": rule(BOARD_EDITS),
    "conference_table": rule(BOARD_EDITS),
    "conference_spot_answer": rule(BOARD_EDITS),
    # roadmaps
    "roadmap_list": rule(EVERYONE),
    "roadmap_attention": rule(EVERYONE),
    "zone_roadmaps": rule(EVERYONE),
    "roadmap_reviews": rule(BOARD_SIDE),
    "roadmap_new": rule(BOARD_EDITS),
    "roadmap_detail": rule("own own own ok ok ok"),
    "roadmap_edit": rule("login own own ok 403 ok"),
    "roadmap_review": rule("login own see 403 403 403", "roadmap"),  # the enterprise reviews its own
    "roadmap_from_project": rule("login own 404 ok 403 ok"),
    "milestone_new": rule("login own own ok 403 ok"),
    "milestone_plan": rule("login own own ok 403 ok"),
    "milestone_progress": rule("login own own ok 403 ok"),
    "package_new": rule("login see own ok 403 ok", "roadmap"),  # a commune (agency) on its own clearance
    "package_record": rule("login own own ok 403 ok"),
    "package_hand_over": rule("login own own ok 403 ok"),
    # ecosystem
    "ecosystem_scorecard": rule(EVERYONE),
    "ecosystem_actors": rule(EVERYONE),
    "ecosystem_actor_new": rule(BOARD_EDITS),
    "ecosystem_actor_end": rule(BOARD_EDITS),
    "ecosystem_measurement_new": rule(BOARD_EDITS),
    "ecosystem_target_new": rule(BOARD_EDITS),
    # open data
    "opendata_catalogue": rule(EVERYONE),
    "opendata_catalogue_jsonld": rule(EVERYONE),
    "opendata_download": rule(EVERYONE),
    # spreadsheets: enterprises their reports, the board the registry
    "sheet_import_list": rule("login ok 403 ok 403 ok"),
    "sheet_import_detail": rule("login own 404 ok 404 ok"),
    "sheet_import_progress": rule("login own 404 ok 404 ok"),
    "sheet_import_mapping": rule("login own 404 ok 404 ok"),
    "sheet_import_apply": rule("login own 404 ok 404 ok"),
    "sheet_template": rule("login ok 403 ok 403 ok"),
    "sheet_export": rule("login ok 403 ok 403 ok"),
    # planning
    "planning_map": rule(EVERYONE),
    "planning_map_json": rule(EVERYONE),
    "planning_parcel": rule(EVERYONE),
    "planning_parcel_card": rule(EVERYONE),
    "planning_parcel_terms": rule(BOARD_EDITS),  # a plot's commercial terms (the board keeps them)
    "plan_revisions": rule(EVERYONE),
    "plan_revision": rule("own own own ok ok ok"),  # one not yet in force: the board side only
    "plan_decisions": rule(EVERYONE),
    "plan_decision": rule(EVERYONE),
    "plan_decision_document": rule(EVERYONE),
    "plan_decision_new": rule(BOARD_EDITS),
    "plan_decision_attach": rule(BOARD_EDITS),
    "plan_import_list": rule(BOARD_EDITS),
    "plan_import_new": rule(BOARD_EDITS),
    "plan_import_detail": rule(BOARD_EDITS),
    "plan_import_progress": rule(BOARD_EDITS),
    "plan_import_mapping": rule(BOARD_EDITS),
    "plan_import_commit": rule(BOARD_EDITS),
    "plan_import_discard": rule(BOARD_EDITS),
    # privacy: the notice, public; a new version, the board
    "privacy_notice": rule(EVERYONE),
    "privacy_notice_version": rule(EVERYONE),
    "privacy_notice_publish": rule(BOARD_EDITS),
    # OGC API - Features: the plan in force, for everyone
    "ogc_landing": rule(EVERYONE),
    "ogc_api": rule(EVERYONE),
    "ogc_conformance": rule(EVERYONE),
    "ogc_collections": rule(EVERYONE),
    "ogc_collection": rule(EVERYONE),
    "ogc_items": rule(EVERYONE),
    "ogc_item": rule(EVERYONE),
    "ogc_download": rule(EVERYONE),
    # personal data: retention (the board), the people a table holds, to tell them of a breach (admins)
    "retention_rules": rule(BOARD_EDITS),
    "retention_rule": rule(BOARD_EDITS),
    "retention_run_now": rule(BOARD_EDITS),
    "privacy_subjects": rule("login 403 403 403 403 ok"),
    # the API's own pages (its operations are in API below)
    "api:api-root": rule("404 404 404 404 404 404"),  # nothing there: the documents are below
    "api:openapi-json": rule(EVERYONE),
    "api:openapi-view": rule(EVERYONE),
}

# API operations, as "METHOD /path" of the OpenAPI document.
API: dict[str, Rule] = {
    "GET /api/v1/ping": rule(EVERYONE),
    "GET /api/v1/session": rule(EVERYONE),
    "GET /api/v1/calendar/due-date": rule(EVERYONE),
    "GET /api/v1/zones": rule(EVERYONE),
    "GET /api/v1/zones/{code}": rule(EVERYONE),
    "GET /api/v1/zones/{code}/figures": rule(EVERYONE),
    "GET /api/v1/figures": rule(EVERYONE),
    # registry
    "GET /api/v1/investors": rule(EVERYONE),
    "POST /api/v1/investors": rule(BOARD_EDITS),
    "GET /api/v1/enterprises": rule(EVERYONE),
    "POST /api/v1/enterprises": rule(BOARD_EDITS),
    "GET /api/v1/projects": rule(EVERYONE),
    "POST /api/v1/projects": rule(BOARD_EDITS),
    "GET /api/v1/projects/{code}": rule(EVERYONE),
    "POST /api/v1/projects/{code}/status": rule(BOARD_EDITS),
    "POST /api/v1/projects/{code}/amendments": rule(BOARD_EDITS),
    # periodic reports: the enterprise files its own, the board side reads them all
    "GET /api/v1/reports": rule("login ok 403 ok ok ok"),
    "POST /api/v1/reports": rule("login ok 403 403 403 403"),
    "GET /api/v1/reports/{report_id}": rule("login own 403 ok ok ok", "report"),
    "POST /api/v1/reports/{report_id}/corrections": rule("login own 403 403 403 403", "report"),
    # petitions
    "POST /api/v1/petitions": rule(EVERYONE),
    "POST /api/v1/petitions/with-files": rule(EVERYONE),
    "GET /api/v1/petitions": rule(SIGNED_IN),
    "GET /api/v1/petitions/published": rule(EVERYONE),
    "GET /api/v1/petitions/figures": rule(EVERYONE),
    "POST /api/v1/petitions/suggest": rule(BOARD_EDITS),
    "GET /api/v1/petitions/{reference}": rule("login own own ok ok ok", "petition"),
    "POST /api/v1/petitions/{reference}/actions": rule("login own own ok 403 ok", "petition"),
    "POST /api/v1/petitions/{reference}/answers": rule("login see own 403 403 403", "petition"),
    "POST /api/v1/petitions/{reference}/rating": rule("login own see 403 403 403", "petition"),
    "POST /api/v1/petitions/{reference}/clock/{operation}": rule("login own own ok 403 ok", "petition"),
    "GET /api/v1/petitions/{reference}/attachments": rule("own own own ok ok ok"),  # the public: published
    "POST /api/v1/petitions/{reference}/attachments": rule("login own own ok 403 ok", "petition"),
    "GET /api/v1/attachments/{attachment_id}": rule("own own own ok ok ok"),
    "GET /api/v1/policy-actions": rule(SIGNED_IN),
    "POST /api/v1/policy-actions": rule(BOARD_EDITS),
    "POST /api/v1/policy-actions/{action_id}": rule(BOARD_EDITS),
    "GET /api/v1/inbox": rule(SIGNED_IN),
    "POST /api/v1/inbox/{notification_id}/read": rule("login own own own own own"),
    # dialogue
    "GET /api/v1/conference-series": rule(EVERYONE),
    "GET /api/v1/conferences": rule(EVERYONE),
    "GET /api/v1/conferences.ics": rule(EVERYONE),
    "POST /api/v1/conferences": rule(BOARD_EDITS),
    "GET /api/v1/conferences/{conference_id}": rule("own own own ok ok ok", "conference"),
    "GET /api/v1/conferences/{conference_id}.ics": rule("own own own ok ok ok", "conference"),
    "PATCH /api/v1/conferences/{conference_id}": rule("login see see ok 403 ok", "conference"),
    "POST /api/v1/conferences/{conference_id}/held": rule("login see see ok 403 ok", "conference"),
    "POST /api/v1/conferences/{conference_id}/cancel": rule("login see see ok 403 ok", "conference"),
    "POST /api/v1/conferences/{conference_id}/tablings": rule("login see see ok 403 ok", "conference"),
    "POST /api/v1/conferences/{conference_id}/tablings/{reference}/spot-answer": rule(
        "login see see ok 403 ok", "conference"
    ),
    # the one-stop desk
    "GET /api/v1/prospects": rule("login 403 ok ok ok ok"),  # an agency: the prospects it helps with
    "POST /api/v1/prospects": rule(BOARD_EDITS),
    "GET /api/v1/prospects/figures": rule(BOARD_SIDE),
    "GET /api/v1/prospects/{prospect_id}": rule("login 404 own ok ok ok", "prospect"),
    "POST /api/v1/prospects/{prospect_id}/actions": rule("login 404 see ok 403 ok", "prospect"),
    "GET /api/v1/procedures": rule(EVERYONE),
    "GET /api/v1/procedures/{procedure_code}": rule(EVERYONE),
    "POST /api/v1/dossiers": rule("login ok 403 ok 403 403"),  # online: an enterprise; on paper: the desk
    "POST /api/v1/dossiers/with-files": rule("login ok 403 ok 403 403"),
    "GET /api/v1/dossiers": rule("login ok 403 ok ok ok"),
    "GET /api/v1/dossiers/lookup": rule(EVERYONE),
    "GET /api/v1/dossiers/figures": rule(EVERYONE),
    "GET /api/v1/dossiers/{dossier_code}": rule("login own 404 ok ok ok", "dossier"),
    "POST /api/v1/dossiers/{dossier_code}/actions": rule("login own 404 ok ok 403", "dossier"),
    "GET /api/v1/directions": rule(EVERYONE),
    "POST /api/v1/directions": rule("login 403 403 ok ok ok"),
    "GET /api/v1/directions/{direction_id}": rule("own own own ok ok ok", "direction"),
    "GET /api/v1/tasks": rule(SIGNED_IN),
    "GET /api/v1/tasks/figures": rule(EVERYONE),  # the public's: over the published directions
    "POST /api/v1/tasks/{task_id}/reports": rule("login own own own own 403", "task_lead"),
    "GET /api/v1/results/{result_code}/verify": rule(EVERYONE),
    # privacy
    "GET /api/v1/privacy/notice": rule(EVERYONE),
    # planning
    "GET /api/v1/planning/decisions": rule(EVERYONE),
    "POST /api/v1/planning/decisions": rule(BOARD_EDITS),
    "GET /api/v1/planning/decisions/{decision_id}": rule(EVERYONE),
    "POST /api/v1/planning/decisions/{decision_id}/document": rule(BOARD_EDITS),
    "GET /api/v1/planning/revisions": rule(EVERYONE),
    "GET /api/v1/planning/revisions/{revision_id}": rule("own own own ok ok ok"),
    "GET /api/v1/planning/revisions/{revision_id}/diff": rule("own own own ok ok ok"),
}

# Django's admin: administrators only.
ADMIN = rule("login 403 403 403 403 ok")
# Records written through their own services (with their checks, history and notifications; the
# investor site's reference data, kept from the board's pages on their versions): the
# admin shows and corrects them but neither adds nor deletes them, and it has no autocomplete.
ADMIN_CLOSED = rule("login 403 403 403 403 403")
_ADMIN_CLOSED = re.compile(
    r"^admin:(autocomplete"
    r"|django_tasks_database_dbtaskresult_add"
    r"|auditlog_logentry_(add|delete)"  # the audit trail is append-only
    r"|(investment_(investor|enterprise|project|periodicreport|incentive|zoneprofile|boardcontact)"
    r"|petitions_petition|dialogue_conference"
    r"|planning_(planningdecision|planrevision)|roadmaps_(roadmap|milestone|clearancepackage)"
    r"|ecosystem_(target|measurement|actor)|privacy_privacynotice)_(add|delete))$"
)


def check_scopes(app_configs=None, **kwargs) -> list:
    """System check: every scope a rule names has a lookup registered (an app's ready())."""
    from django.core.checks import Error

    named = {r.scope for r in (*PAGES.values(), *API.values()) if r.scope is not None}
    return [
        Error(f"access rules name the scope {kind!r} and no app registered its lookup", id="zonedesk.E001")
        for kind in sorted(named - SCOPES.keys())
    ]


def rule_for_page(view_name: str) -> Rule | None:
    if view_name.startswith("admin:"):
        return ADMIN_CLOSED if _ADMIN_CLOSED.match(view_name) else ADMIN
    return PAGES.get(view_name)


_PARAM = re.compile(r"<(?:\w+:)?(\w+)>")


def api_key(method: str, route: str) -> str:
    """ "GET /api/v1/projects/{code}" from a request's method and its URL pattern's route."""
    path = _PARAM.sub(r"{\1}", route)
    return f"{method} /{path}"


_API_PATHS = {key.split(" ", 1)[1] for key in API}


def role_of(user: Any) -> str:
    if user is None or not user.is_authenticated:
        return PUBLIC
    return user.role if user.role in ROLES else ""


class AccessMiddleware(MiddlewareMixin):
    """Answers for the matrix before the view runs (see the module's docstring)."""

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs) -> HttpResponse | None:
        match = request.resolver_match
        if match is None:
            return None
        is_api = match.namespace == "api" and match.route.startswith("api/")
        method = "GET" if request.method in {"HEAD", "OPTIONS"} else request.method
        if is_api and match.view_name not in PAGES:
            key = api_key(method, match.route)
            found = API.get(key)
            path = key.split(" ", 1)[1]
            if found is None and path in _API_PATHS:  # a method the path does not have
                allowed = sorted(k.split(" ", 1)[0] for k in API if k.split(" ", 1)[1] == path)
                return HttpResponseNotAllowed(allowed)
        else:
            found = rule_for_page(match.view_name)
        role = role_of(request.user)
        if found is None:
            outcome = HIDDEN  # fail closed: a route the matrix does not know is not served
        elif not role:
            outcome = FORBIDDEN  # logged in without a role of the matrix
        else:
            outcome = found.outcome(role)
        if outcome in {OWN, SEE} and found.scope is not None:
            if not SCOPES[found.scope](request.user if role != PUBLIC else None, view_kwargs):
                outcome = HIDDEN
            elif outcome == SEE:
                outcome = FORBIDDEN
        if outcome in {OK, OWN, SEE}:
            return None
        return _refuse(request, outcome, is_api)


def login_target(request: HttpRequest) -> str:
    """Where to go back after logging in: the page asked for, or for a form sent, its page."""
    if request.method in {"GET", "HEAD"}:
        return request.get_full_path()
    referer = request.headers.get("referer", "")
    same_site = url_has_allowed_host_and_scheme(referer, allowed_hosts={request.get_host()})
    return urlsplit(referer).path if same_site and referer else "/"


def _refuse(request: HttpRequest, outcome: str, is_api: bool) -> HttpResponse:
    if is_api:  # the API's answers to Http404, PermissionDenied and AuthenticationError (zonedesk.api)
        from django.utils.translation import gettext as _

        from zonedesk.core.errors import api_error

        detail, status = {
            HIDDEN: (_("Not found."), 404),
            FORBIDDEN: (_("You do not have permission to do this."), 403),
            LOGIN: (_("Log in first."), 401),
        }[outcome]
        return api_error(request, detail, status)
    if outcome == LOGIN:
        return redirect_to_login(login_target(request))
    if outcome == HIDDEN:
        raise Http404
    raise PermissionDenied
