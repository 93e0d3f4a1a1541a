// Package testkit holds the test scaffolding that packages across the
// module share, so each package's tests keep only what is theirs:
//
//   - fixture.go: a TestMain that builds one fixture lake per test binary
//     (or runs a child job), a testing.TB for TestMain, and CopyLake and
//     CopyTree for per-test copies of the fixture;
//   - child.go: re-executing the test binary as a child process and
//     SIGKILLing it at a named pause point or after a delay (kill tests);
//   - wait.go: an empty lake for a test, and polling for a condition
//     with a deadline;
//   - bench.go: a benchmark lake generated once and reused, peak-RSS
//     measurement, interleaved A/B runs for ratio benchmarks, and the
//     direct-COPY baseline of the Silver build benchmarks.
//
// It sits at the module root under internal/ so that every package can
// import it, and it imports only engine/store: nothing it serves can be
// below it.
package testkit
