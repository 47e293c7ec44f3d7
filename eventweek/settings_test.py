"""Test settings: the real databases and brokers, sync tasks, fast hashing, mail kept in memory."""

import os

os.environ.setdefault("EVENTWEEK_TESTING", "1")

from eventweek.settings import *  # noqa: E402,F403
from eventweek.settings import BASE_DIR, Q_CLUSTER, STATIC_ROOT  # noqa: E402

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
Q_CLUSTER = {**Q_CLUSTER, "sync": True}
MEDIA_ROOT = BASE_DIR / "var" / "test-media"
# Static files come from the finders in tests; the empty STATIC_ROOT only silences whitenoise's warning.
WHITENOISE_USE_FINDERS = True
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
SITE_URL = "http://testserver"
ALLOWED_HOSTS = ["*"]
SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SECURE_HSTS_SECONDS = 0
# The suite's many quiz starts from 127.0.0.1 at the same frozen instants share one window of the start limit (and on
# Redis, across runs): tests of the limit set their own QUIZ_START_RATE.
QUIZ_START_RATE = (1_000_000, 600)
