-- One-minute SPY bars; outcome is BREAK when the next HORIZON_BARS bars
-- carry on in the bar's direction by more than BREAK_BPS, BOUNCE when they
-- turn back by as much, CHOP otherwise.
WITH bars AS (
    SELECT
        (ts_event_ns // 60000000000) * 60000000000 AS ts_event_ns,
        first(price ORDER BY ts_event_ns, seq)     AS open,
        last(price ORDER BY ts_event_ns, seq)      AS close,
        max(price)                                 AS high,
        min(price)                                 AS low,
        CAST(sum(size) AS BIGINT)                  AS volume,
        count(*)                                   AS trades
    FROM bronze.stocks_trades
    WHERE symbol = 'SPY'
    GROUP BY 1
), fwd AS (
    SELECT *,
        (close / open - 1) * 1e4 AS ret_bps,
        (high - low) / close * 1e4 AS range_bps,
        (lead(close, getvariable('HORIZON_BARS')) OVER (ORDER BY ts_event_ns) / close - 1) * 1e4 AS fwd_return_bps
    FROM bars
)
SELECT ts_event_ns, close, volume, trades, ret_bps, range_bps, fwd_return_bps,
    CASE
        WHEN fwd_return_bps IS NULL OR abs(fwd_return_bps) <= getvariable('BREAK_BPS') THEN 'CHOP'
        WHEN sign(fwd_return_bps) = sign(ret_bps) THEN 'BREAK'
        ELSE 'BOUNCE'
    END AS outcome
FROM fwd
