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
