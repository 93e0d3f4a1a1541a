-- SPY trades of each session (04:00-20:00 New York by event time). A
-- session's hours fall on its own UTC date or spill into the next one, so
-- each trade is matched to the session of its UTC date partition or of the
-- day before (two equality joins, no range join). The touch machine walks
-- them in arrival order: ts_recv_ns, then event time and seq, so a late
-- record never rewrites what was known before it.
SELECT CASE WHEN t.ts_event_ns >= s1.pm_open_ns AND t.ts_event_ns < s1.post_close_ns
            THEN s1.date ELSE s0.date END AS session_date,
       t.ts_event_ns, t.ts_recv_ns, t.seq, t.price, t.size
FROM bronze.stocks_trades t
LEFT JOIN sessions s1 ON s1.date = CAST(t.date AS DATE)
LEFT JOIN sessions s0 ON s0.date = CAST(t.date AS DATE) - 1
WHERE t.symbol = 'SPY'
  AND (t.ts_event_ns >= s1.pm_open_ns AND t.ts_event_ns < s1.post_close_ns
       OR t.ts_event_ns >= s0.pm_open_ns AND t.ts_event_ns < s0.post_close_ns)
