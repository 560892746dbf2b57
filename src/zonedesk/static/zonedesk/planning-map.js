/* ZoneDesk — the planning map, drawn with the vendored Leaflet (static/vendor/leaflet).
   Each <div data-planning-map="ID"> names a <script type="application/json" id="ID"> written by
   Django's json_script (no inline scripts): where to fetch the zone's GeoJSON (or the features
   themselves), the colours of land uses and occupancies, the parcel selected by a search, the
   finder's matches, the optional base map and the texts to show. No base map unless the server
   configures one, so the map works on a closed network. The page works without this script:
   the legend, the search, the finder and the parcel cards are served by the server. */
(function () {
  "use strict";

  var GREY = "#9e9e9e";
  var DEFAULT_VIEW = [[21.0, 105.5], 12]; // Hoa Lac, when a zone has no plan yet

  function readData(id) {
    var el = document.getElementById(id);
    if (!el) return null;
    try { return JSON.parse(el.textContent); } catch (e) { return null; }
  }

  function asSet(list) {
    if (!list) return null;
    var out = {};
    list.forEach(function (code) { out[code] = true; });
    return out;
  }

  function textElement(text) {
    // tooltips get DOM text, never HTML built from feature properties
    var span = document.createElement("span");
    span.textContent = text;
    return span;
  }

  function PlanningMap(el, cfg) {
    var L = window.L;
    var self = this;
    this.el = el;
    this.cfg = cfg;
    this.labels = cfg.labels || {};
    this.status = cfg.static ? null : document.querySelector("[data-map-status]");
    this.panel = cfg.static ? null : document.getElementById("parcel-panel");
    this.state = { colour: cfg.colour || "land_use", selected: cfg.selected || "", matches: asSet(cfg.matches) };
    this.byCode = {};
    this.groups = {};
    this.pendingCard = null;
    this.map = L.map(el, {
      zoomSnap: 0.25,
      zoomDelta: 0.5,
      maxZoom: 20,
      scrollWheelZoom: !cfg.static,
      attributionControl: true
    });
    if (cfg.tiles && cfg.tiles.url) {
      L.tileLayer(cfg.tiles.url, { attribution: cfg.tiles.attribution || "", maxZoom: 20 }).addTo(this.map);
      el.classList.add("has-tiles");
    } else {
      el.classList.add("no-tiles");
    }
    L.control.scale({ imperial: false }).addTo(this.map);

    if (cfg.data) {
      this.draw(cfg.data);
    } else if (cfg.url) {
      this.say(this.labels.loading || "");
      this.map.setView(DEFAULT_VIEW[0], DEFAULT_VIEW[1]);
      fetch(cfg.url, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (response) {
          if (!response.ok) throw new Error(response.status);
          return response.json();
        })
        .then(function (data) { self.draw(data.layers || {}); })
        .catch(function () {
          self.say(self.labels.error || "");
          el.classList.add("map-failed");
        });
    }
  }

  PlanningMap.prototype.say = function (text) {
    if (this.status) this.status.textContent = text;
  };

  PlanningMap.prototype.landUseColour = function (code) {
    return (this.cfg.land_use_colors || {})[code] || GREY;
  };

  PlanningMap.prototype.parcelStyle = function (feature) {
    var p = feature.properties;
    var state = this.state;
    var fill = state.colour === "occupancy"
      ? (this.cfg.occupancy_colors || {})[p.occupancy] || GREY
      : this.landUseColour(p.land_use);
    var isMatch = !!(state.matches && state.matches[p.code]);
    var isSelected = state.selected === p.code;
    return {
      fillColor: fill,
      fillOpacity: state.matches && !isMatch ? 0.22 : 0.78,
      color: isSelected ? "#c2410c" : (isMatch ? "#111111" : "#39424e"),
      weight: isSelected ? 4 : (isMatch ? 3 : 0.8),
      opacity: state.matches && !isMatch && !isSelected ? 0.5 : 1
    };
  };

  PlanningMap.prototype.decorate = function (layer) {
    // classes and the code on the SVG path: the finder's matches and the selection can be told
    // apart without colour (and found by tests); a path is made anew each time it is shown
    var path = layer.getElement && layer.getElement();
    if (!path) return;
    var code = layer.feature.properties.code;
    path.setAttribute("data-code", code);
    path.classList.add("parcel-shape");
    path.classList.toggle("is-match", !!(this.state.matches && this.state.matches[code]));
    path.classList.toggle("is-selected", this.state.selected === code);
  };

  PlanningMap.prototype.restyle = function () {
    var self = this;
    if (!this.groups.parcels) return;
    this.groups.parcels.eachLayer(function (layer) {
      layer.setStyle(self.parcelStyle(layer.feature));
      self.decorate(layer);
    });
    var selected = this.byCode[this.state.selected];
    if (selected && this.map.hasLayer(selected)) selected.bringToFront();
  };

  PlanningMap.prototype.draw = function (layers) {
    var L = window.L;
    var self = this;
    var overlays = {};
    var boundary = layers.boundary, areas = layers.areas, parcels = layers.parcels;

    if (boundary && boundary.features.length) {
      this.groups.boundary = L.geoJSON(boundary, {
        interactive: false,
        style: function () { return { color: "#1b2430", weight: 2.5, dashArray: "8 5", fill: false }; }
      });
      overlays[this.labels.boundary || "boundary"] = this.groups.boundary;
    }
    if (areas && areas.features.length) {
      this.groups.areas = L.geoJSON(areas, {
        style: function (f) {
          var colour = self.landUseColour(f.properties.land_use);
          return { color: "#5a6573", weight: 1.5, dashArray: "3 3", fillColor: colour, fillOpacity: 0.14 };
        },
        onEachFeature: function (f, layer) {
          var p = f.properties;
          layer.bindTooltip(textElement((p.name || p.code) + " · " + (p.land_use_name || p.land_use)), { sticky: true });
        }
      });
      overlays[this.labels.areas || "areas"] = this.groups.areas;
    }
    if (parcels && parcels.features.length) {
      this.groups.parcels = L.geoJSON(parcels, {
        style: function (f) { return self.parcelStyle(f); },
        onEachFeature: function (f, layer) {
          var p = f.properties;
          self.byCode[p.code] = layer;
          layer.bindTooltip(textElement(p.code + " · " + (p.land_use_name || p.land_use)), { sticky: true });
          layer.on("add", function () { self.decorate(layer); });
          if (!self.cfg.static) {
            layer.on("click", function () { self.select(p.code, { card: true }); });
          }
        }
      });
      overlays[this.labels.parcels || "parcels"] = this.groups.parcels;
    }

    if (!Object.keys(overlays).length) {
      this.say(this.labels.empty || "");
      this.el.classList.add("map-empty");
      return;
    }
    this.fit();
    ["boundary", "areas", "parcels"].forEach(function (name) {
      if (self.groups[name]) self.groups[name].addTo(self.map);
    });
    if (!this.cfg.static) {
      L.control.layers(null, overlays, { collapsed: true, position: "topright" }).addTo(this.map);
    }
    this.restyle();
    this.say("");
    this.el.setAttribute("data-ready", "1");
  };

  PlanningMap.prototype.fit = function () {
    var L = window.L;
    var self = this;
    var options = { padding: [24, 24], maxZoom: 18 };
    var selected = this.byCode[this.state.selected];
    if (selected) return this.map.fitBounds(selected.getBounds(), options);
    if (this.state.matches) {
      var bounds = null;
      Object.keys(this.state.matches).forEach(function (code) {
        var layer = self.byCode[code];
        if (!layer) return;
        bounds = bounds ? bounds.extend(layer.getBounds()) : L.latLngBounds(layer.getBounds().getSouthWest(), layer.getBounds().getNorthEast());
      });
      if (bounds) return this.map.fitBounds(bounds, { padding: [24, 24], maxZoom: 17 });
    }
    var group = this.groups.boundary || this.groups.parcels || this.groups.areas;
    if (group) this.map.fitBounds(group.getBounds(), { padding: [16, 16] });
  };

  PlanningMap.prototype.select = function (code, options) {
    var layer = this.byCode[code];
    if (!layer) return;
    this.state.selected = code;
    this.restyle();
    if (options.zoom) this.map.fitBounds(layer.getBounds(), { padding: [24, 24], maxZoom: 18 });
    if (options.card) this.loadCard(code);
  };

  PlanningMap.prototype.loadCard = function (code) {
    var self = this;
    var panel = this.panel;
    if (!panel || !this.cfg.card_url) return;
    var url = this.cfg.card_url.replace(this.cfg.placeholder, encodeURIComponent(code));
    this.pendingCard = code;
    panel.setAttribute("aria-busy", "true");
    fetch(url, { credentials: "same-origin", headers: { Accept: "text/html" } })
      .then(function (response) {
        if (!response.ok) throw new Error(response.status);
        return response.text();
      })
      .then(function (html) {
        if (self.pendingCard !== code) return; // another parcel was clicked meanwhile
        panel.innerHTML = html; // our own server's template, escaped by Django
        panel.classList.remove("is-empty");
        panel.removeAttribute("aria-busy");
        var heading = panel.querySelector("h2");
        if (heading) heading.focus({ preventScroll: true });
        if (panel.scrollIntoView) panel.scrollIntoView({ block: "nearest" });
      })
      .catch(function () {
        if (self.pendingCard !== code) return;
        panel.removeAttribute("aria-busy");
        panel.textContent = "";
        var p = document.createElement("p");
        p.className = "errorlist";
        p.textContent = self.labels.card_error || "";
        panel.appendChild(p);
      });
  };

  PlanningMap.prototype.setColour = function (colour) {
    this.state.colour = colour;
    this.restyle();
    Array.prototype.forEach.call(document.querySelectorAll("[data-legend]"), function (el) {
      el.hidden = el.getAttribute("data-legend") !== colour;
    });
    // the other forms carry the colouring, and so does the address (reload, print, share)
    Array.prototype.forEach.call(document.querySelectorAll("input[type=hidden][name=colour]"), function (input) {
      input.value = colour;
    });
    if (window.history && window.history.replaceState && window.URL) {
      var url = new URL(window.location.href);
      url.searchParams.set("colour", colour);
      window.history.replaceState(null, "", url.toString());
    }
  };

  PlanningMap.prototype.refit = function () {
    // the container changed size (printing): keep what the reader was looking at in the middle
    var center, zoom;
    try { center = this.map.getCenter(); zoom = this.map.getZoom(); } catch (e) { return; } // no view yet
    this.map.invalidateSize({ animate: false });
    this.map.setView(center, zoom, { animate: false });
  };

  function enhancePage(pm) {
    Array.prototype.forEach.call(document.querySelectorAll("input[data-map-colour]"), function (radio) {
      radio.addEventListener("change", function () { if (radio.checked) pm.setColour(radio.value); });
    });
    Array.prototype.forEach.call(document.querySelectorAll("[data-show-parcel]"), function (button) {
      button.hidden = false;
      button.addEventListener("click", function () {
        pm.select(button.getAttribute("data-show-parcel"), { zoom: true, card: true });
        if (pm.el.scrollIntoView) pm.el.scrollIntoView({ block: "nearest" });
      });
    });
  }

  var maps = [];

  document.addEventListener("DOMContentLoaded", function () {
    if (!window.L) return;
    Array.prototype.forEach.call(document.querySelectorAll("[data-planning-map]"), function (el) {
      var cfg = readData(el.getAttribute("data-planning-map"));
      if (!cfg) return;
      var pm = new PlanningMap(el, cfg);
      maps.push(pm);
      if (!cfg.static) enhancePage(pm);
    });
  });
  // the printed page is not as wide as the screen: resize the map to it, and back afterwards
  window.addEventListener("beforeprint", function () { maps.forEach(function (pm) { pm.refit(); }); });
  window.addEventListener("afterprint", function () { maps.forEach(function (pm) { pm.refit(); }); });
  if (window.matchMedia) {
    var printing = window.matchMedia("print");
    var onChange = function () { maps.forEach(function (pm) { pm.refit(); }); };
    if (printing.addEventListener) printing.addEventListener("change", onChange);
  }
})();
