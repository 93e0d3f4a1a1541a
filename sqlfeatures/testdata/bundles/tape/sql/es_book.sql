-- ES book after each event, with depth over the top five levels.
SELECT
    instrument, seq, ts_event_ns, bid_px_00, ask_px_00, bid_sz_00, ask_sz_00,
    bid_sz_00 + bid_sz_01 + bid_sz_02 + bid_sz_03 + bid_sz_04 AS bid_depth5,
    ask_sz_00 + ask_sz_01 + ask_sz_02 + ask_sz_03 + ask_sz_04 AS ask_depth5
FROM bronze.futures_mbp10
WHERE symbol = 'ES' AND bid_px_00 IS NOT NULL AND ask_px_00 IS NOT NULL
