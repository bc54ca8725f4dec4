// Maps: progressive enhancement of templates/_macros/maps.html with Leaflet
// (static/vendor/leaflet/, loaded before this file by the map_assets macro).
//
// The page loads these files only when MAP_TILE_URL is set; without them, or without
// JavaScript, the coordinate fields and the list of places work as they are. This script
// shows the map the server left hidden, with the settings it wrote into data-* attributes.
//
// The point picker: a click on the map (or dragging the marker) sets the point and fills
// both fields; by keyboard, the map takes focus, the arrow keys move it (Leaflet), and the
// button "Set the point at the map's centre" sets it there; typing into the fields moves
// the marker. The fields stay what the form sends: the map only writes into them.
//
// Content-Security-Policy: Leaflet places panes, tiles and markers through element.style
// (the CSSOM), which style-src 'self' allows. Nothing here writes a style attribute, and
// text from the server (titles, attribution) goes in as text, never as HTML.
(function () {
  "use strict";

  const L = window.L;
  if (!L || !document.querySelector) return; // Leaflet missing: the fields stay as they are

  function numbers(text) {
    return (text || "").split(",").map(Number);
  }

  function escapeHtml(text) {
    const span = document.createElement("span");
    span.textContent = text;
    return span.innerHTML;
  }

  // A Leaflet map in `element`, set up from the data-* attributes in `data`.
  function createMap(element, data) {
    // Who asked the system for less motion gets no fading, zooming or gliding on.
    const calm = Boolean(window.matchMedia &&
      window.matchMedia("(prefers-reduced-motion: reduce)").matches);
    const options = {
      center: numbers(data.center),
      zoom: Number(data.zoom),
      maxZoom: Number(data.maxZoom) || 18,
      zoomControl: false,
      attributionControl: false,
      keyboard: true,
      fadeAnimation: !calm,
      zoomAnimation: !calm,
      markerZoomAnimation: !calm,
      inertia: !calm,
    };
    let area = null;
    if (data.bounds) {
      const box = numbers(data.bounds);
      area = L.latLngBounds([box[0], box[1]], [box[2], box[3]]);
      options.maxBounds = area.pad(0.1);
    }
    const map = L.map(element, options);
    L.control.zoom({ zoomInTitle: data.zoomIn, zoomOutTitle: data.zoomOut }).addTo(map);
    // Leaflet's own prefix carries an English title and an inline SVG flag; a plain link.
    L.control.attribution({ prefix: '<a href="https://leafletjs.com" hreflang="en">Leaflet</a>' })
      .addTo(map);
    L.tileLayer(data.tileUrl, {
      attribution: escapeHtml(data.attribution || ""),
      maxZoom: options.maxZoom,
    }).addTo(map);
    // The close button of a popup says "Close popup" in English: in the page's language.
    map.on("popupopen", (event) => {
      const close = event.popup.getElement().querySelector(".leaflet-popup-close-button");
      if (close) {
        close.setAttribute("aria-label", data.close);
        close.setAttribute("title", data.close);
      }
    });
    // A map laid out while its box had no size (a phone turned, a section opened) would
    // show grey: tell Leaflet whenever the box changes.
    if (window.ResizeObserver) new ResizeObserver(() => map.invalidateSize()).observe(element);
    return { map: map, area: area };
  }

  // --- the point picker --------------------------------------------------------------------

  // What was typed into a coordinate field, as the server reads it (core/maps.py), or null.
  function coordinate(input, limit) {
    let text = input.value.trim().replace("\u2212", "-").replace(/°$/, "").trim();
    if (/^[-+]?\d*,\d*$/.test(text)) text = text.replace(",", ".");
    if (!/^[-+]?(\d+\.?\d*|\.\d+)$/.test(text)) return null;
    const value = Number(text);
    return Math.abs(value) <= limit ? value : null;
  }

  function setUpPicker(fieldset) {
    const data = fieldset.dataset;
    const latInput = document.getElementById(data.lat);
    const lngInput = document.getElementById(data.lng);
    const tools = fieldset.querySelector("[data-map-tools]");
    const element = fieldset.querySelector("[data-map]");
    const status = fieldset.querySelector("[data-map-status]");
    if (!latInput || !lngInput || !tools || !element) return;
    tools.hidden = false; // before Leaflet measures the box
    const made = createMap(element, data);
    const map = made.map;
    let marker = null;

    function typedPoint() {
      const lat = coordinate(latInput, 90);
      const lng = coordinate(lngInput, 180);
      return lat === null || lng === null ? null : L.latLng(lat, lng);
    }

    function showMarker(point) {
      if (!point) {
        if (marker) marker.remove();
        marker = null;
        return;
      }
      if (marker) {
        marker.setLatLng(point);
        return;
      }
      // Not a tab stop of its own: the map, the buttons and the fields are the keyboard's way.
      marker = L.marker(point, { alt: data.marker, keyboard: false, draggable: true });
      marker.on("dragend", () => choose(marker.getLatLng()));
      marker.addTo(map);
    }

    function say(text) {
      status.textContent = text;
    }

    function choose(latlng) {
      const point = L.latLng(latlng.lat, latlng.lng).wrap(); // the world may be panned round
      if (made.area && !made.area.contains(point)) {
        showMarker(typedPoint()); // a dragged marker goes back
        say(data.outside);
        return;
      }
      latInput.value = point.lat.toFixed(5);
      lngInput.value = point.lng.toFixed(5);
      showMarker(point);
      say(data.set.replace("{lat}", latInput.value).replace("{lng}", lngInput.value));
    }

    map.on("click", (event) => choose(event.latlng));
    fieldset.querySelector("[data-map-centre]").addEventListener("click", () => {
      choose(map.getCenter());
    });
    fieldset.querySelector("[data-map-clear]").addEventListener("click", () => {
      latInput.value = "";
      lngInput.value = "";
      showMarker(null);
      say(data.cleared);
    });
    for (const input of [latInput, lngInput]) {
      input.addEventListener("input", () => {
        const point = typedPoint();
        say(""); // what the map last said is no longer true
        showMarker(point);
        if (point && !map.getBounds().contains(point)) map.panTo(point);
      });
    }

    const start = typedPoint(); // editing, or the form came back with an error
    if (start) {
      showMarker(start);
      map.setView(start, map.getZoom());
    }
  }

  // --- the map of a list's places ----------------------------------------------------------

  function setUpPointsMap(element) {
    let points;
    try {
      points = JSON.parse(element.dataset.points || "[]");
    } catch (error) {
      return;
    }
    if (!points.length) return;
    element.hidden = false;
    const map = createMap(element, element.dataset).map;
    const places = [];
    for (const point of points) {
      const link = document.createElement("a");
      link.href = point.url;
      link.textContent = point.title; // residents' text: never as HTML
      const marker = L.marker([point.lat, point.lng], {
        alt: point.title, title: point.title, keyboard: true, riseOnHover: true,
      });
      marker.bindPopup(link);
      // Opened by keyboard (Enter on the marker): the link takes the focus; Escape closes
      // the popup and gives it back to the marker.
      marker.on("popupopen", () => {
        if (document.activeElement === marker.getElement()) link.focus();
      });
      link.addEventListener("keydown", (event) => {
        if (event.key !== "Escape") return;
        event.stopPropagation();
        marker.closePopup();
        marker.getElement().focus();
      });
      marker.addTo(map);
      places.push([point.lat, point.lng]);
    }
    if (places.length === 1) map.setView(places[0], Number(element.dataset.zoom));
    else map.fitBounds(places, { padding: [32, 32], maxZoom: 17 });
  }

  document.querySelectorAll("[data-point-picker]").forEach(setUpPicker);
  document.querySelectorAll("[data-points-map]").forEach(setUpPointsMap);
})();
