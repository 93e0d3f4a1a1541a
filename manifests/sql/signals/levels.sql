-- The levels of each session with the arrival time from which each is
-- known (active_from_ns). A window of event time is closed by the first
-- trade received with an event time past its end (a watermark): the level
-- uses only trades received by then, so it never changes afterwards.
--   PM_HIGH/PM_LOW  04:00 ET to the open; known at the opening trade
--   PDH/PDL/PDC     previous session's regular-hours high, low, last trade
--   OR_HIGH/OR_LOW  first OR_MINUTES of the session; known at the first
--                   trade received past them
--   ROUND           whole dollars within ROUND_RANGE of the opening price
WITH rth AS (
    SELECT t.*, s.rth_open_ns, s.rth_close_ns
    FROM spy_trades t JOIN sessions s ON s.date = t.session_date
    WHERE t.ts_event_ns >= s.rth_open_ns AND t.ts_event_ns < s.rth_close_ns
), opens AS (
    SELECT session_date,
           arg_min(price, (ts_recv_ns, ts_event_ns, seq)) AS open_px,
           min(ts_recv_ns) AS open_recv_ns
    FROM rth GROUP BY session_date
), or_known AS (
    SELECT session_date, min(ts_recv_ns) AS or_recv_ns
    FROM rth
    WHERE ts_event_ns >= rth_open_ns + getvariable('OR_MINUTES') * 60000000000
    GROUP BY session_date
), pm AS (
    SELECT t.session_date, max(t.price) AS hi, min(t.price) AS lo, o.open_recv_ns
    FROM spy_trades t
    JOIN sessions s ON s.date = t.session_date
    JOIN opens o ON o.session_date = t.session_date
    WHERE t.ts_event_ns < s.rth_open_ns AND t.ts_recv_ns <= o.open_recv_ns
    GROUP BY t.session_date, o.open_recv_ns
), opening_range AS (
    SELECT r.session_date, max(r.price) AS hi, min(r.price) AS lo, k.or_recv_ns
    FROM rth r JOIN or_known k ON k.session_date = r.session_date
    WHERE r.ts_event_ns < r.rth_open_ns + getvariable('OR_MINUTES') * 60000000000
      AND r.ts_recv_ns <= k.or_recv_ns
    GROUP BY r.session_date, k.or_recv_ns
), prior AS (
    SELECT s.date AS session_date, max(t.price) AS hi, min(t.price) AS lo,
           arg_max(t.price, (t.ts_event_ns, t.seq)) AS last_px, o.open_recv_ns
    FROM sessions s
    JOIN opens o ON o.session_date = s.date
    JOIN spy_trades t ON t.session_date = s.prev_date
    WHERE t.ts_event_ns >= s.prev_rth_open_ns AND t.ts_event_ns < s.prev_rth_close_ns
      AND t.ts_recv_ns < s.pm_open_ns
    GROUP BY s.date, o.open_recv_ns
)
SELECT session_date, 'PM_HIGH' AS level_kind, hi AS level_price, open_recv_ns AS active_from_ns FROM pm
UNION ALL SELECT session_date, 'PM_LOW', lo, open_recv_ns FROM pm
UNION ALL SELECT session_date, 'PDH', hi, open_recv_ns FROM prior
UNION ALL SELECT session_date, 'PDL', lo, open_recv_ns FROM prior
UNION ALL SELECT session_date, 'PDC', last_px, open_recv_ns FROM prior
UNION ALL SELECT session_date, 'OR_HIGH', hi, or_recv_ns FROM opening_range
UNION ALL SELECT session_date, 'OR_LOW', lo, or_recv_ns FROM opening_range
UNION ALL
SELECT session_date, 'ROUND', CAST(k AS DOUBLE), open_recv_ns
FROM (
    SELECT session_date, open_recv_ns,
           unnest(range(CAST(ceil(open_px - getvariable('ROUND_RANGE')) AS BIGINT),
                        CAST(floor(open_px + getvariable('ROUND_RANGE')) AS BIGINT) + 1)) AS k
    FROM opens
)
