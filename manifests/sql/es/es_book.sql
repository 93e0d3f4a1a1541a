-- The ES book as received: for each instrument and ts_recv_ns the last
-- MBP-10 row (highest seq), so an ASOF join on ts_recv_ns is deterministic.
-- Prices and sizes of the ten levels a side come as lists (index 1 = top).
SELECT b.instrument, b.ts_recv_ns,
       (b.bid_px_00 + b.ask_px_00) / 2 AS es_mid,
       [b.bid_px_00, b.bid_px_01, b.bid_px_02, b.bid_px_03, b.bid_px_04, b.bid_px_05, b.bid_px_06, b.bid_px_07, b.bid_px_08, b.bid_px_09] AS bid_px,
       [b.ask_px_00, b.ask_px_01, b.ask_px_02, b.ask_px_03, b.ask_px_04, b.ask_px_05, b.ask_px_06, b.ask_px_07, b.ask_px_08, b.ask_px_09] AS ask_px,
       [b.bid_sz_00, b.bid_sz_01, b.bid_sz_02, b.bid_sz_03, b.bid_sz_04, b.bid_sz_05, b.bid_sz_06, b.bid_sz_07, b.bid_sz_08, b.bid_sz_09] AS bid_sz,
       [b.ask_sz_00, b.ask_sz_01, b.ask_sz_02, b.ask_sz_03, b.ask_sz_04, b.ask_sz_05, b.ask_sz_06, b.ask_sz_07, b.ask_sz_08, b.ask_sz_09] AS ask_sz
FROM bronze.futures_mbp10 b
WHERE b.symbol = 'ES' AND b.bid_px_00 IS NOT NULL AND b.ask_px_00 IS NOT NULL
QUALIFY row_number() OVER (PARTITION BY b.instrument, b.ts_recv_ns ORDER BY b.seq DESC, b.ts_event_ns DESC) = 1
