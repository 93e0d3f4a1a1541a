-- SPY bars with the ES book as received before each bar's end (the
-- stamp), the bar's ES flow, trailing-window features over W and a
-- forward-return label (the only column that looks ahead).
WITH joined AS (
    SELECT
        b.*,
        (k.bid_px_00 + k.ask_px_00) / 2                           AS es_mid,
        k.ask_px_00 - k.bid_px_00                                 AS es_spread,
        (k.bid_sz_00 - k.ask_sz_00) / (k.bid_sz_00 + k.ask_sz_00) AS es_imbalance,
        coalesce(f.signed_volume, 0)                              AS es_signed_volume,
        coalesce(f.trades, 0)                                     AS es_trades
    FROM spy_bars_1m b
    ASOF LEFT JOIN es_book k ON b.ts_event_ns > k.ts_recv_ns
    LEFT JOIN es_flow_1m f ON f.ts_event_ns = b.ts_event_ns
)
SELECT
    ts_event_ns, open, high, low, close, volume, vwap, trades,
    es_mid, es_spread, es_imbalance, es_signed_volume, es_trades,
    (close / first_value(open) OVER w - 1) * 1e4                            AS ret_w_bps,
    CAST(sum(es_signed_volume) OVER w AS BIGINT)                            AS es_flow_w,
    (close - avg(close) OVER w) / nullif(stddev_samp(close) OVER w, 0)      AS z_close_w,
    (lead(close, getvariable('HORIZON_BARS')) OVER (ORDER BY ts_event_ns) / close - 1) * 1e4 AS fwd_return_bps
FROM joined
WINDOW w AS (ORDER BY ts_event_ns RANGE BETWEEN epoch_ns(getvariable('W')) PRECEDING AND CURRENT ROW)
