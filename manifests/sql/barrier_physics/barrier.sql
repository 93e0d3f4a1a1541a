-- barrier_physics: the ES book at the level, as received by the decision
-- time (the ts_recv_ns of the touching SPY trade). The SPY level maps to ES
-- points through the ES mid / SPY ratio at that time; the band scales the
-- same way. The defending side is the ask for UP (resistance) and the bid
-- for DOWN (support). A book snapshot "as of" a time is the MBP-10 row of
-- the front contract with the latest ts_recv_ns at or before it (the
-- highest seq among rows received at that nanosecond). ES prices are on
-- the 0.25 tick grid: adds and cancels are matched to the ticks in the band.
WITH t AS (
    SELECT t.ts_event_ns, t.level_kind, t.level_price, t.ts_recv_ns, t.spot, t.direction,
           f.instrument
    FROM touches t JOIN es_front f ON f.session_date = t.session_date
), probes AS (
    SELECT ts_event_ns, level_kind, level_price, instrument, ts_recv_ns AS at_ns, true AS is_now FROM t
    UNION ALL
    SELECT ts_event_ns, level_kind, level_price, instrument,
           ts_recv_ns - epoch_ns(getvariable('W_b')), false
    FROM t
), bk AS (
    SELECT instrument, ts_recv_ns, ts_recv_ns // 1000000000 AS sec FROM es_book_times
), secs AS (
    -- The last book row of each second that has one.
    SELECT instrument, sec, max(ts_recv_ns) AS last_ns FROM bk GROUP BY ALL
), own AS (
    -- The last book row at or before the probe within the probe's second.
    SELECT p.ts_event_ns, p.level_kind, p.level_price, p.is_now, max(b.ts_recv_ns) AS last_ns
    FROM probes p
    JOIN bk b ON b.instrument = p.instrument AND b.sec = p.at_ns // 1000000000 AND b.ts_recv_ns <= p.at_ns
    GROUP BY ALL
), found AS (
    -- The as-of row: in the probe's own second if any, else the last row of
    -- the latest earlier second (an ASOF join over seconds, not rows).
    SELECT p.ts_event_ns, p.level_kind, p.level_price, p.is_now,
           coalesce(o.last_ns, s.last_ns) AS book_recv_ns
    FROM probes p
    LEFT JOIN own o USING (ts_event_ns, level_kind, level_price, is_now)
    ASOF LEFT JOIN secs s ON s.instrument = p.instrument AND p.at_ns // 1000000000 > s.sec
), keys AS (
    SELECT t.*, n.book_recv_ns AS now_recv_ns, e.book_recv_ns AS before_recv_ns
    FROM t
    JOIN found n ON n.is_now AND n.ts_event_ns = t.ts_event_ns AND n.level_kind = t.level_kind AND n.level_price = t.level_price
    JOIN found e ON NOT e.is_now AND e.ts_event_ns = t.ts_event_ns AND e.level_kind = t.level_kind AND e.level_price = t.level_price
), snaps AS (
    SELECT m.instrument, m.ts_recv_ns,
           (m.bid_px_00 + m.ask_px_00) / 2 AS es_mid,
           [m.bid_px_00, m.bid_px_01, m.bid_px_02, m.bid_px_03, m.bid_px_04, m.bid_px_05, m.bid_px_06, m.bid_px_07, m.bid_px_08, m.bid_px_09] AS bid_px, [m.ask_px_00, m.ask_px_01, m.ask_px_02, m.ask_px_03, m.ask_px_04, m.ask_px_05, m.ask_px_06, m.ask_px_07, m.ask_px_08, m.ask_px_09] AS ask_px, [m.bid_sz_00, m.bid_sz_01, m.bid_sz_02, m.bid_sz_03, m.bid_sz_04, m.bid_sz_05, m.bid_sz_06, m.bid_sz_07, m.bid_sz_08, m.bid_sz_09] AS bid_sz, [m.ask_sz_00, m.ask_sz_01, m.ask_sz_02, m.ask_sz_03, m.ask_sz_04, m.ask_sz_05, m.ask_sz_06, m.ask_sz_07, m.ask_sz_08, m.ask_sz_09] AS ask_sz
    FROM bronze.futures_mbp10 m
    SEMI JOIN (SELECT instrument, now_recv_ns AS r FROM keys
               UNION SELECT instrument, before_recv_ns FROM keys) q
        ON q.instrument = m.instrument AND q.r = m.ts_recv_ns
    WHERE m.symbol = 'ES' AND m.bid_px_00 IS NOT NULL AND m.ask_px_00 IS NOT NULL
    QUALIFY row_number() OVER (PARTITION BY m.instrument, m.ts_recv_ns ORDER BY m.seq DESC, m.ts_event_ns DESC) = 1
), now AS (
    SELECT keys.*,
           n.es_mid,
           keys.level_price * n.es_mid / keys.spot AS es_level,
           getvariable('MONITOR_BAND') * n.es_mid / keys.spot AS es_band,
           CASE WHEN keys.direction = 'UP' THEN n.ask_px ELSE n.bid_px END AS px_now,
           CASE WHEN keys.direction = 'UP' THEN n.ask_sz ELSE n.bid_sz END AS sz_now,
           CASE WHEN keys.direction = 'UP' THEN e.ask_px ELSE e.bid_px END AS px_before,
           CASE WHEN keys.direction = 'UP' THEN e.ask_sz ELSE e.bid_sz END AS sz_before
    FROM keys
    LEFT JOIN snaps n ON n.instrument = keys.instrument AND n.ts_recv_ns = keys.now_recv_ns
    LEFT JOIN snaps e ON e.instrument = keys.instrument AND e.ts_recv_ns = keys.before_recv_ns
), grid AS (
    -- ES prices (0.25 ticks) within the band, on the defending side.
    SELECT ts_event_ns, level_kind, level_price, instrument, ts_recv_ns,
           CASE WHEN direction = 'UP' THEN 'A' ELSE 'B' END AS side,
           es_level, es_band,
           unnest(range(CAST(floor((es_level - es_band) * 4) AS BIGINT),
                        CAST(ceil((es_level + es_band) * 4) AS BIGINT) + 1)) / 4 AS price
    FROM now
    WHERE es_level IS NOT NULL
), flow AS (
    SELECT g.ts_event_ns, g.level_kind, g.level_price,
           sum(CASE WHEN m.action = 'A' THEN m.size ELSE -m.size END) AS net
    FROM grid g
    JOIN bronze.futures_mbp10 m
        ON m.instrument = g.instrument AND m.side = g.side AND m.price = g.price
    WHERE m.symbol = 'ES' AND m.action IN ('A', 'C')
      AND m.ts_recv_ns > g.ts_recv_ns - epoch_ns(getvariable('W_b')) AND m.ts_recv_ns <= g.ts_recv_ns
      AND abs(m.price - g.es_level) <= g.es_band
    GROUP BY g.ts_event_ns, g.level_kind, g.level_price
), sized AS (
    SELECT n.ts_event_ns, n.level_kind, n.level_price, n.es_level,
           CAST(coalesce(list_sum([CASE WHEN abs(n.px_now[i] - n.es_level) <= n.es_band THEN n.sz_now[i] ELSE 0 END
                                   FOR i IN range(1, 11)]), 0) AS BIGINT) AS barrier_size_now,
           CAST(coalesce(list_sum([CASE WHEN abs(n.px_before[i] - n.es_level) <= n.es_band THEN n.sz_before[i] ELSE 0 END
                                   FOR i IN range(1, 11)]), 0) AS BIGINT) AS barrier_size_before,
           CAST(coalesce(f.net, 0) AS BIGINT) AS barrier_net_adds
    FROM now n
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
