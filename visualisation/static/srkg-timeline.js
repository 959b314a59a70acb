/* srkg timeline: draws the JSON data island with vis-timeline, sub-events in groups nested under the event
   they are part of. Every string from the data is written with textContent (items and group labels are DOM
   elements built here, no vis "title" or HTML content is ever set). A click on an event, or Enter on its
   focused link, opens its page. The filters run here when the page holds every event, else they reload the
   page with the filters in its query (the service filters). Exposes window.srkg = {timeline, items, groups,
   view, ready}. */
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("srkg-data").textContent);
  var KINDS = ["actor", "theme", "source"];
  var srkg = window.srkg = { ready: false };

  /* ---- the page's words: #srkg-strings, a data block of the pages not in English (key → message with
     %(name)s placeholders, or a table of the statuses' words); English is written here ---- */
  var WORDS = {
    dateInferred: "date inferred",
    noDate: "(no date)",
    passing: "%(shown)s of %(total)s dated events on the axis pass the filters.",
    partOf: "part of: %(event)s",
    actors: "actors: %(list)s",
    themes: "themes: %(list)s",
    sources: "sources: %(list)s",
    nothing: "No dated event passes the filters.",
    noGroup: "Events in no group"
  };
  var OTHER_ROW = "srkg:other-events";  /* the row of the events in no group (visualisation.pages.OTHER_ROW) */
  var words = window.srkgWords("srkg-strings", WORDS);  /* srkg-words.js */
  var say = words.say;
  /* an event's status in words, in the page's language */
  function statusWords(it) {
    return words.word("statuses", it.statusText);
  }

  /* ---- the filters in force: the query's, else the page's ---- */
  var state = {};
  var query = new URLSearchParams(window.location.search);
  KINDS.forEach(function (k) { state[k] = query.has(k) ? query.get(k) : (data.filters[k] || ""); });

  function passes(it) {
    return KINDS.every(function (k) { return !state[k] || it.filter[k].indexOf(state[k]) >= 0; });
  }

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = text;
    return e;
  }

  function describe(it) {
    var words = [it.label, it.dates];
    if (it.statusText) words.push(statusWords(it));
    if (it.inferred.length) words.push(say("dateInferred"));
    return words.join(", ");
  }

  /* ---- items and groups ---- */
  var byId = {};
  var items = new vis.DataSet(data.items.map(function (it) {
    byId[it.id] = it;
    var cls = ["status-" + it.status];
    if (it.prospective) cls.push("prospective");
    if (it.inferred.length) cls.push("inferred-date");
    return { id: it.id, group: it.group, start: it.start, end: it.end, type: "range", content: "",
             className: cls.join(" ") };
  }));
  var groupData = {};
  var groups = new vis.DataSet(data.groups.map(function (g) {
    groupData[g.id] = g;
    var out = { id: g.id, content: "", order: g.order, treeLevel: g.level + 1, visible: true };
    if (g.nested.length) { out.nestedGroups = g.nested.slice(); out.showNested = true; }
    return out;
  }));

  function itemTemplate(item) {
    var it = item && byId[item.id];
    if (!it) return "";
    var link = el(it.href ? "a" : "span", "srkg-item");
    if (it.href) link.href = it.href; else link.tabIndex = 0;
    link.dataset.item = it.id;
    link.setAttribute("aria-label", describe(it));
    if (it.statusText && it.status !== "occurred") link.appendChild(el("span", "badge", statusWords(it)));
    if (it.inferred.length) link.appendChild(document.createTextNode("\u2248 "));
    link.appendChild(document.createTextNode(it.label));
    return link;
  }

  function groupTemplate(group) {
    var g = group && groupData[group.id];
    if (!g) return "";
    var label = el(g.href ? "a" : "span", "srkg-group", g.id === OTHER_ROW ? say("noGroup") : g.label);
    if (g.href) label.href = g.href;
    if (!g.onAxis && g.href) label.appendChild(el("small", null, " " + say("noDate")));
    return label;
  }

  var view = new vis.DataView(items, { filter: function (item) { return passes(byId[item.id]); } });
  /* ---- the first time window: the latest events (those of the two years before the last one) ---- */
  var DAY = 864e5;
  function latestRange() {
    var shown = view.get();
    if (!shown.length) return null;
    var last = Math.max.apply(null, shown.map(function (i) { return Date.parse(i.start); }));
    var recent = shown.filter(function (i) { return Date.parse(i.end) >= last - 730 * DAY; });
    var from = Math.min.apply(null, recent.map(function (i) { return Date.parse(i.start); }));
    var to = Math.max.apply(null, recent.map(function (i) { return Date.parse(i.end); }));
    var pad = Math.max((to - from) * 0.05, DAY);
    return [from - pad, to + pad];
  }
  var container = document.getElementById("srkg-timeline");
  var options = {
    template: itemTemplate, groupTemplate: groupTemplate, xss: { disabled: false }, showTooltips: false,
    groupOrder: "order", stack: true, orientation: "top", selectable: true, multiselect: false,
    verticalScroll: true, zoomKey: "ctrlKey", maxHeight: "70vh", zoomMin: 1000 * 60 * 60 * 24,
    margin: { item: { horizontal: 6, vertical: 6 } }
  };
  var first = latestRange();
  if (first) { options.start = first[0]; options.end = first[1]; }
  var timeline = new vis.Timeline(container, view, groups, options);
  srkg.timeline = timeline; srkg.items = items; srkg.groups = groups; srkg.view = view;

  /* ---- groups without a visible event in them or their sub-groups are hidden ---- */
  var parentOf = {};
  data.groups.forEach(function (g) { g.nested.forEach(function (child) { parentOf[child] = g.id; }); });
  function refreshGroups() {
    var shown = {};
    view.getIds().forEach(function (id) {
      var gid = items.get(id).group;
      while (gid && !shown[gid]) {
        shown[gid] = true;
        gid = parentOf[gid];
      }
    });
    groups.update(data.groups.map(function (g) { return { id: g.id, visible: !!shown[g.id] }; }));
    var count = document.getElementById("srkg-count");
    if (count && (KINDS.some(function (k) { return state[k]; }) || data.complete)) {
      count.textContent = say("passing", { shown: view.length, total: data.items.length });
    }
  }

  /* ---- filter controls ---- */
  var form = document.getElementById("srkg-filters");
  function apply() {
    KINDS.forEach(function (k) { state[k] = form.elements[k].value; });
    view.refresh();
    refreshGroups();
    var params = new URLSearchParams();
    KINDS.forEach(function (k) { if (state[k]) params.set(k, state[k]); });
    try {
      window.history.replaceState(null, "", window.location.pathname + (params.toString() ? "?" + params : ""));
    } catch (e) { /* a page opened from disk may not rewrite its URL */ }
  }
  KINDS.forEach(function (k) {
    var select = form.elements[k];
    if (select.querySelector("option[value=\"" + CSS.escape(state[k]) + "\"]")) select.value = state[k];
    if (data.complete) select.addEventListener("change", apply);
  });
  form.addEventListener("submit", function (e) {
    if (data.complete) { e.preventDefault(); apply(); }
  });

  /* ---- tooltip: text only ---- */
  var tip = document.getElementById("srkg-tip");
  function show(id, x, y) {
    var it = byId[id];
    if (!it) return;
    tip.replaceChildren();
    tip.appendChild(el("strong", "tip-label", it.label));
    tip.appendChild(el("div", "tip-type", it.kind + (it.statusText ? " \u00b7 " + statusWords(it) : "")));
    tip.appendChild(el("div", "tip-line", it.dates));
    it.inferred.forEach(function (note) { tip.appendChild(el("div", "tip-line tip-inferred", note)); });
    if (it.parent) tip.appendChild(el("div", "tip-line", say("partOf", { event: it.parent })));
    if (it.actors.length) tip.appendChild(el("div", "tip-line", say("actors", { list: it.actors.join(", ") })));
    if (it.themes.length) tip.appendChild(el("div", "tip-line", say("themes", { list: it.themes.join(", ") })));
    if (it.sources.length) tip.appendChild(el("div", "tip-line", say("sources", { list: it.sources.join(", ") })));
    if (it.quote) tip.appendChild(el("blockquote", "tip-quote", "\u201c" + it.quote + "\u201d"));
    tip.hidden = false;
    tip.style.left = Math.min(x + 14, window.innerWidth - 320) + "px";
    tip.style.top = (y + 14) + "px";
  }
  function hide() { tip.hidden = true; }
  timeline.on("itemover", function (p) { show(p.item, p.event.clientX, p.event.clientY); });
  timeline.on("itemout", hide);
  container.addEventListener("focusin", function (e) {
    var link = e.target.closest && e.target.closest("[data-item]");
    if (!link) return;
    var r = link.getBoundingClientRect();
    show(link.dataset.item, r.left, r.bottom);
  });
  container.addEventListener("focusout", hide);
  container.addEventListener("keydown", function (e) {
    var link = e.target.closest && e.target.closest("[data-item]");
    if (e.key === "Enter" && link && !link.href && byId[link.dataset.item].href) {
      window.location.assign(byId[link.dataset.item].href);
    }
  });

  /* ---- a click anywhere on an event opens its page (a click on its link is the link's own) ---- */
  timeline.on("click", function (p) {
    if (p.item === null || p.item === undefined || p.what !== "item") return;
    if (p.event && p.event.target && p.event.target.closest && p.event.target.closest("a[href]")) return;
    var it = byId[p.item];
    if (it && it.href) window.location.assign(it.href);
  });

  document.getElementById("srkg-latest").addEventListener("click", function () {
    var range = latestRange();
    if (range) timeline.setWindow(range[0], range[1], { animation: false });
  });
  document.getElementById("srkg-fit").addEventListener("click", function () { timeline.fit({ animation: false }); });

  refreshGroups();
  if (!data.items.length) {
    container.appendChild(el("p", "note", say("nothing")));
  }
  /* ---- "ready" once drawn: vis-timeline shows an item only after it has placed it (until then the item is
     visibility: hidden), so wait for a drawing with no item still hidden ---- */
  function markReady() {
    if (srkg.ready) return;
    var placing = Array.prototype.some.call(container.querySelectorAll(".vis-item"), function (e) {
      return getComputedStyle(e).visibility === "hidden";
    });
    if (placing) { window.requestAnimationFrame(markReady); return; }
    srkg.ready = true;
    document.body.dataset.ready = "1";
  }
  timeline.on("changed", markReady);
  timeline.redraw();
})();
