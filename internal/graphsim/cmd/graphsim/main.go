// Command graphsim runs the Entra ID + Microsoft Graph beta emulator until
// SIGINT/SIGTERM. It is what `make demo` starts.
//
// The env file (-env-file) is written only once the listener is up, and
// atomically, so its appearance is the "ready" signal for scripts:
//
//	graphsim -env-file /tmp/graphsim.env & while [ ! -s /tmp/graphsim.env ]; do sleep 0.1; done
//	. /tmp/graphsim.env
//
// -seed FILE loads tasks before the env file is written, so that they are
// there once it appears. FILE is shaped like a page of the collection, each
// task optionally with its relationships (arrays of items, validated against
// Microsoft's metadata; an invalid file stops graphsim with an error):
//
//	{"value":[
//	  {"@odata.type":"#microsoft.graph.securityConfigurationTask","displayName":"Patch",
//	   "managedDevices":[{"displayName":"PC-1","lastSyncDateTime":"2027-01-01T08:00:00Z"}]},
//	  {"@odata.type":"#microsoft.graph.appVulnerabilityTask","appName":"Contoso",
//	   "mobileApps":[{"displayName":"Contoso","version":"1.2"}]}
//	]}
//
// Tasks and their relationships can also be seeded while it runs, through the
// loopback control API (POST /_graphsim/tasks, POST /_graphsim/tasks/{id}/{nav}).
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/terraform-intune/terraform-provider-intune/internal/graphsim"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "graphsim:", err)
		os.Exit(1)
	}
}

func run() error {
	var (
		opts        graphsim.Options
		envFile     string
		seedFile    string
		latency     time.Duration
		writeLimit  int
		writeWindow time.Duration
	)
	flag.StringVar(&opts.Addr, "addr", "127.0.0.1:0", "listen address")
	flag.StringVar(&opts.CAFile, "ca-file", "", "where to write the CA certificate PEM (default: a temp file)")
	flag.StringVar(&envFile, "env-file", "", "write shell export lines (ARM_*, SSL_CERT_FILE) here once listening")
	flag.StringVar(&seedFile, "seed", "", `seed tasks from this JSON file at start-up: {"value":[tasks, each with optional "managedDevices"/"mobileApps" arrays]}`)
	flag.IntVar(&opts.PageSize, "page-size", 100, "collection page size")
	flag.StringVar(&opts.TenantID, "tenant-id", graphsim.DefaultTenantID, "tenant id")
	flag.StringVar(&opts.ClientID, "client-id", graphsim.DefaultClientID, "client (application) id")
	flag.StringVar(&opts.ClientSecret, "client-secret", graphsim.DefaultClientSecret, "client secret")
	flag.DurationVar(&opts.TokenLifetime, "token-lifetime", time.Hour, "access token lifetime")
	flag.DurationVar(&latency, "latency", 0, "latency added to every Graph request")
	flag.IntVar(&writeLimit, "write-limit", 0, "max writes (POST/PATCH/DELETE) per -write-window; 0 = unlimited")
	flag.DurationVar(&writeWindow, "write-window", 20*time.Second, "sliding window for -write-limit")
	flag.Parse()

	srv, err := graphsim.Start(opts)
	if err != nil {
		return err
	}
	defer srv.Close()

	f := graphsim.Faults{Latency: latency}
	if writeLimit > 0 {
		f.WriteThrottle = &graphsim.Throttle{Limit: writeLimit, Window: writeWindow}
	}
	srv.SetFaults(f)

	if seedFile != "" {
		ids, err := srv.SeedFile(seedFile)
		if err != nil {
			return err
		}
		fmt.Fprintf(os.Stderr, "graphsim: seeded %d tasks from %s\n", len(ids), seedFile)
	}

	if envFile != "" {
		if err := writeEnvFile(envFile, srv); err != nil {
			return err
		}
		defer os.Remove(envFile) // a stale file would claim readiness next time
	}
	fmt.Println(srv.URL())
	fmt.Fprintf(os.Stderr, "graphsim: serving %s (CA %s, tenant %s, client %s)\n",
		srv.URL(), srv.CAFile(), srv.Options().TenantID, srv.Options().ClientID)

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	<-ctx.Done()
	fmt.Fprintln(os.Stderr, "graphsim: shutting down")
	return nil
}

func writeEnvFile(path string, srv *graphsim.Server) error {
	o := srv.Options()
	lines := []string{
		"export ARM_TENANT_ID=" + shellQuote(o.TenantID),
		"export ARM_CLIENT_ID=" + shellQuote(o.ClientID),
		"export ARM_CLIENT_SECRET=" + shellQuote(o.ClientSecret),
		"export ARM_GRAPH_ENDPOINT=" + shellQuote(srv.URL()),
		"export ARM_AUTHORITY_HOST=" + shellQuote(srv.URL()),
		"export SSL_CERT_FILE=" + shellQuote(srv.CAFile()),
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".graphsim-env-*")
	if err != nil {
		return err
	}
	_, werr := tmp.WriteString(strings.Join(lines, "\n") + "\n")
	cerr := tmp.Close()
	if werr != nil || cerr != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("write env file: %w", errors.Join(werr, cerr))
	}
	return os.Rename(tmp.Name(), path) // atomic: readers never see half a file
}

func shellQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
