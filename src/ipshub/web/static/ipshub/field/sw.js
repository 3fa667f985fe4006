// The field page's service worker (served by /field/sw.js after Workbox's imports, the precache list and the
// shell's URL). It precaches the pack-free shell (/field/shell/) and the files it links to, and answers every
// /field/ navigation with that shell, with or without a signal: the page then shows the pack kept encrypted in
// IndexedDB and refreshes it from the API. The API, every other page and anything holding client data go to the
// network untouched: /field/ itself, the pack inline, is never cached.
workbox.core.setCacheNameDetails({ prefix: "ipshub-field" });
workbox.core.skipWaiting();
workbox.core.clientsClaim();
workbox.precaching.cleanupOutdatedCaches();
workbox.precaching.precacheAndRoute(self.FIELD_PRECACHE, {
  ignoreURLParametersMatching: [/.*/],
  urlManipulation: ({ url }) => (url.pathname === "/field/" ? [new URL(self.FIELD_SHELL, url)] : []),
});
