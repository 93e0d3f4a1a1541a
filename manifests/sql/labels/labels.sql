-- labels (look ahead; listed under output.labels): SPY trades by event time
-- in (ts_event_ns, ts_event_ns + HORIZON_S]. outcome is BREAK when price
-- first trades BREAK_THRESHOLD dollars through the level in the direction
-- of travel (UP: >= level + threshold, DOWN: <= level - threshold), BOUNCE
-- when it first trades the same distance back on the side it came from,
-- CHOP when neither happens (a tie in time counts as BREAK).
-- fwd_return_bps is the last trade of the horizon against spot, in basis
-- points (0 when nothing traded).
WITH t AS (
    SELECT ts_event_ns, level_kind, level_price, spot,
           CASE WHEN direction = 'UP' THEN 1 ELSE -1 END AS sgn
    FROM touches
), h AS (
    SELECT t.ts_event_ns, t.level_kind, t.level_price,
           min(x.ts_event_ns) FILTER (WHERE t.sgn * (x.price - t.level_price) >= getvariable('BREAK_THRESHOLD')) AS t_break,
           min(x.ts_event_ns) FILTER (WHERE t.sgn * (t.level_price - x.price) >= getvariable('BREAK_THRESHOLD')) AS t_bounce,
           arg_max(x.price, (x.ts_event_ns, x.seq)) AS last_px
    FROM t
    JOIN spy_trades x
        ON x.ts_event_ns > t.ts_event_ns AND x.ts_event_ns <= t.ts_event_ns + epoch_ns(getvariable('HORIZON_S'))
    GROUP BY ALL
)
SELECT t.ts_event_ns, t.level_kind, t.level_price,
       CASE
           WHEN h.t_break IS NOT NULL AND (h.t_bounce IS NULL OR h.t_break <= h.t_bounce) THEN 'BREAK'
           WHEN h.t_bounce IS NOT NULL THEN 'BOUNCE'
           ELSE 'CHOP'
       END AS outcome,
       coalesce((h.last_px / t.spot - 1) * 1e4, 0) AS fwd_return_bps
FROM t LEFT JOIN h USING (ts_event_ns, level_kind, level_price)
