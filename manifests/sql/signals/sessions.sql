-- Trading sessions around the Bronze in scope, each with its previous
-- session (the source of PDH/PDL/PDC). Times are UTC nanoseconds.
WITH cal AS (
    SELECT date, pm_open_ns, rth_open_ns, rth_close_ns, post_close_ns, early_close,
           lag(date)         OVER (ORDER BY date) AS prev_date,
           lag(rth_open_ns)  OVER (ORDER BY date) AS prev_rth_open_ns,
           lag(rth_close_ns) OVER (ORDER BY date) AS prev_rth_close_ns
    FROM calendar.sessions
), span AS (
    SELECT min(CAST(date AS DATE)) - 1 AS lo, max(CAST(date AS DATE)) AS hi
    FROM bronze.stocks_trades
    WHERE symbol = 'SPY'
)
SELECT cal.*
FROM cal, span
WHERE cal.date BETWEEN span.lo AND span.hi
