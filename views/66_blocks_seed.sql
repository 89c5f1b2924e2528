-- blocks_seed: one row: where the blocks still to compute start. blocks_state.since is
-- the earliest request time changed since blocks_cache was made (NULL: the cache is
-- current, nothing to compute); the blocks from the one before the cached block holding
-- that time are computed again ('' when that is every block), since a new request can
-- join the previous block or move where the next ones start.
-- seed            UTC time: blocks from the first request at or after it are computed; NULL: none
DROP VIEW IF EXISTS blocks_seed;
CREATE VIEW blocks_seed AS
SELECT CASE WHEN st.since IS NULL THEN NULL
            ELSE coalesce((SELECT max(c.first_at) FROM blocks_cache c
                            WHERE c.first_at < (SELECT max(c2.first_at) FROM blocks_cache c2 WHERE c2.first_at <= st.since)),
                          '') END AS seed
  FROM blocks_state st;
