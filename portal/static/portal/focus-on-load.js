// A page answering a form moves keyboard and screen-reader focus to what it answered
// (the results, or the errors): the first element marked data-focus-on-load.
(function () {
  var target = document.querySelector("[data-focus-on-load]");
  if (target) { target.focus(); }
})();
