"""The tiny test override: test mode, a fast password hasher, files in a temporary folder."""

import os
import tempfile

os.environ.setdefault("IPSHUB_MODE", "test")
os.environ.setdefault("IPSHUB_DATA_DIR", tempfile.mkdtemp(prefix="ipshub-test-"))

from ipshub.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
