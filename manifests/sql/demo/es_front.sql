-- The front ES contract of each UTC date: the one with the most book events
-- received between 04:00 New York and the open of that date's session, so
-- it is known before any regular-hours bar (the synthetic lake rolls from
-- ESZ5 to ESH6 on the December expiry).
SELECT date, arg_max(instrument, (n, instrument)) AS instrument
FROM (
    SELECT b.date, b.instrument, count(*) AS n
    FROM bronze.futures_mbp10 b
    JOIN calendar.sessions s ON s.date = CAST(b.date AS DATE)
    WHERE b.symbol = 'ES' AND b.ts_recv_ns >= s.pm_open_ns AND b.ts_recv_ns < s.rth_open_ns
    GROUP BY b.date, b.instrument
)
GROUP BY date
