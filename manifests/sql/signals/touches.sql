-- One row per level touch. For each active level, regular-hours SPY trades
-- are walked in arrival order (ts_recv_ns, then event time and seq). Each
-- trade is in one zone: IN (within MONITOR_BAND of the level), FAR (more
-- than RESET_BAND away) or between. A level is armed when it becomes
-- active and again after a FAR trade; an IN trade fires when the level is
-- armed, and disarms it. Only zone changes matter, so the walk keeps the
-- trades whose zone differs from the previous trade's, drops the between
-- zone, and an IN trade fires when the kept trade before it is FAR or
-- there is none.
-- direction is UP when the trade before the touch was below the level,
-- DOWN when above; that trade is outside the band. For the first trade
-- after activation the touching trade itself decides (DOWN when exactly at
-- the level).
WITH x AS (
    SELECT l.session_date, l.level_kind, l.level_price, s.rth_open_ns,
           t.ts_event_ns, t.ts_recv_ns, t.seq, t.price,
           CASE
               WHEN abs(t.price - l.level_price) <= getvariable('MONITOR_BAND') THEN 0
               WHEN abs(t.price - l.level_price) > getvariable('RESET_BAND') THEN 2
               ELSE 1
           END AS zone
    FROM levels l
    JOIN sessions s ON s.date = l.session_date
    JOIN spy_trades t ON t.session_date = l.session_date
    WHERE t.ts_recv_ns >= l.active_from_ns
      AND t.ts_event_ns >= s.rth_open_ns AND t.ts_event_ns < s.rth_close_ns
), changes AS (
    SELECT *
    FROM (
        SELECT *,
               lag(zone) OVER w  AS prev_zone,
               lag(price) OVER w AS from_px
        FROM x
        WINDOW w AS (PARTITION BY session_date, level_kind, level_price ORDER BY ts_recv_ns, ts_event_ns, seq)
    )
    WHERE zone <> 1 AND zone IS DISTINCT FROM prev_zone
), fires AS (
    SELECT *
    FROM (
        SELECT *,
               lag(zone) OVER (PARTITION BY session_date, level_kind, level_price
                               ORDER BY ts_recv_ns, ts_event_ns, seq) AS prev_kept
        FROM changes
    )
    WHERE zone = 0 AND coalesce(prev_kept, 2) = 2
)
SELECT ts_event_ns, level_kind, level_price, ts_recv_ns, session_date, seq,
       'SPY' AS underlying,
       price AS spot,
       CASE WHEN coalesce(from_px, price) < level_price THEN 'UP' ELSE 'DOWN' END AS direction,
       (ts_event_ns - rth_open_ns) / 60e9 AS minutes_since_open,
       row_number() OVER (PARTITION BY session_date, level_kind, level_price
                          ORDER BY ts_recv_ns, ts_event_ns, seq) AS touch_number
FROM fires
QUALIFY row_number() OVER (PARTITION BY ts_event_ns, level_kind, level_price ORDER BY ts_recv_ns, seq) = 1
