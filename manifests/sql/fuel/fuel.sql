-- fuel: SPY option trades of the session received by the decision time
-- (event time from 04:00 ET, ts_recv_ns <= decision) at strikes within
-- FUEL_STRIKE_RANGE dollars of the level. Volumes in contracts; premium in
-- whole dollars (price x size x 100, summed as integers of cents so the
-- result does not depend on summation order), calls positive and puts
-- negative; the
-- same-day expiry share and the share of the strike nearest the level
-- (lowest strike on a tie) are NULL when there is no volume.
WITH t AS (
    -- One row per signal and whole-dollar strike bucket the range covers,
    -- so option trades are matched by a hash join on floor(strike).
    SELECT t.ts_event_ns, t.level_kind, t.level_price, t.ts_recv_ns, s.date AS session_date,
           s.pm_open_ns, s.post_close_ns,
           unnest(range(CAST(floor(t.level_price - getvariable('FUEL_STRIKE_RANGE')) AS BIGINT),
                        CAST(floor(t.level_price + getvariable('FUEL_STRIKE_RANGE')) AS BIGINT) + 1)) AS bucket
    FROM touches t JOIN sessions s ON s.date = t.session_date
), o AS (
    SELECT t.ts_event_ns, t.level_kind, t.level_price, t.session_date,
           x.strike, x.option_right, x.expiration, x.price, x.size
    FROM t
    JOIN bronze.options_trades x ON CAST(floor(x.strike) AS BIGINT) = t.bucket
    WHERE x.underlying = 'SPY' AND x.ts_recv_ns <= t.ts_recv_ns
      AND x.ts_event_ns >= t.pm_open_ns AND x.ts_event_ns < t.post_close_ns
      AND abs(x.strike - t.level_price) <= getvariable('FUEL_STRIKE_RANGE')
), by_strike AS (
    SELECT ts_event_ns, level_kind, level_price, strike, sum(size) AS vol
    FROM o GROUP BY ALL
), nearest AS (
    SELECT ts_event_ns, level_kind, level_price, vol AS near_vol
    FROM by_strike
    QUALIFY row_number() OVER (PARTITION BY ts_event_ns, level_kind, level_price
                               ORDER BY abs(strike - level_price), strike) = 1
), agg AS (
    SELECT ts_event_ns, level_kind, level_price,
           sum(CASE WHEN option_right = 'C' THEN size ELSE 0 END) AS calls,
           sum(CASE WHEN option_right = 'P' THEN size ELSE 0 END) AS puts,
           sum(CAST(round(price * 100) AS BIGINT) * size * CASE WHEN option_right = 'C' THEN 1 ELSE -1 END) AS premium,
           sum(CASE WHEN expiration = session_date THEN size ELSE 0 END) AS same_day,
           sum(size) AS total
    FROM o GROUP BY ALL
)
SELECT t.ts_event_ns, t.level_kind, t.level_price,
       CAST(coalesce(a.calls, 0) AS BIGINT) AS fuel_call_vol,
       CAST(coalesce(a.puts, 0) AS BIGINT) AS fuel_put_vol,
       CAST(coalesce(a.premium, 0) AS BIGINT) AS fuel_signed_premium,
       a.same_day / nullif(a.total, 0) AS fuel_0dte_share,
       n.near_vol / nullif(a.total, 0) AS fuel_strike_concentration
FROM touches t
LEFT JOIN agg a USING (ts_event_ns, level_kind, level_price)
LEFT JOIN nearest n USING (ts_event_ns, level_kind, level_price)
