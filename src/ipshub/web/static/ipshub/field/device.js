// What field work (/field/, docs/field-work.md) keeps on this device, seen from every page: signing out wipes
// it (before the sign-out is sent, besides the server's Clear-Site-Data), and the header says how many entries
// wait. Plain IndexedDB here: this small classic script loads on every page; the field page's module uses
// idb-keyval on the same database.
(function () {
  "use strict";
  var DB = "ipshub-field";
  var STORE = "kv";

  function request(req) {
    return new Promise(function (resolve, reject) {
      req.onsuccess = function () { resolve(req.result); };
      req.onerror = function () { reject(req.error); };
    });
  }
  function exists() {
    // Opening a database that is not there would create it: ask first.
    if (!window.indexedDB) return Promise.resolve(false);
    if (!indexedDB.databases) return Promise.resolve(true);
    return indexedDB.databases().then(function (list) {
      return list.some(function (db) { return db.name === DB; });
    });
  }
  function withStore(mode, use) {
    return exists().then(function (found) {
      if (!found) return null;
      return request(indexedDB.open(DB)).then(function (db) {
        if (!db.objectStoreNames.contains(STORE)) { db.close(); return null; }
        var result = request(use(db.transaction(STORE, mode).objectStore(STORE)));
        return result.finally(function () { db.close(); });
      });
    });
  }
  function deleteDatabase(name) {
    // "blocked" while the field page still holds it open: its contents are already cleared, and the deletion
    // completes when that page goes (the sign-out navigates away).
    return new Promise(function (done) {
      var req = indexedDB.deleteDatabase(name);
      req.onsuccess = req.onerror = req.onblocked = function () { done(); };
    });
  }

  function wipe() {
    try { window.localStorage.removeItem("ipshub-field"); } catch (e) { /* storage refused: nothing kept */ }
    var steps = [withStore("readwrite", function (store) { return store.clear(); }).catch(function () {})];
    return Promise.all(steps).then(function () {
      var names = indexedDB.databases ? indexedDB.databases() : Promise.resolve([{ name: DB }]);
      return names.then(function (list) {
        return Promise.all(list.map(function (db) { return deleteDatabase(db.name); }));
      });
    }).then(function () {
      if (!window.caches) return null;
      return caches.keys().then(function (keys) {
        return Promise.all(keys.map(function (key) { return caches.delete(key); }));
      });
    }).then(function () {
      if (!navigator.serviceWorker) return null;
      return navigator.serviceWorker.getRegistrations().then(function (registrations) {
        return Promise.all(registrations.map(function (r) { return r.unregister(); }));
      });
    }).catch(function () {});
  }
  window.ipshubWipeDevice = wipe;

  // Whether this browser keeps field work: the field page marks it before it keeps anything (a word, no client
  // data). A browser that never opened the field page signs out at once, as before; the server's
  // Clear-Site-Data answer wipes whatever else there is.
  function keepsFieldWork() {
    try { return !!window.localStorage.getItem("ipshub-field"); } catch (e) { return true; }
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.hasAttribute("data-wipe-device") || form.getAttribute("data-wiped")) return;
    if (!keepsFieldWork()) return;
    event.preventDefault();
    // Entries not sent yet would be lost with the rest: the person decides (the field page's "Sync now" first).
    waiting().then(function (count) {
      var warning = form.getAttribute("data-wipe-warning");
      if (count && warning && !window.confirm(warning)) return;
      wipe().then(function () {
        form.setAttribute("data-wiped", "true");
        form.submit();
      });
    });
  });

  function waiting() {
    return withStore("readonly", function (store) { return store.get("waiting"); }).catch(function () { return 0; });
  }

  // The header's count of waiting entries, before the sign-out item (a number, not client data: kept
  // unencrypted for this). Only where the page has no badge of its own.
  var signOut = document.querySelector(".usa-nav__secondary-item form[data-wipe-device]");
  if (signOut && keepsFieldWork()) {
    waiting().then(function (count) {
      if (!count) return;
      var link = document.createElement("a");
      link.href = "/field/";
      link.id = "field-waiting";
      var text = signOut.getAttribute("data-waiting-text") || "Field entries waiting: {count}";
      link.textContent = text.replace("{count}", String(count));
      var item = document.createElement("li");
      item.className = "usa-nav__secondary-item";
      item.append(link);
      signOut.parentElement.before(item);
    }).catch(function () {});
  }
})();
