"""The shared machinery of cases: a record with a lifecycle that people act on, with deadlines,
a timeline, files and notices (petitions today; dossiers of investment procedures, prospects and
directions to follow up next). It depends on `zonedesk.core` only and holds no table: each case
type keeps its own tables and declares, in its own app,

- `workflow.Workflow`: its states, the transitions between them, who may take each, which need
  a reason (refusals are `core.errors.TransitionError` or `PermissionDenied`);
- `clock.Clock`: its deadlines on the Vietnamese working-day calendar (`core.calendar`: office
  hours, working days, Tết and the other holidays), paused and resumed, extended, escalated;
- `timeline.TimelineEvent`: the abstract base of its timeline's rows (who, when, what, why) and
  the one way to write one (`record`), which also tells the case type's notification hooks; the
  one read model of a timeline (`read`, by the case type's `TimelinePolicy`), each step as one
  reader may see it, for pages and the API alike;
- `attachments`: files checked by their content (`core.files.check_upload`), stored under a
  random name, removed again when what recorded them fails;
- `notifications`: hooks a case type registers for the steps of its cases, one inbox hook for
  notices that are not about a case, and `muted()` for loading history.

Version locks are core's (`core.versions.locked`: the row read again `FOR UPDATE`, its version
compared). The
worked example of a new case type is in docs/ARCHITECTURE.md ("Where a new case type goes").
"""
