from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "zonedesk.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in, user_logged_out
        from django.core import checks

        from zonedesk.core import access, audit, workers
        from zonedesk.core.sessions import logged_in, logged_out

        # the session's clock starts at each login (core.sessions.SessionLifetimeMiddleware)
        user_logged_in.connect(logged_in, dispatch_uid="zonedesk.core.sessions.logged_in")
        user_logged_out.connect(logged_out, dispatch_uid="zonedesk.core.sessions.logged_out")
        audit._connect()  # the request's person and address on the audit entries it writes
        checks.register(access.check_scopes)  # every scope of the access matrix has its app's lookup
        for task in (  # core's own periodic work; the apps register theirs in their ready()
            "zonedesk.core.uploads.uploads_tick",
            "zonedesk.core.sessions.sessions_tick",
            "zonedesk.core.throttle.rate_counts_tick",
            "zonedesk.core.idempotency.idempotency_tick",
        ):
            workers.register_periodic(task)
