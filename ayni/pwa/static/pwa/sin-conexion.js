// The offline page lists the boletas this browser keeps for the person last signed in
// (the service worker's cache named after their opaque tag).
(function () {
  if (!("caches" in window)) { return; }
  var MONTHS = ["enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto",
    "setiembre", "octubre", "noviembre", "diciembre"];

  function label(answer) {
    var name = /boleta-(\d{4})-(\d{2})/.exec(answer.headers.get("Content-Disposition") || "");
    return name ? "Boleta de " + MONTHS[Number(name[2]) - 1] + " " + name[1] : "Boleta";
  }

  document.addEventListener("DOMContentLoaded", function () {
    var section = document.getElementById("boletas-guardadas");
    caches.open("ayni-estado").then(function (state) {
      return state.match("/__ayni/usuario");
    }).then(function (user) {
      return user ? user.text() : "";
    }).then(function (tag) {
      var name = "ayni-boletas-" + tag;
      return tag && caches.has(name).then(function (has) { return has && caches.open(name); });
    }).then(function (cache) {
      return cache ? cache.keys().then(function (requests) {
        return Promise.all(requests.reverse().map(function (request) {
          return cache.match(request).then(function (answer) {
            return { url: request.url, text: label(answer) };
          });
        }));
      }) : [];
    }).then(function (saved) {
      if (!saved.length) { return; }
      var list = section.querySelector("ul");
      saved.forEach(function (boleta) {
        var item = document.createElement("li");
        var link = document.createElement("a");
        link.href = boleta.url;
        link.textContent = boleta.text;
        item.appendChild(link);
        list.appendChild(item);
      });
      section.hidden = false;
    });
  });
})();
