"""Settings for the 工程担保在线服务平台.

Everything that differs between a developer's machine and production comes from the
environment. The defaults are safe for `make run` (SQLite, local files); production sets
DEBUG=0, a real SECRET_KEY, ALLOWED_HOSTS and DATABASE_URL, and the platform refuses to
start when it sees the development key without DEBUG (see core.apps).
"""

import os
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("VAR_DIR", BASE_DIR / "var"))


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name, default):
    value = os.environ.get(name)
    return int(value) if value not in (None, "") else default


def env_list(name, default):
    value = os.environ.get(name)
    if value is None or value == "":
        return list(default)
    return [item.strip() for item in value.split(",") if item.strip()]


DEVELOPMENT_SECRET_KEY = "dev-insecure-key-change-me-in-production"
SECRET_KEY = os.environ.get("SECRET_KEY", DEVELOPMENT_SECRET_KEY)
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_tasks",
    "django_tasks_db",
    "eguarantee.core",
    "eguarantee.accounts",
    "eguarantee.audit",
    "eguarantee.evidence",
    "eguarantee.notifications",
    "eguarantee.portal",
    # master data (6.2–6.5): below guarantees, above the foundation
    "eguarantee.catalog",
    "eguarantee.guarantors",
    "eguarantee.departments",  # before projects: demo 归口 rules exist when demo projects are entered
    "eguarantee.projects",
    # business
    "eguarantee.guarantees",
    "eguarantee.payments",
    "eguarantee.settlement",
    "eguarantee.credit",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "eguarantee.core.middleware.RequestContextMiddleware",
    "eguarantee.core.middleware.SecurityHeadersMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "eguarantee.accounts.middleware.AccountPolicyMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "eguarantee.audit.middleware.OperationLogMiddleware",
]

ROOT_URLCONF = "eguarantee.urls"
WSGI_APPLICATION = "eguarantee.wsgi.application"

CONTEXT_PROCESSORS = [
    "django.template.context_processors.request",
    "django.contrib.auth.context_processors.auth",
    "django.contrib.messages.context_processors.messages",
    "eguarantee.core.context_processors.platform",
    "eguarantee.core.context_processors.csrf",
]
TEMPLATES = [
    {
        # Our pages: eguarantee/jinja2/ and each app's jinja2/ folder.
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [BASE_DIR / "eguarantee" / "jinja2"],
        "APP_DIRS": True,
        "OPTIONS": {
            "environment": "eguarantee.core.jinja2_env.environment",
            "autoescape": True,
            "trim_blocks": True,
            "lstrip_blocks": True,
            "auto_reload": DEBUG,
            "context_processors": CONTEXT_PROCESSORS,
        },
    },
    {
        # Templates that come with libraries (DRF, drf-spectacular).
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "APP_DIRS": True,
        "OPTIONS": {"context_processors": CONTEXT_PROCESSORS},
    },
]
# Form widgets from Django's own Jinja2 templates: the same HTML, in half the time of its
# template language (every form field on every page).
FORM_RENDERER = "django.forms.renderers.Jinja2"

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("DB_CONN_MAX_AGE", 60),
    )
}
# One test database per test run (xdist's workers add their own suffix): two runs at once on
# one machine must not share, and wreck, one database.
_TEST_RUN = os.environ.get("PYTEST_XDIST_TESTRUNUID", str(os.getpid()))[:12]
DATABASES["default"]["TEST"] = {"NAME": f"test_{DATABASES['default']['NAME']}_{_TEST_RUN}"}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    # WAL lets the web server and the task worker read while the other writes.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    # A file, not SQLite's shared in-memory database, so that tests with several threads
    # (concurrent approvals, the live server of the browser tests) lock rows as in production.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / f"test-db-{_TEST_RUN}.sqlite3")}
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and env_bool("DB_PREPARED_STATEMENTS", True):
    # Planning a join costs PostgreSQL more than running it (1.5 ms against 0.3 ms for the
    # permission query): bind parameters on the server and prepare statements that recur.
    # Set DB_PREPARED_STATEMENTS=0 behind a transaction-pooling PgBouncer.
    DATABASES["default"]["OPTIONS"] = {"server_side_binding": True, "prepare_threshold": 5}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["eguarantee.accounts.backends.RoleBackend"]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:dashboard"
LOGOUT_REDIRECT_URL = "portal:home"

AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "eguarantee.accounts.passwords.ComplexityValidator",
        "OPTIONS": {"min_length": env_int("PASSWORD_MIN_LENGTH", 8), "min_classes": 3},
    },
    {"NAME": "eguarantee.accounts.passwords.NotUsernameValidator"},
    {
        "NAME": "eguarantee.accounts.passwords.HistoryValidator",
        "OPTIONS": {"history": env_int("PASSWORD_HISTORY", 5)},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

# Login security; every limit can be changed per deployment.
ACCOUNT_SECURITY = {
    "PASSWORD_MAX_AGE_DAYS": env_int("PASSWORD_MAX_AGE_DAYS", 90),
    "LOCKOUT_FAILURES": env_int("LOCKOUT_FAILURES", 5),
    "LOCKOUT_MINUTES": env_int("LOCKOUT_MINUTES", 30),
    "IP_FAILURES": env_int("LOGIN_IP_FAILURES", 20),
    "IP_WINDOW_MINUTES": env_int("LOGIN_IP_WINDOW_MINUTES", 15),
    "SMS_CODE_TTL_SECONDS": env_int("SMS_CODE_TTL_SECONDS", 300),
    "SMS_CODE_INTERVAL_SECONDS": env_int("SMS_CODE_INTERVAL_SECONDS", 60),
    "SMS_CODE_DAILY_LIMIT": env_int("SMS_CODE_DAILY_LIMIT", 10),
    "SMS_CODE_MAX_ATTEMPTS": env_int("SMS_CODE_MAX_ATTEMPTS", 5),
}
SESSION_IDLE_TIMEOUT_SECONDS = env_int("SESSION_IDLE_TIMEOUT_SECONDS", 30 * 60)
SESSION_COOKIE_AGE = SESSION_IDLE_TIMEOUT_SECONDS
# The timeout counts from the last activity: AccountPolicyMiddleware renews the session at
# most once a SESSION_TOUCH_SECONDS, so a page view does not cost a database write each time.
SESSION_TOUCH_SECONDS = env_int("SESSION_TOUCH_SECONDS", 60)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"

AUDIT_RETENTION_DAYS = env_int("AUDIT_RETENTION_DAYS", 365)
AUDIT_RETENTION_MIN_DAYS = 180  # 网络安全法: logs are kept at least six months
# The public lookups' operation-log rows are written in batches (audit/batch.py): at most
# this many rows, or this many seconds after the first. 1 writes each row in its request.
OPERATION_LOG_BATCH_ROWS = env_int("OPERATION_LOG_BATCH_ROWS", 200)
OPERATION_LOG_BATCH_SECONDS = env_int("OPERATION_LOG_BATCH_SECONDS", 1)

UPLOAD_MAX_BYTES = env_int("UPLOAD_MAX_BYTES", 10 * 1024 * 1024)
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 20 * 1024 * 1024

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", VAR_DIR / "staticfiles"))
NODE_MODULES = BASE_DIR / "node_modules"
STATICFILES_DIRS = [
    BASE_DIR / "eguarantee" / "static",
    ("vendor/bootstrap", NODE_MODULES / "bootstrap" / "dist"),
    ("vendor/bootstrap-icons", NODE_MODULES / "bootstrap-icons" / "font"),
    ("vendor/htmx", NODE_MODULES / "htmx.org" / "dist"),
    ("vendor/echarts", NODE_MODULES / "echarts" / "dist"),
]
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # whitenoise expects it even before collectstatic
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG  # no scan of every static file at start-up in development and tests

CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": os.environ["REDIS_URL"],
    }
    if os.environ.get("REDIS_URL")
    else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
}

TASKS = {
    "default": {
        "BACKEND": os.environ.get("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}
WORKER_HEARTBEAT_SECONDS = env_int("WORKER_HEARTBEAT_SECONDS", 15)
WORKER_HEARTBEAT_MAX_AGE_SECONDS = env_int("WORKER_HEARTBEAT_MAX_AGE_SECONDS", 120)

SMS_SENDER = os.environ.get("SMS_SENDER", "eguarantee.notifications.sms.LogSender")

PLATFORM_NAME = os.environ.get("PLATFORM_NAME", "工程担保在线服务平台")
# The CJK font embedded in guarantee PDFs (TrueType outlines); empty: the first of the
# fonts make installs (AR PL UMing, WenQuanYi Micro Hei …) that is present.
PDF_FONT_PATH = os.environ.get("PDF_FONT_PATH") or None
# Signing credentials (core/pki.py): one folder per organization under PKI_DIR. The demo CA
# issues missing ones on first use; never in production (checks.py refuses it).
PKI_DIR = Path(os.environ.get("PKI_DIR") or VAR_DIR / "pki")
PKI_DEMO_CA = env_bool("PKI_DEMO_CA", DEBUG)
PKI_TRUST_ROOTS = [p for p in os.environ.get("PKI_TRUST_ROOTS", "").split(",") if p]
# SM4 key (32 hex digits) for sealed (密文) guarantees at rest; empty: derived from SECRET_KEY.
DOCUMENT_SEAL_KEY = os.environ.get("DOCUMENT_SEAL_KEY", "")
# The platform's public address, printed on guarantees (verification link and QR code).
PUBLIC_BASE_URL = os.environ.get("PUBLIC_BASE_URL", "http://127.0.0.1:8000")

# 证据日志 (evidence/, DESIGN.md §6). The hash is fixed when the log's first leaf is written.
EVIDENCE_HASH = os.environ.get("EVIDENCE_HASH", "sm3")
EVIDENCE_ORIGIN = os.environ.get("EVIDENCE_ORIGIN") or f"{urlsplit(PUBLIC_BASE_URL).netloc}/evidence"
# The tree-head signing key: 'private_hex:public_hex' here, or a file (made on first use in DEBUG).
EVIDENCE_SIGNING_KEY = os.environ.get("EVIDENCE_SIGNING_KEY", "")
EVIDENCE_KEY_FILE = Path(os.environ.get("EVIDENCE_KEY_FILE") or VAR_DIR / "evidence" / "log-sm2.key")
# A head counts as confirmed with this many witnesses' co-signatures (k of n).
EVIDENCE_QUORUM = env_int("EVIDENCE_QUORUM", 1)
# Public lookups kept in memory until PostgreSQL says what they show has changed
# (evidence/lookup_cache.py); never on SQLite.
EVIDENCE_LOOKUP_CACHE = env_bool("EVIDENCE_LOOKUP_CACHE", True)
# Leaves get their places at the worker's beat, where heads are signed (a proof needs a head
# anyway); on: also right after each commit, at a few queries per business transaction.
EVIDENCE_SEQUENCE_ON_COMMIT = env_bool("EVIDENCE_SEQUENCE_ON_COMMIT", False)
EVIDENCE_ANCHORS = [
    p for p in os.environ.get("EVIDENCE_ANCHORS", "eguarantee.evidence.anchors.FileAnchor").split(",") if p
]
EVIDENCE_ANCHOR_FILE = Path(os.environ.get("EVIDENCE_ANCHOR_FILE") or VAR_DIR / "evidence" / "anchors.jsonl")
EVIDENCE_ANCHOR_INTERVAL_SECONDS = env_int("EVIDENCE_ANCHOR_INTERVAL_SECONDS", 600)
# 公开查验: lookups by number and code per IP per minute.
VERIFY_RATE_PER_MINUTE = env_int("VERIFY_RATE_PER_MINUTE", 20)

# 保费支付 (payments/gateways): which gateway; the sandbox gateway's address and public key.
# The sandbox moves no money: production names a real adapter, or none (transfer only).
PAYMENT_GATEWAY = os.environ.get("PAYMENT_GATEWAY", "sandbox" if DEBUG else "")
PAYMENT_SANDBOX_URL = os.environ.get("PAYMENT_SANDBOX_URL", "http://127.0.0.1:8001")
PAYMENT_SANDBOX_PUBLIC_KEY = os.environ.get("PAYMENT_SANDBOX_PUBLIC_KEY", "")  # hex; wins over the file
PAYMENT_SANDBOX_PUBLIC_KEY_FILE = os.environ.get(
    "PAYMENT_SANDBOX_PUBLIC_KEY_FILE", str(VAR_DIR / "sandbox-gateway" / "notify-sm2.pub")
)
PAYMENT_NOTIFY_BASE_URL = os.environ.get("PAYMENT_NOTIFY_BASE_URL", "")  # empty: PUBLIC_BASE_URL
# 逾期缴费: days after approval within which the premium is due (credit records, 6.6.9)
PAYMENT_DUE_DAYS = env_int("PAYMENT_DUE_DAYS", 5)
# 保函编号: {guarantor} short code, {year}, {type} letters (TB 投标, LY 履约 …), {seq} per
# guarantor and year.
GUARANTEE_NUMBER_PATTERN = os.environ.get("GUARANTEE_NUMBER_PATTERN", "{guarantor}{year}{type}{seq:06d}")

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["eguarantee.core.api_permissions.ModelActionPermission"],
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_PAGINATION_CLASS": "eguarantee.core.api_permissions.Pagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "eguarantee.core.api.exception_handler",
    "DEFAULT_THROTTLE_RATES": {"anon": "60/min"},
}
SPECTACULAR_SETTINGS = {
    "TITLE": "工程担保在线服务平台 API",
    "DESCRIPTION": "REST API of the electronic construction guarantee platform (Q/GCDB 3—2020).",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "OrganizationStatusEnum": "eguarantee.accounts.choices.OrgStatus",
        "UserStatusEnum": "eguarantee.accounts.choices.UserStatus",
        "TemplateStatusEnum": "eguarantee.catalog.choices.TemplateStatus",
        "ClauseStatusEnum": "eguarantee.guarantors.choices.ClauseStatus",
        "GuaranteeStatusEnum": "eguarantee.guarantees.choices.GuaranteeStatus",
        "FilingStatusEnum": "eguarantee.guarantees.choices.FilingStatus",
        "CreditRecordKindEnum": "eguarantee.credit.choices.RecordKind",
        "QualificationKindEnum": "eguarantee.guarantors.choices.QualificationKind",
        "FeeKindEnum": "eguarantee.settlement.choices.FeeKind",
    },
}

# Production hardening; `manage.py check --deploy` is clean with DEBUG off.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# How many reverse proxies in front of the app append to X-Forwarded-For (deploy/nginx: 1).
# 0 (the default, `make run`) ignores the header: a client cannot choose the address it is logged under.
TRUSTED_PROXIES = env_int("TRUSTED_PROXIES", 0)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", not DEBUG)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}
