// The progress of a planilla's PDFs on its page: asks the server every few seconds and
// updates the figures until every PDF is made (the "Actualizar" link does the same by hand).
(function () {
  "use strict";
  var status = document.getElementById("pdf-progress");
  if (!status || !window.fetch) return;
  var url = status.getAttribute("data-url");
  function show(progress) {
    ["generados", "total"].forEach(function (name) {
      var field = status.querySelector('[data-field="' + name + '"]');
      if (field) field.textContent = String(progress[name]);
    });
    return progress.terminado;
  }
  function poll() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (progress) {
        if (progress && show(progress)) return;
        window.setTimeout(poll, 3000);
      })
      .catch(function () { window.setTimeout(poll, 10000); });
  }
  window.setTimeout(poll, 3000);
})();
