"""The tiny test override: test mode, a fast password hasher, files in a temporary folder."""

import os
import tempfile

os.environ.setdefault("IPSHUB_MODE", "test")
os.environ.setdefault("IPSHUB_DATA_DIR", tempfile.mkdtemp(prefix="ipshub-test-"))

from ipshub.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# Browser tests load axe-core from the app's own origin, as the Content-Security-Policy allows.
STATICFILES_DIRS = [*STATICFILES_DIRS, ("axe-core", NODE_MODULES / "axe-core")]  # noqa: F405
