// Package natsutil starts embedded nats-servers (for `spysql ingest
// --embedded`, the demo and tests) and creates the JetStream streams of the
// live path: MARKET (market.>), LEVELS (levels.>) and DEADLETTER
// (deadletter.>), all on file storage. Sleep is the context-aware wait the
// live path's retry and pacing loops share.
package natsutil
