package natsutil

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/spysql/spysql/stream/natsmsg"
)

// Stream names of the live path.
const (
	MarketStream     = "MARKET"
	LevelsStream     = "LEVELS"
	DeadLetterStream = "DEADLETTER"
)

// DuplicateWindow is how long JetStream remembers a Nats-Msg-Id, so a
// replay or a dead letter sent twice within it is stored once.
const DuplicateWindow = 10 * time.Minute

// EnsureStreams creates MARKET, LEVELS and DEADLETTER (file storage,
// replicas copies; 0 means 1) where absent. Existing streams are left as
// they are.
func EnsureStreams(ctx context.Context, js jetstream.JetStream, replicas int) error {
	if replicas <= 0 {
		replicas = 1
	}
	for _, s := range []struct{ name, subj string }{
		{MarketStream, natsmsg.MarketSubjects},
		{LevelsStream, natsmsg.LevelsSubjects},
		{DeadLetterStream, natsmsg.DeadLetterSubjects},
	} {
		_, err := js.Stream(ctx, s.name)
		if err == nil {
			continue
		}
		if !errors.Is(err, jetstream.ErrStreamNotFound) {
			return fmt.Errorf("stream %s: %w", s.name, err)
		}
		_, err = js.CreateStream(ctx, jetstream.StreamConfig{
			Name:       s.name,
			Subjects:   []string{s.subj},
			Storage:    jetstream.FileStorage,
			Replicas:   replicas,
			Duplicates: DuplicateWindow,
		})
		if err != nil && !errors.Is(err, jetstream.ErrStreamNameAlreadyInUse) {
			return fmt.Errorf("create stream %s: %w", s.name, err)
		}
	}
	return nil
}
