/* Keep each chart's text alternative (aria-label of its role=figure container, set by
   components/page.py) equal to the chart's title when a callback redraws the chart. */
(function () {
  var pending = false;
  function sync() {
    pending = false;
    document.querySelectorAll(".tv-chart").forEach(function (box) {
      var title = box.querySelector(".gtitle");
      if (!title) { return; }
      var text = Array.prototype.map.call(title.querySelectorAll("tspan.line"), function (t) {
        return t.textContent.trim();
      }).filter(Boolean).join(". ") || title.textContent.trim();
      if (text && box.getAttribute("aria-label") !== text) { box.setAttribute("aria-label", text); }
    });
  }
  new MutationObserver(function () {
    if (!pending) { pending = true; window.requestAnimationFrame(sync); }
  }).observe(document.documentElement, {childList: true, subtree: true});
})();
