"""Settings for every environment, read from environment variables with safe defaults.

Development needs nothing set: SQLite in the project folder, local-memory cache, DEBUG
off unless DJANGO_DEBUG=1. Production sets DATABASE_URL, SECRET_KEY and ALLOWED_HOSTS.
"""

import datetime
import os
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env(name, default=""):
    return os.environ.get(name, default)


def env_bool(name, default=False):
    return env(name, "1" if default else "0").strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


SUPPORTED_DATABASES = {"django.db.backends.sqlite3", "django.db.backends.postgresql"}


def database_from_url(url):
    """DATABASE_URL (sqlite:///path, postgres://user:pass@host:port/name?sslmode=...) as a dict.

    Parsed by dj-database-url, which keeps query options such as sslmode in OPTIONS.
    """
    try:
        config = dj_database_url.parse(url)
    except ValueError as error:
        raise ImproperlyConfigured(f"DATABASE_URL is not usable: {error}") from error
    if config["ENGINE"] not in SUPPORTED_DATABASES:
        scheme = urlsplit(url).scheme
        raise ImproperlyConfigured(f"DATABASE_URL scheme {scheme!r} is not supported.")
    if config["ENGINE"] == "django.db.backends.postgresql":
        # Reusing connections saves ~0.5 ms a request (measured in the benchmark).
        config["CONN_MAX_AGE"] = int(env("DATABASE_CONN_MAX_AGE", "60"))
        config["CONN_HEALTH_CHECKS"] = True
        # Parallel query launches worker processes (~30 ms) for a query the index answers
        # in 3: at 100,000 posts it made a speaker page 40 ms. Off for our connections
        # unless DATABASE_URL's own options say otherwise; DATABASE_PARALLEL_WORKERS=""
        # sends nothing (a pooler that refuses startup options, such as PgBouncer).
        workers = env("DATABASE_PARALLEL_WORKERS", "0")
        options = config.setdefault("OPTIONS", {}).get("options", "")
        if workers and "max_parallel_workers_per_gather" not in options:
            setting = f"-c max_parallel_workers_per_gather={int(workers)}"
            config["OPTIONS"]["options"] = f"{options} {setting}".strip()
    else:
        # Writers take the lock when they begin, so a renderer that reads rows and then
        # writes what it derived from them cannot interleave with another writer, and a
        # busy database makes writers wait rather than fail (web server and worker).
        config.setdefault("OPTIONS", {}).update(transaction_mode="IMMEDIATE", timeout=20)
    return config


def cache_from_url(url):
    """CACHE_URL: redis://host:port/db (shared by all app servers), locmem:// or dummy://."""
    scheme = urlsplit(url).scheme
    if scheme in {"redis", "rediss"}:
        return {"BACKEND": "ops.cache.SharedRedisCache", "LOCATION": url}
    if scheme == "locmem":
        return {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    if scheme == "dummy":
        return {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}
    raise ImproperlyConfigured(f"CACHE_URL scheme {scheme!r} is not supported.")


# Production mode: no insecure defaults, HTTPS everywhere, a real secret required.
PRODUCTION = env_bool("DJANGO_PRODUCTION")
# Never in production, whatever DJANGO_DEBUG says: debug pages show settings and code.
DEBUG = env_bool("DJANGO_DEBUG") and not PRODUCTION
SECRET_KEY = env("SECRET_KEY")
if not SECRET_KEY:
    if PRODUCTION:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. In production (DJANGO_PRODUCTION=1) set SECRET_KEY to a "
            "long random string, e.g. python -c 'import secrets; print(secrets.token_urlsafe(50))'"
        )
    SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production"  # noqa: S105 - dev only
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "" if PRODUCTION else "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

if PRODUCTION:
    # TLS ends at the load balancer, which says so in X-Forwarded-Proto.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = int(env("SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
    SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
X_FRAME_OPTIONS = "DENY"

BLOG_TITLE = env("BLOG_TITLE", "On the Record")
BLOG_TAGLINE = env("BLOG_TAGLINE", "Commentary with every quotation attributed")
# The public address (https://example.org) for canonical links, feeds and structured data;
# empty means "the host the request came to".
SITE_URL = env("SITE_URL").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "markdownx",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "quotes",
    "blog",
    "freshness",
    "redirects",
    "simple_history",
    "revisions",
    "transfer",
    "integrity",
    "ops",
    "bench",
]

MIDDLEWARE = [
    # Cached anonymous pages are answered first, with the headers the middleware below
    # gave them when they were rendered (security headers included): no session, auth
    # or CSRF work, nothing done twice.
    "ops.middleware.PageCacheMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "ops.middleware.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Revisions record who saved them (revisions/): the request's user, kept for the save.
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # A moved address's 404 becomes its 301 (redirects/middleware.py).
    "redirects.middleware.RedirectFallbackMiddleware",
    # Last, as django-axes asks: turns a locked-out login into its lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

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
                "blog.context_processors.blog",
            ],
        },
    },
]

DATABASES = {
    "default": database_from_url(env("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"))
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    INSTALLED_APPS.append("django.contrib.postgres")  # full-text search (blog/search.py)

CACHES = {"default": cache_from_url(env("CACHE_URL", "locmem://"))}
# Background jobs (freshness/tasks.py) on Django's Tasks API, stored in the database and
# run by `manage.py db_worker` (docs/decisions.md, "A task queue in the database").
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# Seconds a cached public page may live; any content change makes it stale at once anyway.
PAGE_CACHE_SECONDS = int(env("PAGE_CACHE_SECONDS", "3600"))
PAGE_CACHE_ENABLED = env_bool("PAGE_CACHE", True)
# The benchmark's bare view (bench/run turns it on).
BENCHMARK_URLS = env_bool("BENCHMARK_URLS")
PAGE_CACHE_PRIVATE_COOKIES = env_list("PAGE_CACHE_PRIVATE_COOKIES")
# Browsers revalidate (ETag, 304); a CDN or nginx in front may keep a page this long.
PAGE_CACHE_SHARED_SECONDS = int(env("PAGE_CACHE_SHARED_SECONDS", "0"))
PAGE_CACHE_CONTROL = f"public, max-age=0, s-maxage={PAGE_CACHE_SHARED_SECONDS}"
# Each app process also keeps its most used pages in memory (checked against the shared
# cache's purges on every request): this many bytes of compressed pages, 0 for none.
PAGE_CACHE_LOCAL_BYTES = int(env("PAGE_CACHE_LOCAL_BYTES", str(32 * 1024 * 1024)))
# A local copy checked this recently is served without asking the shared cache at all: a
# purge reaches every process within this many seconds (0: ask on every request).
PAGE_CACHE_RECHECK_SECONDS = float(env("PAGE_CACHE_RECHECK_SECONDS", "0.05" if PRODUCTION else "0"))
# A page larger than this (compressed) is not cached.
PAGE_CACHE_MAX_BYTES = int(env("PAGE_CACHE_MAX_BYTES", str(1024 * 1024)))
# A function called with the keys of every purge, after the commit, to purge a CDN or
# Varnish in front by the same keys (the Surrogate-Key/Cache-Tag headers); none by default.
PAGE_CACHE_PURGE_HOOK = env("PAGE_CACHE_PURGE_HOOK")

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = env("TIME_ZONE", "America/New_York")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Hashed, compressed files in production (run collectstatic); plain files elsewhere.
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
# Without collectstatic (development, tests) whitenoise serves straight from the finders.
WHITENOISE_USE_FINDERS = not PRODUCTION
# Uploaded images. In production serve them from another origin (MEDIA_URL =
# https://media.example.org/) with nosniff and a sandboxing CSP: docs/operations.md.
MEDIA_URL = env("MEDIA_URL", "media/")
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(BASE_DIR / "media")))

# Editors' bodies may be long, but a request body past this is refused before parsing.
DATA_UPLOAD_MAX_MEMORY_SIZE = 4 * 1024 * 1024

# The preview in the admin is the public renderer: same quotations, same sanitizer.
MARKDOWNX_MARKDOWNIFY_FUNCTION = "quotes.markup.render_markdown"
MARKDOWNX_MEDIA_PATH = "uploads/"
MARKDOWNX_UPLOAD_MAX_SIZE = 5 * 1024 * 1024
MARKDOWNX_UPLOAD_CONTENT_TYPES = ["image/jpeg", "image/png", "image/gif", "image/webp"]

LOGIN_URL = "admin:login"

# Failed logins are counted per account and per client address in the database, which
# every app server shares (django-axes); either reaching the limit locks logins for it.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
AXES_FAILURE_LIMIT = int(env("LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = datetime.timedelta(minutes=int(env("LOGIN_LOCKOUT_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_CLIENT_IP_CALLABLE = "ops.client_ip.client_ip"
AXES_RESET_ON_SUCCESS = True
# Locked for the configured time from the lockout: tries meanwhile do not extend it.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_CALLABLE = "ops.accounts.lockout_response"
# No start-up banner in every management command's output.
AXES_VERBOSE = False
# Password reset by email, for active staff only, at most this many a client address or
# an email address may ask for per hour.
PASSWORD_RESET_LIMIT = env("PASSWORD_RESET_LIMIT", "3/3600")
PASSWORD_RESET_TIMEOUT = 60 * 60 * 2

# Reader comments; blog/comments/moderation.py explains each rule.
COMMENTS_RATE_LIMIT = env("COMMENTS_RATE_LIMIT", "5/600")  # attempts per seconds, per IP
COMMENTS_MAX_LINKS = int(env("COMMENTS_MAX_LINKS", "2"))  # more links: held for a moderator
COMMENTS_BLOCKED_WORDS = env_list("COMMENTS_BLOCKED_WORDS")  # straight to spam
COMMENTS_BLOCKED_IPS = env_list("COMMENTS_BLOCKED_IPS")  # addresses or networks (10.0.0.0/8)
COMMENTS_BLOCKED_EMAILS = env_list("COMMENTS_BLOCKED_EMAILS")  # addresses or @domains
COMMENTS_AUTO_APPROVE_KNOWN = env_bool("COMMENTS_AUTO_APPROVE_KNOWN")
COMMENTS_CLOSE_AFTER_DAYS = int(env("COMMENTS_CLOSE_AFTER_DAYS", "0"))  # 0: never
COMMENTS_NOTIFY_EVERY_MINUTES = int(env("COMMENTS_NOTIFY_EVERY_MINUTES", "15"))
# Addresses or networks of our own proxies (load balancer, nginx): X-Forwarded-For is read
# only on connections from these (ops/client_ip.py). Empty: the socket address counts.
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES")

# Mail (moderator notifications): printed to the console unless an SMTP server is set.
EMAIL_BACKEND = env("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env("EMAIL_HOST", "localhost")
EMAIL_PORT = int(env("EMAIL_PORT", "25"))
EMAIL_HOST_USER = env("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL")
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "webmaster@localhost")
SERVER_EMAIL = env("SERVER_EMAIL", DEFAULT_FROM_EMAIL)

# One JSON object a line on stderr: what log collectors expect.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "ops.logging.JsonFormatter"}},
    "handlers": {"stderr": {"class": "logging.StreamHandler", "formatter": "json"}},
    "root": {"handlers": ["stderr"], "level": env("LOG_LEVEL", "INFO")},
    "loggers": {"django.server": {"level": "INFO"}},
}

# Source snapshots and the link-rot watch (integrity/, docs/operations.md "Source checks").
# Fetching refuses loopback, private, link-local and metadata addresses unless this is on.
SOURCE_FETCH_ALLOW_PRIVATE = env_bool("SOURCE_FETCH_ALLOW_PRIVATE")
SOURCE_FETCH_TIMEOUT = float(env("SOURCE_FETCH_TIMEOUT", "15"))
SOURCE_FETCH_MAX_BYTES = int(env("SOURCE_FETCH_MAX_BYTES", str(5 * 1024 * 1024)))
# Seconds between checks of a source that answers (doubling while nothing changes, up to
# the maximum), and before retrying one that timed out or failed.
SOURCE_CHECK_INTERVAL = int(env("SOURCE_CHECK_INTERVAL", str(24 * 3600)))
SOURCE_CHECK_MAX_INTERVAL = int(env("SOURCE_CHECK_MAX_INTERVAL", str(30 * 24 * 3600)))
SOURCE_CHECK_RETRY = int(env("SOURCE_CHECK_RETRY", "3600"))
