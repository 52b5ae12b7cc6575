/* Partnernetz map library: draws partners, towns and the choropleth
 * client-side from one compact payload (see partnernetz/maps.py).
 *
 * Inlined once into every map's script. Needs Leaflet; the partner layer also
 * needs leaflet.markercluster. Every piece of data text is escaped with esc()
 * before it reaches innerHTML; links are only made from http(s) addresses.
 *
 * renderCard() must produce exactly the same HTML as
 * partnernetz.cards.render_card() (checked by tests/test_maps.py).
 */
(function (root) {
  "use strict";
  if (root.Partnernetz) { return; }

  var COLOUR_RE = /^#[0-9A-Fa-f]{6}$/;
  var FALLBACK_COLOUR = "#777777";
  var APPROXIMATE = { postcode: true, town: true };

  function esc(value) {
    return String(value)
      .replace(/&/g, "&amp;")
      .replace(/</g, "&lt;")
      .replace(/>/g, "&gt;")
      .replace(/"/g, "&quot;")
      .replace(/'/g, "&#x27;");
  }

  function safeUrl(url) {
    return url && /^https?:\/\//i.test(url) ? url : null;
  }

  function formatDate(iso, lang) {
    if (!iso) { return null; }
    if (lang === "de" && /^\d{4}-\d{2}-\d{2}$/.test(iso)) {
      return iso.slice(8, 10) + "." + iso.slice(5, 7) + "." + iso.slice(0, 4);
    }
    return iso;
  }

  function tel(phone) {
    var digits = phone.replace(/[^0-9+]/g, "");
    if (!digits) { return esc(phone); }
    return '<a href="tel:' + esc(digits) + '">' + esc(phone) + "</a>";
  }

  function mail(email) {
    return '<a href="mailto:' + esc(email) + '">' + esc(email) + "</a>";
  }

  function labelled(css, label, body) {
    return '<p class="pn-card__' + css + '"><span class="pn-card__label">' + esc(label) +
      ":</span> " + body + "</p>";
  }

  /* Mirror of partnernetz.cards.render_card. */
  function renderCard(r, ctx) {
    var labels = ctx.labels, lang = ctx.lang || "de", parts = [];
    var pid = r.id || "";
    parts.push('<article class="pn-card" data-partner-id="' + esc(pid) + '">');
    parts.push('<h3 class="pn-card__name">' + esc(r.name || pid) + "</h3>");

    var catKey = r.category || "";
    var cat = ctx.categories[catKey] || { label: catKey, colour: FALLBACK_COLOUR };
    var colour = COLOUR_RE.test(cat.colour || "") ? cat.colour : FALLBACK_COLOUR;
    var category = esc(cat.label);
    if (r.subtype) { category += " · " + esc(r.subtype); }
    parts.push('<p class="pn-card__category"><span class="pn-card__swatch" ' +
      'style="background-color:' + esc(colour) + '"></span>' + category + "</p>");

    if (r.status && r.status !== "active") {
      parts.push('<p class="pn-card__status">' + esc(labels.status) + ": " +
        esc(ctx.status[r.status] || r.status) + "</p>");
    }
    if (r.operator) { parts.push(labelled("operator", labels.operator, esc(r.operator))); }

    var lines = [];
    if (r.street) { lines.push(esc(r.street)); }
    var place = [r.postcode, r.town].filter(function (p) { return p; }).join(" ");
    if (place) { lines.push(esc(place)); }
    if (r.district) { lines.push(esc(labels.district) + ": " + esc(r.district)); }
    if (lines.length) { parts.push('<p class="pn-card__address">' + lines.join("<br>") + "</p>"); }

    if (r.served) {
      parts.push(labelled("served", labels.served,
        esc(r.served === "*" ? labels.served_all : r.served)));
    }
    if (r.relation === "elsewhere") {
      parts.push('<p class="pn-card__relation">' + esc(labels.relation) + "</p>");
    }
    if (APPROXIMATE[r.precision]) {
      parts.push('<p class="pn-card__precision">' + esc(labels.precision) + ": " +
        esc(ctx.precision[r.precision] || r.precision) + "</p>");
    }
    if (r.phone) { parts.push(labelled("phone", labels.phone, tel(r.phone))); }
    if (r.email) { parts.push(labelled("email", labels.email, mail(r.email))); }
    if (r.website) {
      var url = safeUrl(r.website);
      var body = url
        ? '<a href="' + esc(url) + '" target="_blank" rel="noopener">' + esc(r.website) + "</a>"
        : esc(r.website);
      parts.push(labelled("website", labels.website, body));
    }
    if (r.schulnummer) {
      parts.push(labelled("schulnummer", labels.schulnummer, esc(r.schulnummer)));
    }
    var languages = r.languages || [];
    if (languages.length) {
      var names = languages.map(function (c) { return ctx.languages[c] || c; }).join(", ");
      parts.push(labelled("languages", labels.languages, esc(names)));
    }
    var offers = r.offers || [];
    if (offers.length) { parts.push(labelled("offers", labels.offers, esc(offers.join(", ")))); }
    if (r.opening_hours) {
      parts.push(labelled("opening-hours", labels.opening_hours, esc(r.opening_hours)));
    }
    var accessible = r.accessible || "unknown";
    parts.push('<p class="pn-card__accessible">' + esc(ctx.accessible[accessible] || accessible) +
      "</p>");
    var verified = formatDate(r.verified, lang);
    if (verified) {
      parts.push('<p class="pn-card__verified">' + esc(labels.verified) + ": " + esc(verified) +
        "</p>");
    }
    var contacts = r.contacts || [];
    if (contacts.length) {
      var items = contacts.map(function (c) {
        var item = '<span class="pn-card__contact-name">' + esc(c.name) + "</span>";
        if (c.role) { item += " (" + esc(c.role) + ")"; }
        if (c.internal) { item += ' <span class="pn-card__internal">' + esc(labels.internal) + "</span>"; }
        if (c.phone) { item += "<br>" + tel(c.phone); }
        if (c.email) { item += "<br>" + mail(c.email); }
        return "<li>" + item + "</li>";
      });
      parts.push('<div class="pn-card__contacts"><span class="pn-card__label">' +
        esc(labels.contacts) + ":</span><ul>" + items.join("") + "</ul></div>");
    }
    if (r.notes) { parts.push(labelled("notes", labels.notes, esc(r.notes))); }
    parts.push("</article>");
    return parts.join("");
  }

  /* The payload is columnar: data.columns[key][i]; keys with a table in
   * data.tables hold indices into it (-1: none; languages and offers index
   * lists). Contacts are flat: row i owns entries start[i] to start[i+1]. */
  function lookup(table, code) {
    return code === null || code === undefined || code < 0 ? null : table[code];
  }

  function decode(i, data) {
    var rec = {}, keys = data.keys, columns = data.columns, tables = data.tables;
    for (var k = 0; k < keys.length; k++) {
      var key = keys[k], value, table = tables[key];
      if (key === "contacts") { continue; }
      value = table ? lookup(table, columns[key][i]) : columns[key][i];
      if (key === "languages" || key === "offers") { value = value || []; }
      rec[key] = value === undefined ? null : value;
    }
    var c = columns.contacts, roles = tables.role || [];
    rec.contacts = [];
    for (var j = c.start[i]; j < c.start[i + 1]; j++) {
      rec.contacts.push({
        name: c.name[j], role: lookup(roles, c.role[j]), phone: c.phone[j], email: c.email[j],
        internal: !!(c.internal && c.internal[j])
      });
    }
    return rec;
  }

  function setup(map, options) {
    var container = map.getContainer();
    container.classList.add("pn-map");
    if (options.basemap === "none") { container.classList.add("pn-map--nobasemap"); }
    if (options.attribution && map.attributionControl) {
      map.attributionControl.addAttribution(options.attribution);
    }
    /* A meaningful name for the map and its iframe ("Karte der Partner");
     * the component iframe is same-origin, its element is reachable. */
    if (options.title) {
      container.setAttribute("role", "region");
      container.setAttribute("aria-label", options.title);
      if (root.document) { root.document.title = options.title; }
      try {
        if (root.frameElement) { root.frameElement.setAttribute("title", options.title); }
      } catch (err) { /* a cross-origin parent: keep Streamlit's title */ }
    }
  }

  /* Town boundaries (GeoJSON, properties {kind: "town", ags, name, ...}).
   * Stays on the map synchronously, so streamlit-folium reports clicks on it
   * (last_active_drawing = the clicked town feature). */
  function townLayer(map, data, options) {
    var group = L.featureGroup();
    var polygons = L.geoJSON(data, {
      style: function (feature) {
        var p = feature.properties, selected = p.selected;
        if (p.fill) {
          return { color: "#333333", weight: selected ? 3 : 1, fillColor: p.fill,
            fillOpacity: 0.75 };
        }
        return { color: options.stroke || "#333333", weight: selected ? 3.5 : 1.5,
          dashArray: selected ? null : "4 3", fillColor: "#ffffff",
          fillOpacity: options.fillOpacity === undefined ? 0.05 : options.fillOpacity };
      },
      onEachFeature: function (feature, layer) {
        var p = feature.properties;
        layer.bindTooltip(esc(p.tooltip || p.name), { sticky: true, className: "pn-town-tooltip" });
        layer.on("add", function () { focusableTown(layer, p, options); });
      }
    });
    group.addLayer(polygons);
    if (options.labels) {
      data.features.forEach(function (f) {
        var p = f.properties;
        if (p.label_lat === undefined || p.label_lat === null) { return; }
        group.addLayer(L.marker([p.label_lat, p.label_lon], {
          icon: L.divIcon({ className: "pn-town-label", html: "<span>" + esc(p.name) + "</span>",
            iconSize: null }),
          interactive: false, keyboard: false, pane: labelPane(map)
        }));
      });
    }
    group.addTo(map);
    polygons.bringToBack();
    return group;
  }

  /* Town labels sit in a pane above the markers and clusters (which would
   * hide them otherwise); the pane lets every pointer event through. */
  function labelPane(map) {
    if (!map.getPane("pnLabels")) {
      var pane = map.createPane("pnLabels");
      pane.style.zIndex = 650;
      pane.style.pointerEvents = "none";
    }
    return "pnLabels";
  }

  /* A town polygon as a keyboard control: focusable, named ("Brakel, 23
   * Partner"), Enter or Space acts like a click (the map page filters to the
   * town). The click is fired with propagation, as a mouse click is, so that
   * streamlit-folium reports the feature. */
  function focusableTown(layer, p, options) {
    var path = layer._path;
    if (!path || options.keyboard === false) { return; }
    path.setAttribute("tabindex", "0");
    path.setAttribute("role", "button");
    path.setAttribute("aria-label", p.aria || p.name);
    path.classList.add("pn-town");
    path.addEventListener("keydown", function (ev) {
      if (ev.key !== "Enter" && ev.key !== " ") { return; }
      ev.preventDefault();
      ev.stopPropagation();
      layer.fire("click", { latlng: layer.getCenter(), originalEvent: ev }, true);
    });
  }

  function control(position, html, className) {
    var Ctl = L.Control.extend({
      onAdd: function () {
        var div = L.DomUtil.create("div", className);
        div.innerHTML = html;  /* built and escaped in Python */
        L.DomEvent.disableClickPropagation(div);
        L.DomEvent.disableScrollPropagation(div);
        return div;
      }
    });
    return new Ctl({ position: position });
  }

  /* A category's markers, shown and hidden inside the shared cluster group.
   * Created lazily: the library is also loaded without Leaflet (node tests). */
  var CategoryLayer = null;
  function categoryLayer(cluster, markers) {
    if (!CategoryLayer) {
      CategoryLayer = L.Layer.extend({
        initialize: function (group, items) {
          this._cluster = group;
          this._markers = items;
          this._preloaded = false;
        },
        onAdd: function () {
          if (this._preloaded) { this._preloaded = false; return; }
          this._cluster.addLayers(this._markers, true);
        },
        onRemove: function () {
          this._cluster.removeLayers(this._markers);
        }
      });
    }
    return new CategoryLayer(cluster, markers);
  }

  var maps = [];

  /* Zoom to a partner until its marker is drawn on its own (or, when several
   * partners share its point, spiderfy their cluster), then call done().
   * MarkerCluster's zoomToShowLayer zooms one level per call and can wait
   * forever when the map starts far out; this jumps to the right zoom. */
  function reveal(state, marker, done, waited) {
    var map = state.map, group = state.cluster, parent = marker.__parent;
    waited = waited || 0;
    if ((map._animatingZoom || group._inZoomAnimation) && waited < 3000) {
      /* a running zoom animation (the initial fit) would swallow setView */
      root.setTimeout(function () { reveal(state, marker, done, waited + 50); }, 50);
      return;
    }
    var zoom = map.getZoom();
    if (parent && parent._zoom !== undefined) {
      zoom = Math.max(zoom, Math.min(parent._zoom + 1, map.getMaxZoom()));
    }
    map.setView(marker.getLatLng(), zoom, { animate: false });
    var tries = 0, spiderfied = false;
    (function check() {
      if (map.hasLayer(marker) && marker._icon) { done(); return; }
      if (!group._inZoomAnimation && !spiderfied) {
        var visible = group.getVisibleParent(marker);
        if (visible && visible !== marker && visible.spiderfy) {
          spiderfied = true;
          visible.spiderfy();
        }
      }
      if (++tries < 60) { root.setTimeout(check, 50); }
    })();
  }

  /* Partner markers, clustered, one overlay per category. Added after the
   * current script has run (setTimeout 0): streamlit-folium only attaches its
   * click reporting to layers present when the map script ends, so a click on
   * a partner opens its popup without rerunning the Streamlit script. */
  function partnerLayer(map, data, options) {
    var state = { map: map, markers: {}, count: 0, ready: false, cluster: null, layers: {} };
    maps.push(state);
    root.setTimeout(function () {
      try {
        buildPartners(state, data, options);
      } catch (err) {
        if (root.console) { root.console.error("Partnernetz map:", err); }
      }
    }, 0);
    return state;
  }

  /* "Name, Kategorie, Ort": the accessible name of a partner's marker. */
  function markerLabel(i, data, ctx) {
    var cat = data.tables.category[data.columns.category[i]];
    var town = lookup(data.tables.town, data.columns.town[i]);
    var label = (ctx.categories[cat] || {}).label || cat;
    return [data.columns.name[i] || data.columns.id[i], label, town].filter(function (x) {
      return x;
    }).join(", ");
  }

  var NamedMarker = null, ClusterIcon = null;
  function namedClasses() {
    if (NamedMarker) { return; }
    /* Leaflet gives a keyboard marker role="button" and tabindex=0; the
     * name goes on as aria-label (a title would only be a tooltip). */
    NamedMarker = L.Marker.extend({
      _initIcon: function () {
        L.Marker.prototype._initIcon.call(this);
        if (this._icon && this.options.label) {
          this._icon.setAttribute("aria-label", this.options.label);
        }
      }
    });
    ClusterIcon = L.DivIcon.extend({
      createIcon: function (old) {
        var el = L.DivIcon.prototype.createIcon.call(this, old);
        el.setAttribute("aria-label", this.options.label);
        el.setAttribute("role", "button");
        return el;
      }
    });
  }

  function clusterIcon(texts) {
    return function (cluster) {
      var n = cluster.getChildCount();
      var size = n < 10 ? "small" : n < 100 ? "medium" : "large";
      return new ClusterIcon({
        html: '<div><span aria-hidden="true">' + n + "</span></div>",
        className: "marker-cluster marker-cluster-" + size,
        iconSize: new L.Point(40, 40),
        label: (texts.cluster || "{n}").replace("{n}", String(n))
      });
    };
  }

  /* The legend: open only on wide maps (then the region is fitted beside
   * it), collapsed on narrower ones, and collapsed whenever a popup opens (so
   * that it never covers one). */
  var WIDE_MAP = 1000, NARROW_MAP = 600;
  function legendBehaviour(map, div) {
    var details = div.querySelector("details");
    if (!details) { return; }
    if (map.getSize().x < WIDE_MAP) { details.open = false; }
    map.on("popupopen", function () { details.open = false; });
  }

  /* The first view: the region fitted into what the controls leave free
   * (zoom and layers at the top, legend, scale and attribution at the bottom),
   * so that the legend never covers a town, its label or a cluster. */
  function fitClear(map, bounds, legend) {
    if (!bounds) { return; }
    var left = 50, bottom = 30, box;
    if (legend) {
      box = legend.getBoundingClientRect();
      if (box.height > 60) { left = Math.max(left, box.width + 20); }  // open: beside it
      else { bottom = Math.max(bottom, box.height + 36); }  // collapsed: above it
    }
    map.fitBounds(bounds, { paddingTopLeft: [left, 60], paddingBottomRight: [50, bottom],
      animate: false });
  }

  /* Town labels never overlap: each label tries below its point, above, right
   * and left, and takes the first place free of the labels placed before it
   * (clusters and pins are avoided when a place is free of them too); a label
   * with no free place at all is hidden until the zoom makes room. */
  var LABEL_PLACES = ["translate(-50%, 14px)", "translate(-50%, calc(-100% - 16px))",
    "translate(16px, -50%)", "translate(calc(-100% - 16px), -50%)"];
  function overlaps(a, b) {  // with a gap of 3 px
    return a.left < b.right + 3 && b.left < a.right + 3 && a.top < b.bottom + 3 &&
      b.top < a.bottom + 3;
  }
  function placeLabels(map) {
    var pane = map.getPane("pnLabels");
    if (!pane) { return; }
    var container = map.getContainer();
    var pins = [].slice.call(container.querySelectorAll(".marker-cluster, .pn-marker"))
      .map(function (el) { return el.getBoundingClientRect(); });
    var placed = [];
    [].slice.call(pane.querySelectorAll(".pn-town-label span")).forEach(function (span) {
      var best = null, fallback = null;
      span.style.visibility = "";
      for (var i = 0; i < LABEL_PLACES.length && !best; i++) {
        span.style.transform = LABEL_PLACES[i];
        var box = span.getBoundingClientRect();
        if (placed.some(function (p) { return overlaps(p, box); })) { continue; }
        if (fallback === null) { fallback = i; }
        if (!pins.some(function (p) { return overlaps(p, box); })) { best = i; }
      }
      var chosen = best !== null ? best : fallback;
      if (chosen === null) { span.style.visibility = "hidden"; return; }
      span.style.transform = LABEL_PLACES[chosen];
      placed.push(span.getBoundingClientRect());
    });
  }
  function keepLabelsApart(map, cluster) {
    var timer = null;
    function later() {
      if (timer) { root.clearTimeout(timer); }
      timer = root.setTimeout(function () { placeLabels(map); }, 120);
    }
    map.on("zoomend moveend resize", later);
    if (cluster) { cluster.on("animationend", later); }
    later();
  }

  /* Narrow maps (phones): a one-line attribution that opens on hover, focus or
   * tap, so that it does not cover the bottom of the map. */
  function compactAttribution(map) {
    var container = map.getContainer(), width = map.getSize().x;
    container.classList.toggle("pn-map--narrow", width < NARROW_MAP);
    var attribution = container.querySelector(".leaflet-control-attribution");
    if (attribution) {
      attribution.style.setProperty("--pn-attr-width", Math.max(120, width - 110) + "px");
      attribution.style.setProperty("--pn-attr-open", Math.max(120, width - 20) + "px");
    }
    if (attribution && !attribution.hasAttribute("tabindex")) {
      attribution.setAttribute("tabindex", "0");
      attribution.addEventListener("click", function () {
        attribution.classList.toggle("pn-open");
      });
    }
  }

  /* A popup takes the focus when it opens (Escape closes it: Leaflet's
   * keyboard handler); the focus goes back to its marker when it closes. */
  function popupFocus(map) {
    map.on("popupopen", function (e) {
      var el = e.popup.getElement(), content = el && el.querySelector(".leaflet-popup-content");
      if (!content) { return; }
      content.setAttribute("tabindex", "-1");
      content.setAttribute("role", "dialog");
      var name = content.querySelector(".pn-card__name");
      if (name) { content.setAttribute("aria-label", name.textContent); }
      content.addEventListener("keydown", function (ev) {
        if (ev.key === "Escape") { ev.stopPropagation(); map.closePopup(); }
      });
      root.setTimeout(function () { content.focus({ preventScroll: true }); }, 0);
    });
    map.on("popupclose", function (e) {
      var source = e.popup._source, icon = source && source._icon;
      if (icon && icon.isConnected) { icon.focus({ preventScroll: true }); }
    });
  }

  function buildPartners(state, data, options) {
    var map = state.map, ctx = data.context, pending = options.focus || null;
    namedClasses();
    popupFocus(map);
    var icons = {}, groups = {}, order = [];
    data.categories.forEach(function (c) {
      icons[c.key] = L.divIcon({
        className: "pn-marker pn-marker--" + c.key, html: c.svg,
        iconSize: [28, 36], iconAnchor: [14, 35], popupAnchor: [0, -30], tooltipAnchor: [12, -20]
      });
      groups[c.key] = [];
      order.push(c.key);
    });
    var popup = function (layer) { return renderCard(decode(layer._pnIndex, data), ctx); };
    /* popups stay inside the map, clear of the zoom and layer controls at the
     * top (close "×" visible), and never wider than a phone's map */
    var popupOptions = {
      // the content's width; the frame adds about 30 px of padding and border
      maxWidth: Math.max(160, Math.min(340, map.getSize().x - 84)),
      minWidth: Math.max(120, Math.min(220, map.getSize().x - 84)),
      autoPanPaddingTopLeft: [12, 92], autoPanPaddingBottomRight: [12, 36]
    };
    var cats = data.columns.category, catTable = data.tables.category;
    var names = data.columns.name, ids = data.columns.id;
    for (var i = 0; i < data.n; i++) {
      var cat = catTable[cats[i]];
      var marker = new NamedMarker([data.lat[i], data.lon[i]], {
        icon: icons[cat], riseOnHover: true, label: markerLabel(i, data, ctx)
      });
      marker._pnIndex = i;
      marker.bindPopup(popup, popupOptions);
      groups[cat].push(marker);
      state.markers[ids[i]] = marker;
    }
    state.count = data.n;

    function focus() {
      if (!pending) { return; }
      var marker = state.markers[pending];
      pending = null;
      if (!marker) { return; }
      reveal(state, marker, function () { marker.openPopup(); });
    }

    var cluster = L.markerClusterGroup({
      chunkedLoading: true,
      showCoverageOnHover: false,
      spiderfyOnMaxZoom: true,
      maxClusterRadius: options.clusterRadius || 45,
      iconCreateFunction: clusterIcon(options.texts || {}),
      chunkProgress: function (done, total) {
        if (done === total && !state.ready) {
          state.ready = true;
          root.setTimeout(focus, 0);
        }
      }
    });
    state.cluster = cluster;
    var all = [];
    var overlays = {};
    order.forEach(function (key, i) {
      var layer = categoryLayer(cluster, groups[key]);
      state.layers[key] = layer;
      all = all.concat(groups[key]);
      layer._preloaded = true;
      layer.addTo(map);
      overlays[data.categories[i].control] = layer;
    });
    if (options.townLayer && options.townLabel) {
      overlays[options.townLabel] = options.townLayer;
    }
    cluster.addLayers(all, true);
    cluster.addTo(map);
    if (!all.length) { state.ready = true; }
    if (options.layerControl !== false) {
      L.control.layers(null, overlays, { collapsed: options.collapsed !== false, position: "topright" })
        .addTo(map);
    }
    var legendBox = null;
    if (options.legend) {
      var legend = control("bottomleft", options.legend, "pn-legend");
      legend.addTo(map);
      legendBox = legend.getContainer();
      legendBehaviour(map, legendBox);
    }
    compactAttribution(map);
    if (!options.focus) { fitClear(map, options.fit, legendBox); }
    keepLabelsApart(map, cluster);
  }

  root.Partnernetz = {
    esc: esc,
    safeUrl: safeUrl,
    renderCard: renderCard,
    decode: decode,
    setup: setup,
    townLayer: townLayer,
    control: control,
    partnerLayer: partnerLayer,
    reveal: function (state, id, done) {
      var marker = state.markers[id];
      if (marker) { reveal(state, marker, done || function () {}); }
      return !!marker;
    },
    maps: maps
  };
})(typeof window !== "undefined" ? window : globalThis);
