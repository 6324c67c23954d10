// The support console's sign-in page: POST /console/api/login, then on to /console.
(function () {
  "use strict";

  var form = document.getElementById("login-form");
  var username = document.getElementById("login-username");
  var password = document.getElementById("login-password");
  var submit = document.getElementById("login-submit");
  var errorBox = document.getElementById("login-error");

  function showError(message) {
    errorBox.textContent = message;
    errorBox.hidden = false;
  }

  function clearError() {
    errorBox.textContent = "";
    errorBox.hidden = true;
  }

  async function signIn() {
    var body = { username: username.value.trim(), password: password.value };
    if (!body.username || !body.password) {
      showError("Enter your username and password.");
      (body.username ? password : username).focus();
      return;
    }
    clearError();
    submit.disabled = true;
    submit.textContent = "Signing in…";
    try {
      var response = await fetch("/console/api/login", {
        method: "POST",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", "Accept": "application/json" },
        body: JSON.stringify(body)
      });
      if (response.ok) {
        window.location.assign("/console");
        return;
      }
      var message = null;
      try {
        var data = await response.json();
        message = data && data.message;
      } catch (ignored) { /* not JSON */ }
      if (!message) {
        message = response.status === 401 ? "Wrong username or password."
          : "Sign-in failed (HTTP " + response.status + "). Try again.";
      }
      showError(message);
      password.focus();
      password.select();
    } catch (networkError) {
      showError("Cannot reach the server. Check your connection and try again.");
    } finally {
      submit.disabled = false;
      submit.textContent = "Sign in";
    }
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    signIn();
  });
  [username, password].forEach(function (input) {
    input.addEventListener("input", function () { if (!errorBox.hidden) { clearError(); } });
  });
})();
