// 添加标段: a new formset row from the empty form, with the management form's count kept in step.
document.addEventListener("DOMContentLoaded", () => {
  const button = document.getElementById("add-section");
  const template = document.getElementById("section-empty-row");
  const total = document.getElementById("id_sections-TOTAL_FORMS");
  if (!button || !template || !total) return;
  button.addEventListener("click", () => {
    const index = parseInt(total.value, 10);
    const html = template.innerHTML.replace(/__prefix__/g, String(index));
    document.querySelector("#section-table tbody").insertAdjacentHTML("beforeend", html);
    total.value = String(index + 1);
    const first = document.getElementById(`id_sections-${index}-number`);
    if (first) first.focus();
  });
});
