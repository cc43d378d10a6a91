# coroner: the post-mortem for Kubernetes containers that died of memory.
GO      ?= go
BIN     := bin/coroner
VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)

.PHONY: build test check bench demo sample golden-update fuzz fuzz-long lab clean

build:
	$(GO) build -ldflags "-X github.com/k8s-coroner/coroner/cmd/coroner/cli.version=$(VERSION)" -o $(BIN) ./cmd/coroner

# The test command of the README and of CI. It creates no cgroup, so it is safe on a real
# node; with CORONER_REAL_OOM=1 (root, Linux, cgroup v1 or v2; .ci/run sets it) it adds real
# memcg OOMs in a tree of its own, /sys/fs/cgroup/…/coroner-test/kubepods (golden/realoom_linux_test.go).
# -count=1: the golden tests build and run the binary, a dependency go test's cache cannot see.
test:
	$(GO) test -count=1 ./...

check:
	$(GO) vet ./...
	@out=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi
	$(GO) test -count=1 ./...

# Performance, each figure against its baseline measured in the same run. First the
# in-process benchmarks (prefilter, block and record scans, archive walk, List and YAML
# decoders, the correlator at 1k/10k/50k kills), then README's performance table end to end
# on generated inputs: plain text and sosreports (xz, zstd, gzip) at BENCH_MB/4 and BENCH_MB,
# many deaths, a 300 MiB List, a 50 MiB YAML, and what the Loki and Elasticsearch jobs ship.
# Takes about ten minutes on 2 cores and needs 3 GiB in $$TMPDIR.
BENCH_MB ?= 1024
bench: build
	$(GO) test -run '^$$' -bench . -benchmem -benchtime 3x ./parsers/ ./sources/
	$(GO) test -run '^$$' -bench . -benchmem -benchtime 1x ./correlate/
	$(GO) run ./parsers/synth/bench -table -coroner $(BIN) -mb $(BENCH_MB)

# The main job on a sample shipped in the repo: real kernel output of the lab, a pod-level
# limit hit seen in plain dmesg and in dmesg -T (so the boot time is learned), and a real
# report pasted in a public issue (kontena/pharos-cluster#1508).
demo: build
	$(BIN) analyze testdata/sample/sosreport-node1-2026-11-27-qwertyu.tar.xz \
		testdata/sample/sosreport-node2-2026-11-27-asdfghj.tar.bz2 \
		testdata/sample/must-gather.local.5550001

# Rebuild the demo's sample incident from its golden case (real lab captures inside).
sample:
	$(GO) run ./golden/lab/mksample golden/testdata/sos-two-nodes-must-gather.txtar testdata/sample

golden-update:
	$(GO) test ./golden -update

# Every fuzz target, as package:Name. Go's fuzzer runs one target of one package per
# invocation, so each is run on its own, one after another. Seeds live in each package's
# testdata/fuzz/<Name>/ and run as plain tests in make test.
FUZZ_TARGETS := parsers:FuzzKernel parsers:FuzzFramings parsers:FuzzKubeObjects parsers:FuzzKubelet \
	parsers:FuzzKV parsers:FuzzLineState parsers:FuzzPaste parsers:FuzzKubectl parsers:FuzzStream \
	parsers:FuzzParseCgroup parsers:FuzzJournalExport \
	sources:FuzzArchive sources:FuzzDecompress sources:FuzzKmsgRecords sources:FuzzNodeState sources:FuzzSosMeta \
	sources/elastic:FuzzDecodeSearch sources/jsonstream:FuzzWalk \
	sources/loki:FuzzDecodeStreams sources/loki:FuzzDecodeVector sources/loki:FuzzLabels sources/loki:FuzzPush \
	correlate:FuzzAnalyze correlate:FuzzMergeReports correlate/render:FuzzRender

# One fuzzing run per target, -parallel 1 so that it shares a small machine; the loop goes on
# past a failure, prints every target's execs and result, and fails at the end if one did.
# Each new interesting input is minimized for at most FUZZMINIMIZE: Go's default of 60 s
# held FuzzAnalyze (a few ms an input, three strings) minimizing for its whole minute.
FUZZMINIMIZE ?= 5s
define fuzz-each
	@failed=0; for t in $(FUZZ_TARGETS); do \
		pkg=./$${t%%:*}; name=$${t##*:}; \
		out=$$($(GO) test $$pkg -run '^$$' -fuzz "^$$name\$$" -fuzztime $(1) -fuzzminimizetime $(FUZZMINIMIZE) -parallel 1 2>&1); rc=$$?; \
		execs=$$(printf '%s\n' "$$out" | grep -o 'execs: [0-9]*' | tail -1); \
		if [ $$rc -eq 0 ]; then res=ok; else res=FAIL; failed=1; printf '%s\n' "$$out" | grep -v '^fuzz: elapsed' | tail -20; fi; \
		printf '%-20s %-20s %-16s %s\n' "$$pkg" "$$name" "$${execs:-execs: ?}" "$$res"; \
	done; exit $$failed
endef

# A short fuzzing pass over every fuzz target.
FUZZTIME ?= 30s
fuzz:
	$(call fuzz-each,$(FUZZTIME))

# The long pass issue 17 asks for before a release: every target for FUZZLONG (25 targets
# at 10m take about four hours and a quarter).
FUZZLONG ?= 10m
fuzz-long:
	$(call fuzz-each,$(FUZZLONG))

# Real kernel OOM captures for the golden cases (root; cgroup v1 on the host, then cgroup v2
# and global OOMs inside a qemu guest; see golden/lab/README.md).
lab:
	$(GO) build -o /tmp/memhog ./golden/lab/memhog
	$(GO) build -o /tmp/coroner-clocks ./golden/lab/clocks
	./golden/lab/capture-v1.sh
	./golden/lab/qemu/run.sh

clean:
	rm -rf bin
