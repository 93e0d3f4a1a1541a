-- tape_physics: front-month ES trades received in the W_t before the
-- decision time, (ts_recv_ns - W_t, ts_recv_ns]. Volumes in contracts;
-- velocity in ES points per second (last minus first print of the window
-- over W_t); rate in trades per second; imbalance (buy - sell) / (buy +
-- sell), 0 without volume, and signed toward the level (+ when aggressors
-- push price into it: buying for UP, selling for DOWN).
WITH t AS (
    SELECT t.ts_event_ns, t.level_kind, t.level_price, t.ts_recv_ns, t.direction, f.instrument
    FROM touches t JOIN es_front f ON f.session_date = t.session_date
), w AS (
    SELECT t.ts_event_ns, t.level_kind, t.level_price,
           sum(CASE WHEN x.aggressor > 0 THEN x.size ELSE 0 END) AS buy,
           sum(CASE WHEN x.aggressor < 0 THEN x.size ELSE 0 END) AS sell,
           count(*) AS n,
           arg_max(x.price, (x.ts_recv_ns, x.seq)) - arg_min(x.price, (x.ts_recv_ns, x.seq)) AS move
    FROM t
    JOIN bronze.futures_trades x
        ON x.ts_recv_ns > t.ts_recv_ns - epoch_ns(getvariable('W_t')) AND x.ts_recv_ns <= t.ts_recv_ns
    WHERE x.symbol = 'ES' AND x.instrument = t.instrument
    GROUP BY ALL
), f AS (
    SELECT t.ts_event_ns, t.level_kind, t.level_price, t.direction,
           CAST(coalesce(w.buy, 0) AS BIGINT)  AS tape_buy_vol,
           CAST(coalesce(w.sell, 0) AS BIGINT) AS tape_sell_vol,
           coalesce(w.n, 0) AS n,
           coalesce(w.move, 0) AS move
    FROM t LEFT JOIN w USING (ts_event_ns, level_kind, level_price)
)
SELECT ts_event_ns, level_kind, level_price,
       tape_buy_vol, tape_sell_vol,
       coalesce((tape_buy_vol - tape_sell_vol) / nullif(tape_buy_vol + tape_sell_vol, 0), 0) AS tape_imbalance,
       move / (epoch_ns(getvariable('W_t')) / 1e9) AS tape_velocity,
       n / (epoch_ns(getvariable('W_t')) / 1e9) AS tape_trade_rate,
       CASE WHEN direction = 'UP' THEN 1 ELSE -1 END
           * coalesce((tape_buy_vol - tape_sell_vol) / nullif(tape_buy_vol + tape_sell_vol, 0), 0) AS tape_imbalance_toward
FROM f
