package natsutil

import (
	"errors"
	"fmt"
	"net/url"
	"time"

	"github.com/nats-io/nats-server/v2/server"
)

// EmbeddedConfig configures an in-process nats-server with JetStream.
type EmbeddedConfig struct {
	// StoreDir holds JetStream's file store (required).
	StoreDir string
	// Host to listen on; "" is 127.0.0.1.
	Host string
	// Port for clients; 0 picks a free one.
	Port int
	// ServerName; "" lets the server choose (a cluster needs distinct names).
	ServerName string
	// ClusterName, ClusterPort and Routes join a cluster: all empty or
	// zero for a single server. ClusterPort 0 picks a free one when
	// ClusterName is set.
	ClusterName string
	ClusterPort int
	Routes      []string
}

// StartEmbedded starts a nats-server with JetStream and waits until it
// accepts connections (up to 10s).
func StartEmbedded(cfg EmbeddedConfig) (*server.Server, error) {
	if cfg.StoreDir == "" {
		return nil, errors.New("embedded nats-server: no store directory")
	}
	host := cfg.Host
	if host == "" {
		host = "127.0.0.1"
	}
	port := cfg.Port
	if port == 0 {
		port = server.RANDOM_PORT
	}
	opts := &server.Options{
		ServerName: cfg.ServerName,
		Host:       host,
		Port:       port,
		JetStream:  true,
		StoreDir:   cfg.StoreDir,
		NoLog:      true,
		NoSigs:     true,
		// A client of the ingest holds up to MaxAckPending unacked messages
		// and pulls in batches; the defaults are fine otherwise.
		MaxPayload: 1 << 20,
	}
	if cfg.ClusterName != "" {
		cport := cfg.ClusterPort
		if cport == 0 {
			cport = server.RANDOM_PORT
		}
		opts.Cluster = server.ClusterOpts{Name: cfg.ClusterName, Host: host, Port: cport}
		for _, r := range cfg.Routes {
			u, err := url.Parse(r)
			if err != nil {
				return nil, fmt.Errorf("embedded nats-server: route %q: %w", r, err)
			}
			opts.Routes = append(opts.Routes, u)
		}
	}
	s, err := server.NewServer(opts)
	if err != nil {
		return nil, fmt.Errorf("embedded nats-server: %w", err)
	}
	go s.Start()
	if !s.ReadyForConnections(10 * time.Second) {
		s.Shutdown()
		return nil, errors.New("embedded nats-server: not ready after 10s")
	}
	return s, nil
}
