-- 001_inventory: the extension loads, reports its version, and registers exactly
-- these functions and modules (a new or removed name must show up here).
SELECT lumo_version() AS version;
SELECT substr(lumo_debug(), 1, instr(lumo_debug(), char(10)) - 1) AS first_debug_line;
SELECT name, narg, flags & 0x800 > 0 AS deterministic FROM pragma_function_list
 WHERE name LIKE 'lumo%' ORDER BY name, narg;
SELECT name FROM pragma_module_list WHERE name LIKE 'lumo%' OR name LIKE 'claude%' ORDER BY name;
-- loading twice is harmless
.load dist/lumo
SELECT count(*) AS claude_tables FROM pragma_module_list WHERE name LIKE 'claude%';
-- every registered function and module is documented in lumo_reference (no rows)
SELECT 'undocumented function', name FROM pragma_function_list WHERE name LIKE 'lumo%'
EXCEPT SELECT 'undocumented function', name FROM lumo_reference WHERE kind = 'function';
SELECT 'undocumented table', name FROM pragma_module_list WHERE name LIKE 'lumo%' OR name LIKE 'claude%'
EXCEPT SELECT 'undocumented table', name FROM lumo_reference WHERE kind = 'table';
-- every column of every table is documented: declared columns = reference rows
SELECT r.name, count(*) AS documented_columns,
       (SELECT count(*) FROM pragma_table_xinfo(r.name)) AS declared_columns
  FROM lumo_reference r WHERE r.kind = 'table' AND r."column" IS NOT NULL GROUP BY r.name ORDER BY r.name;
