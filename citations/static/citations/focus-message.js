// After an editor's decision the page reloads with a message saying what happened: move focus
// there so keyboard and screen reader users land on it instead of the top of the page.
(function () {
  var message = document.querySelector(".messages");
  if (!message) return;
  message.setAttribute("tabindex", "-1");
  message.focus();
})();
