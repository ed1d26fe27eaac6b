"""Apoyo settings, read from environment variables (see README, "Producción")."""

import datetime
import os
import secrets
from pathlib import Path

from csp.constants import NONE, SELF

from apoyo.core.databases import AUDIT, databases
from apoyo.core.file_keys import file_keys

BASE_DIR = Path(__file__).resolve().parent.parent


def env_str(name, default=""):
    return os.environ.get(name, default)


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "si", "sí", "on"}


def env_int(name, default):
    value = os.environ.get(name)
    return int(value) if value else default


def env_rate(name, default):
    """A DRF throttle rate such as "120/min"; empty, "0" or "none" switches the throttle off."""
    value = os.environ.get(name, default).strip()
    return None if value.lower() in {"", "0", "none", "off"} else value


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DATA_DIR = Path(env_str("APOYO_DATA_DIR", str(BASE_DIR / "var"))).resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)

# Others may pass through (the proxy serves the public static files below it) but not list it;
# everything with personal data under it is created 0600 in folders 0700.
DATA_DIR.chmod(0o711)

DEBUG = env_bool("APOYO_DEBUG", False)
PRODUCTION = env_bool("APOYO_PRODUCTION")


def instance_secret_key():
    """Outside debug mode and production, a key of this instance alone, made on first use and kept
    in the data folder (0600): the published development key would let anyone forge sessions."""
    path = DATA_DIR / "secret_key"
    if not path.exists():
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w") as key_file:
            key_file.write(secrets.token_urlsafe(50))
    return path.read_text().strip()


if env_str("APOYO_SECRET_KEY"):
    SECRET_KEY = env_str("APOYO_SECRET_KEY")
elif PRODUCTION:
    raise RuntimeError("APOYO_SECRET_KEY es obligatoria en producción.")
elif DEBUG:
    SECRET_KEY = "django-insecure-apoyo-solo-para-desarrollo"  # noqa: S105 - debug mode only
else:
    SECRET_KEY = instance_secret_key()

# Keys of the files at rest (README, "Cifrado de archivos"); a wrong or missing one stops here.
APOYO_FILE_KEYS = file_keys(env_list("APOYO_FILE_KEYS"), PRODUCTION, DATA_DIR)

ALLOWED_HOSTS = env_list("APOYO_ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("APOYO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "django_tasks",
    "django_tasks_db",
    # DRF itself ("rest_framework") is left out on purpose: the API needs none of its templates,
    # and its Spanish catalogue would replace Django's wording in every form of the project
    # ("Este campo es requerido" for "Este campo es obligatorio").
    "drf_spectacular",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "apoyo.accounts",
    "apoyo.geo",
    "apoyo.processes",
    "apoyo.aspirants",
    "apoyo.supports",
    "apoyo.uploads",
    "apoyo.review",
    "apoyo.capture_app",
    "apoyo.roll",
    "apoyo.verification",
    "apoyo.liaison",
    "apoyo.citizens",
    "apoyo.publication",
    "apoyo.sampling",
    "apoyo.demo",
    "apoyo.operations",
    "apoyo.retention",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Right after SecurityMiddleware, so that every response gets the headers, also those that
    # other middleware answers early (redirects, CSRF and sign-in refusals).
    "csp.middleware.CSPMiddleware",
    "apoyo.core.headers.SecurityHeadersMiddleware",
    # The database unreachable for a moment: a Spanish 503 with Retry-After, never a 500.
    "apoyo.core.unavailable.DatabaseUnavailableMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Before CsrfViewMiddleware, which reads the body: an oversized one is refused unread.
    "apoyo.core.request_limits.RequestLimitMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "apoyo.accounts.middleware.IdleTimeoutMiddleware",
    "apoyo.accounts.middleware.SecondFactorMiddleware",
    "apoyo.accounts.middleware.RefusalLogMiddleware",
    # Last, as django-axes asks: it answers a locked-out sign-in.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "apoyo.urls"
WSGI_APPLICATION = "apoyo.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "apoyo" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "apoyo.accounts.context_processors.notifications",
                "apoyo.accounts.context_processors.policies",
                "apoyo.accounts.context_processors.page_help",
            ],
            # Numbers, percentages and list query strings on every page, without {% load %}.
            "builtins": ["apoyo.core.display"],
        },
    },
]

# On SQLite the bitácora has a file of its own (apoyo.core.databases, apoyo.accounts.routers).
DATABASES = databases(env_str("DATABASE_URL", "sqlite:///"), DATA_DIR)
AUDIT_DATABASE = AUDIT
DATABASE_ROUTERS = ["apoyo.accounts.routers.AuditRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
# django-axes first: it refuses a locked-out account or address before the password is checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
# Argon2id first (accounts/hashers.py says why); the others verify older hashes, rewritten at sign-in.
PASSWORD_HASHERS = ["apoyo.accounts.hashers.Argon2idPasswordHasher"] + [
    f"django.contrib.auth.hashers.{name}PasswordHasher"
    for name in ("PBKDF2", "PBKDF2SHA1", "Scrypt")
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "es-mx"
LANGUAGES = [("es-mx", "Español (México)")]
TIME_ZONE = env_str("APOYO_TIME_ZONE", "America/Hermosillo")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "apoyo" / "static"]
STATIC_ROOT = DATA_DIR / "static"
MEDIA_ROOT = DATA_DIR / "files"
# Uploaded files (cargas, scans, photos, dictámenes) hold personal data: owner only.
FILE_UPLOAD_PERMISSIONS = 0o600
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o700
STORAGES = {
    # Uploaded files hold personal data: never under a public URL, only served by checked views,
    # and encrypted at rest with APOYO_FILE_KEYS.
    "default": {"BACKEND": "apoyo.core.encrypted_storage.EncryptedFileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage",
        # Static files are public and the proxy serves them: not the uploads' 0600.
        "OPTIONS": {"file_permissions_mode": 0o644, "directory_permissions_mode": 0o755},
    },
}

TASKS = {
    "default": {
        "BACKEND": env_str("APOYO_TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}

EMAIL_BACKEND = env_str("APOYO_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
# With the file backend (make run's demo) each e-mail is left in this folder, not on the console;
# e-mails may name people, so the folder is the owner's only, like the uploads.
EMAIL_FILE_PATH = Path(env_str("APOYO_EMAIL_FILE_PATH", str(DATA_DIR / "correos")))
if EMAIL_BACKEND.endswith("filebased.EmailBackend"):
    EMAIL_FILE_PATH.mkdir(mode=0o700, parents=True, exist_ok=True)
EMAIL_HOST = env_str("APOYO_EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("APOYO_EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("APOYO_EMAIL_USER")
EMAIL_HOST_PASSWORD = env_str("APOYO_EMAIL_PASSWORD")
EMAIL_USE_TLS = env_bool("APOYO_EMAIL_TLS", False)
DEFAULT_FROM_EMAIL = env_str("APOYO_FROM_EMAIL", "Apoyo <no-responder@apoyo.local>")
# Links in e-mails point here (the address users reach Apoyo at).
APOYO_BASE_URL = env_str("APOYO_BASE_URL", "http://127.0.0.1:8000")

SESSION_COOKIE_AGE = env_int("APOYO_SESSION_SECONDS", 8 * 3600)
# A session unused this long is closed: OPL and INE staff, and everyone else.
APOYO_IDLE_MINUTES_STAFF = env_int("APOYO_IDLE_MINUTES_STAFF", 30)
APOYO_IDLE_MINUTES = env_int("APOYO_IDLE_MINUTES", 60)

# Sign-in --------------------------------------------------------------------------------------------
# Two-step verification (TOTP) is required for OPL administrators and revisores and every INE role
# outside debug mode; in the demo it is offered but not required.
APOYO_MFA_REQUIRED = env_bool("APOYO_MFA_REQUIRED", not DEBUG)
OTP_TOTP_ISSUER = env_str("APOYO_MFA_ISSUER", "Apoyo")
# Failed sign-ins: after this many for one account or from one address, both are refused for the
# cool-off time (django-axes), on the web login and the capture app's API alike.
AXES_FAILURE_LIMIT = env_int("APOYO_SIGNIN_FAILURES", 5)
AXES_COOLOFF_TIME = datetime.timedelta(minutes=env_int("APOYO_SIGNIN_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
# Sign-ins and sign-outs are recorded in the bitácora (accounts.audit), which is chained and
# purged on schedule; axes' own log would keep a second copy of each address and browser.
AXES_DISABLE_ACCESS_LOG = True
AXES_LOCKOUT_CALLABLE = "apoyo.accounts.signin.lockout_response"
AXES_CLIENT_IP_CALLABLE = "apoyo.accounts.audit.client_address"
# Behind the institute's proxy (APOYO_NUM_PROXIES=1) the client's address is read from
# X-Forwarded-For for the access log, the sign-in throttle and the API's throttles alike.
APOYO_NUM_PROXIES = env_int("APOYO_NUM_PROXIES", 0)
# Entries of the access log older than this are removed by purge_audit_log (five years: the
# LGPDPPSO asks for a record of access; the process and its challenges end well before).
APOYO_AUDIT_RETENTION_DAYS = env_int("APOYO_AUDIT_RETENTION_DAYS", 5 * 365)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# No inline script or style anywhere (templates use static files): an injected one never runs.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:", "blob:"],
        "object-src": [SELF],
        "frame-src": [SELF],
        "frame-ancestors": [SELF],
        "form-action": [SELF],
        "base-uri": [NONE],
        "connect-src": [SELF],
        "worker-src": [SELF],
        "manifest-src": [SELF],
    },
}

if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("APOYO_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env_int("APOYO_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("APOYO_LOG_LEVEL", "WARNING")},
}

# Largest page of a list; keeps every list query bounded.
APOYO_PAGE_SIZE = 50

# Largest file accepted by the carga masiva (refused before it is read).
APOYO_UPLOAD_MAX_BYTES = env_int("APOYO_UPLOAD_MAX_BYTES", 200 * 1024 * 1024)
# What a .csv.gz or .xlsx carga masiva may decompress to, and the data rows it may hold.
APOYO_UPLOAD_MAX_UNCOMPRESSED_BYTES = env_int(
    "APOYO_UPLOAD_MAX_UNCOMPRESSED_BYTES", 500 * 1024 * 1024
)
APOYO_UPLOAD_MAX_ROWS = env_int("APOYO_UPLOAD_MAX_ROWS", 1_000_000)
# Issues a "solo validar" keeps for its report; the rest are only counted.
APOYO_UPLOAD_DRY_RUN_MAX_ISSUES = env_int("APOYO_UPLOAD_DRY_RUN_MAX_ISSUES", 1000)
# What a gzip roll file may decompress to (a national cut is about 9 GB of CSV).
APOYO_ROLL_MAX_UNCOMPRESSED_BYTES = env_int("APOYO_ROLL_MAX_UNCOMPRESSED_BYTES", 20 * 1024**3)
# Largest body someone not signed in may post (sign-in and password forms).
APOYO_ANONYMOUS_REQUEST_MAX_BYTES = env_int("APOYO_ANONYMOUS_REQUEST_MAX_BYTES", 64 * 1024)
# Largest roll file a DERFE user may upload (a state's roll is hundreds of MB; gzip recommended).
APOYO_ROLL_UPLOAD_MAX_BYTES = env_int("APOYO_ROLL_UPLOAD_MAX_BYTES", 2 * 1024 * 1024 * 1024)
# Largest attachment of a SIVOPLE consultation or answer.
APOYO_SIVOPLE_MAX_BYTES = env_int("APOYO_SIVOPLE_MAX_BYTES", 25 * 1024 * 1024)
# The capture app's API ----------------------------------------------------------------
# A token lasts this long (default 7 days), unless the auxiliary logs out or is deactivated.
APOYO_API_TOKEN_HOURS = env_int("APOYO_API_TOKEN_HOURS", 7 * 24)
# A capture must reach the server within this many hours of its capture time.
APOYO_APP_GRACE_HOURS = env_int("APOYO_APP_GRACE_HOURS", 72)
# Largest photo (credencial front and back, live photo, signature) of a capture.
APOYO_APP_IMAGE_MAX_BYTES = env_int("APOYO_APP_IMAGE_MAX_BYTES", 5 * 1024 * 1024)
# Off only for measuring the API without photos (make bench); the schema always documents them.
APOYO_APP_REQUIRE_IMAGES = env_bool("APOYO_APP_REQUIRE_IMAGES", True)
# Longest list of an auxiliary's own supports in one answer (newest first).
APOYO_API_LIST_LIMIT = 500
# Requests allowed per client address (every endpoint), per user (every endpoint), per user for
# sending supports, and per address for logging in. With several gunicorn workers, point
# APOYO_CACHE_BACKEND at a shared cache so that the counts are shared too.
APOYO_API_THROTTLE_RATES = {
    "address": env_rate("APOYO_API_RATE_ADDRESS", "1200/min"),
    "user": env_rate("APOYO_API_RATE_USER", "600/min"),
    "submit": env_rate("APOYO_API_RATE_SUBMIT", "120/min"),
    "session": env_rate("APOYO_API_RATE_SESSION", "20/min"),
}

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["apoyo.capture_app.authentication.ApiTokenAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_THROTTLE_CLASSES": [
        "apoyo.capture_app.throttling.AddressThrottle",
        "apoyo.capture_app.throttling.UserThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": APOYO_API_THROTTLE_RATES,
    "EXCEPTION_HANDLER": "apoyo.capture_app.errors.api_exception_handler",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    # Behind the institute's proxy set APOYO_NUM_PROXIES=1, so the per-address throttle reads the
    # client's address from X-Forwarded-For; 0 trusts only the connection's address.
    "NUM_PROXIES": APOYO_NUM_PROXIES,
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Apoyo API",
    "DESCRIPTION": (
        "API de la aplicación de captura de apoyos ciudadanos para los auxiliares de las personas "
        "aspirantes a una candidatura independiente."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SERVE_AUTHENTICATION": [],
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    # Separate request and response components, so the photos appear as binary uploads.
    "COMPONENT_SPLIT_REQUEST": True,
}

# Consulta ciudadana: lookups per client address and per clave in each window (0: no limit; counted
# in CACHES), and minutes to send "Yo no di este apoyo" (README, "¿Aparezco como apoyo?").
APOYO_CITIZEN_LOOKUPS_PER_ADDRESS = env_int("APOYO_CITIZEN_LOOKUPS_PER_ADDRESS", 10)
APOYO_CITIZEN_LOOKUPS_PER_KEY = env_int("APOYO_CITIZEN_LOOKUPS_PER_KEY", 5)
APOYO_CITIZEN_LOOKUP_WINDOW_MINUTES = env_int("APOYO_CITIZEN_LOOKUP_WINDOW_MINUTES", 60)
APOYO_CITIZEN_DISOWN_MINUTES = env_int("APOYO_CITIZEN_DISOWN_MINUTES", 30)

# Sampling projection (README, "Proyección por muestreo"): the band's margins over the threshold,
# in percent, for every process: "cumple con holgura" when the interval's lower bound reaches
# threshold × CLEAR %, "no alcanza" when its upper bound stays under threshold × SHORT %.
APOYO_SAMPLING_CLEAR_PERCENT = env_int("APOYO_SAMPLING_CLEAR_PERCENT", 110)
APOYO_SAMPLING_SHORT_PERCENT = env_int("APOYO_SAMPLING_SHORT_PERCENT", 95)

CACHES = {
    "default": {
        "BACKEND": env_str("APOYO_CACHE_BACKEND", "django.core.cache.backends.locmem.LocMemCache"),
        "LOCATION": env_str("APOYO_CACHE_LOCATION", "apoyo"),
    }
}

# Largest scan of a paper cédula (PDF, JPEG, PNG, WebP) an aspirant or the OPL may upload.
APOYO_SCAN_MAX_BYTES = env_int("APOYO_SCAN_MAX_BYTES", 10 * 1024 * 1024)
# A PDF scan is drawn page by page to images the mesa de control zooms and turns: at most this many
# pages, at this resolution.
APOYO_SCAN_MAX_PAGES = env_int("APOYO_SCAN_MAX_PAGES", 20)
APOYO_SCAN_PAGE_DPI = env_int("APOYO_SCAN_PAGE_DPI", 150)
# A running background job (carga masiva, roll import, compulsa) without a heartbeat for this long
# is taken as dead (its worker was killed) and shown failed, to be retried. Above the longest
# single write of a job: on SQLite the heartbeat waits while a job's transaction holds the lock.
APOYO_JOB_HEARTBEAT_LIMIT_SECONDS = env_int("APOYO_JOB_HEARTBEAT_LIMIT_SECONDS", 300)
# How long a revisor holds the support they opened in the mesa de control before another may take it.
APOYO_REVIEW_CLAIM_MINUTES = env_int("APOYO_REVIEW_CLAIM_MINUTES", 10)
# Largest evidence file of a garantía de audiencia request.
APOYO_EVIDENCE_MAX_BYTES = env_int("APOYO_EVIDENCE_MAX_BYTES", 10 * 1024 * 1024)
