// Command spysql builds, compares, promotes, ingests and serves a
// market-data lakehouse (Bronze -> Silver -> Gold) with embedded DuckDB and
// the Postgres wire protocol. One file per subcommand.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := newRootCmd().ExecuteContext(ctx); err != nil {
		fmt.Fprintln(os.Stderr, "spysql:", err)
		os.Exit(1)
	}
}
