-- 090_otlp: otlp_metrics and otlp_logs over every OTLP fixture (tests/fixtures/real/otlp):
-- the protocol's examples, the spec's file-exporter sample (traces reported, not read),
-- and the agents' captures, which sit inside their publisher's envelope and so are
-- reported as not OTLP here (tests/check_otlp.py unwraps them and checks their numbers).
-- Run under ASan+UBSan and valgrind too. Expected values: hand-checked against the files
-- (PROVENANCE.md describes each).
.mode list
SELECT file, line, metric, kind, temporality, value, count, sum, buckets, attributes
  FROM otlp_metrics('tests/fixtures/real/otlp') ORDER BY file, line, key;
SELECT file, line, time, severity_number, event_name, body, attributes, trace_id, span_id
  FROM otlp_logs('tests/fixtures/real/otlp') ORDER BY file, line, key;
SELECT source, file, line, kind FROM lumo_diagnostics ORDER BY source, file, line;
