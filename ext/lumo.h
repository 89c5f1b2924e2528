/* lumo.h: public header of the lumo SQLite extension.
** The one source of the version number. Entry points:
**   sqlite3_lumo_init       everything (file-reading virtual tables included)
**   sqlite3_lumo_nofs_init  only what reads its arguments (pricing, time, version),
**                           for servers that run visitors' SQL (Datasette). */
#ifndef LUMO_H
#define LUMO_H

#define LUMO_VERSION "0.1.0"

#endif
