package main

// A real Slurm (Debian 12's slurmctld, slurmd, slurm-client and munge, installed if missing) started on
// localhost without systemd runs a job array written by `sweep slurm`; the cache it fills must equal a
// local run of the same grid, and a task cancelled mid-run must leave no partial entry, no stray
// temporary file and nothing duplicated once the script is submitted again.

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/snn-dales/dales/snn/study"
)

// need skips (or, under CI, fails) the test with msg.
func need(t *testing.T, msg string) {
	t.Helper()
	if os.Getenv("CI") != "" {
		t.Fatal(msg)
	}
	t.Skip(msg)
}

// installSlurm installs Debian's Slurm and munge when missing.
func installSlurm(t *testing.T) {
	if _, err := exec.LookPath("slurmctld"); err == nil {
		if _, err := exec.LookPath("munged"); err == nil {
			return
		}
	}
	if os.Geteuid() != 0 {
		need(t, "Slurm is not installed and this is not root: cannot install it")
	}
	cmd := exec.Command("apt-get", "-o", "DPkg::Lock::Timeout=300", "install", "-y", "-qq", "--no-install-recommends",
		"slurmctld", "slurmd", "slurm-client", "munge")
	cmd.Env = append(os.Environ(), "DEBIAN_FRONTEND=noninteractive")
	if out, err := cmd.CombinedOutput(); err != nil {
		need(t, fmt.Sprintf("Slurm cannot be installed here (apt-get: %v)\n%s", err, out))
	}
}

// slurm is a single-node Slurm cluster for one test.
type slurm struct {
	t    *testing.T
	dir  string
	conf string
	logs string // the tasks' output folder, shown when a command fails
}

func (s *slurm) env() []string { return append(os.Environ(), "SLURM_CONF="+s.conf) }

func (s *slurm) cmd(name string, args ...string) string {
	s.t.Helper()
	c := exec.Command(name, args...)
	c.Env = s.env()
	out, err := c.CombinedOutput()
	if err != nil {
		var logs strings.Builder
		if s.logs != "" {
			files, _ := filepath.Glob(filepath.Join(s.logs, "*"))
			for _, f := range files {
				b, _ := os.ReadFile(f)
				fmt.Fprintf(&logs, "--- %s\n%s\n", filepath.Base(f), tail(string(b)))
			}
		}
		d, _ := os.ReadFile(filepath.Join(s.dir, "slurmd.log"))
		s.t.Fatalf("%s %s: %v\n%s\ntask logs:\n%s\nslurmd log:\n%s", name, strings.Join(args, " "), err, out, logs.String(), tail(string(d)))
	}
	return string(out)
}

func startSlurm(t *testing.T) *slurm {
	installSlurm(t)
	if os.Geteuid() != 0 {
		need(t, "starting slurmd needs root")
	}
	dir := t.TempDir()
	host, _ := os.Hostname()
	state := filepath.Join(dir, "state")
	for _, d := range []string{state, filepath.Join(dir, "spool")} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	conf := filepath.Join(dir, "slurm.conf")
	text := fmt.Sprintf(`ClusterName=dalestest%d
SlurmctldHost=localhost
SlurmUser=root
SlurmctldPort=%d
SlurmdPort=%d
StateSaveLocation=%s
SlurmdSpoolDir=%s
SlurmctldPidFile=%s
SlurmdPidFile=%s
SlurmctldLogFile=%s
SlurmdLogFile=%s
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
MpiDefault=none
ReturnToService=2
KillWait=5
NodeName=localhost NodeHostname=%s CPUs=2 State=UNKNOWN
PartitionName=debug Nodes=localhost Default=YES MaxTime=INFINITE State=UP
`, os.Getpid(), 16817, 16818, state, filepath.Join(dir, "spool"), filepath.Join(dir, "slurmctld.pid"),
		filepath.Join(dir, "slurmd.pid"), filepath.Join(dir, "slurmctld.log"), filepath.Join(dir, "slurmd.log"), host)
	if err := os.WriteFile(conf, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	s := &slurm{t: t, dir: dir, conf: conf}
	// munge: one daemon for the machine; start it unless it answers.
	if exec.Command("munge", "-n").Run() != nil {
		os.MkdirAll("/run/munge", 0o755)
		exec.Command("chown", "munge:munge", "/run/munge").Run()
		if out, err := exec.Command("su", "-s", "/bin/sh", "munge", "-c", "/usr/sbin/munged").CombinedOutput(); err != nil {
			need(t, fmt.Sprintf("munged does not start: %v\n%s", err, out))
		}
	}
	t.Cleanup(func() {
		for _, pid := range []string{"slurmd.pid", "slurmctld.pid"} {
			if b, err := os.ReadFile(filepath.Join(dir, pid)); err == nil {
				if p, err := strconv.Atoi(strings.TrimSpace(string(b))); err == nil {
					if proc, err := os.FindProcess(p); err == nil {
						proc.Kill()
					}
				}
			}
		}
	})
	s.cmd("slurmctld", "-f", conf)
	s.cmd("slurmd", "-f", conf, "-N", "localhost")
	deadline := time.Now().Add(60 * time.Second)
	for {
		c := exec.Command("sinfo", "-h", "-o", "%T")
		c.Env = s.env()
		out, _ := c.CombinedOutput()
		if st := strings.TrimSpace(string(out)); st == "idle" || st == "mixed" {
			break
		}
		if time.Now().After(deadline) {
			log, _ := os.ReadFile(filepath.Join(dir, "slurmctld.log"))
			need(t, fmt.Sprintf("the Slurm node did not come up (sinfo: %q)\n%s", out, tail(string(log))))
		}
		time.Sleep(time.Second)
	}
	return s
}

func tail(s string) string {
	if len(s) > 3000 {
		return s[len(s)-3000:]
	}
	return s
}

// sweepBin builds this command into dir.
func sweepBin(t *testing.T, dir string) string {
	bin := filepath.Join(dir, "sweep")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// results reads a cache folder: test accuracy by run key, and the names of files that are not entries.
func results(t *testing.T, dir string) (map[study.RunKey]float64, []string) {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join(dir, "*"))
	out := map[study.RunKey]float64{}
	var other []string
	for _, f := range files {
		if !strings.HasSuffix(f, ".json") {
			other = append(other, filepath.Base(f))
			continue
		}
		data, _ := os.ReadFile(f)
		r, err := study.DecodeRunResult(data)
		if err != nil {
			t.Errorf("%s: %v", f, err)
			continue
		}
		if _, dup := out[r.RunKey]; dup {
			t.Errorf("run %+v cached twice", r.RunKey)
		}
		out[r.RunKey] = r.TestAccuracy
	}
	return out, other
}

func TestSlurmJobArray(t *testing.T) {
	if testing.Short() {
		t.Skip("starts Slurm and runs a sweep on it (about a minute)")
	}
	s := startSlurm(t)
	start := time.Now()
	dir := t.TempDir()
	bin := sweepBin(t, dir)
	grid := []string{"-conditions", "both", "-fractions", "0.2,0.5", "-seeds", "1,2,3", "-quick"}
	cache := filepath.Join(dir, "cache")

	// The same grid run locally, for the numbers.
	local := exec.Command(bin, append(append([]string{"run"}, grid...), "-cache", filepath.Join(dir, "local"))...)
	if out, err := local.CombinedOutput(); err != nil {
		t.Fatalf("local run: %v\n%s", err, out)
	}
	want, _ := results(t, filepath.Join(dir, "local"))
	if len(want) != 6 {
		t.Fatalf("local run cached %d runs, want 6", len(want))
	}

	s.logs = filepath.Join(dir, "logs")
	script := filepath.Join(dir, "sweep.sbatch")
	s.cmd(bin, append(append([]string{"slurm"}, grid...), "-cache", cache, "-runs-per-task", "2", "-cpus", "1",
		"-concurrency", "2", "-logs", filepath.Join(dir, "logs"), "-o", script)...)
	body, _ := os.ReadFile(script)
	for _, part := range []string{"#SBATCH --array=0-2%2", "#SBATCH --cpus-per-task=1", `GOMAXPROCS="${SLURM_CPUS_PER_TASK:-1}"`, `-shard "${SLURM_ARRAY_TASK_ID}/3"`} {
		if !strings.Contains(string(body), part) {
			t.Errorf("the script lacks %q:\n%s", part, body)
		}
	}
	s.cmd("sbatch", "--wait", script)
	got, other := results(t, cache)
	if len(got) != 6 || len(other) != 0 {
		t.Fatalf("after the array: %d runs cached (want 6), other files %v", len(got), other)
	}
	sameRuns(t, got, want, "locally")
	t.Logf("array of 3 tasks (6 runs, 2 at a time) done in %s", time.Since(start).Round(time.Second))

	// Cancel a task mid-run: a longer grid (6 more seeds, 2 runs per task), scancel a running task.
	grid2 := []string{"-conditions", "both", "-fractions", "0.2,0.5", "-seeds", "1,2,3,4,5,6,7,8,9", "-quick"}
	s.cmd(bin, append(append([]string{"slurm"}, grid2...), "-cache", cache, "-runs-per-task", "2", "-cpus", "1",
		"-concurrency", "2", "-logs", filepath.Join(dir, "logs"), "-o", script)...)
	job := strings.Split(strings.TrimSpace(s.cmd("sbatch", "--parsable", script)), ";")[0]
	// Cancel a task while its second run trains: its log shows the first run done and not the second. On a
	// loaded machine the second run can finish between reading the log and the cancel landing (its log then
	// shows "[2/2]" once the task has left the queue): that task completed, and another one is cancelled.
	var cancelled string
	deadline := time.Now().Add(3 * time.Minute)
	tried := map[string]bool{}
	for cancelled == "" && time.Now().Before(deadline) {
		for _, id := range strings.Fields(s.cmd("squeue", "-h", "-j", job, "-t", "RUNNING", "-o", "%i")) {
			logFile := filepath.Join(s.logs, "dales-sweep_"+id+".out")
			log, _ := os.ReadFile(logFile)
			if tried[id] || !strings.Contains(string(log), "[1/2]") || strings.Contains(string(log), "[2/2]") {
				continue
			}
			tried[id] = true
			s.cmd("scancel", id)
			for time.Now().Before(deadline) && strings.TrimSpace(s.cmd("squeue", "-h", "-j", id, "-o", "%i")) != "" {
				time.Sleep(100 * time.Millisecond)
			}
			if log, _ = os.ReadFile(logFile); strings.Contains(string(log), "[2/2]") {
				t.Logf("task %s finished its second run before the cancel landed; cancelling another", id)
				continue
			}
			cancelled = id
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	if cancelled == "" {
		t.Fatal("no task of the second array was caught between its two runs")
	}
	for time.Now().Before(deadline) && strings.TrimSpace(s.cmd("squeue", "-h", "-j", job, "-o", "%i")) != "" {
		time.Sleep(time.Second)
	}
	afterCancel, other := results(t, cache)
	if len(other) != 0 {
		t.Errorf("after scancel the cache holds other files: %v", other)
	}
	status := func() string {
		out, err := exec.Command(bin, append(append([]string{"status"}, grid2...), "-cache", cache)...).CombinedOutput()
		if err != nil {
			t.Fatalf("status: %v\n%s", err, out)
		}
		return strings.TrimSpace(string(out))
	}
	if st := status(); st != "18 runs: 17 done, 1 missing, 0 stale, 0 failed" {
		t.Errorf("after cancelling task %s mid-run: %q, want the one run it was training missing", cancelled, st)
	}
	t.Logf("cancelled task %s mid-run: %d of 18 runs cached, no partial entry, no temporary file", cancelled, len(afterCancel))
	// Resubmitting the same script completes only the missing runs.
	s.cmd("sbatch", "--wait", script)
	final, other := results(t, cache)
	if len(final) != 18 || len(other) != 0 {
		t.Fatalf("after resubmitting: %d runs (want 18), other files %v", len(final), other)
	}
	sameRuns(t, final, afterCancel, "before the resubmission")
	sameRuns(t, final, want, "locally")
	if st := status(); st != "18 runs: 18 done, 0 missing, 0 stale, 0 failed" {
		t.Errorf("after resubmitting: %q", st)
	}
	t.Logf("Slurm test done in %s", time.Since(start).Round(time.Second))
}

// sameRuns checks that got holds every run of want with the same test accuracy.
func sameRuns(t *testing.T, got, want map[study.RunKey]float64, where string) {
	t.Helper()
	for k, v := range want {
		if got[k] != v {
			t.Errorf("run %+v: %v on Slurm, %v %s", k, got[k], v, where)
		}
	}
}
