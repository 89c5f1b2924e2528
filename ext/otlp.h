/* otlp.h: what otlp.c reads from OTLP/JSON dump files (spec: otlp.md): the documents of a
** file, and each document's data points and log records as decoded records. */
#ifndef LUMO_OTLP_H
#define LUMO_OTLP_H

#include "lumo_int.h"

/* Documents of one file in order: JSON lines (one request per line, as the Collector's
** file exporter and scripts/lumo-otlp-receiver write them) or pretty-printed documents
** spanning lines, several per file. A document that spans lines is assembled in acc;
** a one-line document is handed out in place. */
typedef struct otlp_docs {
  lumo_reader rd;
  lumo_buf acc;          /* owned: a document spanning lines, being assembled */
  int in_doc, depth;     /* inside a document, and its bracket depth */
  int skipping;          /* skipping a document over the size limit */
  int64_t doc_line;      /* first line of the current document */
  const char *line;      /* the current line (reader's buffer) */
  size_t len, pos;       /* its length and where scanning resumes */
  int status;            /* reader status of the current line; 0 = none pending */
  int64_t consumed, lines; /* offset and line count past the last line that ended outside a document */
} otlp_docs;

enum { OTLP_DOC_EOF = 0, OTLP_DOC_OK = 1, OTLP_DOC_BAD = 2, OTLP_DOC_TORN = 3, OTLP_DOC_ERROR = -1 };

/* Largest document read (a Collector line holds one export batch: megabytes at most). */
#define OTLP_MAX_DOC ((size_t)64 << 20)

/* Why a file cannot be read as OTLP/JSON (zstd, length-prefixed protobuf frames), or NULL. */
LUMO_API const char *otlp_sniff(const char *path);
LUMO_API int otlp_docs_open(otlp_docs *d, const char *path, int64_t start, int64_t start_line);
/* Next document: OK with doc and its first line; BAD with why (a malformed or too long
** document, skipped); TORN when the file ends inside a document (not consumed). */
LUMO_API int otlp_docs_next(otlp_docs *d, lumo_span *doc, int64_t *line, const char **why);
LUMO_API void otlp_docs_close(otlp_docs *d);

enum { OTLP_METRIC = 1, OTLP_LOG = 2 };

/* Numbers promoted from log record attributes, coerced by name, not by wire type. */
enum { ON_SEQUENCE, ON_PROMPT_LENGTH, ON_DURATION_MS, ON_INPUT, ON_OUTPUT, ON_CACHE_READ,
       ON_CACHE_CREATION, ON_REASONING, ON_N };

/* One data point or log record, decoded; strings live in the caller's arena (NULL =
** absent). Token numbers are lumo's normalised buckets (input without cached input,
** output with reasoning), whatever the agent's own semantics. */
typedef struct otlp_rec {
  int signal;
  const char *key;      /* natural key (spec A.5), 32 hex digits */
  const char *series;   /* metrics: resource + scope + name + point attributes, 32 hex digits */
  const char *agent;    /* claude, codex, gemini, or NULL */
  const char *service_name, *service_version, *scope_name, *scope_version;
  const char *resource, *attributes; /* canonical JSON objects: keys sorted, the last duplicate wins */
  int64_t time_ns, start_ns, observed_ns; /* 0 = unknown */
  const char *time_source; /* record, observed, attribute, file */
  const char *session_id, *model, *type, *decision, *source, *tool_name, *language;
  const char *user_id, *user_email, *account_uuid, *organization_id, *terminal_type;
  /* metrics */
  const char *metric, *unit, *kind, *temporality; /* temporality NULL = unspecified */
  int is_monotonic;
  int value_type;       /* 0 none (or no recorded value), 1 int, 2 double */
  int64_t value_int;
  double value_double;
  int64_t flags;
  int has_count, has_sum, has_min, has_max;
  int64_t count;
  double sum, min, max;
  const char *buckets;  /* histogram, exponential histogram or summary detail as JSON */
  /* logs */
  int has_severity;
  int64_t severity_number;
  const char *severity_text, *event_name, *body, *trace_id, *span_id, *prompt_id, *request_id;
  int success;          /* 1, 0, or -1 unknown */
  unsigned has_num;     /* bit i: num[i] present */
  int64_t num[ON_N];
  int has_cost;
  double cost_usd;
} otlp_rec;

/* Every value a record can show, by number: the virtual tables map their columns onto
** these and sync binds them (OF_FILE, OF_LINE and OF_PATH belong to the reader, not the
** record). */
enum {
  OF_TIME, OF_TIME_NS, OF_START_NS, OF_OBSERVED_NS, OF_TIME_SOURCE, OF_METRIC, OF_UNIT, OF_KIND,
  OF_TEMPORALITY, OF_MONOTONIC, OF_VALUE, OF_COUNT, OF_SUM, OF_MIN, OF_MAX, OF_BUCKETS, OF_FLAGS,
  OF_SEVERITY_NUMBER, OF_SEVERITY_TEXT, OF_EVENT_NAME, OF_BODY, OF_ATTRIBUTES, OF_RESOURCE,
  OF_SCOPE_NAME, OF_SCOPE_VERSION, OF_TRACE_ID, OF_SPAN_ID, OF_AGENT, OF_SERVICE_NAME,
  OF_SERVICE_VERSION, OF_SESSION_ID, OF_SEQUENCE, OF_PROMPT_ID, OF_PROMPT_LENGTH, OF_MODEL,
  OF_REQUEST_ID, OF_TYPE, OF_DECISION, OF_SOURCE, OF_TOOL_NAME, OF_LANGUAGE, OF_SUCCESS,
  OF_DURATION_MS, OF_COST, OF_INPUT, OF_OUTPUT, OF_CACHE_READ, OF_CACHE_CREATION, OF_REASONING,
  OF_USER_ID, OF_USER_EMAIL, OF_ACCOUNT_UUID, OF_ORGANIZATION_ID, OF_TERMINAL_TYPE, OF_SERIES,
  OF_KEY, OF_FILE, OF_LINE, OF_PATH
};

typedef struct otlp_val {
  int64_t i;
  double d;
  const char *s;
  char iso[32];
} otlp_val;
enum { OTLP_V_NULL = 0, OTLP_V_INT = 1, OTLP_V_REAL = 2, OTLP_V_TEXT = 3 };
/* One value of a record: its type, and v->i, v->d or v->s (valid while r and v are). */
LUMO_API int otlp_get(const otlp_rec *r, int field, otlp_val *v);

typedef int (*otlp_rec_fn)(void *ctx, otlp_rec *r);

enum { OTLP_OK = 0, OTLP_NOT_OTLP = -1, OTLP_TRACES = -2, OTLP_BAD = -3 };

/* Walks one document and calls fn for each data point or log record of the wanted
** signals (a mask of OTLP_METRIC | OTLP_LOG). Returns OTLP_OK, OTLP_NOT_OTLP (no known
** top-level key), OTLP_TRACES (a trace document: not read), OTLP_BAD (why says what),
** or the first non-zero SQLite code fn returned. file_mtime_ns stands in for a log
** record that carries no time at all. *nrec counts records handed to fn. */
LUMO_API int otlp_walk(const char *p, size_t n, int signals, int64_t file_mtime_ns, lumo_arena *a,
                       otlp_rec_fn fn, void *ctx, const char **why, int64_t *nrec);

/* Formats nanoseconds since the epoch as ISO-8601 UTC with milliseconds. */
LUMO_API void otlp_ns_to_iso(int64_t ns, char out[32]);

/* Dump files under the roots: each a file, a directory (every *.json, *.jsonl and
** their .gz under it) or a glob pattern. Default $LUMO_OTLP_DIR, else ~/.lumo/otlp. */
LUMO_API int otlp_roots(const char *arg, char ***roots, int *n);
LUMO_API int otlp_files(char **roots, int nroot, lumo_filelist *fl, lumo_conn *c, const char *source);

#endif
