package natsmsg

// Signal is one level-touch signal published on levels.signals.<UND> and
// stored in gold/streaming/signals/underlying=U/date=D/hour=H/, read as
// gold.streaming_signals. Its columns follow the Silver signal rows of the
// level-touch model (issue 11): the key (ts_event_ns, level_kind,
// level_price), then the trade that fired it and what a model said.
//
//	ts_event_ns        BIGINT   event time of the SPY trade that touched the level (required)
//	ts_recv_ns         BIGINT   capture time of that trade: the decision time (required)
//	source             VARCHAR  producer name (required)
//	level_kind         VARCHAR  PM_HIGH, PM_LOW, PDH, PDL, PDC, OR_HIGH, OR_LOW, ROUND, ... (required)
//	level_price        DOUBLE   the level, in SPY dollars (required, > 0)
//	direction          VARCHAR  UP (price came from below) or DOWN (required)
//	spot               DOUBLE   SPY price of the firing trade (required, > 0)
//	touch_number       INTEGER  1 for the first touch of the level that day, then 2, ...
//	minutes_since_open DOUBLE   minutes since the regular-hours open
//	prediction         VARCHAR  a model's call: BREAK, BOUNCE, CHOP or empty
//	score              DOUBLE   the model's confidence in prediction, 0..1
//	model              VARCHAR  the model (Gold dataset or version) that scored it
//
// underlying, date and hour are partition columns, as in Bronze.
type Signal struct {
	TsEventNS        int64   `parquet:"ts_event_ns" json:"ts_event_ns"`
	TsRecvNS         int64   `parquet:"ts_recv_ns" json:"ts_recv_ns"`
	Source           string  `parquet:"source,dict" json:"source"`
	LevelKind        string  `parquet:"level_kind,dict" json:"level_kind"`
	LevelPrice       float64 `parquet:"level_price" json:"level_price"`
	Direction        string  `parquet:"direction,dict" json:"direction"`
	Spot             float64 `parquet:"spot" json:"spot"`
	TouchNumber      int32   `parquet:"touch_number" json:"touch_number"`
	MinutesSinceOpen float64 `parquet:"minutes_since_open" json:"minutes_since_open"`
	Prediction       string  `parquet:"prediction,dict" json:"prediction"`
	Score            float64 `parquet:"score" json:"score"`
	Model            string  `parquet:"model,dict" json:"model"`
	// Underlying is the underlying= partition, from the subject.
	Underlying string `parquet:"-" json:"-"`
}
