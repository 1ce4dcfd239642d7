// Small enhancements; every page works without them.
(function () {
  "use strict";
  // A "select all" box ticks or clears every box of its form whose name it gives.
  document.querySelectorAll("input[data-select-all]").forEach(function (all) {
    var boxes = function () {
      return all.form.querySelectorAll('input[type="checkbox"][name="' + all.dataset.selectAll + '"]');
    };
    all.addEventListener("change", function () {
      boxes().forEach(function (b) { b.checked = all.checked; });
    });
    all.form.addEventListener("change", function (e) {
      if (e.target === all) { return; }
      var list = Array.prototype.slice.call(boxes());
      all.checked = list.length > 0 && list.every(function (b) { return b.checked; });
    });
  });
})();
