-- barrier_physics: the ES book at the level, as received by the decision
-- time (the ts_recv_ns of the touching SPY trade). The SPY level maps to ES
-- points through the ES mid / SPY ratio at that time; the band scales the
-- same way. The defending side is the ask for UP (resistance) and the bid
-- for DOWN (support).
WITH t AS (
    SELECT t.ts_event_ns, t.level_kind, t.level_price, t.ts_recv_ns, t.spot, t.direction,
           f.instrument
    FROM touches t JOIN es_front f ON f.session_date = t.session_date
), now AS (
    SELECT t.*,
           b.es_mid,
           t.level_price * b.es_mid / t.spot AS es_level,
           getvariable('MONITOR_BAND') * b.es_mid / t.spot AS es_band,
           CASE WHEN t.direction = 'UP' THEN b.ask_px ELSE b.bid_px END AS px,
           CASE WHEN t.direction = 'UP' THEN b.ask_sz ELSE b.bid_sz END AS sz
    FROM t ASOF LEFT JOIN es_book b
        ON b.instrument = t.instrument AND t.ts_recv_ns >= b.ts_recv_ns
), earlier AS (
    SELECT n.ts_event_ns, n.level_kind, n.level_price,
           CASE WHEN n.direction = 'UP' THEN b.ask_px ELSE b.bid_px END AS px,
           CASE WHEN n.direction = 'UP' THEN b.ask_sz ELSE b.bid_sz END AS sz,
           b.ts_recv_ns AS book_recv_ns
    FROM now n ASOF LEFT JOIN es_book b
        ON b.instrument = n.instrument AND n.ts_recv_ns - epoch_ns(getvariable('W_b')) >= b.ts_recv_ns
), flow AS (
    SELECT n.ts_event_ns, n.level_kind, n.level_price,
           sum(CASE WHEN m.action = 'A' THEN m.size ELSE -m.size END) AS net
    FROM now n
    JOIN bronze.futures_mbp10 m
        ON m.ts_recv_ns > n.ts_recv_ns - epoch_ns(getvariable('W_b')) AND m.ts_recv_ns <= n.ts_recv_ns
    WHERE m.symbol = 'ES' AND m.instrument = n.instrument AND m.action IN ('A', 'C')
      AND m.side = CASE WHEN n.direction = 'UP' THEN 'A' ELSE 'B' END
      AND abs(m.price - n.es_level) <= n.es_band
    GROUP BY ALL
), sized AS (
    SELECT n.ts_event_ns, n.level_kind, n.level_price, n.es_level,
           CAST(list_sum([CASE WHEN abs(n.px[i] - n.es_level) <= n.es_band THEN n.sz[i] ELSE 0 END
                          FOR i IN range(1, 11)]) AS BIGINT) AS barrier_size_now,
           CAST(list_sum([CASE WHEN abs(e.px[i] - n.es_level) <= n.es_band THEN e.sz[i] ELSE 0 END
                          FOR i IN range(1, 11)]) AS BIGINT) AS barrier_size_before,
           CAST(coalesce(f.net, 0) AS BIGINT) AS barrier_net_adds
    FROM now n
    JOIN earlier e USING (ts_event_ns, level_kind, level_price)
    LEFT JOIN flow f USING (ts_event_ns, level_kind, level_price)
)
SELECT ts_event_ns, level_kind, level_price,
       es_level AS barrier_es_level,
       barrier_size_now, barrier_size_before,
       barrier_size_now - barrier_size_before AS barrier_delta_liq,
       barrier_net_adds,
       CASE
           WHEN barrier_size_now >= getvariable('WALL_MIN_SIZE')
                AND barrier_size_now - barrier_size_before >= 0 THEN 'WALL'
           WHEN barrier_size_now <= getvariable('VACUUM_MAX_SIZE')
                OR barrier_size_now - barrier_size_before <= -getvariable('VACUUM_DROP') THEN 'VACUUM'
           ELSE 'NEUTRAL'
       END AS barrier_state
FROM sized
