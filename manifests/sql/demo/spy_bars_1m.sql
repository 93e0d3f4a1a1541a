-- One-minute SPY bars, stamped with the bar's start (ts_event_ns) and end.
SELECT
    (ts_event_ns // 60000000000) * 60000000000               AS ts_event_ns,
    (ts_event_ns // 60000000000) * 60000000000 + 59999999999 AS bar_end_ns,
    first(price ORDER BY ts_event_ns, seq)                   AS open,
    max(price)                                               AS high,
    min(price)                                               AS low,
    last(price ORDER BY ts_event_ns, seq)                    AS close,
    CAST(sum(size) AS BIGINT)                                AS volume,
    sum(price * size) / sum(size)                            AS vwap,
    count(*)                                                 AS trades
FROM bronze.stocks_trades
WHERE symbol = 'SPY'
GROUP BY 1, 2
HAVING count(*) >= getvariable('MIN_TRADES')
