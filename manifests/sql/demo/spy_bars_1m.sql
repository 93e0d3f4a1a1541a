-- One-minute SPY bars by arrival, stamped with the bar's end: the bar
-- stamped ts_event_ns holds the SPY trades received in
-- [ts_event_ns - 60 s, ts_event_ns), so everything in it was known at the
-- stamp (and nothing received at or after it is).
SELECT
    (ts_recv_ns // 60000000000) * 60000000000 + 60000000000 AS ts_event_ns,
    arg_min(price, (ts_recv_ns, ts_event_ns, seq))          AS open,
    max(price)                                              AS high,
    min(price)                                              AS low,
    arg_max(price, (ts_recv_ns, ts_event_ns, seq))          AS close,
    CAST(sum(size) AS BIGINT)                               AS volume,
    sum(CAST(round(price * 100) AS BIGINT) * size) / 100 / sum(size) AS vwap,
    count(*)                                                AS trades
FROM bronze.stocks_trades
WHERE symbol = 'SPY'
GROUP BY 1
HAVING count(*) >= getvariable('MIN_TRADES')
