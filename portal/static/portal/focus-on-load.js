// A page answering a form moves keyboard and screen-reader focus to what it answered (the
// results, the errors, or the message saying what happened): the first element marked
// data-focus-on-load. Loaded by base.html on every page.
(function () {
  var target = document.querySelector("[data-focus-on-load]");
  if (target) { target.focus(); }
})();
