// emit.cjs: sends Claude-Code-shaped telemetry through the OpenTelemetry JavaScript SDK's
// own OTLP/HTTP JSON exporters (the client Claude Code uses), to the endpoint given, and
// writes what it sent (its own totals) as JSON on stdout, for tests/check_otlp_e2e.py.
//   node emit.cjs http://127.0.0.1:PORT
// Metrics go out twice: once with delta temporality (Claude Code's default) and once with
// cumulative temporality (what OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE=cumulative
// gives), flushed after each of three rounds plus one idle round, so the cumulative
// series repeats its running totals and only a reader that takes differences gets the
// totals right.
'use strict';
const { MeterProvider, PeriodicExportingMetricReader } = require('@opentelemetry/sdk-metrics');
const { OTLPMetricExporter, AggregationTemporalityPreference } = require('@opentelemetry/exporter-metrics-otlp-http');
const { LoggerProvider, BatchLogRecordProcessor } = require('@opentelemetry/sdk-logs');
const { OTLPLogExporter } = require('@opentelemetry/exporter-logs-otlp-http');
const { resourceFromAttributes } = require('@opentelemetry/resources');

const base = process.argv[2];
const SESSION = '5a1e7c0d-0000-4000-8000-00000000e2e1';
const MODEL = 'claude-sonnet-4-5-20250929';

function provider(run, temporality) {
  const exporter = new OTLPMetricExporter({ url: base + '/v1/metrics', temporalityPreference: temporality });
  const reader = new PeriodicExportingMetricReader({ exporter, exportIntervalMillis: 3600000 });
  const mp = new MeterProvider({
    resource: resourceFromAttributes({ 'service.name': 'claude-code', 'service.version': '2.1.999', 'lumo.test.run': run }),
    readers: [reader],
  });
  const meter = mp.getMeter('com.anthropic.claude_code', '2.1.999');
  return {
    mp,
    tokens: meter.createCounter('claude_code.token.usage', { unit: 'tokens' }),
    cost: meter.createCounter('claude_code.cost.usage', { unit: 'USD' }),
    active: meter.createCounter('claude_code.active_time.total', { unit: 's' }),
    lines: meter.createCounter('claude_code.lines_of_code.count'),
    decisions: meter.createCounter('claude_code.code_edit_tool.decision'),
  };
}

const rounds = [
  { input: 1200, output: 340, cacheRead: 50000, cacheCreation: 2048, cost: 0.0437, user: 12.5, cli: 40, added: 30, removed: 4, accept: 2, reject: 0 },
  { input: 800, output: 1250, cacheRead: 61000, cacheCreation: 0, cost: 0.0391, user: 8, cli: 75.25, added: 0, removed: 11, accept: 1, reject: 1 },
  { input: 15, output: 9, cacheRead: 0, cacheCreation: 512, cost: 0.0021, user: 3.5, cli: 2, added: 7, removed: 0, accept: 0, reject: 2 },
];

async function main() {
  const runs = { delta: provider('delta', AggregationTemporalityPreference.DELTA),
                 cumulative: provider('cumulative', AggregationTemporalityPreference.CUMULATIVE) };
  const sent = {};
  for (const r of rounds) {
    for (const [name, p] of Object.entries(runs)) {
      const attrs = { 'session.id': SESSION, model: MODEL };
      p.tokens.add(r.input, { ...attrs, type: 'input' });
      p.tokens.add(r.output, { ...attrs, type: 'output' });
      p.tokens.add(r.cacheRead, { ...attrs, type: 'cacheRead' });
      p.tokens.add(r.cacheCreation, { ...attrs, type: 'cacheCreation' });
      p.cost.add(r.cost, attrs);
      p.active.add(r.user, { 'session.id': SESSION, type: 'user' });
      p.active.add(r.cli, { 'session.id': SESSION, type: 'cli' });
      p.lines.add(r.added, { 'session.id': SESSION, type: 'added' });
      p.lines.add(r.removed, { 'session.id': SESSION, type: 'removed' });
      const d = { 'session.id': SESSION, tool_name: 'Edit', source: 'user_temporary', language: 'Python' };
      p.decisions.add(r.accept, { ...d, decision: 'accept' });
      p.decisions.add(r.reject, { ...d, decision: 'reject' });
      const s = (sent[name] = sent[name] || {});
      const add = (k, v) => { s[k] = (s[k] || 0) + v; };
      add('tokens.input', r.input); add('tokens.output', r.output); add('tokens.cacheRead', r.cacheRead);
      add('tokens.cacheCreation', r.cacheCreation); add('cost', r.cost); add('active.user', r.user);
      add('active.cli', r.cli); add('lines.added', r.added); add('lines.removed', r.removed);
      add('decision.accept', r.accept); add('decision.reject', r.reject);
      await p.mp.forceFlush();
    }
  }
  for (const p of Object.values(runs)) { await p.mp.forceFlush(); await p.mp.shutdown(); }

  // Events: api_request records as Claude Code writes them (bare name in event.name,
  // prefixed name in the body, int attributes as numbers, cost as a double).
  const lp = new LoggerProvider({
    resource: resourceFromAttributes({ 'service.name': 'claude-code', 'service.version': '2.1.999' }),
    processors: [new BatchLogRecordProcessor(new OTLPLogExporter({ url: base + '/v1/logs' }), { scheduledDelayMillis: 50 })],
  });
  const logger = lp.getLogger('com.anthropic.claude_code.events', '2.1.999');
  const events = { requests: 0, input: 0, output: 0, cacheRead: 0, cacheCreation: 0, cost: 0, prompts: 0 };
  const t0 = Date.UTC(2026, 10, 20, 9, 30, 0);
  for (let i = 0; i < 7; i++) {
    const req = { input: 100 + i * 17, output: 300 + i * 41, cacheRead: 20000 + i * 1000, cacheCreation: i % 3 ? 0 : 1500, cost: 0.01 + i * 0.0013 };
    logger.emit({
      timestamp: new Date(t0 + i * 60000), body: 'claude_code.api_request', severityNumber: 9, severityText: 'INFO',
      attributes: { 'event.name': 'api_request', 'event.timestamp': new Date(t0 + i * 60000).toISOString(), 'event.sequence': 2 * i + 1,
                    'session.id': SESSION, model: MODEL, request_id: 'req_e2e_' + i, input_tokens: req.input,
                    output_tokens: req.output, cache_read_tokens: req.cacheRead, cache_creation_tokens: req.cacheCreation,
                    cost_usd: req.cost, duration_ms: 1000 + i },
    });
    logger.emit({
      timestamp: new Date(t0 + i * 60000 - 5000), body: 'claude_code.user_prompt', severityNumber: 9,
      attributes: { 'event.name': 'user_prompt', 'event.sequence': 2 * i, 'session.id': SESSION, prompt_length: String(20 + i) },
    });
    events.requests++; events.input += req.input; events.output += req.output; events.cacheRead += req.cacheRead;
    events.cacheCreation += req.cacheCreation; events.cost += req.cost; events.prompts++;
  }
  await lp.forceFlush();
  await lp.shutdown();
  process.stdout.write(JSON.stringify({ session: SESSION, metrics: sent, events }) + '\n');
}

main().catch((e) => { console.error(e); process.exit(1); });
