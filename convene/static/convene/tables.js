// Tables on small screens (WCAG 1.4.10 reflow, issue 15): every GOV.UK table with column
// headings becomes, below the tablet breakpoint, a stacked summary of each row, each cell
// preceded by its column's heading (frontend/convene.scss, `.convene-table--stacked`).
// This script labels each cell with its column's heading (data-label) and keeps the table's
// meaning for assistive technology when the layout stops being a table (explicit roles:
// browsers drop a table's roles when its parts are no longer displayed as table parts).
// Without JavaScript the table stays a table.
for (const table of document.querySelectorAll("table.govuk-table")) {
  const headRow = table.tHead && table.tHead.rows[0];
  if (!headRow) continue;
  const headings = [];
  for (const cell of headRow.cells) {
    const text = cell.textContent.trim().replace(/\s+/g, " ");
    for (let i = 0; i < (cell.colSpan || 1); i += 1) headings.push(text);
  }
  table.setAttribute("role", "table");
  for (const part of [table.tHead, ...table.tBodies, table.tFoot]) {
    if (part) part.setAttribute("role", "rowgroup");
  }
  for (const row of table.rows) {
    row.setAttribute("role", "row");
    let column = 0;
    for (const cell of row.cells) {
      if (row.parentElement === table.tHead) {
        cell.setAttribute("role", "columnheader");
      } else if (cell.tagName === "TH") {
        cell.setAttribute("role", "rowheader");
      } else {
        cell.setAttribute("role", "cell");
      }
      if (row.parentElement !== table.tHead && !cell.hasAttribute("data-label")) {
        cell.setAttribute("data-label", headings[column] || "");
      }
      column += cell.colSpan || 1;
    }
  }
  table.classList.add("convene-table--stacked");
}
