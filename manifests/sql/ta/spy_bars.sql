-- One-minute SPY bars by arrival: the bar ending at bar_end_ns holds the
-- trades of the session received in [bar_end_ns - 60 s, bar_end_ns), so it
-- is complete, and usable, from bar_end_ns on. Minutes without trades have
-- no bar. Trailing statistics count bars, not clock minutes; rth marks
-- bars starting at or after the open. Price x size is summed in integer
-- cents, so VWAP does not depend on summation order.
WITH b AS (
    SELECT t.session_date,
           (t.ts_recv_ns // 60000000000) * 60000000000 + 60000000000 AS bar_end_ns,
           arg_min(t.price, (t.ts_recv_ns, t.ts_event_ns, t.seq)) AS open,
           max(t.price) AS high,
           min(t.price) AS low,
           arg_max(t.price, (t.ts_recv_ns, t.ts_event_ns, t.seq)) AS close,
           sum(t.size) AS volume,
           sum(CAST(round(t.price * 100) AS BIGINT) * t.size) AS pv_cents
    FROM spy_trades t
    GROUP BY ALL
), c AS (
    SELECT b.*, b.bar_end_ns - 60000000000 >= s.rth_open_ns AS rth,
           lag(b.close) OVER w AS prev_close
    FROM b JOIN sessions s ON s.date = b.session_date
    WINDOW w AS (PARTITION BY b.session_date ORDER BY b.bar_end_ns)
), d AS (
    SELECT *,
           greatest(high, coalesce(prev_close, high)) - least(low, coalesce(prev_close, low)) AS tr,
           close - prev_close AS chg,
           ln(close / prev_close) AS ret
    FROM c
)
SELECT session_date, bar_end_ns, close,
       avg(close) OVER (w ROWS 19 PRECEDING) AS sma20,
       avg(close) OVER (w ROWS 59 PRECEDING) AS sma60,
       avg(tr) OVER (w ROWS 13 PRECEDING) AS atr14,
       avg(greatest(chg, 0)) OVER (w ROWS 13 PRECEDING) AS avg_gain14,
       avg(greatest(-chg, 0)) OVER (w ROWS 13 PRECEDING) AS avg_loss14,
       sqrt(sum(ret * ret) OVER (w ROWS 14 PRECEDING)) * 1e4 AS rv15_bps,
       sum(CASE WHEN rth THEN pv_cents ELSE 0 END) OVER (w ROWS UNBOUNDED PRECEDING) / 100
           / nullif(sum(CASE WHEN rth THEN volume ELSE 0 END) OVER (w ROWS UNBOUNDED PRECEDING), 0) AS vwap,
       max(CASE WHEN rth THEN high END) OVER (w ROWS UNBOUNDED PRECEDING) AS rth_high,
       min(CASE WHEN rth THEN low END) OVER (w ROWS UNBOUNDED PRECEDING) AS rth_low
FROM d
WINDOW w AS (PARTITION BY session_date ORDER BY bar_end_ns)
