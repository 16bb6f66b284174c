// The offline store: one IndexedDB object store of drafts, shared by the autosave forms
// (autosave.js) and every other long text field (drafts.js). A draft is
// { key, user, values, version, action, savedAt, submittedAt }; keys carry the signed-in
// user's id, so on a shared device nobody is offered another person's text.
// Every call returns a promise; when IndexedDB is unavailable (private mode in some
// browsers) the calls resolve to nothing and the forms still post as before.
"use strict";

(function () {
  var DB_NAME = "keuzestage";
  var STORE = "drafts";
  var opening = null;

  function open() {
    if (opening) return opening;
    opening = new Promise(function (resolve, reject) {
      if (!window.indexedDB) { reject(new Error("no IndexedDB")); return; }
      var request = window.indexedDB.open(DB_NAME, 1);
      request.onupgradeneeded = function () {
        request.result.createObjectStore(STORE, { keyPath: "key" });
      };
      request.onsuccess = function () { resolve(request.result); };
      request.onerror = function () { reject(request.error); };
    });
    return opening;
  }

  function run(mode, work) {
    return open().then(function (db) {
      return new Promise(function (resolve, reject) {
        var tx = db.transaction(STORE, mode);
        var result = work(tx.objectStore(STORE));
        tx.oncomplete = function () { resolve(result && "result" in result ? result.result : undefined); };
        tx.onerror = function () { reject(tx.error); };
      });
    }).catch(function () { return undefined; });
  }

  function user() { return (document.body && document.body.dataset.user) || "anoniem"; }

  window.OfflineStore = {
    // The store key of a form field group, for the signed-in user.
    key: function (name) { return user() + ":" + name; },
    get: function (key) { return run("readonly", function (s) { return s.get(key); }); },
    put: function (draft) { return run("readwrite", function (s) { s.put(draft); }); },
    remove: function (key) { return run("readwrite", function (s) { s.delete(key); }); },
    // The signed-in user's drafts whose key starts with prefix, oldest first.
    list: function (prefix) {
      var start = user() + ":" + prefix;
      return run("readonly", function (s) { return s.getAll(); }).then(function (all) {
        return (all || []).filter(function (d) { return d.key.indexOf(start) === 0; })
          .sort(function (a, b) { return a.savedAt - b.savedAt; });
      });
    }
  };
})();
