// The field page's service worker (served by /field/sw.js after Workbox's imports and the precache list).
// It precaches the /field/ shell and its static files, and answers only those: the API, every other page and
// anything holding client data go to the network untouched (the pack lives encrypted in IndexedDB instead).
workbox.core.setCacheNameDetails({ prefix: "ipshub-field" });
workbox.core.skipWaiting();
workbox.core.clientsClaim();
workbox.precaching.cleanupOutdatedCaches();
workbox.precaching.precacheAndRoute(self.FIELD_PRECACHE, { ignoreURLParametersMatching: [/.*/] });
