/* Bars joined ASOF to the book, with trailing-window aggregates and a
   forward-return label. */
SELECT
    b.ts_event_ns, b.open, b.high, b.low, b.close, b.volume, b.trades,
    (k.bid_px_00 + k.ask_px_00) / 2                                   AS es_mid,
    k.ask_px_00 - k.bid_px_00                                         AS es_spread,
    (k.bid_sz_00 - k.ask_sz_00) / (k.bid_sz_00 + k.ask_sz_00)         AS es_imbalance,
    (b.close - avg(b.close) OVER w) / nullif(stddev_samp(b.close) OVER w, 0) AS z_close,
    CAST(sum(b.volume) OVER w AS BIGINT)                              AS vol_window,
    (lead(b.close, getvariable('HORIZON_BARS')) OVER (ORDER BY b.ts_event_ns) / b.close - 1) * 1e4 AS fwd_return_bps
FROM spy_bars b
ASOF LEFT JOIN es_book k ON b.bar_end_ns >= k.ts_event_ns
WINDOW w AS (ORDER BY b.ts_event_ns RANGE BETWEEN epoch_ns(getvariable('W')) PRECEDING AND CURRENT ROW)
