-- Top of the front-month ES book as received: the last row (highest seq)
-- of each ts_recv_ns, so the ASOF join below is deterministic.
SELECT b.ts_recv_ns, b.bid_px_00, b.ask_px_00, b.bid_sz_00, b.ask_sz_00
FROM bronze.futures_mbp10 b
JOIN es_front f ON f.date = b.date AND f.instrument = b.instrument
WHERE b.symbol = 'ES' AND b.bid_px_00 IS NOT NULL AND b.ask_px_00 IS NOT NULL
QUALIFY row_number() OVER (PARTITION BY b.ts_recv_ns ORDER BY b.seq DESC) = 1
