-- Top of the ES book after each event; one row per timestamp (the last).
SELECT ts_event_ns, bid_px_00, ask_px_00, bid_sz_00, ask_sz_00
FROM bronze.futures_mbp10
WHERE symbol = 'ES' AND bid_px_00 IS NOT NULL AND ask_px_00 IS NOT NULL
QUALIFY row_number() OVER (PARTITION BY ts_event_ns ORDER BY seq DESC) = 1
