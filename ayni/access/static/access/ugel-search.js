// Filters the long UGEL list by what the user types (accents and case ignored).
// Without JavaScript the plain list still works: typing letters jumps to a UGEL.
(function () {
  "use strict";
  var fold = function (text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  };
  document.querySelectorAll("select[data-search]").forEach(function (select) {
    var input = document.createElement("input");
    input.type = "search";
    input.id = select.id + "_buscar";
    input.setAttribute("autocomplete", "off");
    var label = document.createElement("label");
    label.htmlFor = input.id;
    label.textContent = "Buscar UGEL por nombre";
    select.parentNode.insertBefore(label, select);
    select.parentNode.insertBefore(input, select);
    input.addEventListener("input", function () {
      var words = fold(input.value).split(/\s+/).filter(Boolean);
      var matches = [];
      select.querySelectorAll("option").forEach(function (option) {
        if (!option.value) { return; }
        var text = fold(option.textContent + " " + (option.parentNode.label || ""));
        var shown = words.every(function (word) { return text.indexOf(word) !== -1; });
        option.hidden = !shown;
        option.disabled = !shown;
        if (shown) { matches.push(option); }
      });
      select.querySelectorAll("optgroup").forEach(function (group) {
        group.hidden = !group.querySelector("option:not([hidden])");
      });
      if (matches.length === 1) { select.value = matches[0].value; }
    });
  });
})();
