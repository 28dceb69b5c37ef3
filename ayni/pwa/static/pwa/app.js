// Installs the service worker (/sw.js) and tells it who is signed in, as the opaque tag of
// the page's <meta name="ayni-usuario">: it keeps each person's saved boletas apart and
// forgets them when somebody else signs in (docs/security.md).
(function () {
  if (!("serviceWorker" in navigator)) { return; }
  var meta = document.querySelector('meta[name="ayni-usuario"]');
  navigator.serviceWorker.register("/sw.js", { scope: "/" }).then(function () {
    return navigator.serviceWorker.ready;
  }).then(function (registration) {
    if (meta && registration.active) {
      registration.active.postMessage({ usuario: meta.content });
    }
  }).catch(function () { /* without a service worker the platform simply works online */ });
})();
