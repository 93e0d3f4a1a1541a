-- Top of the front-month ES book after each event; the last event of a
-- timestamp wins, so the ASOF join below is deterministic.
SELECT b.ts_event_ns, b.bid_px_00, b.ask_px_00, b.bid_sz_00, b.ask_sz_00
FROM bronze.futures_mbp10 b
JOIN es_front f ON f.date = b.date AND f.instrument = b.instrument
WHERE b.symbol = 'ES' AND b.bid_px_00 IS NOT NULL AND b.ask_px_00 IS NOT NULL
QUALIFY row_number() OVER (PARTITION BY b.ts_event_ns ORDER BY b.seq DESC) = 1
