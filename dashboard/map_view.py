"""The choropleth, built in two parts so the map never flickers:

- the base (`base_map`): Leaflet map, kommune polygons and fylke borders. It depends
  only on the boundaries, so it is the same on every rerun: streamlit-folium keeps the
  map mounted and Streamlit's message cache sends its ~330 KB once;
- the payload (`map_payload` + `payload_layer`): for one indicator and year, each
  kommune's colour, tooltip text and status, the legend and the title. Sent as a
  streamlit-folium feature group, it restyles the polygons in place (~20 KB).

Pure functions: no Streamlit here. Every string that comes from data is HTML-escaped
in Python before it reaches the browser.
"""

from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass

import folium
import pandas as pd
from branca.element import MacroElement
from jinja2 import Template

from data_loaders.catalogue import INDICATORS
from data_loaders.derive import lacking_parts
from data_loaders.harmonise import conversion_pieces

from . import i18n
from .classify import (CONTRAST_SUPPRESSED_COLOUR, MISSING_COLOUR, SUPPRESSED_COLOUR, Classes,
                       make_classes)

# The app's static files (./static), addressed from the map's frame, which Streamlit
# serves at <app>/component/<component name>/index.html: relative, so that they are
# found under a server.baseUrlPath and behind a proxy that adds a path prefix.
APP_STATIC = "../../app/static/"
LEAFLET_JS = APP_STATIC + "vendor/leaflet/leaflet.js"
LEAFLET_CSS = APP_STATIC + "vendor/leaflet/leaflet.css"
NORWAY_BOUNDS = [[57.9, 4.5], [71.2, 31.2]]
# The map's height in px. At 1280 x 720 the normal view's map starts ~170 px down, so
# 540 keeps its attribution line on screen (560 cut it); presenting hides the frame.
HEIGHT, HEIGHT_PRESENTING = 540, 600
# The key of the component value the map sends once it has drawn, when its payload asks
# (`announce`): the page then draws the rest of itself (dashboard.map_first).
DRAWN_SIGNAL = "ik_drawn"

# Style flags understood by the map's JavaScript.
PLAIN, DASHED, MISSING, SUPPRESSED = 0, 1, 2, 3
FLAG_OF_STATUS = {"ok": PLAIN, "partial-year": PLAIN, "estimated": DASHED,
                  "incomplete": DASHED, "missing": MISSING, "suppressed": SUPPRESSED}


def flag_of(status: str, conversion: str | None) -> int:
    """How a figure is drawn, on the live map and in its files alike. One status cannot
    say both: a part year's figure for Haram or Ålesund (2023) is also an estimate from
    the whole 1507 (its conversion says so), and is drawn as one."""
    flag = FLAG_OF_STATUS.get(status, MISSING)
    if status == "partial-year" and {"split", "whole"} & conversion_pieces(conversion).keys():
        return DASHED
    return flag

# How a kommune is drawn and described: shared by the live map and the standalone HTML
# export (exports.map_html), so the two cannot disagree. `d` is the kommune's entry in
# the payload: [colour, value text, status text, conversion note, style flag].
KOMMUNE_JS = """
var PLAIN = 0, DASHED = 1, MISSING = 2, SUPPRESSED = 3;
var OUTSIDE_FOCUS = '#f7f7f7';
function ikStyle(code, d, selected, contrast, missingColour, focus, outlineColour) {
  var flag = d ? d[4] : MISSING;
  // The payload's colour (suppressed included), hatching where there is no figure,
  // black borders in the high-contrast palette.
  var s = {color: contrast ? '#000000' : '#ffffff', weight: contrast ? 0.7 : 0.6, opacity: 1,
           fillOpacity: contrast ? 1 : 0.92, fillColor: d ? d[0] : missingColour, dashArray: null};
  if (flag === MISSING) { s.fillColor = 'url(#ik-hatch)'; s.fillOpacity = 1; }
  if (flag === DASHED) { s.color = '#1a1a1a'; s.weight = 1.2; s.dashArray = '3 3'; }
  // The chosen kommune: in `outlineColour` (map_view.outline_colour), thicker over the
  // high-contrast palette.
  if (code === selected) { s.color = outlineColour; s.weight = contrast ? 3.5 : 2.5;
                           s.dashArray = null; }
  // A fylke chosen: the kommuner outside it stay for orientation as plain land. Faded
  // data colours looked like the lavender of "suppressed" (dark blue at 30 %).
  // In the high-contrast palette "suppressed" is white: there the outside is outlines on
  // a darker ground (see .ik-contrast .leaflet-container).
  else if (focus && code.slice(0, 2) !== focus) {
    s = {color: contrast ? '#6b6b6b' : '#bdbdbd', weight: 0.6, opacity: 1, fillColor: OUTSIDE_FOCUS,
         fillOpacity: contrast ? 0 : 1, dashArray: null};
  }
  return s;
}
// Frame Norway, a fylke or a kommune. A fylke or kommune should not hide under the
// title (top left) or the legend (bottom right), nor touch the edges; the legend's
// corner is kept free along the right side or along the bottom, whichever leaves the
// place larger (a wide fylke such as Finnmark, a tall one such as Nordland).
// A map narrower than NARROW_MAP px (beside the side column at 1024 px) has no room
// for Norway beside the title (it covered Troms) or the legend (it covered most of the
// south): there Norway is framed as a fylke is, below the title, its place beside or
// above the legend.
var NARROW_MAP = 520;
var SCENE_BAR_STRIP = 58;  // the bar's ~42 px and its 0.6rem from the foot, and a margin
function ikFit(map, bounds, whole, titleBox, legendBox) {
  // Framed to the nearest 0.05 of a zoom level, not the zoom buttons' 0.25: a quarter
  // step down could leave a fifth of the place's width unused.
  var snap = map.options.zoomSnap;
  map.options.zoomSnap = 0.05;
  try { ikFitPlace(map, bounds, whole, titleBox, legendBox); } finally { map.options.zoomSnap = snap; }
}
function ikFitPlace(map, bounds, whole, titleBox, legendBox) {
  // The legend's corner as the map sees it: the legend stands on the attribution line,
  // and its height alone left that line's ~30 px of the place under it.
  var frame = map.getContainer().getBoundingClientRect(), legend = legendBox.getBoundingClientRect();
  // The presentation view's scene bar floats over the map's foot: keep it clear too.
  var foot = (window.IK && IK.sceneBar) ? SCENE_BAR_STRIP : 0;
  var beside = [frame.right - legend.left + 12, Math.max(30, foot)];
  var above = [30, Math.max(frame.bottom - legend.top + 12, foot)];
  var narrow = map.getSize().x < NARROW_MAP;
  if (whole && !narrow) {
    map.fitBounds(bounds, {paddingTopLeft: [6, 6], paddingBottomRight: [6, Math.max(6, foot)]});
    return;
  }
  var topLeft = [whole ? 6 : 30, titleBox.offsetHeight + (whole ? 12 : 24)];
  var zoomWith = function (bottomRight) {
    return map.getBoundsZoom(bounds, false, L.point(topLeft[0] + bottomRight[0], topLeft[1] + bottomRight[1]));
  };
  map.fitBounds(bounds, {paddingTopLeft: topLeft,
                         paddingBottomRight: zoomWith(above) > zoomWith(beside) ? above : beside});
}
// The fylke borders: black and heavier over the high-contrast palette.
function ikBorderStyle(contrast) {
  return contrast ? {color: '#000000', weight: 2.2, opacity: 1, fill: false}
                  : {color: '#2b2b2b', weight: 1.4, opacity: 0.9, fill: false};
}
// The fylke borders over the kommuner, and the chosen kommune's outline over both: at
// a fylke's edge (Oslo is a fylke of its own) the border hid most of the selection.
function ikPanes(map) {
  [['ik-fylker', 450], ['ik-selected', 460]].forEach(function (pane) {
    map.createPane(pane[0]);
    map.getPane(pane[0]).style.zIndex = pane[1];
    map.getPane(pane[0]).style.pointerEvents = 'none';
  });
}
// The outline of `selected` (a code) in its own pane, replacing `old`; null if none.
// A white casing under the line: orange alone hardly showed over the orange classes of
// net migration's palette, nor the red over the high-contrast palette's dark classes.
// In the presentation view the lines grow with the screen as the text does (1.5 times
// at 1080p: at 2.5 px the outline was thin beside the larger title).
var OUTLINE_CASING = 3;
function ikOutline(map, layer, selected, contrast, old, outlineColour) {
  if (old) { map.removeLayer(old); }
  var feature = null;
  layer.eachLayer(function (l) {
    if (l.feature.properties.kommunenummer === selected) { feature = l.feature; }
  });
  if (!feature) { return null; }
  var s = ikStyle(selected, null, selected, contrast, '', null, outlineColour);
  // As the overlays' unit --u (MAP_CSS): the map's frame is 612 px high at 720p.
  var grow = document.body.classList.contains('ik-present')
    ? Math.min(2, Math.max(1, Math.min(window.innerHeight * 0.001634, window.innerWidth * 0.000805))) : 1;
  var line = function (colour, weight) {
    return L.geoJSON(feature, {pane: 'ik-selected', interactive: false,
                               style: {color: colour, weight: weight * grow, opacity: 1, fill: false,
                                       lineJoin: 'round'}});
  };
  return L.featureGroup([line('#ffffff', s.weight + OUTLINE_CASING), line(s.color, s.weight)]).addTo(map);
}
// A kommune's tooltip follows the pointer on the side where it covers none of the map's
// boxes (legend, attribution, zoom buttons, title) and stays inside the map, slid along
// that side if need be: Leaflet's 'auto' only looks left or right of the map's middle,
// and put Halden's and Oslo's tooltips under the legend (the boxes are above the map's
// panes, tooltips included). -> [side, offset].
function ikTipPlace(map, at, tip) {
  var frame = map.getContainer().getBoundingClientRect();
  // gap: Leaflet's margin between the pointer and a tooltip; pad: air around each box.
  var w = tip ? tip.offsetWidth : 240, h = tip ? tip.offsetHeight : 70, gap = 6, pad = 4;
  var boxes = [].slice.call(map.getContainer().querySelectorAll(
    '.ik-legend, .ik-title, .leaflet-control-attribution, .leaflet-control-zoom')).map(function (el) {
    var r = el.getBoundingClientRect();
    return [r.left - frame.left - pad, r.top - frame.top - pad, r.right - frame.left + pad,
            r.bottom - frame.top + pad];
  });
  function within(start, size, room) { return Math.max(0, Math.min(start, room - size)); }
  function cost(x0, y0) {
    // What is past the map's edge is cut off by the frame: worse than a cover (x3),
    // but its first few pixels are only the tooltip's padding.
    var slack = 8;
    var outX = Math.max(0, -x0 - slack) + Math.max(0, x0 + w - frame.width - slack);
    var outY = Math.max(0, -y0 - slack) + Math.max(0, y0 + h - frame.height - slack);
    var covered = 3 * (outX * h + outY * w);
    boxes.forEach(function (b) {
      covered += Math.max(0, Math.min(x0 + w, b[2]) - Math.max(x0, b[0])) *
                 Math.max(0, Math.min(y0 + h, b[3]) - Math.max(y0, b[1]));
    });
    return covered;
  }
  var sides = at.x < frame.width / 2 ? ['right', 'left', 'top', 'bottom'] : ['left', 'right', 'top', 'bottom'];
  var best = null, least = Infinity;
  sides.forEach(function (side) {
    var across = side === 'top' || side === 'bottom';
    var x0 = side === 'right' ? at.x + gap : side === 'left' ? at.x - gap - w : at.x - w / 2;
    var y0 = side === 'top' ? at.y - gap - h : side === 'bottom' ? at.y + gap : at.y - h / 2;
    // Slid along its side, as long as it still reaches the pointer: to stay inside the
    // map, or to clear a box (Sandefjord's name under the zoom buttons).
    var along = across ? x0 : y0, size = across ? w : h, room = across ? frame.width : frame.height;
    var point = across ? at.x : at.y;
    var starts = [within(along, size, room)];
    boxes.forEach(function (b) { starts.push(across ? b[2] : b[3], (across ? b[0] : b[1]) - size); });
    starts.forEach(function (start) {
      start = Math.min(Math.max(start, point - size + 10), point - 10);
      var shift = start - along;
      var covered = across ? cost(start, y0) : cost(x0, start);
      covered += Math.abs(shift) / 100;  // of two clear places, the nearer
      if (covered < least) { least = covered; best = [side, across ? [shift, 0] : [0, shift]]; }
    });
  });
  return best;
}
function ikTipHush() {
  try { if (window.parent !== window && window.parent.document) { return window.parent; } } catch (err) { /* another origin */ }
  return window;
}
function ikBindTip(map, layer, content) {
  // A click chooses the kommune: its tooltip goes (it covered the new outline until the
  // pointer moved off), and none opens until the pointer has moved away from where it
  // clicked. The page's run after the click draws the map anew, and the browser then
  // replays the pointer's entry (and Leaflet opens a tooltip on a click too): events at
  // the same place. So the hush ends only when the pointer moves, and is kept in the
  // app's window (the exported file's own), which outlives the map's layers and frame.
  // Before bindTooltip, so that these run before Leaflet opens or moves the tooltip: the
  // hush ends, and the tooltip's place is read.
  layer.on('mouseover mousemove mouseout', function (event) {
    var at = ikTipHush().ikHushedTip, e = event.originalEvent;
    if (at && e && Math.abs(e.screenX - at[0]) + Math.abs(e.screenY - at[1]) > 4) { ikTipHush().ikHushedTip = null; }
    var tip = layer.getTooltip();
    if (!tip || event.type === 'mouseout') { return; }
    var place = ikTipPlace(map, event.containerPoint, tip.getElement());
    tip.options.direction = place[0];
    tip.options.offset = L.point(place[1]);
  });
  layer.bindTooltip(content, {sticky: true, direction: 'right'});
  layer.on('click', function (event) {
    var e = event.originalEvent;
    ikTipHush().ikHushedTip = e ? [e.screenX, e.screenY] : null;
    layer.closeTooltip();
  });
  layer.on('tooltipopen', function () { if (ikTipHush().ikHushedTip) { layer.closeTooltip(); } });
}
function ikTooltip(feature, d) {
  var out = '<div class="ik-tip"><b>' + feature.properties.navn_html + '</b>';
  if (d) {
    if (d[1]) { out += '<br>' + d[1]; }  // no figure: no empty line before its status
    if (d[2]) { out += '<br><i>' + d[2] + '</i>'; }
    if (d[3]) { out += '<br><span class="ik-note">' + d[3] + '</span>'; }
  }
  return out + '</div>';
}
"""

_BASE_JS = Template("""
{% macro script(this, kwargs) %}
(function () {""" + KOMMUNE_JS + """
  var map = {{ this._parent.get_name() }};
  var IK = window.IK = window.IK || {};
  IK.map = map;
  // Leaflet focuses the map on mousedown (keyboard navigation) with a plain focus(),
  // which scrolls the component's page (a few pixels taller than its iframe) under the
  // pointer: the click then lands beside the kommune. Focus without scrolling instead.
  if (map.keyboard && map.keyboard.enabled()) {
    map.keyboard.disable();
    map.keyboard._onMouseDown = function () {
      if (!this._focused) { this._map._container.focus({preventScroll: true}); }
    };
    map.keyboard.enable();
  }
  // A presentation clicker sends Page Up / Page Down, some the arrow keys: when the map
  // has the focus (a kommune was clicked), pass them on to the app's page, where they
  // step through the scenes. The arrow keys only while scenes are loaded (the page
  // then listens for steps); otherwise they pan the map, as Leaflet's keyboard does.
  document.addEventListener('keydown', function (event) {
    var paging = event.key === 'PageUp' || event.key === 'PageDown';
    var arrow = event.key === 'ArrowLeft' || event.key === 'ArrowRight';
    if ((!paging && !arrow) || event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) { return; }
    try {
      var app = window.parent.document;
      if (window.parent === window || (arrow && !app.querySelector('.st-key-ik_scene_keys'))) { return; }
      app.dispatchEvent(new KeyboardEvent('keydown', {key: event.key, bubbles: true}));
      event.preventDefault();
      event.stopPropagation();  // capture, before Leaflet's own pan
    } catch (err) { /* not embedded in the app: nothing to step */ }
  }, true);
  map.attributionControl.setPrefix(false);
  map.attributionControl.addAttribution({{ this.attribution|tojson }});
  IK.sourceAttribution = null;
  IK.values = {};
  IK.selected = null;
  IK.style = function (feature) {
    var code = feature.properties.kommunenummer;
    return ikStyle(code, IK.values[code], IK.selected, IK.contrast, '{{ this.missing_colour }}',
                   IK.focus, IK.outlineColour);
  };
  IK.tooltip = function (feature) {
    return ikTooltip(feature, IK.values[feature.properties.kommunenummer]);
  };
  // Geometry comes from the app's static files (cached by the browser), not through
  // the websocket: reruns then carry only the small payload.
  function gunzipJson(url) {
    return fetch(url).then(function (r) {
      if (!r.ok) { throw new Error('HTTP ' + r.status); }
      return new Response(r.body.pipeThrough(new DecompressionStream('gzip'))).json();
    });
  }
  IK.ready = Promise.all([gunzipJson({{ this.kommuner_url|tojson }}),
                          gunzipJson({{ this.fylker_url|tojson }})])
    .then(function (docs) {
      IK.layer = L.geoJSON(docs[0], {
        style: IK.style,
        onEachFeature: function (feature, layer) {
          ikBindTip(map, layer, function () { return IK.tooltip(feature); });
          layer.on('add', function () {
            var el = layer.getElement();
            el.setAttribute('data-kommune', feature.properties.kommunenummer);
            el.setAttribute('aria-label', feature.properties.navn_plain);
            // One tab stop for the whole map, not 357 (the table view lists every
            // kommune for keyboard and screen-reader users).
            el.setAttribute('tabindex', '-1');
          });
        }
      }).addTo(map);
      ikPanes(map);
      IK.fylker = L.geoJSON(docs[1], {pane: 'ik-fylker', interactive: false,
        style: ikBorderStyle(false)}).addTo(map);
      // Diagonal hatching for kommuner without a figure: never a colour of the scale.
      var svg = IK.layer.getLayers()[0]._renderer._container;
      var defs = document.createElementNS('http://www.w3.org/2000/svg', 'defs');
      defs.innerHTML = '<pattern id="ik-hatch" patternUnits="userSpaceOnUse" width="6" height="6" ' +
        'patternTransform="rotate(45)"><rect width="6" height="6" fill="{{ this.missing_colour }}"/>' +
        '<line x1="0" y1="0" x2="0" y2="6" stroke="#8c8c8c" stroke-width="2"/></pattern>';
      svg.insertBefore(defs, svg.firstChild);
      // streamlit-folium listens for clicks on the layers present when it starts; these
      // arrived later, so let it attach its listeners again (Leaflet skips duplicates).
      if (window.initComponent) { window.initComponent(map, false); }
      if (IK.pending) { IK.update(IK.pending); IK.pending = null; }
    })
    .catch(function (err) {
      // Say so on the map rather than leave it blank.
      IK.titleBox.innerHTML = {{ this.load_failed|tojson }} + ' (' + String(err).slice(0, 80)
        .replace(/[<>&]/g, '') + ')';
      document.body.setAttribute('data-ik-error', '1');
      if (IK.pending && IK.pending.announce) { IK.sayDrawn(); }  // the page need not wait
    });

  function box(position, className) {
    var control = L.control({position: position});
    control.onAdd = function () {
      var div = L.DomUtil.create('div', className);
      L.DomEvent.disableClickPropagation(div);
      return div;
    };
    control.addTo(map);
    return control.getContainer();
  }
  // Norway fills the top right of its own bounding box; the sea (top left) and Sweden
  // (bottom right) are free for the title and the legend.
  IK.titleBox = box('topleft', 'ik-title');
  IK.legendBox = box('bottomright', 'ik-legend');
  var css = document.createElement('style');
  css.innerHTML = {{ this.css|tojson }};
  document.head.appendChild(css);

  IK.fit = function () {
    var width = map.getSize().x;
    map.once('moveend', function () {  // framed, and any zoom animation over
      document.body.setAttribute('data-ik-fitted', IK.fitToken + '|' + width);
    });
    ikFit(map, IK.fitBounds, IK.fitToken === 'norge', IK.titleBox, IK.legendBox);
  };
  // Across NARROW_MAP (the sidebar opened or closed at 1024 px) the boxes change size
  // and the place must be framed again, or the legend covers it: once the frame has
  // its new size (the sidebar slides, with a resize at each step).
  var crossed = false, settling = null;
  map.on('resize', function (event) {
    crossed = crossed || (event.oldSize.x < NARROW_MAP) !== (event.newSize.x < NARROW_MAP);
    clearTimeout(settling);
    settling = setTimeout(function () {
      if (crossed && IK.fitBounds) { crossed = false; IK.fit(); }
    }, 200);
  });

  IK.update = function (payload) {
    if (!IK.layer) { IK.pending = payload; return; }
    IK.values = payload.values;
    IK.selected = payload.selected;
    IK.contrast = !!payload.contrast;
    IK.sceneBar = !!payload.scene_bar;
    IK.focus = payload.focus;
    IK.outlineColour = payload.outline;
    document.body.classList.toggle('ik-present', !!payload.presenting);  // before the outline
    IK.layer.setStyle(IK.style);
    IK.fylker.setStyle(ikBorderStyle(IK.contrast));
    var outlineOf = payload.selected + '|' + payload.outline + '|' + payload.presenting;
    if (outlineOf !== IK.outlineOf) {  // not redrawn at every step of the animation
      IK.outlineOf = outlineOf;
      IK.outline = ikOutline(map, IK.layer, payload.selected, IK.contrast, IK.outline, payload.outline);
    }
    IK.layer.eachLayer(function (l) {
      if (l.feature.properties.kommunenummer === payload.selected) { l.bringToFront(); }
      // A tooltip open under a pointer that has not moved would go on showing the last
      // indicator's value and unit: re-read it (its content is a function of IK.values).
      if (l.isTooltipOpen()) { l.getTooltip().update(); }
    });
    IK.titleBox.innerHTML = payload.title_html;
    IK.legendBox.innerHTML = payload.legend_html;
    if (IK.sourceAttribution) { map.attributionControl.removeAttribution(IK.sourceAttribution); }
    IK.sourceAttribution = payload.attribution;
    map.attributionControl.addAttribution(payload.attribution);
    if (payload.fit && payload.fit.token !== IK.fitToken) {
      IK.fitToken = payload.fit.token;
      IK.fitBounds = payload.fit.bounds;
      // The iframe may still be sizing itself: measure, then fit.
      setTimeout(function () {
        map.invalidateSize();
        IK.fit();
      }, 50);
    }
    document.documentElement.lang = payload.lang;  // the map's words, for screen readers
    document.body.setAttribute('data-ik-state', payload.state);
    document.body.classList.toggle('ik-contrast', IK.contrast);
    if (payload.announce) { IK.sayDrawn(); }
  };
  // The page draws the rest of itself once its first map is drawn (dashboard.map_first):
  // tell it through the component's value, once, after the polygons are painted.
  IK.sayDrawn = function () {
    if (IK.saidDrawn) { return; }
    IK.saidDrawn = true;
    requestAnimationFrame(function () {
      window.parent.postMessage({isStreamlitMessage: true, type: 'streamlit:setComponentValue',
                                 value: {{ this.drawn_value|tojson }}, dataType: 'json'}, '*');
    });
  };
})();
{% endmacro %}
""")

_UPDATE_JS = Template("""
{% macro script(this, kwargs) %}
if (window.IK && window.IK.update) { window.IK.update({{ this.payload_json }}); }
else { window.IK = window.IK || {}; window.IK.pending = {{ this.payload_json }}; }
{% endmacro %}
""")

MAP_CSS = """
html, body { overflow: hidden; }
/* As high as the frame, which the presentation view sizes to the screen (the page's
   PRESENTING_MAP_CSS); elsewhere the frame has the map's own height. */
#map_div { height: 100vh !important; }
.leaflet-container { background: #eef3f7; font-family: "Source Sans Pro", Arial, sans-serif; }
/* The title keeps to about a third of the map's width (on the whole-country view, the sea
   west of Troms); the legend's notes wrap rather than widen it. */
.ik-title { background: rgba(255,255,255,0.94); padding: 8px 12px; border-radius: 6px;
  box-shadow: 0 1px 4px rgba(0,0,0,0.3); max-width: min(340px, 34vw); font-size: 15px;
  overflow-wrap: break-word;  /* 'introduksjonsprogrammet' is wider than the box at 1024 px */
  line-height: 1.3; color: #111; }
.ik-title b { font-size: 17px; }
.ik-title small { color: #333; font-size: 12.5px; }
.ik-legend { background: rgba(255,255,255,0.94); padding: 6px 10px; border-radius: 6px;
  box-shadow: 0 1px 4px rgba(0,0,0,0.3); font-size: 14px; line-height: 1.4; color: #111;
  max-width: 230px; }
.ik-legend .sw { display: inline-block; width: 22px; height: 14px; margin-right: 8px;
  vertical-align: -2px; border: 1px solid #777; }
.ik-legend .hatch { background: repeating-linear-gradient(45deg, #d9d9d9 0 3px, #8c8c8c 3px 5px); }
.ik-legend .dashed { border: 1.5px dashed #1a1a1a; background: #fff; }
.ik-legend .unit { font-weight: 600; margin-bottom: 2px; }
/* A long note wraps instead of running past the map's edge (the frame cuts it): Leaflet
   puts a tooltip on the side of the pointer away from the map's edge, so half the
   map's width (~285 px at 1280 px) less its offset must hold it. */
.ik-tip { font-size: 14px; line-height: 1.35; white-space: normal; width: max-content; max-width: 240px; }
/* A narrow map (NARROW_MAP in the script; beside the side column at 1024 px): smaller
   boxes, which covered a third of the country at full size. */
@media (max-width: 519.98px) {
  .ik-title { font-size: 13px; padding: 6px 9px; max-width: 48vw; }
  .ik-title b { font-size: 14px; }
  .ik-title small { font-size: 11px; }
  .ik-legend { font-size: 12px; line-height: 1.3; padding: 5px 8px; max-width: 180px; }
  .ik-legend .sw { width: 16px; height: 11px; margin-right: 6px; }
  .ik-note { font-size: 11px; }
}
/* Presentation view: readable in a 720p stream and from the back of the room. Sizes are
   in --u, 1px in the frame a 1280x720 screen gives the map (~1242x612) and as much more
   as a larger screen gives (1.5px at 1080p): a slide looks the same on any projector. */
.ik-present { --u: clamp(1px, min(0.1634vh, 0.0805vw), 2px); }
.ik-present .ik-title { font-size: calc(20 * var(--u)); max-width: min(calc(460 * var(--u)), 34vw); }
.ik-present .ik-title b { font-size: calc(24 * var(--u)); }
.ik-present .ik-title small { font-size: calc(15 * var(--u)); }
.ik-chosen { font-weight: 600; }
.ik-present .ik-legend { font-size: calc(18 * var(--u)); line-height: 1.45; max-width: calc(300 * var(--u)); }
.ik-present .ik-legend .sw { width: calc(28 * var(--u)); height: calc(18 * var(--u)); }
.ik-present .ik-tip { font-size: calc(18 * var(--u)); max-width: calc(380 * var(--u)); }
.ik-present .leaflet-control-attribution { font-size: calc(13 * var(--u)); }
.ik-present .leaflet-control-zoom a { width: calc(30 * var(--u)); height: calc(30 * var(--u));
  line-height: calc(30 * var(--u)); font-size: calc(22 * var(--u)); }
.ik-present .ik-note { font-size: calc(12 * var(--u)); }
.ik-note { font-size: 12px; color: #333; }
/* High-contrast palette: opaque boxes and black swatch outlines. */
.ik-contrast .leaflet-container { background: #c9d3dd; }
.ik-contrast .ik-title, .ik-contrast .ik-legend { background: #fff; color: #000; }
.ik-contrast .ik-legend .sw { border-color: #000; }
.ik-contrast .ik-title small { color: #000; }
"""


class _BaseLayer(MacroElement):
    _template = _BASE_JS

    def __init__(self, kommuner_url: str, fylker_url: str, attribution: str):
        super().__init__()
        self._name = "IkBase"
        self.kommuner_url = kommuner_url
        self.fylker_url = fylker_url
        self.attribution = attribution
        self.missing_colour = MISSING_COLOUR
        self.load_failed = ("Kartet kunne ikke lastes; last siden på nytt. "
                            "(The map could not be loaded; reload the page.)")
        self.css = MAP_CSS
        self.drawn_value = {DRAWN_SIGNAL: True}


class _Update(MacroElement):
    _template = _UPDATE_JS

    def __init__(self, payload: dict):
        super().__init__()
        self._name = "IkUpdate"
        # '</' must not end the inline <script> early.
        self.payload_json = json.dumps(payload, ensure_ascii=False).replace("</", "<\\/")


def prepare_boundaries(boundaries: dict) -> str:
    """Boundaries GeoJSON -> compact JSON for the map, with the name escaped once for
    HTML (tooltips) and kept plain for the aria-label attribute (set as text)."""
    features = []
    for f in boundaries["features"]:
        props = f["properties"]
        features.append({
            "type": "Feature",
            "properties": {"kommunenummer": props["kommunenummer"],
                           "navn_html": html.escape(props["kommunenavn"]),
                           "navn_plain": props["kommunenavn"]},
            "geometry": f["geometry"],
        })
    doc = {"type": "FeatureCollection", "features": features}
    return json.dumps(doc, ensure_ascii=False, separators=(",", ":")).replace("</", "<\\/")


def base_map(kommuner_url: str, fylker_url: str,
             attribution: str = "© Kartverket (CC BY 4.0)") -> folium.Map:
    """The constant part of the map. The URLs point at the geometry files the app serves
    (see resources.publish_boundaries); they change only when the boundaries do."""
    m = folium.Map(location=[64.5, 17], zoom_start=4, tiles=None, control_scale=False,
                   min_zoom=3, max_zoom=11, zoom_snap=0.25, prefer_canvas=False,
                   zoom_control="bottomleft")
    # Serve Leaflet from the app itself (installed from PyPI), not from a CDN.
    m.default_js = [("leaflet", LEAFLET_JS)]
    m.default_css = [("leaflet_css", LEAFLET_CSS)]
    _BaseLayer(kommuner_url, fylker_url, attribution).add_to(m)
    return m


@dataclass(frozen=True)
class MapView:
    indicator: str
    year: int
    lang: str
    selected: str | None
    fylke: str | None
    presenting: bool = False  # larger title and legend for a projector or a 720p stream
    contrast: bool = False  # the high-contrast palette (classify.CONTRAST_PALETTE)
    zoom_to: str | None = None  # a kommune code: fit the map to it (scenes, ?zoom=kommune)
    place: str = ""  # where the map shows, for the title line (Norge, a fylke, a kommune)
    scene_bar: bool = False  # the presentation view's scene bar floats over the map's foot


def range_label(low: float | None, high: float | None, decimals: int, lang: str,
                floor_zero: bool = False) -> str:
    """A class of the legend, (low, high]: 'til og med 2,5', '2,5–5', 'over 12'. Where
    no figure is below zero (`floor_zero`) and zero is a break, zero is a class of its
    own ('0', then 'over 0 til 1,0'): a rounded '0,0–1,0' must not seem to hold the zeros."""
    en = lang == "en"
    # A real minus (format_number's): '-7,0–0' set a hyphen beside the en dash of the range.
    fmt = lambda v: i18n.format_number(v, decimals, lang)  # noqa: E731
    if low is None and high is None:
        return "all figures" if en else "alle tall"
    if low is None:
        return "0" if floor_zero and high == 0 else ("up to " if en else "til og med ") + fmt(high)
    zero_below = floor_zero and low == 0
    if high is None:
        return ("above 0" if en else "over 0") if zero_below else "over " + fmt(low)
    if zero_below or low == 0:  # zero belongs to the class below: say it is not in this one
        return f"above 0 to {fmt(high)}" if en else f"over 0 til {fmt(high)}"
    if high == 0:  # '-7,0–0,0' then '0,0–4,2' put 0 in both
        return f"{fmt(low)} to 0" if en else f"{fmt(low)} til 0"
    return f"{fmt(low)}–{fmt(high)}"


def legend_html(classes: Classes, counts: dict[str, int], ind, lang: str,
                suppressed_colour: str = SUPPRESSED_COLOUR, conversions: dict[str, list] | None = None) -> str:
    """`conversions`: status -> the conversion notes of the kommuner drawn so (a rate
    not computed is drawn as its status, and named beside it)."""
    conversions = conversions or {}
    rows = [f'<div class="unit">{html.escape(ind.unit(lang))}</div>']
    bounds = [None, *classes.breaks, None]
    for i, colour in reversed(list(enumerate(classes.colours))):
        label = range_label(bounds[i], bounds[i + 1], ind.decimals, lang, classes.floor_zero)
        rows.append(f'<div><span class="sw" style="background:{colour}"></span>{label}</div>')
    extras = [
        ("dashed", "estimated", i18n.status_text("estimated", lang) + " / "
         + i18n.status_text("incomplete", lang), counts.get("estimated", 0) + counts.get("incomplete", 0)),
        ("", "suppressed", i18n.no_figure_label("suppressed", lang, conversions.get("suppressed", ())),
         counts.get("suppressed", 0)),
        ("hatch", "missing", i18n.no_figure_label("missing", lang, conversions.get("missing", ())),
         counts.get("missing", 0)),
    ]
    for css_class, status, label, count in extras:
        if count:
            style = f' style="background:{suppressed_colour}"' if status == "suppressed" else ""
            rows.append(f'<div><span class="sw {css_class}"{style}></span>'
                        f'{html.escape(label)} ({count})</div>')
    return "".join(rows)


# Long compound words that do not fit the map's title box: where they may break, with a
# hyphen (browsers offline have no Norwegian hyphenation dictionary for `hyphens: auto`).
_SOFT_BREAKS = {"introduksjonsprogrammet": "introduksjons&shy;programmet"}


def soft_breaks(escaped: str) -> str:
    """Where a title may break (long compounds), and where it must not: inside a
    number (a narrow map's title read "per 1" / "000 innbyggere")."""
    for word, broken in _SOFT_BREAKS.items():
        escaped = escaped.replace(word, broken)
    return re.sub(r"(?<=\d) (?=\d{3}\b)", "&nbsp;", escaped)


class FormerKommuner(dict):
    """Former kommuner's names by code (a dict), and how the split ones were split
    (`splits`: code -> {"year", "into"}), from the store's meta."""

    def __init__(self, meta: dict):
        super().__init__(meta.get("former_kommuner", {}))
        self.splits: dict[str, dict] = meta.get("splits", {})


_PARTS = {"nb": {2: "to", 3: "tre", 4: "fire"}, "en": {2: "two", 3: "three", 4: "four"}}


def _split_clause(code: str, former: dict, lang: str) -> str:
    """', split in three in 2020' (or, without the store's split facts, ', later split')."""
    split = getattr(former, "splits", {}).get(code)
    if not split:
        return ", a kommune later split" if lang == "en" else ", en kommune som senere ble delt"
    n = len(split["into"])
    parts = _PARTS.get(lang, _PARTS["nb"]).get(n, str(n))
    return (f", split in {parts} in {split['year']}" if lang == "en" else
            f", som ble delt i {parts} i {split['year']}")


def conversion_text(conversion: str, former: dict[str, str], lang: str,
                    max_members: int | None = None) -> str:
    """The note on how a figure was converted to today's kommune, HTML-escaped:
    'merged:1504+1523' -> 'Sum av tidligere kommuner: 1504 Ålesund, 1523 Ørskog'.
    `max_members`: a group's kommuner with incomplete sums named at most, then counted
    (a narrow column; files name them all)."""
    if not conversion:
        return ""
    pieces = conversion_pieces(conversion)

    def named(codes: str) -> str:  # '1241+1243' -> '1241 Fusa, 1243 Os'
        return ", ".join(f"{c} {former.get(c, '')}".strip() for c in codes.split("+"))

    out = []
    if "whole" in pieces:  # a rate or growth of a split kommune: the whole's own
        code = pieces["whole"]
        name = f"{former.get(code, '')} ({code})".strip()
        out.append(f"Estimate: the figure for all of {name}{_split_clause(code, former, lang)}"
                   if lang == "en" else
                   f"Anslag: tallet for hele {name}{_split_clause(code, former, lang)}")
    if "split" in pieces:
        code, _, share = pieces["split"].partition(":")
        pct = i18n.format_number(float(share) * 100, 0, lang)
        name = f"{former.get(code, '')} ({code})".strip()
        out.append(f"Estimate: {pct} % of the figure for {name}{_split_clause(code, former, lang)}"
                   if lang == "en" else
                   f"Anslag: {pct} % av tallet for {name}{_split_clause(code, former, lang)}")
    if "merged" in pieces:
        out.append(("Sum of former kommuner: " if lang == "en"
                    else "Sum av tidligere kommuner: ") + named(pieces["merged"]))
    elif "renumbered" in pieces and "split" not in pieces and "whole" not in pieces:
        code = pieces["renumbered"]
        out.append((f"Published under former code {code} {former.get(code, '')}" if lang == "en"
                    else f"Publisert under tidligere nummer {code} {former.get(code, '')}").strip())
    for key, text in (("hidden", {"nb": "skjult", "en": "suppressed"}),
                      ("absent", {"nb": "mangler tall", "en": "no figure"})):
        if key in pieces:  # the parts an incomplete sum (or a rate left out) lacks
            out.append(f"{named(pieces[key])}: {text[lang]}")
    if "matched" in pieces:
        out.append("Computed over the former kommuner with figures in both count and denominator; "
                   "the others are left out of both" if lang == "en" else
                   "Regnet ut over de tidligere kommunene som har tall i både teller og nevner; "
                   "de andre er holdt utenfor begge")
    if "covers" in pieces:
        out.append(f"Those held {pieces['covers']} % of the kommune's people" if lang == "en" else
                   f"De hadde {pieces['covers']} % av kommunens innbyggere")
    if "minor" in pieces:  # a rate over matched parts too small a part to stand for the whole
        with_figures = [c for c in pieces.get("merged", "").split("+")
                        if c and c not in lacking_parts(conversion)]
        held = f" ({named('+'.join(with_figures))})" if with_figures else ""
        out.append(f"Not computed: the former kommuner with figures in both count and "
                   f"denominator{held} held only {pieces['minor']} % of the kommune's people, "
                   "less than half" if lang == "en" else
                   f"Ikke regnet ut: de tidligere kommunene med tall i både teller og "
                   f"nevner{held} hadde bare {pieces['minor']} % av kommunens innbyggere, "
                   "under halvparten")
    if "unmatched" in pieces:
        out.append("Not computed: the figures it is computed from do not cover the same former "
                   "kommuner" if lang == "en" else
                   "Ikke regnet ut: tallene det regnes ut fra, dekker ikke de samme tidligere kommunene")
    if "unknown" in pieces:
        left_out, _, everyone = pieces["unknown"].partition("/")
        left_out, everyone = (i18n.format_number(float(n), 0, lang) for n in (left_out, everyone))
        # Short: it may stand beside every year, and the definition says what unstated is.
        out.append(f"{left_out} of {everyone} persons of unstated settlement are left out"
                   if lang == "en" else
                   f"{left_out} av {everyone} personer med uoppgitt bosetting er holdt utenfor")
    if "member_sum" in pieces:
        out.append("The sum of the kommuner's figures, moves between them included: more than "
                   "the group's own in- or out-migration" if lang == "en" else
                   "Summen av kommunenes tall, med flyttinger mellom dem: mer enn gruppens egen "
                   "inn- eller utflytting")
    if "covered" in pieces:
        covered, _, members = pieces["covered"].partition("/")
        out.append(f"The sum covers {covered} of {members} kommuner; the rest have no figure "
                   "or are suppressed" if lang == "en" else
                   f"Summen dekker {covered} av {members} kommuner; resten mangler tall eller "
                   "er skjult")
    if "partial_members" in pieces:
        codes, rest = i18n.at_most(pieces["partial_members"].split("+"), max_members, lang)
        members = named("+".join(codes)) + ((" and " if lang == "en" else " og ") + rest if rest else "")
        out.append(f"Incomplete sums among its kommuner: {members}" if lang == "en" else
                   f"Ufullstendige summer blant kommunene: {members}")
    return html.escape(". ".join(out))


VALUE_STATUSES = ("ok", "estimated", "incomplete", "partial-year")

# The chosen kommune's outline (on a white casing, map JS ikOutline): orange over the
# sequential palette, near-black over the diverging one, whose darkest class is that
# orange (net migration: the outline vanished into it), red over the high-contrast ones.
OUTLINE_COLOUR, DIVERGING_OUTLINE_COLOUR, CONTRAST_OUTLINE_COLOUR = "#e66100", "#1a1a1a", "#d00000"


def outline_colour(indicator: str, contrast: bool) -> str:
    if contrast:
        return CONTRAST_OUTLINE_COLOUR
    return DIVERGING_OUTLINE_COLOUR if INDICATORS[indicator].palette == "diverging" else OUTLINE_COLOUR


def classes_for(rows: pd.DataFrame, indicator: str, contrast: bool = False) -> Classes:
    """The map's classes: from the figures of `rows` (one year, or every year for a
    scale shared by all years), missing and suppressed left out."""
    ind = INDICATORS[indicator]
    with_value = rows[rows["status"].isin(VALUE_STATUSES)]
    return make_classes(with_value["value"], ind.decimals, diverging=ind.palette == "diverging",
                        contrast=contrast)


def map_payload(frame: pd.DataFrame, view: MapView, kommuner: dict[str, str],
                former: dict[str, str], source_text: str, retrieved_note: str,
                fit_bounds: list | None, scale_rows: pd.DataFrame | None = None,
                small_cohorts: dict[str, int] | None = None) -> dict:
    """`frame`: the store's rows for one indicator and year (kommunenummer, value,
    status, conversion). `scale_rows`: rows whose figures set the classes instead (every
    year of the indicator, so that colours mean the same in every year of an animation).
    `small_cohorts`: kommune -> persons, for shares of a handful (said in the tooltip).
    Returns what the map's JavaScript needs to restyle itself."""
    ind = INDICATORS[view.indicator]
    lang = view.lang
    frame = frame[frame["kommunenummer"].isin(kommuner)]
    scale = frame if scale_rows is None else scale_rows[scale_rows["kommunenummer"].isin(kommuner)]
    classes = classes_for(scale, view.indicator, view.contrast)
    suppressed_colour = CONTRAST_SUPPRESSED_COLOUR if view.contrast else SUPPRESSED_COLOUR
    values: dict[str, list] = {}
    counts: dict[str, int] = {}
    conversions: dict[str, list] = {}  # by status: the legend names rates not computed
    for row in frame.itertuples(index=False):
        counts[row.status] = counts.get(row.status, 0) + 1
        conversions.setdefault(row.status, []).append(row.conversion)
        flag = flag_of(row.status, row.conversion)
        has_value = flag in (PLAIN, DASHED)
        if flag == DASHED and FLAG_OF_STATUS[row.status] != DASHED:  # counted as the estimate it is
            counts["estimated"] = counts.get("estimated", 0) + 1
        colour = classes.colour(row.value) if has_value else (
            suppressed_colour if flag == SUPPRESSED else MISSING_COLOUR)
        value_text = (f"{i18n.format_number(row.value, ind.decimals, lang)} "
                      f"{html.escape(ind.unit(lang))}" if has_value else "")
        status_words = [i18n.status_text(row.status, lang, row.conversion)]
        if has_value and row.kommunenummer in (small_cohorts or {}):
            status_words.append(i18n.t("small_cohort_tip", lang, n=small_cohorts[row.kommunenummer]))
        values[row.kommunenummer] = [
            colour, value_text, html.escape(", ".join(w for w in status_words if w)),
            conversion_text(row.conversion, former, lang), flag,
        ]
    part_year = counts.get("partial-year", 0) > 0
    year_text = f"{view.year}" + (f" ({i18n.status_text('partial-year', lang)})" if part_year else "")
    where = f"{html.escape(view.place)} · " if view.place else ""
    # In the presentation view there is no side column: the chosen kommune's figure is
    # said on the map, where the audience looks (an outline alone named nothing).
    chosen = values.get(view.selected) if view.presenting and view.selected else None
    chosen_line = (f'<br><span class="ik-chosen">{html.escape(kommuner[view.selected])}: '
                   f'{chosen[1] or chosen[2] or "–"}</span>' if chosen else "")
    title = (f"<b>{soft_breaks(html.escape(ind.label(lang)))}</b><br>{where}{year_text}{chosen_line}"
             f"<br><small>{html.escape(source_text)}{html.escape(retrieved_note)}</small>")
    fit = None
    if fit_bounds is not None:
        fit = {"token": view.zoom_to or view.fylke or "norge", "bounds": fit_bounds}
    return {
        "values": values,
        "selected": view.selected,
        "legend_html": legend_html(classes, counts, ind, lang, suppressed_colour, conversions) + (
            f'<div class="ik-note">{html.escape(i18n.t("scale_all_years", lang))}</div>'
            if scale_rows is not None else "") + (
            f'<div class="ik-note">{html.escape(i18n.t("fylke_focus_note", lang))}</div>'
            if view.fylke and not view.zoom_to else ""),
        "title_html": title,
        "attribution": html.escape(source_text),
        "fit": fit,
        "state": f"{view.indicator}|{view.year}|{view.selected or ''}|{view.fylke or ''}",
        "presenting": view.presenting,
        "outline": outline_colour(view.indicator, view.contrast),
        "scene_bar": view.scene_bar,
        "contrast": view.contrast,
        "lang": lang,
        "focus": view.fylke if not view.zoom_to else None,
    }


def payload_layer(payload: dict) -> folium.FeatureGroup:
    group = folium.FeatureGroup(name="ik-data", control=False)
    _Update(payload).add_to(group)
    return group


def feature_bbox(feature: dict) -> list:
    """[west, south, east, north] of one kommune's (multi)polygon: the refresh keeps only
    polygonal parts (data_loaders.boundaries). Only the outer rings are read (a hole
    lies inside its ring), in flat comprehensions: at load this runs for all 357
    kommuner on the way to a session's first map, where walking every point by
    recursion took ~0.15 s."""
    geometry = feature["geometry"]
    coords = geometry["coordinates"]
    rings = [coords[0]] if geometry["type"] == "Polygon" else [polygon[0] for polygon in coords]
    lons = [point[0] for ring in rings for point in ring]
    lats = [point[1] for ring in rings for point in ring]
    return [min(lons), min(lats), max(lons), max(lats)]


def add_bboxes(boundaries: dict) -> dict:
    """Give every feature its GeoJSON `bbox` (RFC 7946, 5) once at load, so that fitting
    the map to a fylke or kommune on a rerun does not walk every coordinate again."""
    for f in boundaries["features"]:
        f["bbox"] = feature_bbox(f)
    return boundaries


def bounds_of(boundaries: dict, prefix: str | None) -> list:
    """[[south, west], [north, east]] of the kommuner whose code starts with `prefix`."""
    boxes = [f.get("bbox") or feature_bbox(f) for f in boundaries["features"]
             if prefix is None or f["properties"]["kommunenummer"].startswith(prefix)]
    if not boxes:
        return NORWAY_BOUNDS
    return [[min(b[1] for b in boxes), min(b[0] for b in boxes)],
            [max(b[3] for b in boxes), max(b[2] for b in boxes)]]
