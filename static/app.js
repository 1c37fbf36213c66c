import { initAll } from "./govuk/govuk-frontend.min.js";

initAll();

// Stacked tables on a phone show each cell's column name: filled from the table's headers where
// the template did not give a data-label.
document.querySelectorAll("table.app-table--stack").forEach((table) => {
  const headers = Array.from(table.querySelectorAll("thead th")).map((th) => th.textContent.trim());
  table.querySelectorAll("tbody tr").forEach((row) => {
    let column = 0;
    Array.from(row.children).forEach((cell) => {
      if (cell.tagName === "TD" && !cell.hasAttribute("data-label") && headers[column]) {
        cell.setAttribute("data-label", headers[column]);
      }
      column += cell.colSpan || 1;
    });
  });
});

// "Select every item on this page": shown only where JavaScript runs (without it, tick each one).
document.querySelectorAll("[data-select-all]").forEach((box) => {
  const name = box.getAttribute("data-select-all");
  const items = () => Array.from(document.querySelectorAll(`input[type=checkbox][name="${name}"]`));
  box.closest(".app-select-all")?.removeAttribute("hidden");
  box.addEventListener("change", () => items().forEach((item) => { item.checked = box.checked; }));
});
