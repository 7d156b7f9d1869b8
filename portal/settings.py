"""Settings for the Cited-by Portal, all read from the environment.

The embedded default (no variables set) is SQLite plus a Celery broker kept in files under
var/, so the portal runs on a bare machine. Production sets DATABASE_URL (PostgreSQL) and
REDIS_URL (Celery broker and the shared cache).
"""
from pathlib import Path

import environ
from csp.constants import NONE, SELF
from whitenoise.compress import Compressor

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)


def env_dir(name: str, default: Path) -> Path:
    """A folder named by the environment; relative paths are taken from the project's root."""
    path = Path(env(name, default=str(default)))
    return path if path.is_absolute() else BASE_DIR / path


DEBUG = env.bool("DEBUG", default=False)
# Without SECRET_KEY, commands (migrate, import_works, the tests...) run on a public development
# key; serving refuses it unless DEBUG is on (portal/wsgi.py and the Celery worker check
# INSECURE_SECRET_KEY), so a production start without a key stops with a clear message.
SECRET_KEY = env("SECRET_KEY", default="")
INSECURE_SECRET_KEY = not SECRET_KEY
SECRET_KEY = SECRET_KEY or "insecure-development-key-set-SECRET_KEY-to-serve"
# Keys being rotated out: sessions signed and callback secrets encrypted under them stay readable.
SECRET_KEY_FALLBACKS = env.list("SECRET_KEY_FALLBACKS", default=[])
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    # Django's own form templates, for the portal's form renderer (FORM_RENDERER below).
    "django.forms",
    "allauth",
    "allauth.account",
    "django_htmx",
    "rest_framework",
    "csp",
    "django_celery_results",
    "drf_spectacular",
    "drf_spectacular_sidecar",  # Swagger UI's files served by the portal itself, no CDN
    "members",
    "deposits",
    "citations",
]

MIDDLEWARE = [
    # The widget's data, /works/{doi} and cited-by by key skip what only people's pages need.
    "portal.machine_paths.MachinePathsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "portal.csp_policy.CSPMiddleware",  # django-csp's, its usual policy built once per process
    "allauth.account.middleware.AccountMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "members.context_processors.memberships",
            ],
            "libraries": {"portal_admin": "portal.templatetags.portal_admin"},
        },
    },
]

# Every form is drawn by one renderer: an error summary that takes focus, fields tied to their errors.
FORM_RENDERER = "portal.forms.PortalFormRenderer"

# --- Database -------------------------------------------------------------------------------
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'portal.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The web server and the worker write at the same time: WAL lets readers go on while one
    # writes, IMMEDIATE takes the write lock at BEGIN so no transaction fails half-way.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 30,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    # A file, not memory, so a real worker process can share the test database.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test-portal.sqlite3")}
# PostgreSQL plans the machine reads' few fixed-shape lookups once per connection (portal.prepared:
# those statements only, never the rest). Off (0) behind a pooler in transaction mode that does not
# follow prepared statements (PgBouncer before 1.21).
DATABASE_PREPARED_STATEMENTS = env.bool("DATABASE_PREPARED_STATEMENTS", default=True)
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and DATABASE_PREPARED_STATEMENTS:
    # psycopg prepares what a cursor asks it to (portal.prepared) only on a connection with a
    # threshold; Django's own cursors bind on the client and are never prepared, whatever it is.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("prepare_threshold", 1_000_000)
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # No JIT compilation for the portal's sessions (unless the URL's `options` say otherwise): the
    # planner's cost of matching's batched searches passes PostgreSQL's JIT thresholds, and compiling
    # took 92 ms of a 163 ms search for 36 references at 1,000,000 works, each time. Off, a
    # matching worker's PostgreSQL CPU fell 7.0-7.6 -> 6.0-6.4 ms a work, and the 40 members'
    # figures recount 20.0 -> 17.4 s (bench.scale.profile_matching).
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("options", "-c jit=off")
DATABASES["default"]["ATOMIC_REQUESTS"] = False
# Persistent connections: opening one (PostgreSQL's authentication, SQLite's PRAGMAs) on every
# request costs more than most API answers. Checked before reuse, so a restarted database costs
# one failed check, not an error page. CONN_MAX_AGE=0 closes each at the end of its request.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = env.bool("CONN_HEALTH_CHECKS", default=True)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Accounts (django-allauth, email + password) ----------------------------------------------
AUTH_USER_MODEL = "members.User"
AUTHENTICATION_BACKENDS = [
    "members.login_throttle.ThrottledLoginBackend",  # refuses first when an address must wait
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = env("ACCOUNT_EMAIL_VERIFICATION", default="none")
ACCOUNT_ADAPTER = "members.adapters.InvitationOnlyAccountAdapter"
ACCOUNT_LOGOUT_ON_GET = False
# Failed sign-ins are limited by members.login_throttle for every form; allauth's own limit,
# counted per account, would let anyone lock any user out.
ACCOUNT_RATE_LIMITS = {"login_failed": None, "login": None}
LOGIN_REDIRECT_URL = "home"
LOGIN_URL = "account_login"
EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="cited-by@portal.example")

# --- Cache: shared by every process (login limits count across web processes) ----------------
REDIS_URL = env("REDIS_URL", default="")
if REDIS_URL:
    # portal.cache: Django's Redis cache sharing one client per server in each process (see there).
    CACHES = {"default": {"BACKEND": "portal.cache.RedisCache", "LOCATION": env("CACHE_URL", default=REDIS_URL)}}
else:
    # The embedded default: a table in the database (`manage.py createcachetable`, run by make).
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "portal_cache"}}
# The public API's rate limit counts on every request, so its cache must be cheap: Redis in
# production (every web process counts together), this process's memory on the embedded default
# (one web process), never the database table (a write transaction per request).
CACHES["ratelimit"] = (
    {**CACHES["default"], "KEY_PREFIX": "ratelimit"} if REDIS_URL
    else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "ratelimit"}
)

# --- Static and uploaded files -----------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "portal" / "static"]
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
WHITENOISE_USE_FINDERS = DEBUG
# Source maps are fetched only by a developer's tools, and are half the static bytes: compressing
# them at Brotli's highest level took most of collectstatic's minute and a half.
WHITENOISE_SKIP_COMPRESS_EXTENSIONS = (*Compressor.SKIP_COMPRESS_EXTENSIONS, "map")
MEDIA_ROOT = env_dir("MEDIA_ROOT", VAR_DIR / "media")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# --- Deposits ------------------------------------------------------------------------------------
# Crossref's own limit for one deposit file.
DEPOSIT_MAX_BYTES = env.int("DEPOSIT_MAX_BYTES", default=10 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440  # form fields other than files
DATA_UPLOAD_MAX_NUMBER_FILES = 5
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
# Bodies over the deposit limit are cut before they are read whole; anonymous requests never
# get a file written (deposits.uploads). The production web server sets its own body limit too.
FILE_UPLOAD_HANDLERS = [
    "deposits.uploads.BoundedUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
CSRF_FAILURE_VIEW = "portal.views.csrf_failure"
# Files of deposits that registered nothing are removed after this many days.
FAILED_DEPOSIT_FILE_RETENTION_DAYS = env.int("FAILED_DEPOSIT_FILE_RETENTION_DAYS", default=30)

# --- JSON API (deposits/api): OpenAPI 3 generated from the code, docs at /api/docs/ ---------------
REST_FRAMEWORK = {"DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema"}
# The public works API's limit per client address (citations.api.throttling); 0 turns it off.
# Generous by default: Crossref's own clients page fast through deep cursors.
PUBLIC_API_REQUESTS_PER_MINUTE = env.int("PUBLIC_API_REQUESTS_PER_MINUTE", default=3000)
SPECTACULAR_SETTINGS = {
    "TITLE": "Cited-by Portal API",
    "DESCRIPTION": "Deposits and cited-by lists for a member's platform, and the public works API in "
    "Crossref's format. Authenticate the member endpoints with `Authorization: Bearer <API key>` (made by a "
    "member admin on the member's API keys page; scope `deposit` or `retrieve`) or a signed-in session. "
    "Errors of the member endpoints are one JSON shape: `{\"status\": 403, \"reason\": \"not_owner\", "
    "\"message\": \"...\"}` (plus `fields` for invalid input); the public works API answers as Crossref does, "
    "and with 429 and Retry-After past its rate limit.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "PREPROCESSING_HOOKS": ["deposits.api.schema.only_versioned_api"],
    "ENUM_NAME_OVERRIDES": {
        "DepositStatusEnum": "deposits.models.Deposit.Status",
        "RecordStatusEnum": "deposits.models.RecordResult.Status",
    },
}

# --- Celery ------------------------------------------------------------------------------------
# Redis when REDIS_URL (or CELERY_BROKER_URL) is set; otherwise a broker kept in files, which
# needs no server: good for trying the portal on one machine, not for production.
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default=REDIS_URL or "filesystem://localhost/")
if CELERY_BROKER_URL.startswith("filesystem://"):
    CELERY_BROKER_FOLDER = env_dir("CELERY_BROKER_FOLDER", VAR_DIR / "broker")
    # kombu's filesystem transport, writing each message whole before a worker can see it.
    CELERY_BROKER_TRANSPORT = "portal.file_broker:Transport"
    for _sub in ("queue", "control"):
        (CELERY_BROKER_FOLDER / _sub).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(CELERY_BROKER_FOLDER / "queue"),
        "data_folder_out": str(CELERY_BROKER_FOLDER / "queue"),
        "control_folder": str(CELERY_BROKER_FOLDER / "control"),
        "store_processed": False,
    }
CELERY_TASK_IGNORE_RESULT = True
# Results are not kept; failures are, in django-celery-results' table, where the agency's staff see
# them in the admin (portal.celery keeps them on task_failure). Not as a result backend: that writes
# on every retry too, and a retry is what follows a database restart, when writing cannot work.
TASK_FAILURE_RETENTION_DAYS = env.int("TASK_FAILURE_RETENTION_DAYS", default=30)
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_ALWAYS_EAGER = False
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True

# --- Matching ------------------------------------------------------------------------------------
# How many works one matching task handles: tasks stay short and restartable.
MATCHING_CHUNK_SIZE = env.int("MATCHING_CHUNK_SIZE", default=200)
# The agency's own member: owner of works imported (import_works) under no member's prefix.
AGENCY_MEMBER_NAME = env("AGENCY_MEMBER_NAME", default="Registration agency")

# --- Members' stored dashboard figures (citations.figures) ---------------------------------------
# A change to a member's works or links queues one recount this many seconds later; further
# changes meanwhile (a burst of matching chunks) ride on it.
MEMBER_FIGURES_DEBOUNCE_SECONDS = env.int("MEMBER_FIGURES_DEBOUNCE_SECONDS", default=10)
# Members whose last recounts took t seconds together wait at least this many times t for the
# next one (a long burst of matching then spends at most 1/(1 + this) of one worker recounting).
MEMBER_FIGURES_COST_FACTOR = env.float("MEMBER_FIGURES_COST_FACTOR", default=10.0)
# How long past its countdown a queued recount still counts as waiting (then the next change queues another).
MEMBER_FIGURES_PENDING_SECONDS = env.int("MEMBER_FIGURES_PENDING_SECONDS", default=300)
# The safety net: every this many seconds, recount the figures of this many members counted longest ago.
MEMBER_FIGURES_SWEEP_SECONDS = env.int("MEMBER_FIGURES_SWEEP_SECONDS", default=600)
MEMBER_FIGURES_SWEEP_LIMIT = env.int("MEMBER_FIGURES_SWEEP_LIMIT", default=20)

# --- Convergence: the database is the truth, tasks are hints -------------------------------------
# A task applying a deposit holds a lease it renews with every chunk; when a lease runs out its
# worker is presumed dead and the reconciler queues the deposit again (the next task resumes).
DEPOSIT_LEASE_SECONDS = env.int("DEPOSIT_LEASE_SECONDS", default=120)
# How long a deposit may sit "queued" before the reconciler sends its task again (a message
# lost by the broker, or never sent because the broker was down at upload time).
DEPOSIT_QUEUE_PATIENCE_SECONDS = env.int("DEPOSIT_QUEUE_PATIENCE_SECONDS", default=300)
# Works still marked for matching this long after their change had their task lost.
MATCHING_PENDING_GRACE_SECONDS = env.int("MATCHING_PENDING_GRACE_SECONDS", default=120)
MATCHING_RECONCILE_CHUNKS = env.int("MATCHING_RECONCILE_CHUNKS", default=10)
# Unmatched references are tried again, the longest-untried first, this many every so often.
MATCHING_RETRY_CHUNK = env.int("MATCHING_RETRY_CHUNK", default=2000)
MATCHING_RETRY_EVERY_SECONDS = env.float("MATCHING_RETRY_EVERY_SECONDS", default=600.0)
RECONCILE_EVERY_SECONDS = env.float("RECONCILE_EVERY_SECONDS", default=30.0)
# Beat's heartbeat task, run by whichever worker takes it, tells /health that tasks get executed.
WORKER_HEARTBEAT_SECONDS = env.int("WORKER_HEARTBEAT_SECONDS", default=30)
CELERY_BEAT_SCHEDULE = {
    "requeue-stale-deposits": {"task": "deposits.tasks.requeue_stale_deposits", "schedule": RECONCILE_EVERY_SECONDS},
    "match-pending-works": {"task": "citations.tasks.match_pending_works", "schedule": RECONCILE_EVERY_SECONDS},
    "retry-unmatched-references": {"task": "citations.tasks.retry_unmatched_references", "schedule": MATCHING_RETRY_EVERY_SECONDS},
    "purge-failed-deposit-files": {"task": "deposits.tasks.purge_failed_deposit_files", "schedule": 24 * 60 * 60},
    "heartbeat": {"task": "portal.heartbeat", "schedule": WORKER_HEARTBEAT_SECONDS},
    "purge-task-failures": {"task": "portal.purge_task_failures", "schedule": 24 * 60 * 60},
    "send-callbacks": {"task": "citations.tasks.send_callbacks", "schedule": env.float("CALLBACK_SCAN_SECONDS", default=30.0)},
    "send-citation-digests": {"task": "citations.tasks.send_citation_digests", "schedule": 60 * 60},
    "refresh-member-figures": {"task": "citations.tasks.refresh_stalest_member_figures", "schedule": MEMBER_FIGURES_SWEEP_SECONDS},
    # A bulk import_works that died leaves the registry's indexes set aside: built again here.
    "rebuild-set-aside-indexes": {"task": "citations.tasks.rebuild_set_aside_indexes", "schedule": 10 * 60},
}
# Callback URLs that resolve to private, loopback or link-local addresses (and plain http) are
# refused; tests (a receiver on 127.0.0.1) turn this on. Never in production.
CALLBACK_ALLOW_PRIVATE = env.bool("CALLBACK_ALLOW_PRIVATE", default=False)
CELERY_BEAT_SCHEDULE_FILENAME = str(env_dir("CELERY_BEAT_SCHEDULE_FILENAME", VAR_DIR / "celerybeat-schedule"))

# --- Internationalisation and the rest ---------------------------------------------------------
LANGUAGE_CODE = "en"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}

# --- HTTPS and browser security ------------------------------------------------------------------
# Production serves over HTTPS only: HTTPS=1 makes cookies secure, redirects plain HTTP and sends
# HSTS. Behind a proxy that terminates TLS, BEHIND_PROXY=1 trusts its X-Forwarded-Proto header
# (only set it when the proxy always sets that header). `make run` on a laptop serves plain HTTP.
HTTPS = env.bool("HTTPS", default=False)
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = HTTPS or env.bool("SECURE_COOKIES", default=False)
SECURE_SSL_REDIRECT = HTTPS
SECURE_HSTS_SECONDS = env.int("HSTS_SECONDS", default=31_536_000) if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env.bool("HSTS_PRELOAD", default=False)
# Joining browsers' preload list binds the whole domain for months: the agency decides that
# (HSTS_PRELOAD=1), so the deploy check does not nag about it.
SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]
if env.bool("BEHIND_PROXY", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    USE_X_FORWARDED_HOST = True
# The load balancer's health check must not be redirected to HTTPS.
SECURE_REDIRECT_EXEMPT = [r"^health$"]
X_FRAME_OPTIONS = "DENY"

# A strict Content-Security-Policy on the portal's own pages (django-csp): scripts, styles and
# images from the portal itself only, no inline script, no framing.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    },
}
