// "Otra imagen": a new challenge without reloading the page (the button shows only with JS;
// without it, reloading the page gives a new image).
document.querySelectorAll(".captcha").forEach(function (box) {
  var link = box.querySelector(".captcha-refresh");
  link.addEventListener("click", function (event) {
    event.preventDefault();
    fetch(box.dataset.refreshUrl, { credentials: "same-origin" })
      .then(function (response) { return response.json(); })
      .then(function (challenge) {
        box.querySelector(".captcha-image").src = challenge.image_url;
        box.querySelector("input[type=hidden]").value = challenge.key;
        var audio = box.querySelector("audio");
        if (audio && challenge.audio_url) { audio.src = challenge.audio_url; }
        var answer = box.querySelector("input[type=text]");
        answer.value = "";
        answer.focus();
      });
  });
});
