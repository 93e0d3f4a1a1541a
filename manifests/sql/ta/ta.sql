-- ta: the last one-minute SPY bar that closed at or before the decision
-- time (bar_end_ns <= ts_recv_ns) and its trailing statistics, set against
-- spot; confluence_count counts the session's other levels active at the
-- decision time within 2 x MONITOR_BAND of this one.
WITH t AS (
    SELECT ts_event_ns, level_kind, level_price, ts_recv_ns, session_date, spot FROM touches
), j AS (
    SELECT t.*, b.*
    FROM t ASOF LEFT JOIN spy_bars b
        ON b.session_date = t.session_date AND t.ts_recv_ns >= b.bar_end_ns
), conf AS (
    SELECT t.ts_event_ns, t.level_kind, t.level_price, count(l.level_kind) AS n
    FROM t
    LEFT JOIN levels l
        ON l.session_date = t.session_date
       AND l.active_from_ns <= t.ts_recv_ns
       AND abs(l.level_price - t.level_price) <= 2 * getvariable('MONITOR_BAND')
       AND NOT (l.level_kind = t.level_kind AND l.level_price = t.level_price)
    GROUP BY ALL
)
SELECT j.ts_event_ns, j.level_kind, j.level_price,
       (j.spot / j.vwap - 1) * 1e4  AS ta_vwap_dist_bps,
       (j.spot / j.sma20 - 1) * 1e4 AS ta_sma20_dist_bps,
       (j.spot / j.sma60 - 1) * 1e4 AS ta_sma60_dist_bps,
       j.atr14 AS ta_atr14,
       CASE
           WHEN j.avg_gain14 + j.avg_loss14 = 0 THEN 50
           ELSE 100 * j.avg_gain14 / (j.avg_gain14 + j.avg_loss14)
       END AS ta_rsi14,
       coalesce(j.rv15_bps, 0) AS ta_rv15_bps,
       CASE
           WHEN j.rth_high = j.rth_low THEN 0.5
           ELSE (j.spot - j.rth_low) / (j.rth_high - j.rth_low)
       END AS ta_range_pos,
       CAST(c.n AS BIGINT) AS confluence_count
FROM j JOIN conf c USING (ts_event_ns, level_kind, level_price)
