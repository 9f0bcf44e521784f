// The events map: packaged Natural Earth boundaries (countries, then the first-level
// divisions of the countries that have events), an optional tile layer, and one circle per
// event (or per incident, its reports counted once) whose popup links to the event's (or
// the incident's) page: coloured by event type, hollow and dashed when
// the place is approximate (precision 2 or 3), clustered where events crowd (a cluster
// spreads its events out when clicked at the deepest zoom). Text from reports is inserted
// as text nodes.
"use strict";

window.addEventListener("DOMContentLoaded", function () {
  var element = document.getElementById("map");
  var status = document.getElementById("map-status");
  // No fade: a popup is readable (and testable) as soon as it opens.
  // maxZoom: clustering needs to know the deepest zoom (there it spreads a cluster out).
  var map = L.map(element, { worldCopyJump: true, fadeAnimation: false, maxZoom: 18 }).setView([20, 10], 2);
  var tileUrl = element.dataset.tileUrl;
  if (tileUrl) {
    L.tileLayer(tileUrl, { maxZoom: 18 }).addTo(map);
  }

  function getJson(url) {
    return fetch(url, { credentials: "same-origin" }).then(function (response) {
      if (!response.ok) {
        throw new Error(url + ": " + response.status);
      }
      return response.json();
    });
  }

  // The same class names as the timeline's legend (web/_timeline.py css_class).
  function typeClass(eventType) {
    return "type-" + eventType.toLowerCase().replace(/[^a-z0-9]/g, "-");
  }

  function popupFor(properties) {
    var box = document.createElement("div");
    var link = document.createElement("a");
    var incident = properties.incident_id !== undefined;
    link.href = incident
      ? "/incidents/" + encodeURIComponent(properties.incident_id)
      : "/events/" + encodeURIComponent(properties.event_id);
    link.textContent = properties.event_type + " · " + (properties.sub_event_type || "");
    link.className = "popup-link";
    box.appendChild(link);
    var lines = [
      (properties.event_date || "undated") + " · " + properties.fatalities + " fatalities",
      [properties.location, properties.admin1, properties.country].filter(Boolean).join(", "),
    ];
    if (incident) {
      lines.push(properties.reports + " report(s), " + properties.corroboration +
        " independent source(s)" + (properties.flags.length ? " · " + properties.flags.join(", ") : ""));
    }
    lines.forEach(function (text) {
      var line = document.createElement("div");
      line.textContent = text;
      box.appendChild(line);
    });
    return box;
  }

  var countries = getJson(element.dataset.worldUrl).then(function (world) {
    var shapes = topojson.feature(world, world.objects.countries);
    L.geoJSON(shapes, { className: "country", interactive: false }).addTo(map);
  });

  countries
    .catch(function (error) {
      status.textContent = "Country boundaries missing (" + error.message + ").";
    })
    .then(function () {
      return getJson(element.dataset.eventsUrl);
    })
    .then(function (events) {
      var codes = {};
      events.features.forEach(function (feature) {
        if (feature.properties.iso2) {
          codes[feature.properties.iso2] = true;
        }
      });
      var admin1 = Object.keys(codes).map(function (code) {
        return getJson(element.dataset.admin1Url + code)
          .then(function (regions) {
            L.geoJSON(regions, { className: "admin1", interactive: false }).addTo(map);
          })
          .catch(function () { /* a country without packaged divisions: outline only */ });
      });
      return Promise.all(admin1).then(function () { return events; });
    })
    .then(function (events) {
      var clusters = L.markerClusterGroup({
        spiderfyOnMaxZoom: true,
        showCoverageOnHover: false,
        maxClusterRadius: 40,
        animate: false,
      });
      var layer = L.geoJSON(events, {
        pointToLayer: function (feature, latlng) {
          var radius = 5 + Math.min(12, Math.sqrt(feature.properties.fatalities) * 2);
          var exact = (feature.properties.geo_precision || 1) === 1;
          return L.circleMarker(latlng, {
            radius: radius,
            className: "event-marker " + typeClass(feature.properties.event_type) +
              (exact ? " precise" : " approximate"),
          });
        },
        onEachFeature: function (feature, marker) {
          marker.bindPopup(popupFor(feature.properties));
          marker.on("add", function () {
            var path = marker.getElement();
            if (path && feature.properties.incident_id !== undefined) {
              path.setAttribute("data-incident-id", feature.properties.incident_id);
              path.setAttribute("data-reports", feature.properties.reports);
            } else if (path) {
              path.setAttribute("data-event-id", feature.properties.event_id);
            }
          });
        },
      });
      clusters.addLayer(layer);
      map.addLayer(clusters);
      var shown = events.features.length;
      if (shown) {
        map.fitBounds(layer.getBounds().pad(0.5), { maxZoom: 7, animate: false });
      }
      status.textContent = shown + " " + (element.dataset.unit || "events").replace(/s$/, "(s)") + " on the map" +
        (events.unlocated ? "; " + events.unlocated + " without coordinates (see the table)." : ".");
      element.dataset.ready = "true";
    })
    .catch(function (error) {
      status.textContent = "Could not load the events: " + error.message;
    });
});
