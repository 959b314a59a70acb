// srkg's SPARQL editor: line numbers, Tab indentation, Ctrl+Enter to run, and the
// competency questions as examples. Plain JavaScript, no dependencies.
(function () {
  "use strict";
  var form = document.getElementById("sparql-form");
  var query = document.getElementById("query");
  var gutter = document.getElementById("gutter");
  var examples = document.getElementById("examples");
  if (!form || !query) { return; }

  function renumber() {
    var lines = query.value.split("\n").length;
    var out = [];
    for (var i = 1; i <= lines; i++) { out.push(String(i)); }
    gutter.textContent = out.join("\n");
    query.rows = Math.max(12, Math.min(40, lines + 1));
  }

  query.addEventListener("input", renumber);
  query.addEventListener("keydown", function (e) {
    if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      form.submit();
    } else if (e.key === "Tab" && !e.shiftKey) {
      e.preventDefault();
      var s = query.selectionStart, t = query.selectionEnd;
      query.value = query.value.slice(0, s) + "  " + query.value.slice(t);
      query.selectionStart = query.selectionEnd = s + 2;
      renumber();
    }
  });
  if (examples) {
    examples.addEventListener("change", function () {
      var t = document.querySelector('template.example[data-index="' + examples.value + '"]');
      if (t) {
        query.value = t.content.textContent;
        renumber();
        query.focus();
      }
    });
  }
  renumber();
})();
