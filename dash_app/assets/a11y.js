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

/* Dash's RadioItems and Checklist mark their list role=listbox and each <label> role=option, though
   each label holds a native radio/checkbox: an interactive control inside an option (axe
   nested-interactive) and a listbox without a name (aria-input-field-name). The native inputs carry
   the semantics; the enclosing radiogroup/group of components/page.py carries the name. So drop the
   list roles. Dash's dropdown keeps keyboard focus on a readonly <input> it hides from assistive
   technology (aria-hidden on a focusable element, axe aria-hidden-focus): expose it instead, named
   by the control's label and its shown value. Tables that scroll sideways get keyboard focus so
   keyboard users can scroll them (axe scrollable-region-focusable). React re-sets these attributes
   when an option's state changes, hence the observer also watches attributes. */
(function () {
  var pending = false;
  function groupLabelId(el) {
    var group = el.closest("[aria-labelledby]");
    return group ? group.getAttribute("aria-labelledby") : null;
  }
  function fix() {
    pending = false;
    document.querySelectorAll(".dash-options-list[role=listbox]").forEach(function (list) {
      list.removeAttribute("role");
    });
    document.querySelectorAll(".dash-options-list-option[role=option]").forEach(function (option) {
      option.removeAttribute("role");
      option.removeAttribute("aria-selected");
    });
    document.querySelectorAll(".dash-dropdown-focus-target[aria-hidden]").forEach(function (input) {
      input.removeAttribute("aria-hidden");
      var button = input.parentElement.querySelector("button.dash-dropdown");
      var ids = [groupLabelId(input.parentElement), button && button.id ? button.id + "-value" : null];
      input.setAttribute("aria-labelledby", ids.filter(Boolean).join(" "));
    });
    document.querySelectorAll(".tv-table-wrap:not([tabindex])").forEach(function (wrap) {
      wrap.setAttribute("tabindex", "0");
    });
  }
  function schedule() {
    if (!pending) { pending = true; window.requestAnimationFrame(fix); }
  }
  new MutationObserver(schedule).observe(document.documentElement, {
    childList: true, subtree: true, attributes: true,
    attributeFilter: ["role", "aria-selected", "aria-hidden"]
  });
  schedule();
})();
