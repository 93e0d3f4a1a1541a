package ingest

// SetBeforePublish makes in call f with a partition's directory and the
// sequences of the batch before it locks the partition to publish the
// batch there; f may block. Call it before Run.
func SetBeforePublish(in *Ingester, f func(dir string, seqs []uint64)) { in.beforePublish = f }

// DisableKeepAlive stops in from telling JetStream that messages it holds
// are in progress, so that they are redelivered after AckWait. Call it
// before Run.
func DisableKeepAlive(in *Ingester) { in.noKeepAlive = true }
