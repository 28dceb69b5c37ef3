// The live checklist of the password policy; the server checks the same rules when sent.
(function () {
  var password = document.getElementById("id_new_password1");
  var confirmation = document.getElementById("id_new_password2");
  var items = document.querySelectorAll("#password-rules .rule");
  if (!password || !confirmation) { return; }

  function passes(rule, value) {
    var length = Array.from(value).length;
    switch (rule.kind) {
      case "lower": return /\p{Ll}/u.test(value);
      case "upper": return /\p{Lu}/u.test(value);
      case "digit": return /[0-9]/.test(value);
      case "length": return length >= rule.min && length <= rule.max;
      case "forbidden": return !Array.from(value).some(function (c) { return rule.characters.indexOf(c) !== -1; });
      case "match": return confirmation.value === "" ? null : value === confirmation.value;
    }
    return null;
  }

  function show(item, state) {
    item.className = "rule rule-" + state;
    item.querySelector(".rule-mark").textContent = state === "ok" ? "✔" : state === "fail" ? "✘" : "•";
    item.querySelector(".rule-state").textContent = state === "ok" ? " (cumple)" : state === "fail" ? " (no cumple)" : "";
  }

  function update() {
    var value = password.value;
    items.forEach(function (item) {
      if (!item.dataset.rule) { show(item, "pending"); return; }  // checked by the server
      var rule = JSON.parse(item.dataset.rule);
      var result = value === "" ? null : passes(rule, value);
      show(item, result === null ? "pending" : result ? "ok" : "fail");
    });
  }

  password.addEventListener("input", update);
  confirmation.addEventListener("input", update);
})();
