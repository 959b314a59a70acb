/* srkg page words: the words a page script shows, in the page's language. A page not in English carries a
   JSON data block (key -> message with %(name)s placeholders, or a table of the graph's words: layers,
   hedging degrees, polarities, node groups); each script writes its English words itself and asks here.
   Exposes window.srkgWords(blockId, english) -> {say(key, values), word(table, value)}. Loaded before the
   page's own script. */
(function () {
  "use strict";
  window.srkgWords = function (blockId, english) {
    var block = document.getElementById(blockId);
    var given = {};
    if (block) {
      try { given = JSON.parse(block.textContent) || {}; } catch (e) { given = {}; }
    }
    return {
      /* the message ``key`` with its placeholders filled from ``values`` (as text: the caller writes it with
         textContent) */
      say: function (key, values) {
        var words = typeof given[key] === "string" ? given[key] : english[key];
        return words.replace(/%\((\w+)\)s/g, function (all, name) {
          return values && Object.prototype.hasOwnProperty.call(values, name) ? String(values[name]) : all;
        });
      },
      /* a word of the graph's vocabulary in the page's language, or the word itself */
      word: function (table, value) {
        var known = given[table];
        return known && typeof known[value] === "string" ? known[value] : value;
      }
    };
  };
})();
