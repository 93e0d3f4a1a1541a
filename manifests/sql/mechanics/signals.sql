-- v1.0_mechanics_only: one row per level touch with the barrier, tape and
-- fuel features and the labels.
SELECT t.ts_event_ns, t.level_kind, t.level_price, t.ts_recv_ns, t.underlying, t.spot,
       t.direction, t.minutes_since_open, t.touch_number,
       b.barrier_es_level, b.barrier_size_now, b.barrier_size_before, b.barrier_delta_liq,
       b.barrier_net_adds, b.barrier_state,
       p.tape_buy_vol, p.tape_sell_vol, p.tape_imbalance, p.tape_velocity, p.tape_trade_rate,
       p.tape_imbalance_toward,
       f.fuel_call_vol, f.fuel_put_vol, f.fuel_signed_premium, f.fuel_0dte_share,
       f.fuel_strike_concentration,
       l.outcome, l.fwd_return_bps
FROM touches t
LEFT JOIN barrier b USING (ts_event_ns, level_kind, level_price)
LEFT JOIN tape p USING (ts_event_ns, level_kind, level_price)
LEFT JOIN fuel f USING (ts_event_ns, level_kind, level_price)
LEFT JOIN labels l USING (ts_event_ns, level_kind, level_price)
