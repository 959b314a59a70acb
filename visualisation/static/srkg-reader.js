/* srkg source reader: reads the JSON data island (what each evidence span grounds) with textContent and
   shows it with DOM text only, never HTML.
   - hovering or focusing (Tab) a highlight shows a popover listing what it grounds;
   - clicking it or pressing Enter opens the one page it grounds, or, when it grounds several, keeps the
     popover open with a link to each (focus moves to the first; Escape closes it);
   - #at-{start}-{end} scrolls to characters [start, end) of the text and highlights them.
   Exposes window.srkgReader = {ready, target}. */
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("reader-data").textContent);
  var spans = data.spans || {};
  var text = document.getElementById("reader-text");
  var pop = document.getElementById("reader-popover");
  var area = pop.parentNode;
  var reader = window.srkgReader = { ready: false, target: null };
  var shown = null;   /* the span element the popover is about */
  var pinned = false; /* the popover stays open with its links (after a click or Enter) */
  var quiet = false;  /* focus returns to a highlight after Escape: show nothing for it */

  /* the page's words: #reader-strings, a data block of the pages not in English (key → message with %(name)s
     placeholders, or a table of the graph's words); English is written here */
  var WORDS = {
    head: "Quote, characters %(start)s\u2013%(end)s: %(layer)s",
    headHedged: "Quote, characters %(start)s\u2013%(end)s: %(layer)s, hedged (%(hedging)s)",
    mixed: "It grounds more than one layer; it is styled as the weakest.",
    hedging: "hedging: %(hedging)s",
    inferred: "not stated, inferred \u2014 %(reason)s",
    closes: "Escape closes this list.",
    openOne: "Click or press Enter to open it.",
    openMany: "Click or press Enter to choose one of its %(n)s pages.",
    dialog: "what this quote grounds"
  };
  var words = window.srkgWords("reader-strings", WORDS);  /* srkg-words.js */
  var say = words.say;
  var word = words.word;

  function el(tag, cls, content) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (content !== undefined && content !== null) e.textContent = content;
    return e;
  }
  /* a link of this service (a path) or of the static export (a relative file); never another origin or a
     javascript: URL */
  function safeHref(href) {
    if (typeof href !== "string" || !href) return null;
    if (href.charAt(0) === "/") return href.charAt(1) === "/" ? null : href;
    return /^[a-z][a-z0-9+.-]*:/i.test(href) ? null : href;
  }
  function spanOf(node) {
    var e = node && node.nodeType === 1 ? node.closest(".ev[data-span]") : null;
    return e && text.contains(e) ? e : null;
  }
  function hrefs(info) {
    var seen = [];
    info.grounds.forEach(function (g) {
      var h = safeHref(g.href);
      if (h && seen.indexOf(h) < 0) seen.push(h);
    });
    return seen;
  }

  function fill(id) {
    var info = spans[id];
    pop.replaceChildren();
    if (!info) return;
    var head = say(info.hedged ? "headHedged" : "head", { start: info.start, end: info.end,
      layer: word("layers", info.layer), hedging: word("hedgings", info.hedging) });
    pop.appendChild(el("p", "pop-head", head));
    if (info.mixed) pop.appendChild(el("p", "pop-meta", say("mixed")));
    var list = el("ul", "pop-list");
    info.grounds.forEach(function (g) {
      var item = el("li", "pop-item");
      var href = safeHref(g.href);
      var name = href ? el("a", "pop-label", g.label) : el("strong", "pop-label", g.label);
      if (href) name.href = href;
      item.appendChild(name);
      var meta = [g.type];
      if (g.layer) meta.push(word("layers", g.layer));
      if (g.polarity) meta.push(word("polarities", g.polarity));
      if (g.hedging) meta.push(say("hedging", { hedging: word("hedgings", g.hedging) }));
      item.appendChild(el("div", "pop-meta", meta.filter(Boolean).join(" \u00b7 ")));
      if (g.inferred) item.appendChild(el("div", "pop-inferred", say("inferred", { reason: g.inferred })));
      list.appendChild(item);
    });
    pop.appendChild(list);
    var n = hrefs(info).length;
    var hint = pinned ? say("closes") : n === 1 ? say("openOne")
      : n > 1 ? say("openMany", { n: n }) : "";
    if (hint) pop.appendChild(el("p", "pop-hint", hint));
  }
  function place(target) {
    var r = target.getBoundingClientRect();
    var a = area.getBoundingClientRect();
    pop.style.left = "0px";
    var left = Math.min(r.left - a.left, Math.max(0, a.width - pop.offsetWidth));
    pop.style.left = Math.max(0, left) + "px";
    pop.style.top = (r.bottom - a.top + 6) + "px";
  }
  function show(spanEl) {
    if (shown && shown !== spanEl) shown.classList.remove("active");
    shown = spanEl;
    spanEl.classList.add("active");
    fill(spanEl.dataset.span);
    pop.hidden = false;
    place(spanEl);
  }
  function hide() {
    if (pinned) return;
    pop.hidden = true;
    if (shown) shown.classList.remove("active");
    shown = null;
  }
  function pin(spanEl) {
    pinned = true;
    pop.setAttribute("role", "dialog");
    pop.setAttribute("aria-label", say("dialog"));
    show(spanEl);
    var first = pop.querySelector("a");
    if (first) first.focus();
  }
  function unpin(returnFocus) {
    if (!pinned) return;
    var back = shown;
    pinned = false;
    pop.setAttribute("role", "tooltip");
    pop.removeAttribute("aria-label");
    hide();
    if (returnFocus && back) {
      quiet = true;
      document.getElementById(back.dataset.span).focus();
      quiet = false;
    }
  }
  function open(spanEl) {
    var info = spans[spanEl.dataset.span];
    if (!info) return;
    var targets = hrefs(info);
    if (targets.length === 1) window.location.assign(targets[0]);
    else pin(spanEl);
  }

  text.addEventListener("mouseover", function (e) {
    if (pinned) return;
    var s = spanOf(e.target);
    if (s) show(s); else hide();
  });
  text.addEventListener("mouseleave", function () { if (!pinned) hide(); });
  text.addEventListener("focusin", function (e) {
    var s = spanOf(e.target);
    if (s && !pinned && !quiet) show(s);
  });
  text.addEventListener("focusout", function (e) {
    if (!pinned && !(e.relatedTarget && spanOf(e.relatedTarget))) hide();
  });
  text.addEventListener("click", function (e) {
    var s = spanOf(e.target);
    if (!s) return;
    e.preventDefault();
    if (pinned) unpin(false);
    open(s);
  });
  text.addEventListener("keydown", function (e) {
    if ((e.key === "Enter" || e.key === " ") && spanOf(e.target) === e.target) {
      e.preventDefault();
      open(e.target);
    }
  });
  pop.addEventListener("focusout", function (e) {
    if (pinned && !(e.relatedTarget && pop.contains(e.relatedTarget))) unpin(false);
  });
  document.addEventListener("keydown", function (e) {
    if (e.key !== "Escape") return;
    if (pinned) unpin(true); else hide();  /* Escape dismisses the popover, pinned or not */
  });
  document.addEventListener("click", function (e) {
    if (pinned && !pop.contains(e.target) && !spanOf(e.target)) unpin(false);
  });

  /* ---- #at-{start}-{end}: offsets are code points, a leaf's data-s/data-e its place in the text ---- */
  var leaves = Array.prototype.slice.call(text.querySelectorAll(".seg[data-s]"));
  function units(str, points) { return Array.from(str).slice(0, points).join("").length; }
  function boundary(offset, isEnd) {
    var i, leaf, s, e;
    if (!isEnd) {
      for (i = 0; i < leaves.length; i++) {
        leaf = leaves[i]; s = +leaf.dataset.s; e = +leaf.dataset.e;
        if (e > offset) return { node: leaf.firstChild, at: units(leaf.textContent, Math.max(0, offset - s)) };
      }
    } else {
      for (i = leaves.length - 1; i >= 0; i--) {
        leaf = leaves[i]; s = +leaf.dataset.s; e = +leaf.dataset.e;
        if (s < offset) return { node: leaf.firstChild, at: units(leaf.textContent, Math.min(e, offset) - s) };
      }
    }
    return null;
  }
  function clearTarget() {
    text.querySelectorAll(".at-target, .targeted").forEach(function (x) {
      x.classList.remove("at-target", "targeted");
    });
    if (window.CSS && CSS.highlights) CSS.highlights.delete("reader-at");
    reader.target = null;
  }
  function goToHash() {
    clearTarget();
    var m = /^#at-(\d+)-(\d+)$/.exec(window.location.hash);
    if (!m) return;
    var start = +m[1], end = +m[2];
    var hit = leaves.filter(function (l) { return +l.dataset.s < end && start < +l.dataset.e; });
    if (start >= end || !hit.length) return;
    var from = boundary(start, false), to = boundary(end, true);
    var range = document.createRange();
    range.setStart(from.node, from.at);
    range.setEnd(to.node, to.at);
    if (window.Highlight && window.CSS && CSS.highlights) CSS.highlights.set("reader-at", new Highlight(range));
    else hit.forEach(function (l) { l.classList.add("at-target"); });
    Object.keys(spans).forEach(function (id) {
      if (spans[id].start === start && spans[id].end === end) document.getElementById(id).classList.add("targeted");
    });
    hit[0].scrollIntoView({ block: "center" });
    reader.target = { start: start, end: end, text: range.toString() };
  }
  window.addEventListener("hashchange", goToHash);
  goToHash();

  reader.ready = true;
  document.body.dataset.ready = "1";
})();
