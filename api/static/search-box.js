/* srkg's search box: every <form class="search"> with an input named "q" shows results as you type.
 *
 * A plain form still works without this script (it submits to /search). With it, typing asks
 * /api/v1/search (debounced, the previous request aborted) and lists the results under the box as an
 * ARIA combobox: ArrowDown/ArrowUp move through the results (aria-activedescendant), Enter opens the one
 * chosen, Enter with none chosen submits the form to /search, Escape closes the list. Everything from the
 * data is written with textContent; the highlighted words are <mark> elements built here from the
 * (text, match) parts of the answer. No framework, nothing from another origin. Its style is
 * search-box.css.
 */
(function () {
  "use strict";

  var DELAY_MS = 150;   // wait this long after the last key before asking
  var LIMIT = 8;        // results shown under the box
  var MIN_CHARS = 2;    // shorter queries ask nothing
  var API = "/api/v1/search";
  var boxes = 0;

  /* the words of the page's language: #search-box-strings, a data block that pages not in English have
     (key → message with %(name)s placeholders); English is written here */
  var WORDS = {
    results: "Search results",
    entity: "entity",
    alias: "also known as %(alias)s",
    quote: "evidence quote · %(source)s",
    sentence: "sentence · %(source)s",
    all: "All %(n)s results for “%(q)s”",
    none: "Nothing matches “%(q)s”: search anyway",
    count: "%(n)s results"
  };
  var block = document.getElementById("search-box-strings");
  var given = {};
  if (block) {
    try { given = JSON.parse(block.textContent) || {}; } catch (e) { given = {}; }
  }

  /* the message ``key`` with its %(name)s placeholders replaced by ``values`` (as text) */
  function say(key, values) {
    var words = typeof given[key] === "string" ? given[key] : WORDS[key];
    return words.replace(/%\((\w+)\)s/g, function (all, name) {
      return values && Object.prototype.hasOwnProperty.call(values, name) ? String(values[name]) : all;
    });
  }

  function text(tag, className, content) {
    var el = document.createElement(tag);
    if (className) el.className = className;
    if (content !== undefined) el.textContent = content;
    return el;
  }

  /* parts: [{text, match}] as the API gives them; matches become <mark>, the rest text nodes */
  function marked(tag, className, parts) {
    var el = text(tag, className);
    (parts || []).forEach(function (p) {
      el.appendChild(p.match ? text("mark", "", p.text) : document.createTextNode(p.text));
    });
    return el;
  }

  /* only links of this service (a path), never another origin or a javascript: URL */
  function safeHref(href) {
    return typeof href === "string" && href.charAt(0) === "/" && href.charAt(1) !== "/" ? href : null;
  }

  function enhance(form) {
    var input = form.querySelector('input[name="q"]');
    if (!input || form.dataset.searchBox) return;
    form.dataset.searchBox = "on";
    boxes += 1;
    var listId = "search-box-" + boxes;
    var list = text("ul", "search-box-results");
    list.id = listId;
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", say("results"));
    list.hidden = true;
    var status = text("p", "search-box-status");
    status.setAttribute("role", "status");
    status.setAttribute("aria-live", "polite");
    form.classList.add("search-box");
    form.appendChild(list);
    form.appendChild(status);
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", listId);

    var timer = null;
    var controller = null;
    var asked = 0;        // number of the latest request: older answers are dropped
    var options = [];     // the option elements, in order
    var active = -1;      // index of the chosen option, -1 for none

    function choose(i) {
      if (active >= 0 && options[active]) options[active].setAttribute("aria-selected", "false");
      active = i;
      if (i >= 0 && options[i]) {
        options[i].setAttribute("aria-selected", "true");
        input.setAttribute("aria-activedescendant", options[i].id);
        options[i].scrollIntoView({ block: "nearest" });
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }

    function show(open) {
      list.hidden = !open;
      input.setAttribute("aria-expanded", open ? "true" : "false");
      if (!open) choose(-1);
    }

    function go(href) {
      var safe = safeHref(href);
      if (safe) window.location.assign(safe);
    }

    function option(href, build) {
      var li = text("li", "search-box-option");
      li.id = listId + "-" + options.length;
      li.setAttribute("role", "option");
      li.setAttribute("aria-selected", "false");
      li.dataset.href = href;
      build(li);
      options.push(li);
      list.appendChild(li);
      return li;
    }

    function render(data, q) {
      list.replaceChildren();
      options = [];
      active = -1;
      data.items.forEach(function (item) {
        var href = safeHref(item.link);
        if (!href) return;
        option(href, function (li) {
          li.classList.add("search-box-" + item.kind);
          if (item.kind === "entity") {
            li.appendChild(marked("span", "search-box-label", item.parts));
            var about = item.type || say("entity");
            if (item.alias) about += " · " + say("alias", { alias: item.alias });
            li.appendChild(text("span", "search-box-meta", about));
          } else {
            li.appendChild(marked("span", "search-box-label", item.parts));
            li.appendChild(text("span", "search-box-meta",
              say(item.passage === "quote" ? "quote" : "sentence", { source: item.source_title })));
          }
        });
      });
      var all = form.getAttribute("action") || "/search";
      option(all + "?" + new URLSearchParams({ q: q }).toString(), function (li) {
        li.classList.add("search-box-all");
        li.textContent = data.total ? say("all", { n: data.total, q: q }) : say("none", { q: q });
      });
      status.textContent = say("count", { n: data.total });
      show(true);
    }

    function ask() {
      var q = input.value;
      if (q.trim().length < MIN_CHARS) {
        if (controller) controller.abort();
        show(false);
        return;
      }
      if (controller) controller.abort();
      controller = new AbortController();
      var mine = ++asked;
      var url = API + "?" + new URLSearchParams({ q: q, limit: String(LIMIT) }).toString();
      fetch(url, { signal: controller.signal, headers: { Accept: "application/json" } })
        .then(function (r) { return r.ok ? r.json() : null; })  // a query with no words is a 400: show nothing
        .then(function (data) {
          if (mine !== asked) return;
          if (data && Array.isArray(data.items)) render(data, q);
          else show(false);
        })
        .catch(function (e) {
          if (e.name !== "AbortError" && mine === asked) show(false);
        });
    }

    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(ask, DELAY_MS);
    });

    input.addEventListener("keydown", function (e) {
      if (e.key === "ArrowDown" || e.key === "ArrowUp") {
        if (!options.length) return;
        e.preventDefault();
        if (list.hidden) show(true);
        var step = e.key === "ArrowDown" ? 1 : -1;
        var next = active + step;
        if (next >= options.length) next = 0;
        if (next < 0) next = options.length - 1;
        choose(next);
      } else if (e.key === "Enter") {
        if (!list.hidden && active >= 0) {  // otherwise the form submits to /search
          e.preventDefault();
          go(options[active].dataset.href);
        }
      } else if (e.key === "Escape") {
        if (!list.hidden) {
          e.preventDefault();
          show(false);
        }
      }
    });

    input.addEventListener("focus", function () {
      if (options.length && input.value.trim().length >= MIN_CHARS) show(true);
    });
    input.addEventListener("blur", function () { show(false); });
    list.addEventListener("mousedown", function (e) { e.preventDefault(); });  // keep the focus in the box
    list.addEventListener("click", function (e) {
      var li = e.target.closest('[role="option"]');
      if (li) go(li.dataset.href);
    });
  }

  document.querySelectorAll("form.search").forEach(enhance);
})();
