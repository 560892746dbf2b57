"""Pages of the petition channel, by audience:

- `public`: the public form, its thank-you page and the public accountability page (answers and figures);
- `portal`: the enterprise portal (its petitions, filing one);
- `queue`: the queue of the board and the agencies, with its presets and saved filters;
- `detail`: one petition's page with the actions its reader may take, and the writes it posts;
- `person`: a person's own inbox of notifications.

Views stay thin: forms parse, `services` decide and write, `selectors` read (what a reader may
see of a petition is `selectors.petition_view_for`, the read model of the API too), and
`workflow.allowed_actions` says which actions a page offers. Their forms run the routine every
app's pages share (`core.formviews`: `form_view`, or `save` where the form sits on a page that
answers itself), their charts are `core.charts.chart`.
"""

from zonedesk.petitions.views.detail import petition_answer_return, petition_attach, petition_detail, petition_do
from zonedesk.petitions.views.person import inbox, inbox_open
from zonedesk.petitions.views.portal import portal_petition_new, portal_petitions
from zonedesk.petitions.views.public import public_answers, public_petition_new, public_petition_thanks
from zonedesk.petitions.views.queue import petition_filter_delete, petition_filter_save, petition_queue

__all__ = [
    "inbox",
    "inbox_open",
    "petition_answer_return",
    "petition_attach",
    "petition_detail",
    "petition_do",
    "petition_filter_delete",
    "petition_filter_save",
    "petition_queue",
    "portal_petition_new",
    "portal_petitions",
    "public_answers",
    "public_petition_new",
    "public_petition_thanks",
]
