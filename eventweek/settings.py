"""Django settings for eventweek, read from the environment (see README: 配置)."""

from datetime import timedelta
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

from eventweek.env import (
    env_bool,
    env_int,
    env_list,
    env_path,
    env_rate,
    env_str,
    parse_database_url,
    sqlite_database,
)

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DEBUG", False)
SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG and not env_bool("EVENTWEEK_TESTING", False):
        raise ImproperlyConfigured("SECRET_KEY is required when DEBUG is off.")
    SECRET_KEY = "insecure-development-key-do-not-use-in-production-0123456789abcdef"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
# The public base URL is used where a link leaves the site (QR codes, iCal, emails): a wrong default would be
# printed on posters, so production must say it.
SITE_URL = env_str("SITE_URL")
if not SITE_URL:
    if not DEBUG and not env_bool("EVENTWEEK_TESTING", False):
        raise ImproperlyConfigured(
            "SITE_URL (the public address, e.g. https://jieneng.example.cn) is required when DEBUG is off."
        )
    SITE_URL = f"http://127.0.0.1:{env_int('PORT', 8000)}"
if not SITE_URL.startswith(("http://", "https://")):
    raise ImproperlyConfigured(f"SITE_URL {SITE_URL!r} must start with http:// or https://.")
SITE_URL = SITE_URL.rstrip("/")

INSTALLED_APPS = [
    # The admin is for superusers only (README: 权限): the org tree does not scope its classes.
    "eventweek.admin_apps.SuperuserAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_q",
    "axes",
    "eventweek",
    "reporting",
    "quiz",
    "notifications",
    "audit",
    "inbox",
    "exchange",
    "calls",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # A user holding a temporary password changes it before anything else.
    "eventweek.passwords.PasswordChangeRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "eventweek.errors.DomainErrorMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into the Chinese lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "eventweek.urls"
WSGI_APPLICATION = "eventweek.wsgi.application"

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
            ],
        },
    },
]

DATA_DIR = env_path("DATA_DIR", BASE_DIR / "var")
DATABASE_URL = env_str("DATABASE_URL")
if DATABASE_URL:
    DATABASES = {"default": parse_database_url(DATABASE_URL)}
else:
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {"default": sqlite_database(DATA_DIR / "eventweek.sqlite3")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    if not REDIS_URL.startswith(("redis://", "rediss://", "unix://")):
        raise ImproperlyConfigured(f"REDIS_URL {REDIS_URL!r} must start with redis://, rediss:// or unix://.")
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

AUTH_USER_MODEL = "eventweek.User"
# django-axes first: it refuses a locked-out account or address before the password is even checked.
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"]
# Chinese messages (Django's zh_Hans catalogue leaves the length message in English): eventweek/passwords.py.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "eventweek.passwords.MinimumLengthValidator"},
    {"NAME": "eventweek.passwords.CommonPasswordValidator"},
    {"NAME": "eventweek.passwords.NumericPasswordValidator"},
]
# A password-reset link an admin hands out (/manage/people/) works once, for this many hours.
PASSWORD_RESET_HOURS = env_int("PASSWORD_RESET_HOURS", 24)
PASSWORD_RESET_TIMEOUT = PASSWORD_RESET_HOURS * 3600
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "eventweek:dashboard"
LOGOUT_REDIRECT_URL = "eventweek:home"

# The interface is Simplified Chinese; msgids are written in Chinese and wrapped in gettext.
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [BASE_DIR / "locale"]

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = DATA_DIR / "staticfiles"
MEDIA_URL = "/media/"
MEDIA_ROOT = env_path("MEDIA_ROOT", DATA_DIR / "media")
# Serve MEDIA_ROOT at /media/ from Django itself even with DEBUG off (a single node without a web server in front).
SERVE_MEDIA = env_bool("SERVE_MEDIA", False)
# Report and summary pictures are private: stored outside MEDIA_ROOT and served only after a permission check.
REPORT_PRIVATE_ROOT = env_path("REPORT_PRIVATE_ROOT", MEDIA_ROOT.parent / "private-media")
# Quiz export files (every phone number in full): None keeps them in REPORT_PRIVATE_ROOT/quiz-exports, read when used
# (quiz.exporters.QuizExportStorage), so they follow REPORT_PRIVATE_ROOT wherever that is moved.
QUIZ_EXPORT_ROOT = env_path("QUIZ_EXPORT_ROOT", None)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG or env_bool("EVENTWEEK_TESTING", False)
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 25 * 1024 * 1024

# Email: console in development, SMTP when EMAIL_HOST is set.
EMAIL_HOST = env_str("EMAIL_HOST", "")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
if EMAIL_USE_TLS and EMAIL_USE_SSL:
    raise ImproperlyConfigured("EMAIL_USE_TLS and EMAIL_USE_SSL cannot both be on.")
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 20)
EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend" if EMAIL_HOST else "django.core.mail.backends.console.EmailBackend",
)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "eventweek@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# django-q2: the ORM broker by default, Redis when REDIS_URL is set.
Q_CLUSTER = {
    # The queue's name in Redis (and its stats' keys, and the salt of its payloads): the same on every node of a site;
    # another site, or a test's own nodes, on the same Redis gives its own.
    "name": env_str("Q_NAME", "eventweek"),
    "workers": env_int("Q_WORKERS", 2),
    "timeout": 300,
    "retry": 360,
    "max_attempts": 3,
    "queue_limit": 50,
    "save_limit": 1000,
    "catch_up": False,
    "label": "后台任务",
    # Each run of a schedule is logged at INFO; WARNING keeps `make run` readable (Q_LOG_LEVEL=INFO to see them).
    # django-q2 applies this only when no handler is configured up its logger's tree; LOGGING below has one at the
    # root, so the same level is set on the "django-q" logger there.
    "log_level": env_str("Q_LOG_LEVEL", "WARNING"),
}
if REDIS_URL:
    Q_CLUSTER["redis"] = REDIS_URL
else:
    Q_CLUSTER["orm"] = "default"

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", True)
    CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", True)
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
# A load balancer probes /healthz over plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

# Content-Security-Policy (django-csp) on every response: everything from this site, nothing inline, no frames.
# Django's own debug pages (DEBUG=1 only) use inline styles and show unstyled under it.
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
    },
}

# The client's address (login lockout, quiz start limit): REMOTE_ADDR, or behind N reverse proxies that each append
# to X-Forwarded-For, the address the outermost of them saw (eventweek.throttle.client_address). 0 = no proxy:
# the header is then ignored, since a client can write anything in it.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
if TRUSTED_PROXY_COUNT < 0:
    raise ImproperlyConfigured(f"TRUSTED_PROXY_COUNT={TRUSTED_PROXY_COUNT} must be 0 or more.")

# Login lockout (django-axes): LOGIN_FAILURE_LIMIT wrong passwords for one account, or from one address, lock that
# account or address out for LOGIN_COOLOFF_MINUTES after the last failure. Success does not reset the count, so an
# attacker's own account cannot wipe the failures against another.
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 10)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("LOGIN_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_LOCKOUT_CALLABLE = "eventweek.views.login_locked_out"
AXES_CLIENT_IP_CALLABLE = "eventweek.throttle.client_address"
AXES_RESET_ON_SUCCESS = False
AXES_VERBOSE = False

# Quiz starts per client address: "count/period" (s, m or h). Generous, since a whole government building may share
# one address; it only stops a script hammering the start form.
QUIZ_START_RATE = env_rate("QUIZ_START_RATE", "600/10m")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {"django-q": {"level": Q_CLUSTER["log_level"]}},
}

# Which apps contribute demo data, in order (python manage.py load_demo).
DEMO_LOADERS = [
    "eventweek.demo.load",
    "reporting.demo.load",
    "quiz.demo.load",
    "reporting.summary.demo.load",
    # The drill week (演练周) around today: its weeks, then its reports, then its open quiz.
    "eventweek.demo_drill.load",
    "reporting.demo_drill.load",
    "quiz.demo_drill.load",
    # The 2020 national 云兑换: central departments' registrations and records.
    "exchange.demo.load",
    # The 2023 Jingdezhen call for cases and essays (景管字〔2023〕9号).
    "calls.demo.load",
    # Changzhou's 2022 节水宣传周 (seed 002): a campaign of another kind, its programme and a few reports.
    "eventweek.demo_campaigns.load",
    "reporting.demo_campaigns.load",
]

# The one outbox (eventweek.outbox) of every notice: how long a worker's claim holds before another run may take the
# row over, the longest wait between two tries (1, 2, 4 … minutes up to this), and how many tries before giving up.
OUTBOX_LEASE_MINUTES = env_int("OUTBOX_LEASE_MINUTES", 10, minimum=1)
OUTBOX_RETRY_CAP_MINUTES = env_int("OUTBOX_RETRY_CAP_MINUTES", 15, minimum=1)
OUTBOX_MAX_ATTEMPTS = env_int("OUTBOX_MAX_ATTEMPTS", 8, minimum=1)

# Public-interest SMS campaigns (notifications.services.campaigns): messages sent a second, at most.
SMS_CAMPAIGN_RATE = env_int("SMS_CAMPAIGN_RATE", 200, minimum=1)

# Daily reports: the size of one picture, pictures per report, and the pixels one picture may decode to. 40
# megapixels decode to at most 160 MB (Pillow keeps RGB as 4 bytes a pixel): what keeps one upload near 300 MB of
# worker memory; Pillow's own bomb guard (89 MP) is twice that.
REPORT_MAX_PICTURE_BYTES = env_int("REPORT_MAX_PICTURE_BYTES", 10 * 1024 * 1024, minimum=1)
REPORT_MAX_PICTURES = env_int("REPORT_MAX_PICTURES", 20, minimum=1)
REPORT_MAX_PICTURE_PIXELS = env_int("REPORT_MAX_PICTURE_PIXELS", 40_000_000, minimum=1)

# Summaries: orgs that have not submitted are reminded this many hours before the deadline.
SUMMARY_REMINDER_HOURS = env_int("SUMMARY_REMINDER_HOURS", 24, minimum=1)

# Quiz: a save or submit still counts this long after the time limit (network latency, a slow phone).
QUIZ_GRACE_SECONDS = env_int("QUIZ_GRACE_SECONDS", 10, minimum=0)
# The public quizzes and their units are held this long per process (0 = read them on every request).
QUIZ_CACHE_SECONDS = env_int("QUIZ_CACHE_SECONDS", 5, minimum=0)
# The paper keeps every change on the phone at once and sends its answers at most this often, and when it is left
# (README: 云竞答). 0 = a save 300 ms after each change.
QUIZ_AUTOSAVE_SECONDS = env_int("QUIZ_AUTOSAVE_SECONDS", 30, minimum=0)
# A queued or running export may go this long without a heartbeat before the sweep takes it over; it is tried at most
# QUIZ_EXPORT_MAX_ATTEMPTS times.
QUIZ_EXPORT_LEASE_SECONDS = env_int("QUIZ_EXPORT_LEASE_SECONDS", 300, minimum=1)
QUIZ_EXPORT_MAX_ATTEMPTS = env_int("QUIZ_EXPORT_MAX_ATTEMPTS", 3, minimum=1)
