"""How IPS Hub starts Debian's Chromium headless: for `ipshub bench --field` and for the browser tests
(tests/browsing.py), so both measure and test the same browser."""

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]
