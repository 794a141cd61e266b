// htmx requests carry the CSRF token; bulk-select checkboxes follow the header box.
document.addEventListener("htmx:configRequest", function (event) {
  var meta = document.querySelector('meta[name="csrf-token"]');
  if (meta) { event.detail.headers["X-CSRFToken"] = meta.content; }
});
document.addEventListener("change", function (event) {
  var box = event.target;
  if (box.matches("input[data-toggle-all]")) {
    document.querySelectorAll('input[name="pk"]').forEach(function (item) { item.checked = box.checked; });
  }
  if (box.matches("input[data-perm-module]")) {
    var scope = box.closest("li");
    scope.querySelectorAll('input[name="permissions"]').forEach(function (item) { item.checked = box.checked; });
  }
});
