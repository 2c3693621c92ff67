"""Settings shared by every environment. Values come only from the environment (see env.py)."""

from pathlib import Path

from csp.constants import NONCE, NONE, SELF

from .env import env

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = BASE_DIR / "var"

SECRET_KEY = env.str("SECRET_KEY", "insecure-development-key-do-not-use-in-production")
DEBUG = env.bool("DEBUG", False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"])

SERVICE_NAME = "Manage child protection conferences"
AUTHORITY_NAME = env.str("AUTHORITY_NAME", "Northmoor Borough Council")
# The children's social care duty and out-of-hours number, given to enquirers (fictional:
# Ofcom keeps 01632 960xxx for drama).
AUTHORITY_DUTY_PHONE = env.str("AUTHORITY_DUTY_PHONE", "01632 960 100")
# In an area that keeps a child protection register (the "register" procedures), who is told
# at once when a child is placed on it or removed from it.
REGISTER_KEEPER_EMAIL = env.str("REGISTER_KEEPER_EMAIL", "")
OUT_OF_HOURS_EMAIL = env.str("OUT_OF_HOURS_EMAIL", "")
AUTHORITY_LA_CODE = env.str("AUTHORITY_LA_CODE", "999")  # DfE 3-digit LA code; 999 is fictional

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.forms",
    "pgtrigger",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "convene.core",
    "convene.access",
    "convene.people",
    "convene.authority",
    "convene.referrals",
    "convene.conferences",
    "convene.plans",
    "convene.returns",
    "convene.notifications",
    "convene.reminders",
    "convene.register",
    "convene.challenge",
    "convene.retention",
    "convene.breakglass",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    # After the password, the authenticator code (convene/access/mfa.py).
    "convene.access.mfa.SecondFactorMiddleware",
    # Deny by default: every view needs a signed-in user unless marked @login_not_required.
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # A working day's sign-in at most; no-store and Permissions-Policy on every page.
    "convene.core.middleware.SessionLifetimeMiddleware",
    "convene.core.middleware.SecurityHeadersMiddleware",
    # Every page that shows someone's details writes one audit row (convene/access/reading.py).
    "convene.access.reading.ReadAuditMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "convene.urls"
WSGI_APPLICATION = "convene.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        # Shared templates, then each feature folder's own (convene/<app>/<feature>/templates/,
        # such as the conference stages): a feature keeps its pages beside its code
        # (docs/decisions/0012-service-kernel-and-feature-folders.md).
        "DIRS": [
            BASE_DIR / "convene" / "templates",
            *sorted((BASE_DIR / "convene").glob("*/*/templates")),
        ],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
                "convene.core.context_processors.service",
                "convene.core.navigation.service_navigation",
            ],
        },
    },
]
FORM_RENDERER = "convene.core.forms.GovukFormRenderer"

DATABASES = {
    "default": env.database("DATABASE_URL", f"sqlite:///{VAR_DIR / 'convene.sqlite3'}"),
}
# PostgreSQL's read replica, if there is one: the reports read from it (convene/core/replica.py,
# docs/deployment.md). In tests it is the default database itself.
if _replica := env.optional_database("DATABASE_REPLICA_URL"):
    DATABASES["replica"] = {**_replica, "TEST": {"MIRROR": "default"}}
DATABASE_ROUTERS = ["convene.core.replica.ReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "access.User"
AUTHENTICATION_BACKENDS = [
    # django-axes must come first so a locked-out account is refused before checking passwords.
    "axes.backends.AxesStandaloneBackend",
    # Passwords, unless CONVENE_LOCAL_PASSWORDS is off; then the council's single sign-on.
    "convene.access.sso.LocalPasswordBackend",
    "convene.access.sso.CouncilSignOnBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
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
# A link to set a password (a new account, a forgotten password) works once, for a day
# (docs/decisions/0022-account-management.md).
PASSWORD_RESET_TIMEOUT = env.int("PASSWORD_LINK_SECONDS", 24 * 60 * 60)
LOGIN_URL = "access:sign-in"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "access:signed-out"

# Sessions end after 30 minutes without a request, and in any case a working day after
# signing in (issue 14, finding 10); a warning two minutes before the idle limit lets the
# person stay signed in without losing what they were typing (GOV.UK timeout warning).
SESSION_COOKIE_AGE = env.int("SESSION_IDLE_SECONDS", 30 * 60)
SESSION_ABSOLUTE_SECONDS = env.int("SESSION_ABSOLUTE_SECONDS", 10 * 60 * 60)
SESSION_WARNING_SECONDS = 2 * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
CSRF_FAILURE_VIEW = "convene.core.views.csrf_failure"

# Lock an account out after 5 failed sign-ins in an hour (django-axes).
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = 1  # hours
# Locked by account and address together (issue 14, finding 2): behind a council's proxy
# everyone shares one address, and five mistypes by one person must not lock out the rest.
# A system administrator can unlock an account (audited).
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_VERBOSE = False
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "access/locked_out.html"
AXES_USERNAME_FORM_FIELD = "username"
# The client's address: REMOTE_ADDR, or with TRUSTED_PROXY_COUNT proxies in front of the
# service, the address that the outermost trusted proxy put in X-Forwarded-For.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", 0)
AXES_CLIENT_IP_CALLABLE = "convene.core.web.client_ip"
# Single sign-on's refusals are not password guesses (convene/access/sso.py).
AXES_WHITELIST_CALLABLE = "convene.access.sso.not_a_password_attempt"

# Multi-factor sign-in (django-otp, TOTP and recovery codes): required of every account when
# true (the default in production settings).
CONVENE_REQUIRE_MFA = env.bool("CONVENE_REQUIRE_MFA", False)
OTP_TOTP_ISSUER = env.str("OTP_TOTP_ISSUER", "Convene")

# Single sign-on with the council's identity provider over OpenID Connect (mozilla-django-oidc;
# convene/access/sso.py, docs/decisions/0024-sso-and-retention.md). Off unless a client ID is
# set; then the provider's endpoints and the client secret must be set too.
OIDC_RP_CLIENT_ID = env.str("OIDC_RP_CLIENT_ID", "")
SSO_ENABLED = bool(OIDC_RP_CLIENT_ID)
_SSO_REQUIRED = None if SSO_ENABLED else ""
OIDC_RP_CLIENT_SECRET = env.str("OIDC_RP_CLIENT_SECRET", _SSO_REQUIRED)
OIDC_OP_AUTHORIZATION_ENDPOINT = env.str("OIDC_OP_AUTHORIZATION_ENDPOINT", _SSO_REQUIRED)
OIDC_OP_TOKEN_ENDPOINT = env.str("OIDC_OP_TOKEN_ENDPOINT", _SSO_REQUIRED)
OIDC_OP_USER_ENDPOINT = env.str("OIDC_OP_USER_ENDPOINT", _SSO_REQUIRED)
OIDC_OP_JWKS_ENDPOINT = env.str("OIDC_OP_JWKS_ENDPOINT", _SSO_REQUIRED)
OIDC_OP_LOGOUT_ENDPOINT = env.str("OIDC_OP_LOGOUT_ENDPOINT", "")
OIDC_RP_SIGN_ALGO = env.choice("OIDC_RP_SIGN_ALGO", "RS256", ("RS256", "ES256", "PS256"))
OIDC_RP_SCOPES = " ".join(env.list("OIDC_RP_SCOPES", ["openid", "email", "profile", "groups"]))
OIDC_USE_PKCE = True
OIDC_TIMEOUT = env.int("OIDC_TIMEOUT_SECONDS", 10)
OIDC_AUTHENTICATION_CALLBACK_URL = "access:sso-callback"
# What the sign-in button says: "Sign in with <SSO_PROVIDER_NAME>".
SSO_PROVIDER_NAME = env.str("SSO_PROVIDER_NAME", AUTHORITY_NAME)
# The claim that lists the person's groups (Microsoft Entra ID: "groups"; some use "roles").
SSO_GROUPS_CLAIM = env.str("SSO_GROUPS_CLAIM", "groups")
# The provider is trusted for the second factor when its ID token says so: an `acr` value in
# SSO_TRUSTED_ACR, or any `amr` value in SSO_TRUSTED_AMR (RFC 8176: "mfa", "otp", "hwk"...).
# Both empty: Convene asks for its own authenticator code after single sign-on as well.
SSO_TRUSTED_ACR = env.list("SSO_TRUSTED_ACR", [])
SSO_TRUSTED_AMR = env.list("SSO_TRUSTED_AMR", [])
# Off: no password sign-in at all; the sign-in page offers only the council's single sign-on.
CONVENE_LOCAL_PASSWORDS = env.bool("CONVENE_LOCAL_PASSWORDS", True)
if not CONVENE_LOCAL_PASSWORDS and not SSO_ENABLED:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured(
        "CONVENE_LOCAL_PASSWORDS is off but single sign-on is not set up (OIDC_RP_CLIENT_ID): "
        "nobody could sign in."
    )

# Content-Security-Policy (django-csp): nothing inline but the scripts that carry the
# request's nonce; Permissions-Policy switches off what the service never uses.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [NONE],
        "object-src": [NONE],
    }
}
PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), "
    "microphone=(), payment=(), usb=(), interest-cohort=()"
)

# Uploaded files (families' contributions): outside the code checkout, never served by the web
# server, only through the pages that check who may download them (issue 14, finding 3).
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", str(VAR_DIR / "uploads")))

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = False
USE_TZ = True
DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y, g:ia"

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "convene" / "static"]

EMAIL_BACKEND = env.str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env.str("EMAIL_HOST", "localhost")
EMAIL_PORT = env.int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env.str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env.str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", "conferences@northmoor.example")

# GOV.UK Notify (convene.notifications). Without a key, messages are kept in the database by
# the development gateway instead of being sent; with one, the e-mail template must be given.
NOTIFY_API_KEY = env.str("NOTIFY_API_KEY", "")
NOTIFY_EMAIL_TEMPLATE_ID = env.str("NOTIFY_EMAIL_TEMPLATE_ID") if NOTIFY_API_KEY else ""
NOTIFY_LETTER_TEMPLATE_ID = env.str("NOTIFY_LETTER_TEMPLATE_ID", "")
NOTIFY_BASE_URL = env.str("NOTIFY_BASE_URL", "https://api.notifications.service.gov.uk")
NOTIFY_TIMEOUT_SECONDS = env.int("NOTIFY_TIMEOUT_SECONDS", 10)
# A message that has failed this many times is dead-lettered for an administrator to look at.
NOTIFY_MAX_ATTEMPTS = env.int("NOTIFY_MAX_ATTEMPTS", 6)
# The bearer token GOV.UK Notify sends with delivery receipts; unset, the callback is a 404.
NOTIFY_CALLBACK_TOKEN = env.str("NOTIFY_CALLBACK_TOKEN", "")

# The outbox (docs/decisions/0016-outbox-and-dispatcher.md). Who sends what it holds:
# "embedded": a background thread in each web process, woken when a change queues a message
#   and every 30 seconds, which also sends the daily reminders at 7am (the default without a
#   broker: `make run`, a single small server);
# "celery": Celery workers, with beat for the every-minute sweep and the 7am reminders
#   (CELERY_BROKER_URL; production);
# "on_commit": the process that queued a message, straight after its transaction commits
#   (tests; a request then waits for GOV.UK Notify, so not for serving people);
# "off": only `manage.py send_notifications` sends.
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", "")
NOTIFICATIONS_DISPATCH_MODES = ("embedded", "celery", "on_commit", "off")
NOTIFICATIONS_DISPATCH = env.choice(
    "NOTIFICATIONS_DISPATCH",
    "celery" if CELERY_BROKER_URL else "embedded",
    NOTIFICATIONS_DISPATCH_MODES,
)
# Run by the dispatcher before each round of sending, outside any request: each drawing what
# a message needs and queueing it (docs/decisions/0025-letters-drawn-in-background.md).
NOTIFICATIONS_PREPARERS = ["convene.conferences.letters.drawing.draw_waiting"]
# How often the embedded dispatcher looks for due messages (retries) when nothing wakes it.
NOTIFICATIONS_POLL_SECONDS = env.int("NOTIFICATIONS_POLL_SECONDS", 30)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", "INFO")},
    # django-axes logs every sign-in at INFO; Convene's own audit trail records them.
    "loggers": {"axes": {"level": "WARNING"}},
}
