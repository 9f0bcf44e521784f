// The event page: review keys (j/k next/previous, v verify, r reject, e edit), the place
// picker (gazetteer search as you type, filling every place field at once), actor names
// from the dictionary with their inter codes, and a small map whose marker follows the
// coordinates in the form. Text from the server is inserted as text nodes only.
"use strict";

window.addEventListener("DOMContentLoaded", function () {
  var keys = window.sitrepKeys;
  function follow(id) {
    var link = document.getElementById(id);
    if (link) {
      window.location.href = link.href;
    }
  }
  function click(id) {
    var button = document.getElementById(id);
    if (button) {
      button.click();
    }
  }
  keys.on("j", function () { follow("next-event"); });
  keys.on("k", function () { follow("prev-event"); });
  keys.on("v", function () { click("verify"); });
  keys.on("r", function () { click("reject"); });
  keys.on("e", function () {
    var first = document.querySelector("#correct-form select, #correct-form input:not([type=hidden])");
    if (first) {
      first.focus();
    }
  });

  var form = document.getElementById("correct-form");
  if (!form) {
    return;
  }
  function field(name) {
    return form.elements.namedItem(name);
  }
  function getJson(url) {
    return fetch(url, { credentials: "same-origin" }).then(function (response) {
      return response.ok ? response.json() : [];
    });
  }

  // The small map: the event's point, moved whenever the coordinates change.
  var mapElement = document.getElementById("event-map");
  var marker = null;
  var map = null;
  function showPoint() {
    if (!map) {
      return;
    }
    var lat = parseFloat(field("latitude").value);
    var lon = parseFloat(field("longitude").value);
    if (isNaN(lat) || isNaN(lon)) {
      return;
    }
    if (marker) {
      marker.setLatLng([lat, lon]);
    } else {
      marker = L.circleMarker([lat, lon], { radius: 7, className: "event-marker" }).addTo(map);
    }
    map.setView([lat, lon], 8, { animate: false });
    mapElement.dataset.lat = lat;
    mapElement.dataset.lon = lon;
  }
  if (mapElement && window.L) {
    map = L.map(mapElement, { zoomControl: false, attributionControl: false, fadeAnimation: false }).setView([34, 38], 5);
    var tileUrl = document.body.dataset.tileUrl;
    if (tileUrl) {
      L.tileLayer(tileUrl, { maxZoom: 18 }).addTo(map);
    }
    fetch("/assets/world-atlas/countries-110m.json", { credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (world) {
        if (world && window.topojson) {
          L.geoJSON(topojson.feature(world, world.objects.countries), { className: "country", interactive: false }).addTo(map);
        }
      })
      .catch(function () { /* outline only */ });
    showPoint();
    ["latitude", "longitude"].forEach(function (name) {
      field(name).addEventListener("change", showPoint);
    });
    mapElement.dataset.ready = "true";
  }

  // Place picker.
  var search = document.getElementById("place-search");
  var results = document.getElementById("place-results");
  var pending = null;
  // A place of GET /api/places: {place_id, location, kind, country, admin1, admin2,
  // latitude, longitude}; its id goes with the form so the server sets every place field
  // from the gazetteer.
  var placeId = document.getElementById("place-id");
  function precisionOf(place) {
    return /^(ADM|PCL|RGN)/.test(place.kind || "") ? 3 : 1;
  }
  function choose(place) {
    var values = {
      location: place.location,
      country: place.country || "",
      admin1: place.admin1 || "",
      admin2: place.admin2 || "",
      latitude: place.latitude,
      longitude: place.longitude,
      geo_precision: precisionOf(place),
    };
    Object.keys(values).forEach(function (name) {
      field(name).value = values[name];
    });
    placeId.value = String(place.place_id);
    results.textContent = "";
    showPoint();
  }
  function lookUp() {
    var typed = search.value.trim();
    if (typed.length < 2) {
      results.textContent = "";
      return;
    }
    var url = "/api/places?limit=8&q=" + encodeURIComponent(typed);
    var country = field("country").value.trim();
    if (country) {
      url += "&country=" + encodeURIComponent(country);
    }
    getJson(url).then(function (places) {
      results.textContent = "";
      places.forEach(function (place) {
        var item = document.createElement("li");
        var button = document.createElement("button");
        button.type = "button";
        button.className = "place-choice";
        button.textContent = [place.location, place.admin2, place.admin1, place.country]
          .filter(Boolean).join(", ") + (precisionOf(place) === 3 ? " (region)" : "");
        button.addEventListener("click", function () { choose(place); });
        item.appendChild(button);
        results.appendChild(item);
      });
    });
  }
  if (search && results) {
    search.addEventListener("input", function () {
      placeId.value = "";  // a typed name is the analyst's own, not the picked place
      clearTimeout(pending);
      pending = setTimeout(lookUp, 150);
    });
  }

  // Actor names: the dictionary's, with their inter codes set when one is chosen.
  var known = document.getElementById("known-actors");
  var interOf = {};
  document.querySelectorAll(".actor-input").forEach(function (input) {
    input.addEventListener("input", function () {
      var typed = input.value.trim();
      if (interOf[typed] !== undefined) {
        field(input.dataset.interField).value = String(interOf[typed]);
        return;
      }
      if (typed.length < 2) {
        return;
      }
      getJson("/api/actors?q=" + encodeURIComponent(typed)).then(function (actors) {
        known.textContent = "";
        actors.forEach(function (actor) {
          interOf[actor.name] = actor.inter;
          var option = document.createElement("option");
          option.value = actor.name;
          known.appendChild(option);
        });
      });
    });
  });
});
