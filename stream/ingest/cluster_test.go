package ingest_test

import (
	"context"
	"fmt"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/nats-io/nats-server/v2/server"

	"github.com/spysql/spysql/stream/ingest"
	"github.com/spysql/spysql/stream/natsutil"
)

// freePorts reserves n loopback ports and releases them for the servers.
func freePorts(t *testing.T, n int) []int {
	t.Helper()
	var ports []int
	var lns []net.Listener
	for range n {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		lns = append(lns, ln)
		ports = append(ports, ln.Addr().(*net.TCPAddr).Port)
	}
	for _, ln := range lns {
		ln.Close()
	}
	return ports
}

// A 3-node cluster with 3-replica streams loses a node (the MARKET
// stream's leader) during the ingest: nothing is lost or doubled.
func TestClusterNodeLoss(t *testing.T) {
	src := sourceLake(t)
	ports := freePorts(t, 3)
	var routes []string
	for _, p := range ports {
		routes = append(routes, fmt.Sprintf("nats-route://127.0.0.1:%d", p))
	}
	var servers []*server.Server
	var urls []string
	for i := range 3 {
		s, err := natsutil.StartEmbedded(natsutil.EmbeddedConfig{
			StoreDir: t.TempDir(), ServerName: fmt.Sprintf("n%d", i),
			ClusterName: "spysql-test", ClusterPort: ports[i], Routes: routes,
		})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Shutdown(); s.WaitForShutdown() })
		servers = append(servers, s)
		urls = append(urls, s.ClientURL())
	}
	js := connect(t, strings.Join(urls, ","))
	ctx := context.Background()
	waitFor(t, time.Minute, "JetStream streams with 3 replicas", func() bool {
		return natsutil.EnsureStreams(ctx, js, 3) == nil
	})
	out := newLake(t)
	cfg := testConfig(out, nil)
	cfg.Replicas = 3
	in, stop := startIngest(t, js, cfg)
	done := runReplay(ctx, js, src, 6*time.Second)
	waitFor(t, time.Minute, "some rows landed", func() bool { return in.Stats().Rows > 0 })
	ms, err := js.Stream(ctx, natsutil.MarketStream)
	if err != nil {
		t.Fatal(err)
	}
	info, err := ms.Info(ctx)
	if err != nil || info.Cluster == nil {
		t.Fatalf("stream info: %v", err)
	}
	killed := false
	for _, s := range servers {
		if s.Name() == info.Cluster.Leader {
			s.Shutdown()
			s.WaitForShutdown()
			killed = true
		}
	}
	if !killed {
		t.Fatalf("leader %q is none of the servers", info.Cluster.Leader)
	}
	before := in.Stats().Messages
	mustReplay(t, done, 2*time.Minute)
	waitFor(t, 2*time.Minute, "the MARKET consumer to ack everything", func() bool {
		return settled(ctx, js, natsutil.MarketStream, ingest.DefaultDurable)
	})
	if in.Stats().Messages <= before {
		t.Error("no message received after the node was lost")
	}
	if err := stop(); err != nil {
		t.Fatal(err)
	}
	sameRows(t, lakeRows(t, src), lakeRows(t, out))
}
