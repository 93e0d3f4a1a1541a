-- The front ES contract of each UTC date: the one with the most book events
-- (the synthetic lake rolls from ESZ5 to ESH6 on the December expiry).
SELECT date, first(instrument ORDER BY n DESC, instrument) AS instrument
FROM (
    SELECT date, instrument, count(*) AS n
    FROM bronze.futures_mbp10
    WHERE symbol = 'ES'
    GROUP BY date, instrument
)
GROUP BY date
