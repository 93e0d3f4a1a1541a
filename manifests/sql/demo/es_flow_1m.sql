-- Front-month ES trade flow per minute of arrival, stamped with the
-- minute's end like the SPY bars: aggressor-signed volume.
SELECT
    (t.ts_recv_ns // 60000000000) * 60000000000 + 60000000000 AS ts_event_ns,
    CAST(sum(t.aggressor * t.size) AS BIGINT)                  AS signed_volume,
    count(*)                                                   AS trades
FROM bronze.futures_trades t
JOIN es_front f ON f.date = t.date AND f.instrument = t.instrument
WHERE t.symbol = 'ES'
GROUP BY 1
