/* Wegweiser: search with typing tolerance, filters, the map (loaded on demand), offline. */
(function () {
  "use strict";
  var body = document.body;
  var root = body.getAttribute("data-root") || "";
  var lang = body.getAttribute("data-lang") || "de";
  var params = new URLSearchParams(location.search);
  if (params.get("embed") === "1") { body.classList.add("embed"); }

  /* ---------------------------------------------------------------- offline */
  if ("serviceWorker" in navigator && location.protocol !== "file:") {
    window.addEventListener("load", function () {
      navigator.serviceWorker.register(root + "sw.js", {scope: root || "./"}).then(function () {
        return navigator.serviceWorker.ready;
      }).then(function (reg) {
        var links = Array.prototype.map.call(document.querySelectorAll("a[href]"), function (a) {
          return a.href;
        }).filter(function (href) { return href.indexOf(location.origin) === 0 && /\.html$/.test(href.split("#")[0]); });
        if (reg.active) { reg.active.postMessage({type: "warm", urls: links.map(function (h) { return h.split("#")[0]; })}); }
        window.guideOfflineReady = true;
      }).catch(function () { window.guideOfflineReady = false; });
    });
  }

  /* ---------------------------------------------------------------- town page: one category */
  var only = params.get("kategorie");
  if (only && body.getAttribute("data-page") === "town") {
    document.querySelectorAll("section.category").forEach(function (s) {
      if (s.getAttribute("data-category") !== only) { s.hidden = true; }
    });
    var jump = document.querySelector(".jump"); if (jump) { jump.hidden = true; }
  }

  var configNode = document.getElementById("guide-config");
  if (!configNode) { return; }
  var config = JSON.parse(configNode.textContent);
  var texts = config.texts;
  function say(key, values) {
    return texts[key].replace(/%\((\w+)\)s/g, function (_, name) { return String(values[name]); });
  }

  /* ---------------------------------------------------------------- folding and matching */
  function fold(text) {
    text = String(text || "").normalize("NFKD").toLowerCase().replace(/ß/g, "ss")
      .replace(/[\u0300-\u036f]/g, "").normalize("NFKD").replace(/[\u0300-\u036f]/g, "");
    return text.replace(/ae/g, "a").replace(/oe/g, "o").replace(/ue/g, "u");
  }
  function words(text) { return fold(text).split(/[^\p{L}\p{N}]+/u).filter(Boolean); }
  function withinOne(a, b) {            /* edit distance of a and b is at most 1 */
    var la = a.length, lb = b.length;
    if (Math.abs(la - lb) > 1) { return false; }
    var i = 0, j = 0, edits = 0;
    while (i < la && j < lb) {
      if (a[i] === b[j]) { i++; j++; continue; }
      if (++edits > 1) { return false; }
      if (la > lb) { i++; } else if (lb > la) { j++; } else { i++; j++; }
    }
    return edits + (la - i) + (lb - j) <= 1;
  }
  function tokenMatches(word, token) {
    if (token.indexOf(word) >= 0) { return true; }
    if (word.length < 4) { return false; }
    for (var n = word.length - 1; n <= word.length + 1; n++) {
      if (n <= token.length && withinOne(word, token.slice(0, n))) { return true; }
    }
    return false;
  }

  /* ---------------------------------------------------------------- the index (loaded when needed) */
  var index = null, loading = null;
  function loadIndex() {
    if (loading) { return loading; }
    loading = fetch(root + "data/search.json").then(function (r) {
      if (!r.ok) { throw new Error(r.status); }
      return r.json();
    }).then(function (data) {
      var postings = new Map();
      function add(token, i) {
        var list = postings.get(token);
        if (!list) { list = []; postings.set(token, list); }
        if (list[list.length - 1] !== i) { list.push(i); }
      }
      var labelWords = {};
      function labelTokens(kind, key, label) {
        var k = kind + ":" + key;
        if (!labelWords[k]) { labelWords[k] = words(label); }
        return labelWords[k];
      }
      data.partners.forEach(function (p, i) {
        p[7].split(" ").forEach(function (t) { if (t) { add(t, i); } });
        labelTokens("c", p[3], config.categories[p[3]] || "").forEach(function (t) { add(t, i); });
        p[4].forEach(function (g) { labelTokens("g", g, config.groups[g] || "").forEach(function (t) { add(t, i); }); });
        p[5].forEach(function (l) { labelTokens("l", l, config.languages[l] || "").forEach(function (t) { add(t, i); }); });
      });
      index = {partners: data.partners, postings: postings, tokens: Array.from(postings.keys())};
      return index;
    });
    return loading;
  }

  function search(query, filters) {
    var partners = index.partners, keep = null;
    words(query).forEach(function (word) {
      var hit = new Set();
      index.tokens.forEach(function (token) {
        if (tokenMatches(word, token)) { index.postings.get(token).forEach(function (i) { hit.add(i); }); }
      });
      keep = keep === null ? hit : new Set(Array.from(keep).filter(function (i) { return hit.has(i); }));
    });
    var out = [];
    for (var i = 0; i < partners.length; i++) {
      if (keep !== null && !keep.has(i)) { continue; }
      var p = partners[i];
      if (filters.town && p[6] !== "*" && p[6].indexOf(filters.town) < 0) { continue; }
      if (filters.category && p[3] !== filters.category) { continue; }
      if (filters.language && p[5].indexOf(filters.language) < 0) { continue; }
      if (filters.groups.length && !filters.groups.some(function (g) { return p[4].indexOf(g) >= 0; })) { continue; }
      out.push(p);
    }
    return out;
  }

  /* ---------------------------------------------------------------- the form */
  var form = document.getElementById("suche");
  var input = document.getElementById("q");
  var status = document.getElementById("treffer-status");
  var list = document.getElementById("treffer");
  var townSelect = document.getElementById("f-ort");
  var catSelect = document.getElementById("f-art");
  var langSelect = document.getElementById("f-sprache");
  var townNames = {};
  config.towns.forEach(function (t) { townNames[t[0]] = t[1]; });
  var LIMIT = 50;

  function currentFilters() {
    var option = townSelect.options[townSelect.selectedIndex];
    return {
      town: option && option.value ? option.getAttribute("data-ags") : "",
      category: catSelect.value, language: langSelect.value,
      groups: Array.prototype.map.call(form.querySelectorAll("input[name=fuer]:checked"), function (c) { return c.value; })
    };
  }
  function isEmpty(f) { return !input.value.trim() && !f.town && !f.category && !f.language && !f.groups.length; }

  function render(results) {
    list.textContent = "";
    var shown = results.slice(0, LIMIT);
    shown.forEach(function (p) {
      var li = document.createElement("li"); li.className = "card";
      var a = document.createElement("a");
      a.href = root + lang + "/partner/" + p[0] + ".html";
      a.textContent = p[1]; a.lang = "de"; a.dir = "ltr";
      var meta = document.createElement("span"); meta.className = "meta";
      meta.textContent = (config.categories[p[3]] || p[3]) + " · " + (townNames[p[2]] || "");
      li.appendChild(a); li.appendChild(meta); list.appendChild(li);
    });
    var message = results.length ? say("results", {count: results.length}) : texts.none;
    if (results.length > LIMIT) { message += " " + say("more", {shown: LIMIT}); }
    status.textContent = message;
  }

  var timer = null;
  function run() {
    var filters = currentFilters();
    if (isEmpty(filters)) { list.textContent = ""; status.textContent = ""; return; }
    if (!index) { status.textContent = texts.loading; }
    loadIndex().then(function () { render(search(input.value, filters)); })
      .catch(function () { status.textContent = texts.failed; loading = null; });
  }
  function later() { clearTimeout(timer); timer = setTimeout(run, 200); }
  form.addEventListener("submit", function (e) { e.preventDefault(); run(); });
  input.addEventListener("input", later);
  form.addEventListener("change", run);

  /* pre-set filters from the address: ?q=…&ort=brakel&kategorie=kita&sprache=ar&fuer=eltern */
  if (params.get("q")) { input.value = params.get("q"); }
  if (params.get("ort")) { townSelect.value = params.get("ort"); }
  if (params.get("kategorie")) { catSelect.value = params.get("kategorie"); }
  if (params.get("sprache")) { langSelect.value = params.get("sprache"); }
  params.getAll("fuer").forEach(function (g) {
    var box = form.querySelector("input[name=fuer][value='" + CSS.escape(g) + "']");
    if (box) { box.checked = true; }
  });
  if (params.get("ort") || params.get("kategorie") || params.get("sprache") || params.get("fuer")) {
    document.getElementById("filter").open = true;
  }
  if (!isEmpty(currentFilters())) { run(); }

  /* ---------------------------------------------------------------- the map */
  var mapButton = document.getElementById("karte-zeigen");
  var mapBox = document.getElementById("karte");
  var basemap = document.getElementById("karte-hintergrund");
  var map = null, tiles = null;
  function loadScript(src) {
    return new Promise(function (resolve, reject) {
      var s = document.createElement("script"); s.src = src; s.onload = resolve; s.onerror = reject;
      document.head.appendChild(s);
    });
  }
  function loadStyle(href) {
    var l = document.createElement("link"); l.rel = "stylesheet"; l.href = href; document.head.appendChild(l);
  }
  function setTiles() {
    if (!map) { return; }
    if (tiles) { map.removeLayer(tiles); tiles = null; }
    var option = basemap.options[basemap.selectedIndex];
    var url = option.getAttribute("data-url");
    if (url) {
      tiles = L.tileLayer(url, {maxZoom: 18, attribution: option.getAttribute("data-attribution")});
      tiles.addTo(map);
    }
  }
  function showMap() {
    mapBox.hidden = false;
    mapButton.setAttribute("aria-expanded", "true");
    if (map) { map.invalidateSize(); return; }
    mapBox.textContent = texts.map_loading;
    loadStyle(root + "assets/vendor/leaflet/leaflet.css");
    Promise.all([loadScript(root + "assets/vendor/leaflet/leaflet.js"),
                 fetch(root + "data/map.json").then(function (r) { return r.json(); })])
      .then(function (results) {
        var data = results[1];
        mapBox.textContent = "";
        map = L.map(mapBox, {preferCanvas: true});
        var outline = L.geoJSON(data.towns, {style: {color: "#555", weight: 1, fillColor: "#f3f6f9", fillOpacity: 0.6}}).addTo(map);
        map.fitBounds(outline.getBounds());
        data.points.forEach(function (pt) {
          var marker = L.circleMarker([pt[0], pt[1]], {radius: 6, weight: 1, color: "#222",
            fillColor: config.colours[pt[2]] || "#0b5394", fillOpacity: 0.9});
          var box = document.createElement("div");
          var strong = document.createElement("strong"); strong.textContent = pt[3]; strong.lang = "de";
          var link = document.createElement("a"); link.href = root + lang + "/partner/" + pt[4] + ".html";
          link.textContent = texts.details;
          box.appendChild(strong); box.appendChild(document.createElement("br")); box.appendChild(link);
          marker.bindPopup(box);
          marker.addTo(map);
        });
        setTiles();
        mapBox.setAttribute("data-ready", "true");
      }).catch(function () { mapBox.textContent = texts.map_failed; });
  }
  if (mapButton) {
    mapButton.addEventListener("click", function () {
      if (mapBox.hidden) { showMap(); } else { mapBox.hidden = true; mapButton.setAttribute("aria-expanded", "false"); }
    });
    basemap.addEventListener("change", setTiles);
  }
}());
