"""Settings for the test suite: the real configuration, with fixed, known values.

DATABASE_URL and REDIS_URL pass through, so the same suite runs on SQLite and on
PostgreSQL + Redis (see .ci/run).
"""

import os

os.environ.update(
    {
        "DEBUG": "true",
        "SECRET_KEY": "test-secret-key-that-is-long-enough-for-django-checks-0123456789",
        "TOKEN_ENCRYPTION_KEYS": "u2XNGUMWBc3V-vKiQ8bKXYAMk9WgFzYj4dhGAKc_mNY=",
        "MICROSOFT_CLIENT_ID": "11111111-2222-3333-4444-555555555555",
        "MICROSOFT_CLIENT_SECRET": "test-microsoft-client-secret",
        "MICROSOFT_TENANT_ID": "organizations",
        "LOG_FORMAT": "text",
        "LOG_LEVEL": "warning",
        # Servers the tests start refresh tokens only when a test turns this on.
        "MICROSOFT_TOKEN_REFRESH_IN_PROCESS": "false",
    }
)

from config.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # fast tests only
