-- v2.0_full_ensemble: every v1.0 column plus the ta group.
SELECT s.*,
       a.ta_vwap_dist_bps, a.ta_sma20_dist_bps, a.ta_sma60_dist_bps, a.ta_atr14, a.ta_rsi14,
       a.ta_rv15_bps, a.ta_range_pos, a.confluence_count
FROM signals s
LEFT JOIN ta a USING (ts_event_ns, level_kind, level_price)
