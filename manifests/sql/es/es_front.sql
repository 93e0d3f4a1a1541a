-- The front ES contract of each session: the instrument with the most
-- MBP-10 events of the session's UTC date received between 04:00 ET and
-- the open, so it is known before any signal of the session (ties by name).
SELECT session_date, arg_max(instrument, (n, instrument)) AS instrument
FROM (
    SELECT s.date AS session_date, b.instrument, count(*) AS n
    FROM bronze.futures_mbp10 b
    JOIN sessions s ON s.date = CAST(b.date AS DATE)
    WHERE b.symbol = 'ES' AND b.ts_recv_ns >= s.pm_open_ns AND b.ts_recv_ns < s.rth_open_ns
    GROUP BY ALL
)
GROUP BY session_date
