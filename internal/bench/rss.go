package bench

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"
)

// sampleEvery is how often /proc is polled. VmHWM only grows, so a missed sample loses only what a
// provider process gained in its last few milliseconds before exiting.
const sampleEvery = 10 * time.Millisecond

// providerSampler follows the provider processes terraform starts (its children whose command name
// begins with terraform-provider-intune, which the kernel truncates to 15 characters) and keeps the
// largest peak resident size (VmHWM) any of them reached.
type providerSampler struct {
	parent int
	done   chan struct{}
	wg     sync.WaitGroup

	mu   sync.Mutex
	peak map[int]int64 // pid -> VmHWM kB
}

func startProviderSampler(parent int) *providerSampler {
	s := &providerSampler{parent: parent, done: make(chan struct{}), peak: map[int]int64{}}
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		t := time.NewTicker(sampleEvery)
		defer t.Stop()
		for {
			s.sample()
			select {
			case <-s.done:
				return
			case <-t.C:
			}
		}
	}()
	return s
}

// stop ends sampling and returns the largest VmHWM (kB) and how many provider processes were seen.
func (s *providerSampler) stop() (peakKB int64, processes int) {
	close(s.done)
	s.wg.Wait()
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, kb := range s.peak {
		peakKB = max(peakKB, kb)
	}
	return peakKB, len(s.peak)
}

func (s *providerSampler) sample() {
	for _, pid := range children(s.parent) {
		comm, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/comm")
		if err != nil || !strings.HasPrefix("terraform-provider-intune", strings.TrimSpace(string(comm))) ||
			len(strings.TrimSpace(string(comm))) < len("terraform-prov") {
			continue
		}
		kb := procField("/proc/"+strconv.Itoa(pid)+"/status", "VmHWM")
		s.mu.Lock()
		s.peak[pid] = max(s.peak[pid], kb)
		s.mu.Unlock()
	}
}

// children lists a process's children. Linux records a child under the thread that forked it, so
// every thread of the (multi-threaded) parent is asked.
func children(pid int) []int {
	tasks, _ := filepath.Glob("/proc/" + strconv.Itoa(pid) + "/task/*/children")
	var out []int
	for _, t := range tasks {
		b, err := os.ReadFile(t)
		if err != nil {
			continue
		}
		for _, f := range strings.Fields(string(b)) {
			if c, err := strconv.Atoi(f); err == nil {
				out = append(out, c)
			}
		}
	}
	return out
}
