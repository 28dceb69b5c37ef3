// "Recibir avisos en este dispositivo": subscribes this browser to the platform's notices
// (Web Push, the platform's own VAPID key) and tells the platform where to send them.
(function () {
  var FAILED = "Este navegador no pudo activar los avisos. Inténtelo más tarde.";

  document.addEventListener("DOMContentLoaded", function () {
    var box = document.querySelector("[data-avisos]");
    if (!box || !("serviceWorker" in navigator) || !("PushManager" in window) ||
        !("Notification" in window)) {
      return; // the control stays hidden where the browser cannot receive notices
    }
    var on = box.querySelector('[data-accion="activar"]');
    var off = box.querySelector('[data-accion="desactivar"]');
    var status = box.querySelector(".avisos-estado");
    var token = box.querySelector('input[name="csrfmiddlewaretoken"]').value;

    function send(url, body) {
      return fetch(url, {
        method: "POST", credentials: "same-origin", body: JSON.stringify(body),
        headers: { "Content-Type": "application/json", "X-CSRFToken": token },
      }).then(function (answer) {
        return answer.json().then(function (data) {
          if (!answer.ok) { throw new Error(data.error || FAILED); }
          return data;
        });
      });
    }

    function show(subscribed, message) {
      on.hidden = subscribed;
      off.hidden = !subscribed;
      status.textContent = message || "";
    }

    function subscription() {
      return navigator.serviceWorker.ready.then(function (registration) {
        return registration.pushManager.getSubscription().then(function (current) {
          return { registration: registration, current: current };
        });
      });
    }

    box.hidden = false;
    subscription().then(function (found) { show(Boolean(found.current)); });

    on.addEventListener("click", function () {
      Notification.requestPermission().then(function (permission) {
        if (permission !== "granted") {
          throw new Error("Este navegador no permite avisos de la plataforma: actívelos en su configuración.");
        }
        return subscription();
      }).then(function (found) {
        return found.registration.pushManager.subscribe({
          userVisibleOnly: true, applicationServerKey: box.dataset.clave,
        }).catch(function () { throw new Error(FAILED); });
      }).then(function (created) {
        return send(box.dataset.alta, created.toJSON());
      }).then(function (data) {
        show(true, data.mensaje);
      }).catch(function (error) {
        show(false, error.message);
      });
    });

    off.addEventListener("click", function () {
      subscription().then(function (found) {
        if (!found.current) { return null; }
        return send(box.dataset.baja, { endpoint: found.current.endpoint })
          .catch(function () { return null; }) // already forgotten by the platform
          .then(function () { return found.current.unsubscribe(); });
      }).then(function () {
        show(false, "Ya no recibirá avisos en este dispositivo.");
      });
    });
  });
})();
