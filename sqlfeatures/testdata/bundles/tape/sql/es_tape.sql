-- Each ES trade with the book just before it and trailing-window tape
-- features over W_T; the label is the mid change HORIZON_TRADES later.
WITH t AS (
    SELECT
        t.ts_event_ns, t.seq, t.instrument, t.price, t.size, t.aggressor,
        CAST(round(t.price * 4) AS BIGINT)                                   AS price_ticks,
        (k.bid_px_00 + k.ask_px_00) / 2                                      AS mid,
        CAST(round((k.ask_px_00 - k.bid_px_00) * 4) AS INTEGER)              AS spread_ticks,
        (k.bid_sz_00 - k.ask_sz_00) / (k.bid_sz_00 + k.ask_sz_00)            AS imbalance_l1,
        (k.bid_depth5 - k.ask_depth5) / (k.bid_depth5 + k.ask_depth5)        AS imbalance_l5
    FROM bronze.futures_trades t
    ASOF LEFT JOIN es_book k ON t.instrument = k.instrument AND t.seq > k.seq
    WHERE t.symbol = 'ES'
)
SELECT
    ts_event_ns, seq, instrument, price, size, aggressor,
    mid, spread_ticks, imbalance_l1, imbalance_l5,
    (price - mid) * 4                                                        AS ticks_from_mid,
    CAST(sum(aggressor * size) OVER w AS BIGINT)                             AS signed_volume_w,
    CAST(sum(size) OVER w AS BIGINT)                                         AS volume_w,
    count(*) OVER w                                                          AS trades_w,
    sum(price_ticks * size) OVER w / sum(size) OVER w / 4                    AS vwap_w,
    max(price_ticks) OVER w - min(price_ticks) OVER w                        AS range_ticks_w,
    (lead(mid, getvariable('HORIZON_TRADES')) OVER (PARTITION BY instrument ORDER BY ts_event_ns, seq) - mid) * 4 AS fwd_mid_ticks
FROM t
WINDOW w AS (PARTITION BY instrument ORDER BY ts_event_ns RANGE BETWEEN epoch_ns(getvariable('W_T')) PRECEDING AND CURRENT ROW)
