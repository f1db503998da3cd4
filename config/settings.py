"""Django settings, derived from one validated ``Deployment`` (see ``config/deployment.py``).

Configuration comes only from environment variables and an optional git-ignored ``.env``;
every variable is documented in ``.env.example`` and the README.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import django_stubs_ext

from config.deployment import Deployment, load_deployment
from config.env import read_dotenv
from config.logging import logging_config
from oauth_bridge.scopes import DEFAULT_SCOPES, SCOPES

django_stubs_ext.monkeypatch()

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

# The process environment wins over .env, so a deployment can override a developer file.
DEPLOYMENT: Deployment = load_deployment(
    {**read_dotenv(BASE_DIR / ".env"), **os.environ}, var_dir=VAR_DIR
)

DEBUG = DEPLOYMENT.debug
SECRET_KEY = DEPLOYMENT.secret_key
PUBLIC_URL = DEPLOYMENT.public_url
REDIS_URL = DEPLOYMENT.redis_url

# Absolute URLs are always built from PUBLIC_URL, never from the Host header; loopback names
# stay allowed so that a proxy or health probe on the same machine can reach the process.
ALLOWED_HOSTS = sorted({DEPLOYMENT.public_host, "127.0.0.1", "localhost", "[::1]"})
CSRF_TRUSTED_ORIGINS = [PUBLIC_URL]

INSTALLED_APPS = [
    "config.admin_site.AdminConfig",  # django.contrib.admin with the dashboard
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "oauth2_provider",
    "oauth_bridge",
    "mcp_gateway",
    "graph_tools",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "config.urls"
LOGIN_URL = "oauth_bridge:sign-in"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
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

DATABASES = {"default": DEPLOYMENT.database}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHES: dict[str, dict[str, Any]]
CHANNEL_LAYERS: dict[str, dict[str, Any]]
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "m365mcp",
        }
    }
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {"hosts": [REDIS_URL], "prefix": "m365mcp"},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"

# Browser-facing hardening. Cookies carry the __Host- prefix over HTTPS (RFC 6265bis §4.1.3):
# secure, host-only and path=/, so no sibling sub-domain can set or read them.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = DEPLOYMENT.https
CSRF_COOKIE_SECURE = DEPLOYMENT.https
if DEPLOYMENT.https:
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"
if DEPLOYMENT.https and not DEBUG:
    SECURE_SSL_REDIRECT = True
    # Load balancers probe health over plain HTTP on the private side.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
    SECURE_HSTS_SECONDS = 365 * 24 * 3600
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True

LOGGING = logging_config(level=DEPLOYMENT.log_level, json_lines=DEPLOYMENT.log_format == "json")

# DOT's models are swappable; naming them lets migrations of apps that point at them resolve
# (we keep DOT's own models: see oauth_bridge/models.py).
OAUTH2_PROVIDER_APPLICATION_MODEL = "oauth2_provider.Application"
OAUTH2_PROVIDER_ACCESS_TOKEN_MODEL = "oauth2_provider.AccessToken"  # noqa: S105 - a model name
OAUTH2_PROVIDER_REFRESH_TOKEN_MODEL = "oauth2_provider.RefreshToken"  # noqa: S105
OAUTH2_PROVIDER_GRANT_MODEL = "oauth2_provider.Grant"
OAUTH2_PROVIDER_ID_TOKEN_MODEL = "oauth2_provider.IDToken"  # noqa: S105

# django-oauth-toolkit: the authorization server for MCP clients (oauth_bridge), with the
# OAuth 2.1 posture of RFC 9700 (OAuth 2.0 Security BCP).
OAUTH2_PROVIDER = {
    "OAUTH2_VALIDATOR_CLASS": "oauth_bridge.validators.McpOAuth2Validator",
    "SCOPES": {scope.name: scope.description for scope in SCOPES},
    "DEFAULT_SCOPES": list(DEFAULT_SCOPES),
    "PKCE_REQUIRED": True,
    "COMPLIANT_BCP_RFC9700_PKCE_METHOD": True,  # S256 only (§2.1.1)
    "COMPLIANT_BCP_RFC9700_IMPLICIT_GRANT": True,  # §2.1.2
    "COMPLIANT_BCP_RFC9700_PASSWORD_GRANT": True,  # §2.4
    "COMPLIANT_BCP_RFC9700_ACCESS_TOKEN_TRANSPORT": True,  # header only (§4.3.2)
    "COMPLIANT_BCP_RFC9700_AUTHZ_RESPONSE_ISS": True,  # RFC 9207 `iss` (§4.4)
    "COMPLIANT_BCP_RFC9700_TOKEN_STORAGE": True,  # only token hashes at rest (§4)
    "COMPLIANT_BCP_RFC9700_REDIRECT_URI_MATCHING": True,  # exact matching (§2.1)
    "COMPLIANT_BCP_RFC9700_PKCE_REQUIRED": True,
    "COMPLIANT_BCP_RFC9700_REFRESH_TOKEN": True,
    "ROTATE_REFRESH_TOKEN": True,
    "REFRESH_TOKEN_REUSE_PROTECTION": True,  # a replay revokes the family (§4.14.2)
    "REFRESH_TOKEN_GRACE_PERIOD_SECONDS": 0,
    "ACCESS_TOKEN_EXPIRE_SECONDS": 3600,  # short-lived (MCP authorization, token lifetimes)
    "REFRESH_TOKEN_EXPIRE_SECONDS": 30 * 24 * 3600,
    "AUTHORIZATION_CODE_EXPIRE_SECONDS": 60,
    # http only for native apps' loopback redirects (RFC 8252 §7.3); oauth_bridge refuses an
    # http redirect URI whose host is not loopback at registration and at authorization.
    "ALLOWED_REDIRECT_URI_SCHEMES": ["https", "http"],
    "ALLOW_LOCALHOST_LOOPBACK": True,
    "REQUEST_APPROVAL_PROMPT": "force",
    "OAUTH2_RESPONSE_TYPES_SUPPORTED": ["code"],
    "OAUTH2_GRANT_TYPES_SUPPORTED": ["authorization_code", "refresh_token"],
    "OAUTH2_TOKEN_ENDPOINT_AUTH_METHODS_SUPPORTED": [
        "none",
        "client_secret_basic",
        "client_secret_post",
    ],
    "DCR_ENABLED": True,
    # MCP clients register themselves anonymously; oauth_bridge rate-limits registration.
    "DCR_REGISTRATION_PERMISSION_CLASSES": ("oauth2_provider.dcr.AllowAllDCRPermission",),
    "CIMD_ENABLED": True,
    # Client ID Metadata Documents are fetched by DOT's SSRF-hardened fetcher (https only,
    # public addresses only, size and time bounded); the operator chooses which hosts.
    "CIMD_REGISTRATION_PERMISSION_CLASSES": ("oauth2_provider.cimd.HostAllowlistCIMDPermission",),
    "CIMD_ALLOWED_HOSTS": list(DEPLOYMENT.cimd_allowed_hosts),
    # DOT's fetcher, plus documents on this machine when CIMD_ALLOW_LOOPBACK is set (tests and
    # development only; refused with DEBUG off): see oauth_bridge/cimd.py.
    "CIMD_METADATA_FETCHER": "oauth_bridge.cimd.LoopbackMetadataFetcher",
    # One canonical issuer string: the RFC 8414 `issuer`, RFC 9207 `iss` and the RFC 9728
    # `authorization_servers[0]` must match byte for byte.
    "OIDC_ISS_ENDPOINT": PUBLIC_URL,
    "OAUTH2_PROTECTED_RESOURCE_IDENTIFIER": DEPLOYMENT.mcp_resource_url,
    "OAUTH2_PROTECTED_RESOURCE_AUTHORIZATION_SERVERS": [PUBLIC_URL],
    "OAUTH2_PROTECTED_RESOURCE_NAME": "Microsoft 365 MCP server",
}

# requests-oauthlib (the client side, towards Entra): Entra answers with scopes spelled
# differently from the request (resource prefixes), which oauthlib would otherwise raise on.
os.environ.setdefault("OAUTHLIB_RELAX_TOKEN_SCOPE", "1")
if DEBUG or DEPLOYMENT.microsoft.login_url.startswith("http://"):
    # oauthlib refuses plain-http endpoints. Ours can be http only on a loopback host (a local
    # fake of Entra; config/env.py refuses anything else), so relaxing this in development
    # and for a loopback override never lets a token travel unencrypted over a network.
    os.environ["OAUTHLIB_INSECURE_TRANSPORT"] = "1"

SILENCED_SYSTEM_CHECKS = [
    # http redirect URIs are allowed for RFC 8252 loopback redirects only; oauth_bridge
    # enforces the loopback rule itself (see oauth_bridge/redirects.py).
    "oauth2_provider.W008",
    # HSTS preload is a commitment for the organisation's whole registrable domain, made at
    # its apex, not by one service on a sub-domain.
    "security.W021",
]
