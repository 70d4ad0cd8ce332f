"""Registry import: a regional coordinator loads the education authority's list of organisations
and, each school year, the list of ШНОР/ШССУ and leader schools (R-TUL-A1-1.4 cites one), from an
XLSX or CSV file. Staged: a preview first, nothing saved until the coordinator confirms.

parser.py reads the file (pure functions over bytes), plan.py compares it with the database,
services.py stages and applies, tasks in networks/tasks.py run long files in a worker."""
