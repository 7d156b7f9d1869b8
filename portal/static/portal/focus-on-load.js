// A page answering a form moves keyboard and screen-reader focus to what it answered (the
// results, the errors, or the message saying what happened): the first element marked
// data-focus-on-load. Loaded by base.html on every page.
(function () {
  var target = document.querySelector("[data-focus-on-load]");
  if (target) { target.focus(); }

  // A table wider than a phone scrolls inside its own labelled region (.table-scroll); a region
  // that does scroll joins the tab order, so it can be scrolled from the keyboard too.
  function scrollRegionsReachable() {
    document.querySelectorAll(".table-scroll").forEach(function (region) {
      if (region.scrollWidth > region.clientWidth + 1) { region.setAttribute("tabindex", "0"); }
      else { region.removeAttribute("tabindex"); }
    });
  }
  scrollRegionsReachable();
  window.addEventListener("resize", scrollRegionsReachable);
  document.addEventListener("htmx:afterSettle", scrollRegionsReachable);
})();
