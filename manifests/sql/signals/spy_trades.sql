-- SPY trades of each session (04:00-20:00 New York by event time). The
-- touch machine walks them in arrival order: ts_recv_ns, then event time
-- and seq, so a late record never rewrites what was known before it.
SELECT s.date AS session_date, t.ts_event_ns, t.ts_recv_ns, t.seq, t.price, t.size
FROM bronze.stocks_trades t
JOIN sessions s ON t.ts_event_ns >= s.pm_open_ns AND t.ts_event_ns < s.post_close_ns
WHERE t.symbol = 'SPY'
