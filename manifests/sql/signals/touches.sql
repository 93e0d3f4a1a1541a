-- One row per level touch. Each session's regular-hours SPY trades are
-- ranked in arrival order (ts_recv_ns, then event time and seq). For an
-- active level a trade is IN (within MONITOR_BAND), NEAR (within
-- RESET_BAND) or FAR (farther). A level is armed when it becomes active
-- and again after a FAR trade; an IN trade fires when the level is armed,
-- and disarms it. Only IN and NEAR trades are joined to a level (a band
-- join on price): a gap in the ranks of two consecutive ones means FAR
-- trades came between them. Trades between two gaps form a run, and the
-- first IN trade of a run fires.
-- direction is UP when the previous SPY trade of the session (in arrival
-- order) was below the level, DOWN when it was above or at it; for the
-- session's first regular-hours trade, the touching trade itself decides.
-- Touches are computed only for the session being built (BUILD_DATE, bound
-- by the builder; NULL computes every session): the lookback session still
-- feeds the levels (PDH/PDL/PDC) and the warm-ups of the other views.
WITH ranked AS (
    SELECT t.session_date, t.ts_event_ns, t.ts_recv_ns, t.seq, t.price, s.rth_open_ns,
           row_number() OVER (PARTITION BY t.session_date ORDER BY t.ts_recv_ns, t.ts_event_ns, t.seq) AS rk
    FROM spy_trades t JOIN sessions s ON s.date = t.session_date
    WHERE t.ts_event_ns >= s.rth_open_ns AND t.ts_event_ns < s.rth_close_ns
      AND (getvariable('BUILD_DATE') IS NULL OR t.session_date = getvariable('BUILD_DATE'))
), near AS (
    SELECT l.session_date, l.level_kind, l.level_price,
           t.ts_event_ns, t.ts_recv_ns, t.seq, t.price, t.rk, t.rth_open_ns,
           abs(t.price - l.level_price) <= getvariable('MONITOR_BAND') AS is_in,
           coalesce(t.rk - lag(t.rk) OVER (PARTITION BY l.session_date, l.level_kind, l.level_price ORDER BY t.rk) > 1,
                    true) AS new_run
    FROM (
        -- Each level with the RESET_BAND-wide price buckets its band
        -- covers (one spare each side), so trades join by hash on price.
        SELECT *, unnest(range(CAST(floor((level_price - getvariable('RESET_BAND')) / getvariable('RESET_BAND')) AS BIGINT) - 1,
                               CAST(floor((level_price + getvariable('RESET_BAND')) / getvariable('RESET_BAND')) AS BIGINT) + 2)) AS bucket
        FROM levels
    ) l
    JOIN ranked t ON t.session_date = l.session_date
        AND CAST(floor(t.price / getvariable('RESET_BAND')) AS BIGINT) = l.bucket
    WHERE t.ts_recv_ns >= l.active_from_ns
      AND abs(t.price - l.level_price) <= getvariable('RESET_BAND')
), fires AS (
    SELECT *
    FROM (
        SELECT *,
               lag(is_in)   OVER w AS prev_in,
               lag(new_run) OVER w AS prev_new_run
        FROM near
        WHERE is_in OR new_run
        WINDOW w AS (PARTITION BY session_date, level_kind, level_price ORDER BY rk)
    )
    WHERE is_in AND (new_run OR (NOT prev_in AND prev_new_run))
)
SELECT f.ts_event_ns, f.level_kind, f.level_price, f.ts_recv_ns, f.session_date, f.seq,
       'SPY' AS underlying,
       f.price AS spot,
       CASE WHEN coalesce(p.price, f.price) < f.level_price THEN 'UP' ELSE 'DOWN' END AS direction,
       (f.ts_event_ns - f.rth_open_ns) / 60e9 AS minutes_since_open,
       row_number() OVER (PARTITION BY f.session_date, f.level_kind, f.level_price ORDER BY f.rk) AS touch_number
FROM fires f
LEFT JOIN ranked p ON p.session_date = f.session_date AND p.rk = f.rk - 1
QUALIFY row_number() OVER (PARTITION BY f.ts_event_ns, f.level_kind, f.level_price ORDER BY f.rk) = 1
