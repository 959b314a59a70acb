// srkg's SPARQL editor: YASGUI (vendored in /static/yasgui/, see VENDOR.md there) on this service's own
// endpoint, and on nothing else.
//
// The page gives the settings in a JSON data block (#sparql-config): the endpoint, srkg's prefixes and the
// competency questions of the query catalogue. As set up here, YASGUI contacts no other host: its endpoint
// catalogue is empty and its endpoint field hidden, every tab (a stored one, one from a link) is pointed at
// this endpoint, the autocompleters that ask remote services (classes and properties from LOV) are off, and
// prefix completion offers srkg's prefixes rather than prefix.cc's. Results are YASR's table (sorted by a
// click on a column, paged, downloaded as CSV) or the raw response; srkg's IRIs in them link to their pages
// in this service. Tabs and their last results are kept in localStorage; a first visit opens the first
// competency question. Data is only ever put in the page as text (textContent), never as markup.
(function () {
  "use strict";
  var root = document.getElementById("yasgui");
  var settings = document.getElementById("sparql-config");
  if (!root || !settings || typeof window.Yasgui !== "function") {
    return; // the no-script form stays the editor
  }
  var Yasgui = window.Yasgui;
  var config = JSON.parse(settings.textContent);
  var endpoint = new URL(config.endpoint, window.location.href).href;
  var prefixes = config.prefixes;

  // Completion: srkg's prefixes (after PREFIX, and declared as soon as a prefixed name is typed) and the
  // query's own variables. Both work from what the page holds.
  Yasgui.Yasqe.forkAutocompleter("prefixes", {
    name: "srkgPrefixes",
    persistenceId: null,
    get: Object.keys(prefixes).map(function (p) { return p + ": <" + prefixes[p] + ">"; }),
  }, false);
  var completers = ["srkgPrefixes", "variables"];
  Yasgui.Yasqe.defaults.autocompleters = completers.slice();
  Yasgui.defaults.yasqe.autocompleters = completers.slice();
  Yasgui.Yasr.plugins.table.defaults.openIriInNewWindow = false;

  // The words of the page's language (#sparql-strings, a data block the page has when it is not in English).
  var strings = {};
  var wordsBlock = document.getElementById("sparql-strings");
  if (wordsBlock) {
    try { strings = JSON.parse(wordsBlock.textContent) || {}; } catch (e) { strings = {}; }
  }

  function endpointInfo() {
    var info = document.createElement("span");
    info.className = "srkg-endpoint";
    var words = typeof strings.endpoint === "string" && strings.endpoint.indexOf("%(endpoint)s") >= 0
      ? strings.endpoint : "Endpoint: %(endpoint)s (this service)";
    var at = words.indexOf("%(endpoint)s");
    info.appendChild(document.createTextNode(words.slice(0, at)));
    var code = document.createElement("code");
    code.textContent = config.endpoint;
    info.appendChild(code);
    info.appendChild(document.createTextNode(words.slice(at + "%(endpoint)s".length)));
    return info;
  }

  var yasgui = new Yasgui(root, {
    persistenceId: "srkg-sparql",
    autofocus: false,
    copyEndpointOnNewTab: false,
    endpointInfo: endpointInfo,
    endpointCatalogueOptions: { getData: function () { return []; }, keys: [], renderItem: function () {} },
    requestConfig: { endpoint: endpoint, method: "POST", acceptHeaderGraph: "text/turtle,*/*;q=0.9" },
    // a link such as /sparql?query=… opens its query in a tab, on this endpoint whatever the link says
    populateFromUrl: function (tab) {
      tab.requestConfig.endpoint = endpoint;
      return tab;
    },
    yasqe: { value: config.query, autocompleters: completers.slice(), prefixCcApi: null },
    yasr: { prefixes: prefixes, defaultPlugin: "table", pluginOrder: ["table", "response"] },
  });

  // Tabs kept from an earlier visit run on this endpoint too.
  Object.keys(yasgui._tabs).forEach(function (id) {
    var tab = yasgui.getTab(id);
    if (tab && tab.getEndpoint() !== endpoint) { tab.setEndpoint(endpoint); }
  });
  yasgui.on("tabAdd", function (instance, id) {
    var tab = instance.getTab(id);
    if (tab && tab.getEndpoint() !== endpoint) { tab.setEndpoint(endpoint); }
  });

  // The competency questions: a click opens the question in its own tab (or selects the tab that has it) and
  // runs it. Without script, the same link runs it on the server.
  function tabName(example) {
    return example.name.split("/").pop();
  }
  document.querySelectorAll("a[data-example]").forEach(function (link) {
    link.addEventListener("click", function (event) {
      var example = config.examples[Number(link.getAttribute("data-example"))];
      if (!example || event.ctrlKey || event.metaKey || event.shiftKey || event.button !== 0) { return; }
      event.preventDefault();
      var tab = yasgui.addTab(true, {
        name: tabName(example),
        yasqe: { value: example.query },
        requestConfig: { endpoint: endpoint },
      }, { avoidDuplicateTabs: true });
      tab.query().catch(function () {}); // an error is shown in the results
    });
  });

  // srkg's IRIs in the results link to their pages here (/id/… and /ontology#…), as elsewhere in the service.
  var local = [[prefixes.id, "/id/"], [prefixes.srkg, "/ontology#"]];
  function localise(element) {
    element.querySelectorAll("a[href^='https://w3id.org/srkg/']").forEach(function (a) {
      var href = a.getAttribute("href");
      for (var i = 0; i < local.length; i++) {
        if (href.indexOf(local[i][0]) === 0) {
          a.setAttribute("href", local[i][1] + href.slice(local[i][0].length));
          a.removeAttribute("target");
          return;
        }
      }
    });
  }
  new MutationObserver(function (changes) {
    changes.forEach(function (change) {
      change.addedNodes.forEach(function (node) {
        if (node.nodeType === Node.ELEMENT_NODE) { localise(node.parentNode || node); }
      });
    });
  }).observe(root, { childList: true, subtree: true });
  localise(root);
})();
