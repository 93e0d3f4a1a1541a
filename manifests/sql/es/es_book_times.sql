-- The arrival times of the ES book: one row per MBP-10 row with a two-sided
-- top of book, only the columns an ASOF join on ts_recv_ns needs (the
-- snapshot itself is read back by barrier.sql for the few times it uses).
SELECT instrument, ts_recv_ns
FROM bronze.futures_mbp10
WHERE symbol = 'ES' AND bid_px_00 IS NOT NULL AND ask_px_00 IS NOT NULL
