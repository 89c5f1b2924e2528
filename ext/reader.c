/* reader.c: yields the lines of a plain, gzip or zstd file, in 1 MiB reads, with line
** numbers and byte offsets, for lines of any length up to max_line. A line longer
** than that is skipped without being buffered and reported as LUMO_LINE_TOOLONG. A
** last line without its newline is reported as LUMO_LINE_TORN (the agent may still be
** writing it); parsers decide whether it is complete. A reader can start at a byte
** offset and line number remembered by an earlier scan (incremental sync).
** A line past cut_at bytes (64 MiB) is not held whole: its JSON strings keep their first
** MiB (cut_strings), so its numbers and ids are read and memory stays bounded.
** Knows nothing else of JSON or of any agent. zlib's allocations stay inside zlib.
** zstd (Codex 0.137+ compresses idle rollouts to .jsonl.zst) needs a build with libzstd
** (LUMO_HAVE_ZSTD, set by the Makefile when zstd.h is there); without it a .zst file
** does not open and lumo_reader_zstd() says why. */
#include "lumo_int.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>
#ifdef LUMO_HAVE_ZSTD
#include <zstd.h>

/* A zstd stream over the file: compressed input read in chunks, frames one after another. */
typedef struct zst_stream {
  ZSTD_DStream *ds;
  char *in;
  ZSTD_inBuffer ib;
  int in_eof;
  size_t hint; /* the decoder's last answer: 0 at a frame's end */
} zst_stream;

static void zst_free(zst_stream *z) {
  if (!z) return;
  ZSTD_freeDStream(z->ds);
  sqlite3_free(z->in);
  sqlite3_free(z);
}

/* Decompresses up to want bytes into out: the count, 0 at the end, -1 on corrupt input. */
static ssize_t zst_read(lumo_reader *r, char *out, size_t want) {
  zst_stream *z = r->zst;
  ZSTD_outBuffer ob = {out, want, 0};
  while (ob.pos == 0) {
    if (z->ib.pos == z->ib.size && !z->in_eof) {
      ssize_t got;
      do got = read(r->fd, z->in, ZSTD_DStreamInSize());
      while (got < 0 && errno == EINTR);
      if (got < 0) {
        r->err = errno;
        return -1;
      }
      if (got == 0) z->in_eof = 1;
      z->ib.src = z->in;
      z->ib.size = (size_t)got;
      z->ib.pos = 0;
    }
    size_t before = ob.pos, in_before = z->ib.pos;
    size_t rc = ZSTD_decompressStream(z->ds, &ob, &z->ib);
    if (ZSTD_isError(rc)) {
      r->err = EIO;
      return -1;
    }
    if (ob.pos != before || z->ib.pos != in_before) z->hint = rc; /* an empty call says nothing */
    if (ob.pos == before && z->ib.pos == in_before && z->in_eof) {
      if (z->hint) { /* the input ends inside a frame: cut short, or still being written */
        r->err = EIO;
        return -1;
      }
      break;
    }
  }
  return (ssize_t)ob.pos;
}
#endif

/* A zstd stream whatever its name: the Collector's native compression keeps the
** configured name (metrics.jsonl). */
static int is_zstd(int fd) {
  unsigned char m[4];
  return pread(fd, m, 4, 0) == 4 && m[0] == 0x28 && m[1] == 0xb5 && m[2] == 0x2f && m[3] == 0xfd;
}

int lumo_reader_zstd(void) {
#ifdef LUMO_HAVE_ZSTD
  return 1;
#else
  return 0;
#endif
}

#define LUMO_READ_CHUNK (1u << 20)
#define LUMO_MAX_LINE_DEFAULT ((size_t)1 << 30)

int lumo_reader_open(lumo_reader *r, const char *path, int64_t start_offset, int64_t start_line) {
  memset(r, 0, sizeof(*r));
  r->fd = open(path, O_RDONLY | O_CLOEXEC);
  if (r->fd < 0) {
    r->err = errno;
    return SQLITE_CANTOPEN;
  }
  r->max_line = LUMO_MAX_LINE_DEFAULT;
  r->cut_at = LUMO_CUT_AT;
  if (lumo_ends_with(path, ".gz")) {
    int fd2 = dup(r->fd);
    if (fd2 < 0) {
      r->err = errno;
      lumo_reader_close(r);
      return SQLITE_CANTOPEN;
    }
    gzFile gz = gzdopen(fd2, "rb");
    if (!gz) {
      close(fd2);
      r->err = ENOMEM;
      lumo_reader_close(r);
      return SQLITE_NOMEM;
    }
    gzbuffer(gz, 256 * 1024);
    r->gz = gz;
    if (start_offset > 0 && gzseek(gz, (z_off_t)start_offset, SEEK_SET) < 0) {
      r->err = EIO;
      lumo_reader_close(r);
      return SQLITE_IOERR;
    }
  } else if (lumo_ends_with(path, ".zst") || is_zstd(r->fd)) {
#ifdef LUMO_HAVE_ZSTD
    zst_stream *z = sqlite3_malloc(sizeof(*z));
    if (z) {
      memset(z, 0, sizeof(*z));
      z->ds = ZSTD_createDStream();
      z->in = sqlite3_malloc64(ZSTD_DStreamInSize());
    }
    r->zst = z;
    if (!z || !z->ds || !z->in || ZSTD_isError(ZSTD_initDStream(z->ds))) {
      r->err = ENOMEM;
      lumo_reader_close(r);
      return SQLITE_NOMEM;
    }
#else
    r->err = ENOTSUP;
    lumo_reader_close(r);
    return SQLITE_CANTOPEN;
#endif
  } else if (start_offset > 0 && lseek(r->fd, (off_t)start_offset, SEEK_SET) < 0) {
    r->err = errno;
    lumo_reader_close(r);
    return SQLITE_IOERR;
  }
  r->cap = LUMO_READ_CHUNK;
  r->buf = sqlite3_malloc64(r->cap + 1);
  if (!r->buf) {
    lumo_reader_close(r);
    return SQLITE_NOMEM;
  }
#ifdef LUMO_HAVE_ZSTD
  /* no seeking in a zstd stream: decompress and drop the bytes before the offset */
  for (int64_t left = r->zst ? start_offset : 0; left > 0;) {
    ssize_t got = zst_read(r, r->buf, left < (int64_t)r->cap ? (size_t)left : r->cap);
    if (got <= 0) {
      if (!r->err) r->err = EIO;
      lumo_reader_close(r);
      return SQLITE_IOERR;
    }
    left -= got;
  }
#endif
  r->next_off = r->in_off = start_offset;
  r->line_no = start_line;
  return SQLITE_OK;
}

void lumo_reader_close(lumo_reader *r) {
  if (r->gz) gzclose_r((gzFile)r->gz);
#ifdef LUMO_HAVE_ZSTD
  zst_free(r->zst);
#endif
  r->zst = NULL;
  if (r->fd >= 0) close(r->fd);
  sqlite3_free(r->buf);
  lumo_buf_free(&r->fixed);
  r->gz = NULL;
  r->fd = -1;
  r->buf = NULL;
}

/* gzread hands back nothing of a read that met damaged data, and a read is up to 4 MiB:
** the lines before the damage would be lost with it. On such an error the stream is read
** again from where the buffer ends, in small steps through a small zlib buffer, so that
** at most a few KiB before the damage are lost; the next fill then reports the error.
** Returns the bytes added at buf[end], or -1. */
static int gz_salvage(lumo_reader *r, size_t want) {
  r->gz_broken = 1;
  gzclose_r((gzFile)r->gz);
  r->gz = NULL;
  int fd2 = dup(r->fd);
  if (fd2 < 0 || lseek(fd2, 0, SEEK_SET) != 0) {
    if (fd2 >= 0) close(fd2);
    return -1;
  }
  gzFile gz = gzdopen(fd2, "rb");
  if (!gz) {
    close(fd2);
    return -1;
  }
  r->gz = gz;
  gzbuffer(gz, 1024);
  if (r->in_off > 0 && gzseek(gz, (z_off_t)r->in_off, SEEK_SET) < 0) return -1;
  size_t got = 0;
  while (got < want) {
    int g = gzread(gz, r->buf + r->end + got, (unsigned)(want - got < 512 ? want - got : 512));
    if (g <= 0) break;
    got += (size_t)g;
  }
  return got ? (int)got : -1;
}

/* Reads more bytes after buf[end]; 1 read, 0 EOF, -1 error. */
static int fill(lumo_reader *r) {
  if (r->start > 0 && (r->start == r->end || r->cap - r->end < LUMO_READ_CHUNK / 2)) {
    /* Keep the partial line at the front so a long line grows in place. */
    memmove(r->buf, r->buf + r->start, r->end - r->start);
    r->end -= r->start;
    r->scan -= r->start;
    r->start = 0;
  }
  if (r->end == r->cap) {
    size_t cap = r->cap * 2;
    char *p = sqlite3_realloc64(r->buf, cap + 1);
    if (!p) {
      r->err = ENOMEM;
      return -1;
    }
    r->buf = p;
    r->cap = cap;
  }
  size_t want = r->cap - r->end;
  if (want > LUMO_READ_CHUNK * 4) want = LUMO_READ_CHUNK * 4;
  ssize_t got;
  if (r->gz) {
    int g = r->gz_broken ? -1 : gzread((gzFile)r->gz, r->buf + r->end, (unsigned)want);
    if (g < 0 && !r->gz_broken) g = gz_salvage(r, want);
    if (g < 0) {
      r->err = EIO;
      return -1;
    }
    got = g;
#ifdef LUMO_HAVE_ZSTD
  } else if (r->zst) {
    got = zst_read(r, r->buf + r->end, want);
    if (got < 0) return -1;
#endif
  } else {
    do got = read(r->fd, r->buf + r->end, want);
    while (got < 0 && errno == EINTR);
    if (got < 0) {
      r->err = errno;
      return -1;
    }
  }
  if (got == 0) {
    r->eof = 1;
    return 0;
  }
  r->end += (size_t)got;
  r->in_off += got;
  return 1;
}

/* Compacts the bytes [cut_read, lim) of the line being read (offsets from start) in
** place: inside a JSON string, the bytes after its first LUMO_CUT_KEEP are left out up
** to the closing quote. A cut falls on a character boundary and never inside an escape,
** so the line stays valid JSON and valid UTF-8. A raw newline cannot be inside a JSON
** string, so every line starts outside one. */
static void cut_strings(lumo_reader *r, size_t lim) {
  char *base = r->buf + r->start;
  size_t i = r->cut_read, w = r->cut_write;
  while (i < lim) {
    unsigned char b = (unsigned char)base[i++];
    if (!r->cut_in_str) {
      if (b == '"') {
        r->cut_in_str = 1;
        r->cut_run = 0;
      }
      base[w++] = (char)b;
    } else if (r->cut_drop) {
      if (r->cut_esc) r->cut_esc = 0;
      else if (b == '\\') r->cut_esc = 1;
      else if (b == '"') {
        r->cut_drop = r->cut_in_str = 0;
        base[w++] = (char)b;
      }
    } else if (r->cut_esc) { /* -1: just after a backslash; n: hex digits of \u left */
      r->cut_esc = r->cut_esc < 0 ? (b == 'u' ? 4 : 0) : r->cut_esc - 1;
      base[w++] = (char)b;
      r->cut_run++;
    } else if (b == '\\' || b == '"' || r->cut_run < LUMO_CUT_KEEP || (b & 0xC0) == 0x80) {
      if (b == '\\') r->cut_esc = -1;
      if (b == '"') r->cut_in_str = 0;
      base[w++] = (char)b;
      r->cut_run++;
    } else {
      r->cut_drop = 1; /* b starts a character past the kept prefix */
    }
  }
  r->cut_removed += (int64_t)(i - w) - (int64_t)(r->cut_read - r->cut_write);
  r->cut_read = i;
  r->cut_write = w;
}

/* Next line, without its "\n" (a "\r" before it is kept; JSON treats it as
** whitespace). Returns a LUMO_LINE_* code; *line is valid until the next call. */
int lumo_reader_next(lumo_reader *r, const char **line, size_t *len) {
  int skipping = 0;     /* inside a line longer than max_line */
  int64_t skip_off = 0; /* where that line started */
  r->scan = r->start;
  for (;;) {
    char *nl = r->scan < r->end ? memchr(r->buf + r->scan, '\n', r->end - r->scan) : NULL;
    if (nl || r->eof) {
      size_t n = nl ? (size_t)(nl - (r->buf + r->start)) : r->end - r->start;
      if (!nl && n == 0 && !skipping) return LUMO_LINE_EOF;
      size_t kept = n;
      int64_t gone = 0; /* bytes of the line not among its n in the buffer */
      r->line_cut = 0;
      if (r->cut_on) { /* the rest of a line being cut */
        gone = r->cut_removed;
        cut_strings(r, n);
        kept = r->cut_write;
        r->line_cut = r->cut_removed;
        r->cut_on = r->cut_in_str = r->cut_esc = r->cut_drop = 0;
        r->cut_read = r->cut_write = 0;
        r->cut_removed = 0;
      }
      r->offset = skipping ? skip_off : r->next_off;
      r->next_off += (int64_t)n + gone + (nl ? 1 : 0);
      r->line_no++;
      *line = r->buf + r->start;
      *len = kept;
      r->start = r->scan = r->start + n + (nl ? 1 : 0);
      if (skipping) {
        *len = 0;
        return LUMO_LINE_TOOLONG;
      }
      return nl ? LUMO_LINE_OK : LUMO_LINE_TORN;
    }
    r->scan = r->end;
    if (!skipping && r->cut_at && r->end - r->start >= r->cut_at) {
      /* Over the memory cap: cut the line's long strings as it is read. */
      r->cut_on = 1;
      cut_strings(r, r->end - r->start);
      r->end = r->scan = r->start + r->cut_write;
      r->cut_read = r->cut_write;
    }
    if (r->end - r->start >= r->max_line) {
      /* Drop what we have of the over-long line; keep counting its bytes. */
      if (!skipping) skip_off = r->next_off;
      skipping = 1;
      r->next_off += (int64_t)(r->end - r->start) + r->cut_removed;
      r->start = r->scan = r->end = 0;
      r->cut_on = r->cut_in_str = r->cut_esc = r->cut_drop = 0;
      r->cut_read = r->cut_write = 0;
      r->cut_removed = 0;
    }
    if (fill(r) < 0) return LUMO_LINE_ERROR;
  }
}

/* The steps every line-oriented source reader (claude.c, codex.c) takes before it parses
** a line, so that the tables and lumo_sync skip and report the same lines: LUMO_RAW_LINE
** with *p, *n (and *torn when the line has no newline yet); LUMO_RAW_SKIP for a blank line
** or one too long to read (reported, counted in *skipped); LUMO_RAW_TORN for a blank
** unfinished last line; LUMO_RAW_END at the end or on a read error (reported). */
int lumo_next_raw(lumo_reader *rd, const lumo_file *f, lumo_conn *c, const char *source, const char **p,
                  size_t *n, int *torn, int64_t *skipped) {
  int st = lumo_reader_next(rd, p, n);
  *torn = st == LUMO_LINE_TORN;
  if (st == LUMO_LINE_EOF) return LUMO_RAW_END;
  if (st == LUMO_LINE_ERROR) {
    lumo_diag_add(c, source, f->rel, rd->line_no + 1, "unreadable", "read error (%s)",
                  rd->gz || rd->zst || !rd->err ? "corrupt compressed data?" : strerror(rd->err));
    return LUMO_RAW_END;
  }
  if (st == LUMO_LINE_TOOLONG) {
    lumo_diag_add(c, source, f->rel, rd->line_no, "too_long", "line longer than %lld bytes skipped",
                  (long long)rd->max_line);
    (*skipped)++;
    return LUMO_RAW_SKIP;
  }
  size_t i = 0;
  while (i < *n && ((*p)[i] == ' ' || (*p)[i] == '\t' || (*p)[i] == '\r')) i++;
  if (i == *n) return *torn ? LUMO_RAW_TORN : LUMO_RAW_SKIP;
  if (rd->line_cut)
    lumo_diag_add(c, source, f->rel, rd->line_no, "cut",
                  "line over %lld MiB: strings cut to their first MiB (%lld bytes left out); its counts are read",
                  (long long)(rd->cut_at >> 20), (long long)rd->line_cut);
  /* Bytes that are not UTF-8 (or NUL) would be stored as they are and break clients
  ** (Python's sqlite3 fails on the row): the line is read with U+FFFD in their place. An
  ** unfinished line's last character may be cut: its bytes (one U+FFFD each) are no wrong
  ** bytes to report (such a line cannot parse, and is read again whole). */
  int64_t bad = lumo_utf8_fix(*p, *n, &rd->fixed);
  if (bad > 0) {
    if (bad > (int64_t)(*torn ? lumo_utf8_unfinished(*p, *n) : 0))
      lumo_diag_add(c, source, f->rel, rd->line_no, "invalid_utf8",
                    "bytes that are not UTF-8 replaced by U+FFFD; the line is kept");
    *p = rd->fixed.p;
    *n = rd->fixed.len;
  }
  return LUMO_RAW_LINE;
}

/* A line its parser refused: an unfinished last line is torn (reported; the caller stops
** before it, returns 1), any other is malformed (reported, counted; returns 0). */
int lumo_line_refused(const lumo_reader *rd, const lumo_file *f, lumo_conn *c, const char *source, int torn,
                      const char *why, int64_t *skipped) {
  if (torn) {
    lumo_diag_add(c, source, f->rel, rd->line_no, "torn", "incomplete last line (no newline); read again later");
    return 1;
  }
  lumo_diag_add(c, source, f->rel, rd->line_no, "malformed", "%s", why);
  (*skipped)++;
  return 0;
}
