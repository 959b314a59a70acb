/* srkg network views: draws the JSON data island with vis-network, shows tooltips
   as DOM text (never HTML), opens entity pages on click and filters by class, theme
   and polarity. Exposes window.srkg = {network, nodes, edges, ready, readyAt}. */
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("srkg-data").textContent);
  var page = data.page;
  var srkg = window.srkg = { ready: false, readyAt: null };

  /* ---- the page's words: #srkg-strings, a data block of the pages not in English (key → message with
     %(name)s placeholders, or a table of the graph's words); English is written here ---- */
  var WORDS = {
    otherRelations: "other relations",
    moreQuotes: "+%(n)s more quotes",
    noEvidence: "no quoted evidence",
    stance: "stance: %(polarity)s",
    stanceQualified: "stance: %(polarity)s (hedged or inferred)",
    relation: "relation: %(relation)s",
    inferred: "%(what)s \u2014 not stated, inferred (%(basis)s)"
  };
  var words = window.srkgWords("srkg-strings", WORDS);  /* srkg-words.js */
  var say = words.say;
  var word = words.word;

  document.querySelectorAll("[data-colour]").forEach(function (el) {
    if (el.classList.contains("line")) el.style.borderTopColor = el.dataset.colour;
    else el.style.backgroundColor = el.dataset.colour;
  });

  var nodes = new vis.DataSet(data.nodes);
  var edges = new vis.DataSet(data.edges);
  var state = { groups: new Set(page.groups), polarities: new Set(page.polarities), theme: "" };
  var themeNodes = null;

  function has(list, x) { return Array.isArray(list) && list.indexOf(x) >= 0; }
  function computeThemeNodes() {
    themeNodes = new Set();
    if (!state.theme) return;
    nodes.forEach(function (n) { if (has(n.srkgThemes, state.theme)) themeNodes.add(n.id); });
    edges.forEach(function (e) {
      if (has(e.srkgThemes, state.theme)) { themeNodes.add(e.from); themeNodes.add(e.to); }
    });
  }
  function nodePasses(n) {
    return state.groups.has(n.srkgGroup) && (!state.theme || themeNodes.has(n.id));
  }
  function edgePasses(e) {
    if (!state.polarities.has(e.srkgPolarity || "none")) return false;
    var a = nodes.get(e.from), b = nodes.get(e.to);
    if (!a || !b || !nodePasses(a) || !nodePasses(b)) return false;
    return !state.theme || has(e.srkgThemes, state.theme) || has(a.srkgThemes, state.theme) ||
      has(b.srkgThemes, state.theme);
  }
  computeThemeNodes();
  var nodeView = new vis.DataView(nodes, { filter: nodePasses });
  var edgeView = new vis.DataView(edges, { filter: edgePasses });
  var container = document.getElementById("srkg-network");
  var network = new vis.Network(container, { nodes: nodeView, edges: edgeView }, page.options);
  srkg.network = network; srkg.nodes = nodes; srkg.edges = edges;
  srkg.nodeView = nodeView; srkg.edgeView = edgeView;

  function refresh() { computeThemeNodes(); nodeView.refresh(); edgeView.refresh(); }

  /* ---- filters, built with text nodes ---- */
  function checkbox(parent, value, text, set) {
    var label = document.createElement("label");
    var box = document.createElement("input");
    box.type = "checkbox"; box.checked = true; box.value = value;
    box.addEventListener("change", function () {
      if (box.checked) set.add(value); else set.delete(value);
      refresh();
    });
    label.appendChild(box);
    label.appendChild(document.createTextNode(" " + text));
    parent.appendChild(label);
  }
  var groupsBox = document.getElementById("srkg-filter-groups");
  page.groups.forEach(function (g) { checkbox(groupsBox, g, word("groups", g), state.groups); });
  var polBox = document.getElementById("srkg-filter-polarity");
  page.polarities.forEach(function (p) {
    checkbox(polBox, p, p === "none" ? say("otherRelations") : word("polarities", p), state.polarities);
  });
  var themeSelect = document.getElementById("srkg-filter-theme");
  Object.keys(page.themes).forEach(function (iri) {
    var opt = document.createElement("option");
    opt.value = iri; opt.textContent = page.themes[iri];
    themeSelect.appendChild(opt);
  });
  themeSelect.addEventListener("change", function () { state.theme = themeSelect.value; refresh(); });

  /* ---- tooltip: label, type, evidence; text only ---- */
  var tip = document.getElementById("srkg-tip");
  function line(tag, cls, text) {
    var el = document.createElement(tag);
    if (cls) el.className = cls;
    el.textContent = text;
    tip.appendChild(el);
    return el;
  }
  function show(title, type, evidence, pointer) {
    tip.replaceChildren();
    line("strong", "tip-label", title);
    line("div", "tip-type", type);
    (evidence || []).slice(0, 3).forEach(function (ev) {
      var q = line("blockquote", "tip-quote", "\u201c" + ev.quote + "\u201d");
      var cite = document.createElement("cite");
      cite.textContent = " \u2014 " + ev.source;
      q.appendChild(cite);
    });
    if (evidence && evidence.length > 3) line("div", "tip-more", say("moreQuotes", { n: evidence.length - 3 }));
    if (!evidence || !evidence.length) line("div", "tip-more", say("noEvidence"));
    tip.hidden = false;
    tip.style.left = (pointer.x + 14) + "px";
    tip.style.top = (pointer.y + 14) + "px";
  }
  function hide() { tip.hidden = true; }
  network.on("hoverNode", function (p) {
    var n = nodes.get(p.node);
    if (n) show(n.srkgLabel, n.srkgType + " \u00b7 " + word("groups", n.srkgGroup), n.srkgEvidence, p.pointer.DOM);
  });
  network.on("hoverEdge", function (p) {
    var e = edges.get(p.edge);
    if (!e) return;
    var type = e.srkgPolarity
      ? say(e.srkgHedged ? "stanceQualified" : "stance", { polarity: word("polarities", e.srkgPolarity) })
      : say("relation", { relation: e.label });
    if (e.srkgInferred) type = say("inferred", { what: type, basis: e.srkgInferred });
    show(e.srkgFrom + " \u2192 " + e.label + " \u2192 " + e.srkgTo, type, e.srkgEvidence, p.pointer.DOM);
  });
  network.on("blurNode", hide);
  network.on("blurEdge", hide);
  network.on("dragStart", hide);

  /* ---- click opens the entity page ---- */
  network.on("click", function (p) {
    if (!p.nodes.length) return;
    var n = nodes.get(p.nodes[0]);
    if (n && n.href) window.location.assign(n.href);
  });

  /* ---- physics stops once stabilised; "ready" after the first stable drawing ---- */
  function markReady() {
    if (srkg.ready || srkg.pending) return;
    srkg.pending = true;
    network.once("afterDrawing", function () {
      srkg.ready = true;
      srkg.readyAt = performance.now();
      document.body.dataset.ready = "1";
    });
    network.redraw();
  }
  function stabilised() {
    network.setOptions({ physics: { enabled: false } });
    markReady();
  }
  if (page.physics && data.nodes.length) {
    network.once("stabilizationIterationsDone", stabilised);
    network.once("stabilized", stabilised);
  } else {
    markReady();
  }
})();
