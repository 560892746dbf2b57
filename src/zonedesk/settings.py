"""Settings for ZoneDesk, read from environment variables only.

Embedded default: SQLite in the data folder, local-memory cache, e-mail to the console.
`ZONEDESK_ENV=production` turns on the deployment checks: the process refuses to start with
DEBUG on or without a real SECRET_KEY.
"""

from __future__ import annotations

import secrets
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

PACKAGE_DIR = Path(__file__).resolve().parent
REPO_DIR = PACKAGE_DIR.parent.parent

env = environ.Env()

ENVIRONMENT = env.str("ZONEDESK_ENV", default="development")
if ENVIRONMENT not in {"development", "production"}:
    raise ImproperlyConfigured("ZONEDESK_ENV must be 'development' or 'production'")
PRODUCTION = ENVIRONMENT == "production"

DATA_DIR = Path(env.str("ZONEDESK_DATA_DIR", default=str(REPO_DIR / "data"))).resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)

DEBUG = env.bool("DEBUG", default=False)
# Demo mode: the demo accounts exist and may log in. Never in production unless asked for.
DEMO_MODE = env.bool("ZONEDESK_DEMO", default=not PRODUCTION)
# The published password of the demo accounts: the demo (`zonedesk_demo`) sets it, the login page
# shows it in demo mode. Not a secret: demo accounts log in only in demo mode.
DEMO_PASSWORD = "zonedesk-demo"  # noqa: S105

INSECURE_KEY_PREFIX = "django-insecure"


def _secret_key() -> str:
    key = env.str("SECRET_KEY", default="")
    if PRODUCTION:
        if not key or key.startswith(INSECURE_KEY_PREFIX) or len(key) < 40 or len(set(key)) < 5:
            raise ImproperlyConfigured("Production needs SECRET_KEY: at least 40 random characters, not a default.")
        return key
    if key:
        return key
    # Development: a random key kept in the data folder, so sessions survive restarts.
    path = DATA_DIR / "secret_key"
    if not path.exists():
        path.write_text(INSECURE_KEY_PREFIX + "-" + secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_key()

if PRODUCTION and DEBUG:
    raise ImproperlyConfigured("Production refuses to start with DEBUG on.")

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "ninja",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "auditlog",
    "django_tasks",
    "django_tasks_db",
    "zonedesk.core",
    "zonedesk.investment",
    "zonedesk.petitions",
    "zonedesk.procedures",
    "zonedesk.dialogue",
    "zonedesk.planning",
    "zonedesk.roadmaps",
    "zonedesk.ecosystem",
    "zonedesk.promotion",
    "zonedesk.opendata",
    "zonedesk.sheets",
    "zonedesk.reporting",
    "zonedesk.directions",
    "zonedesk.privacy",
    "zonedesk_demo",  # the demo and the scale generator: `zonedesk up`, `demo`, `generate` (no models)
]

MIDDLEWARE = [
    "zonedesk.core.health.HealthMiddleware",  # /healthz, /readyz: first, before host checks and redirects
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "zonedesk.core.middleware.StorableTextMiddleware",  # NUL and lone surrogates refused before anything reads them
    "django.contrib.sessions.middleware.SessionMiddleware",
    "zonedesk.core.middleware.VietnameseFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "zonedesk.core.twofactor.OTPMiddleware",  # django-otp's: request.user.is_verified(), the code was given
    "django.contrib.messages.middleware.MessageMiddleware",
    "zonedesk.core.audit.AuditMiddleware",  # who and from where, for the audit trail
    "zonedesk.core.sessions.SessionLifetimeMiddleware",  # a session idle or too old ends here
    "zonedesk.core.twofactor.SecondFactorMiddleware",  # password only: the code page and nothing else
    "zonedesk.core.access.AccessMiddleware",  # the access matrix, before any view runs
    "zonedesk.core.idempotency.IdempotencyMiddleware",  # a write sent twice with its key is done once
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "zonedesk.core.middleware.CSPMiddleware",  # django-csp's Content-Security-Policy: scripts and styles from our own files only
]

ROOT_URLCONF = "zonedesk.urls"
WSGI_APPLICATION = "zonedesk.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "zonedesk.core.context_processors.zonedesk",
            ],
            "builtins": ["zonedesk.core.templatetags.zonedesk_forms"],  # {% submission_token %}
        },
    },
]

DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{DATA_DIR / 'zonedesk.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "timeout": 20,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
else:
    if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
        # the same backend, with a health check only after the connection was idle (see its module)
        DATABASES["default"]["ENGINE"] = "zonedesk.core.dbbackends.postgresql"
    DATABASES["default"].setdefault("CONN_HEALTH_CHECKS", env.bool("DB_HEALTH_CHECKS", default=True))
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("connect_timeout", 10)
    # DB_POOL: "true" or a number turns on psycopg's pool in each process, of at most that many
    # connections (true: 4, the threads of a `zonedesk serve` worker); without it each thread
    # keeps its own connection for DB_CONN_MAX_AGE seconds. See docs/DEPLOY.md for the sizing.
    _pool = env.str("DB_POOL", default="false").strip().lower()
    if _pool in {"", "0", "false", "off", "no"}:
        DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("DB_CONN_MAX_AGE", default=60))
    else:
        _pool_max = 4 if _pool in {"true", "on", "yes"} else int(_pool) if _pool.isdigit() else 0
        if _pool_max < 1:
            raise ImproperlyConfigured("DB_POOL is true, false or the most connections a process may open.")
        DATABASES["default"]["CONN_MAX_AGE"] = 0  # the pool keeps the connections
        DATABASES["default"]["OPTIONS"]["pool"] = {
            "min_size": 1,
            "max_size": _pool_max,
            "timeout": env.float("DB_POOL_TIMEOUT", default=10.0),  # waiting longer for a connection fails
            "max_idle": 300,
        }

# Background work: the database task backend by default (a task is a row written in the same
# transaction as the change that asked for it; `zonedesk worker` runs them).
TASKS = {"default": {"BACKEND": env.str("TASKS_BACKEND", default="django_tasks_db.DatabaseBackend")}}
# A worker on another machine that has not beaten for this long is gone: its running task is
# queued again (core.workers; on the worker's own machine, its process is looked at instead).
WORKER_STALE_SECONDS = env.int("WORKER_STALE_SECONDS", default=120)
# An uploaded file no record names, older than this, is deleted by the worker (core.uploads):
# what a request killed between writing the file and committing its row leaves.
UNRECORDED_UPLOAD_SECONDS = env.int("ZONEDESK_UNRECORDED_UPLOAD_SECONDS", default=3600)

CACHES = {"default": env.cache_url("CACHE_URL", default="locmemcache://zonedesk")}
# A cache every process shares (Redis, Memcached, ...), as opposed to each process's own memory.
SHARED_CACHE = CACHES["default"]["BACKEND"] not in {
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
}
if CACHES["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache":
    # A Redis that does not answer fails the request (and /readyz) in seconds, never hangs it.
    CACHES["default"].setdefault("OPTIONS", {}).setdefault("socket_connect_timeout", 2)
    CACHES["default"]["OPTIONS"].setdefault("socket_timeout", 2)
# Rendered answers (API figures as JSON, pages of API lists, OGC API pages) live in a cache of their
# own, so that many large answers (a map pans through many bboxes) never push out the small cached
# figures and counts of "default": the same server with another key prefix, or, in each process's
# own memory, a bounded one (about 500 answers of up to ~70 kB).
CACHES["answers"] = {
    **CACHES["default"],
    "KEY_PREFIX": "answers",
    "OPTIONS": dict(CACHES["default"].get("OPTIONS", {})),
}
if not SHARED_CACHE:
    CACHES["default"].setdefault("OPTIONS", {}).setdefault("MAX_ENTRIES", 5000)
    CACHES["answers"]["LOCATION"] = "zonedesk-answers"
    CACHES["answers"]["OPTIONS"].setdefault("MAX_ENTRIES", 500)
# Sessions: in the database by default. With a shared cache, "cached_db": read from the cache
# (no database query per request), written through to the database, so that a restart or an
# eviction of the cache logs nobody out. Never cached in a per-process memory, where a logout
# in one process would leave the session alive in the others.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db" if SHARED_CACHE else "zonedesk.core.sessions"
# How long a logged-in session lives (core.sessions.SessionLifetimeMiddleware): officers (the
# roles that must use two-step login: board, agency, leader, admin) are logged out after an idle
# period and after an absolute lifetime; enterprises may stay longer (idle 0 = no idle limit).
# The session row expires with it, so an ended session is gone on the server, not only in the
# browser. The last-activity mark is written at most once a minute, not at every request.
OFFICER_SESSION_IDLE_SECONDS = env.int("ZONEDESK_OFFICER_IDLE_MINUTES", default=30) * 60
OFFICER_SESSION_MAX_SECONDS = env.int("ZONEDESK_OFFICER_SESSION_HOURS", default=12) * 3600
ENTERPRISE_SESSION_IDLE_SECONDS = env.int("ZONEDESK_ENTERPRISE_IDLE_HOURS", default=24) * 3600
ENTERPRISE_SESSION_MAX_SECONDS = env.int("ZONEDESK_ENTERPRISE_SESSION_DAYS", default=14) * 86400
if min(OFFICER_SESSION_IDLE_SECONDS, OFFICER_SESSION_MAX_SECONDS, ENTERPRISE_SESSION_MAX_SECONDS) <= 0:
    raise ImproperlyConfigured(
        "ZONEDESK_OFFICER_IDLE_MINUTES, ZONEDESK_OFFICER_SESSION_HOURS and ZONEDESK_ENTERPRISE_SESSION_DAYS must be positive."
    )
if ENTERPRISE_SESSION_IDLE_SECONDS < 0:
    raise ImproperlyConfigured("ZONEDESK_ENTERPRISE_IDLE_HOURS is 0 (no idle limit) or more.")
SESSION_ACTIVITY_RESOLUTION_SECONDS = 60  # the last-activity mark is refreshed at most this often
SESSION_COOKIE_AGE = max(OFFICER_SESSION_MAX_SECONDS, ENTERPRISE_SESSION_MAX_SECONDS)  # the rule above shortens it
# The headline figures are cached until a write changes them (investment.selectors.zone_figures);
# the timeout only bounds changes made around the services.
FIGURES_CACHE_SECONDS = env.int("FIGURES_CACHE_SECONDS", default=900)

# The planning map has no base map by default (closed networks); an XYZ tile URL adds one.
MAP_TILE_URL = env.str("ZONEDESK_MAP_TILE_URL", default="")
MAP_TILE_ATTRIBUTION = env.str("ZONEDESK_MAP_TILE_ATTRIBUTION", default="")

EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="zonedesk@localhost")
# The site's address as people reach it (https://zonedesk.example.vn), put before the links that
# e-mails carry; empty: e-mails carry the path alone.
SITE_URL = env.str("ZONEDESK_SITE_URL", default="")
# The board's signing key for the one-stop desk's results (procedures.documents): PEM files, the
# private key (with its passphrase if it has one), its certificate and the CA certificates of its
# chain (also the roots a result is verified against). Empty: a DEMO CA made once in DATA_DIR/signing,
# and every result says it was signed with a demo certificate.
SIGNING_KEY = env.str("ZONEDESK_SIGNING_KEY", default="")
SIGNING_CERT = env.str("ZONEDESK_SIGNING_CERT", default="")
SIGNING_CHAIN = env.str("ZONEDESK_SIGNING_CHAIN", default="")
SIGNING_PASSPHRASE = env.str("ZONEDESK_SIGNING_PASSPHRASE", default="")
# A petitioner's private link to their personal data (privacy.rights_services): how long it works,
# and how many links may be asked per address and per e-mail or phone within the window.
PRIVACY_LINK_DAYS = env.int("ZONEDESK_PRIVACY_LINK_DAYS", default=30)
PRIVACY_LINK_REQUEST_LIMIT = env.int("ZONEDESK_PRIVACY_LINK_REQUEST_LIMIT", default=5)
PRIVACY_LINK_REQUEST_WINDOW_SECONDS = env.int("ZONEDESK_PRIVACY_LINK_REQUEST_WINDOW_SECONDS", default=3600)

AUTH_USER_MODEL = "core.User"
AUTHENTICATION_BACKENDS = ["zonedesk.core.auth.ZoneDeskBackend"]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
OTP_TOTP_ISSUER = "ZoneDesk"
# Recovery codes of two-step login (core.twofactor): how many a set holds, and the PBKDF2 rounds
# of their hash (one derivation per attempt: a set shares its salt).
TWO_FACTOR_RECOVERY_CODES = 10
TWO_FACTOR_RECOVERY_ITERATIONS = 20_000  # 60-bit codes: 2^74 hashes to find one by brute force

# The audit trail (core/audit.py, django-auditlog): every model, field by field, but not the
# bookkeeping (sessions, task results, cache generations) nor derived or secret fields.
AUDITLOG_INCLUDE_ALL_MODELS = True
AUDITLOG_EXCLUDE_TRACKING_MODELS = (
    "sessions",
    "contenttypes",
    "auth.permission",
    "django_tasks_database",
    "core.counter",
    "core.workerbeat",
    "core.ratecount",
    "core.idempotentrequest",
    "core.auditrange",  # part of the trail itself (core/audit.py: log_bulk_created)
)
AUDITLOG_EXCLUDE_TRACKING_FIELDS = (
    "updated_at",
    "last_login",
    "search_text",
    "public_search_text",
    "name_folded",
    "geometry",  # a feature's shape: its revision and code are recorded, not thousands of coordinates
    "last_t",
    "drift",
    "throttling_failure_timestamp",
    "throttling_failure_count",
    "last_used_at",
    "rights_link_key",  # the key of a petitioner's private link (privacy.rights_services): never in the trail
    "code_hash",  # a recovery code's hash (core.RecoveryCode): never in the trail, not even masked
)
AUDITLOG_MASK_TRACKING_FIELDS = ("password", "key")  # hashes and authenticator secrets: "changed" only
AUDITLOG_MASK_CALLABLE = "zonedesk.core.audit.mask"  # nothing of the value (auditlog's own keeps half)
AUDITLOG_STORE_JSON_CHANGES = True
AUDITLOG_CID_HEADER = None  # a correlation id sent by the client is not believed

# Content Security Policy (django-csp): nothing inline, nothing from elsewhere. The templates have
# no inline script, event handler or style attribute; data for scripts travels in
# <script type="application/json"> blocks, which are never run. A response that sets its own
# policy keeps it (attachments: default-src 'none'; sandbox).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}  # the name authenticator apps show beside the code
LOGOUT_REDIRECT_URL = "home"
# Login lock-out (core.throttle): failures per account and address, and per address, in a window.
LOGIN_FAILURE_LIMIT = env.int("ZONEDESK_LOGIN_FAILURE_LIMIT", default=5)
LOGIN_ADDRESS_FAILURE_LIMIT = env.int("ZONEDESK_LOGIN_ADDRESS_FAILURE_LIMIT", default=30)
LOGIN_LOCKOUT_SECONDS = env.int("ZONEDESK_LOGIN_LOCKOUT_SECONDS", default=15 * 60)
# Calls of the API by the public (not logged in), per address and window (core/throttle.py).
PUBLIC_API_LIMIT = env.int("ZONEDESK_PUBLIC_API_LIMIT", default=600)
PUBLIC_API_WINDOW_SECONDS = env.int("ZONEDESK_PUBLIC_API_WINDOW_SECONDS", default=60)
# How long the answer to a write sent with an idempotency key is kept (core.idempotency).
IDEMPOTENCY_SECONDS = env.int("ZONEDESK_IDEMPOTENCY_SECONDS", default=24 * 3600)

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Vietnamese")), ("en", _("English"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
USE_THOUSAND_SEPARATOR = True
FORMAT_MODULE_PATH = ["zonedesk.formats"]

STATIC_URL = "static/"
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(DATA_DIR / "static")))
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
WHITENOISE_USE_FINDERS = not PRODUCTION
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(DATA_DIR / "media")))
# A request carries at most 10 attachments of a petition (plus a margin): more is refused by
# Django before any file is kept. Each file's size is checked against the board's rule.
DATA_UPLOAD_MAX_NUMBER_FILES = 20
# The intake suggestions refit in a background thread of the process (petitions/suggestions.py).
SUGGEST_REFIT_IN_BACKGROUND = env.bool("ZONEDESK_SUGGEST_REFIT_IN_BACKGROUND", default=True)
# open datasets are measured (rows, file sizes) by a thread, never while a page waits (opendata.datasets.stats)
OPENDATA_MEASURE_IN_BACKGROUND = env.bool("ZONEDESK_OPENDATA_MEASURE_IN_BACKGROUND", default=True)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if PRODUCTION:
    SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=True)
    CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=True)
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)  # `check --deploy` clean
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="WARNING")},
}

NINJA_PAGINATION_PER_PAGE = 50
NINJA_PAGINATION_MAX_LIMIT = 500
