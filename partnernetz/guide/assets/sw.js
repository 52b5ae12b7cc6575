/* Wegweiser service worker: the site keeps working offline after the first visit. */
"use strict";
var VERSION = "__VERSION__";
var PRECACHE = __PRECACHE__;
var CACHE = "wegweiser-" + VERSION + "-" + self.registration.scope;

self.addEventListener("install", function (event) {
  event.waitUntil(caches.open(CACHE).then(function (cache) {
    return cache.addAll(PRECACHE.map(function (u) { return new URL(u, self.registration.scope).href; }));
  }).then(function () { return self.skipWaiting(); }));
});

self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys().then(function (keys) {
    return Promise.all(keys.filter(function (k) {
      return k.indexOf("wegweiser-") === 0 && k !== CACHE && k.slice(-self.registration.scope.length) === self.registration.scope;
    }).map(function (k) { return caches.delete(k); }));
  }).then(function () { return self.clients.claim(); }));
});

self.addEventListener("message", function (event) {
  var data = event.data || {};
  if (data.type !== "warm" || !Array.isArray(data.urls)) { return; }
  var urls = data.urls.filter(function (u) { return u.indexOf(self.registration.scope) === 0; }).slice(0, 400);
  event.waitUntil(caches.open(CACHE).then(function (cache) {
    return Promise.all(urls.map(function (u) {
      return cache.match(u).then(function (hit) { return hit || cache.add(u).catch(function () {}); });
    }));
  }));
});

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET" || request.url.indexOf(self.registration.scope) !== 0) { return; }
  var url = request.url.split("#")[0];
  var key = url.split("?")[0];
  /* network first (fresh data), the cache when offline; what was fetched is kept */
  event.respondWith(fetch(request).then(function (response) {
    if (response.ok) {
      var copy = response.clone();
      caches.open(CACHE).then(function (cache) { cache.put(key, copy); });
    }
    return response;
  }).catch(function () {
    return caches.open(CACHE).then(function (cache) {
      return cache.match(key).then(function (hit) {
        if (hit) { return hit; }
        if (request.mode === "navigate") {
          return cache.match(new URL("index.html", self.registration.scope).href);
        }
        return Response.error();
      });
    });
  }));
});
