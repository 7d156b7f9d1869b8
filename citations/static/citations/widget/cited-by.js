/* Cited-by Portal widget, v1. Paste once per page:
 *   <script async src="https://PORTAL/widget/v1/cited-by.js"></script>
 *   <div data-cited-by-doi="10.…" data-cited-by-key="cbw_…"></div>
 * Options: data-cited-by-max, -layout (full|compact), -theme (auto|light|dark), -empty (none|text).
 * Plain JavaScript, no eval, no HTML parsing: every node is built from the server's allow-listed
 * tree of the title; styles live in the shadow root only (a constructed stylesheet). */
(function () {
  "use strict";
  var CSS = "__WIDGET_CSS__";
  var FACE = " " + "__FACE_TAGS__" + " ";
  var MATH = " " + "__MATHML_TAGS__" + " ";
  var MATHML_NS = "http://www.w3.org/1998/Math/MathML";
  var me = document.currentScript || document.querySelector('script[src*="/widget/v1/cited-by.js"]');
  if (!me) return;
  var base = new URL("./", me.src).href;
  var done = typeof WeakSet === "function" ? new WeakSet() : null;
  var sheet = null;
  var serial = 0;

  function warn(message) {
    if (window.console) console.warn("Cited-by widget: " + message);
  }

  function path(doi) {
    var parts = doi.split("/");
    // "." and ".." segments would be collapsed by URL parsing: encode every slash then.
    if (parts.indexOf(".") >= 0 || parts.indexOf("..") >= 0) return encodeURIComponent(doi);
    return parts.map(encodeURIComponent).join("/");
  }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text) node.textContent = text;
    return node;
  }

  // A title's nodes: strings are text, lists are [tag, ...children]; unknown tags keep their text.
  function rich(parent, nodes) {
    for (var i = 0; i < nodes.length; i++) {
      var node = nodes[i];
      if (typeof node === "string") { parent.appendChild(document.createTextNode(node)); continue; }
      if (!node || typeof node[0] !== "string") continue;
      var tag = node[0], child = null;
      if (FACE.indexOf(" " + tag + " ") >= 0) child = document.createElement(tag);
      else if (MATH.indexOf(" " + tag + " ") >= 0) child = document.createElementNS(MATHML_NS, tag);
      if (child) { parent.appendChild(child); rich(child, node.slice(1)); } else rich(parent, node.slice(1));
    }
  }

  function style(root) {
    if ("adoptedStyleSheets" in root && typeof CSSStyleSheet === "function") {
      try {
        if (!sheet) { sheet = new CSSStyleSheet(); sheet.replaceSync(CSS); }
        root.adoptedStyleSheets = [sheet];
        return;
      } catch (e) { /* an older browser: fall back to a <style> inside the shadow root */ }
    }
    root.appendChild(el("style", "", CSS));
  }

  function item(work, compact) {
    var li = el("li");
    var link = el("a", "title");
    link.href = work.url;
    rich(link, work.title_rich || [work.title]);
    li.appendChild(link);
    if (compact) {
      if (work.year) li.appendChild(el("span", "meta", "(" + work.year + ")"));
      return li;
    }
    if (work.authors) li.appendChild(el("span", "meta", work.authors));
    var venue = [work.venue, work.year].filter(Boolean).join(", ");
    if (venue) li.appendChild(el("span", "meta", venue));
    return li;
  }

  function render(host, data, opts) {
    var count = data.count || 0;
    if (!count && opts.empty !== "text") return;
    var root = host.shadowRoot || host.attachShadow({ mode: "open" });
    while (root.firstChild) root.removeChild(root.firstChild);
    style(root);
    var id = "cited-by-heading-" + (++serial);
    var box = el("section", "cb cb-" + opts.theme + " cb-" + opts.layout);
    box.setAttribute("aria-labelledby", id);
    var heading = el("h2", "", "Cited by " + count.toLocaleString("en"));
    heading.id = id;
    box.appendChild(heading);
    if (!count) {
      box.appendChild(el("p", "", "No citations yet."));
      root.appendChild(box);
      return;
    }
    var works = data.works || [], list = el("ol"), shown = 0;
    box.appendChild(list);
    var more = el("button");
    more.type = "button";
    function showMore(moveFocus) {
      var first = null;
      for (var end = Math.min(shown + opts.max, works.length); shown < end; shown++) {
        var li = item(works[shown], opts.layout === "compact");
        list.appendChild(li);
        first = first || li.firstChild;
      }
      var left = works.length - shown;
      more.hidden = left <= 0;
      more.textContent = "Show " + Math.min(left, opts.max) + " more";
      more.setAttribute("aria-label", "Show " + Math.min(left, opts.max) + " more citing works, of " + left + " not shown");
      if (moveFocus && first) first.focus();
    }
    more.addEventListener("click", function () { showMore(true); });
    showMore(false);
    box.appendChild(more);
    if (count > works.length) box.appendChild(el("p", "", "Showing the " + works.length + " newest of " + count.toLocaleString("en") + "."));
    root.appendChild(box);
  }

  function pick(value, allowed, fallback) {
    return allowed.indexOf(value) >= 0 ? value : fallback;
  }

  function mount(host) {
    if (done) { if (done.has(host)) return; done.add(host); }
    var doi = (host.getAttribute("data-cited-by-doi") || "").trim();
    var key = (host.getAttribute("data-cited-by-key") || "").trim();
    if (!doi || !key) { warn("an element needs both data-cited-by-doi and data-cited-by-key"); return; }
    var max = parseInt(host.getAttribute("data-cited-by-max"), 10);
    var opts = {
      max: max >= 1 ? Math.min(max, 100) : 5,
      layout: pick(host.getAttribute("data-cited-by-layout"), ["full", "compact"], "full"),
      theme: pick(host.getAttribute("data-cited-by-theme"), ["auto", "light", "dark"], "auto"),
      empty: pick(host.getAttribute("data-cited-by-empty"), ["none", "text"], "none")
    };
    var url = base + "data/" + path(doi) + "?key=" + encodeURIComponent(key);
    fetch(url, { mode: "cors", credentials: "omit" })
      .then(function (response) {
        if (!response.ok) throw new Error("the portal answered " + response.status + " for " + doi);
        return response.json();
      })
      .then(function (data) { render(host, data, opts); })
      .catch(function (error) { warn(error.message + " (is this site one of the key's allowed sites?)"); });
  }

  function start() {
    var hosts = document.querySelectorAll("[data-cited-by-doi]");
    for (var i = 0; i < hosts.length; i++) mount(hosts[i]);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
