package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The Kubernetes manifest cannot run here (no cluster): it is parsed back and its fields checked.
func TestK8sManifest(t *testing.T) {
	out := filepath.Join(t.TempDir(), "job.json")
	err := dispatch([]string{"k8s", "-conditions", "both,input", "-fractions", "0.2,0.5", "-seeds", "1,2,3", "-cache", "runs/sweep",
		"-runs-per-task", "5", "-cpus", "2", "-concurrency", "2", "-image", "registry.example/dales:v1", "-pvc", "sweep-cache", "-o", out})
	if err != nil {
		t.Fatal(err)
	}
	data, _ := os.ReadFile(out)
	var job struct {
		APIVersion, Kind string
		Metadata         struct{ Name string }
		Spec             struct {
			CompletionMode           string
			Completions, Parallelism int
			Template                 struct {
				Spec struct {
					RestartPolicy string
					Containers    []struct {
						Image        string
						Command      []string
						Env          []struct{ Name, Value string }
						Resources    struct{ Requests map[string]string }
						VolumeMounts []struct{ Name, MountPath string }
					}
					Volumes []struct {
						Name                  string
						PersistentVolumeClaim struct{ ClaimName string }
					}
				}
			}
		}
	}
	if err := json.Unmarshal(data, &job); err != nil {
		t.Fatalf("manifest is not JSON (YAML): %v\n%s", err, data)
	}
	// 2 conditions x 2 fractions x 3 seeds = 12 runs, 5 per task: 3 tasks.
	s := job.Spec
	if job.APIVersion != "batch/v1" || job.Kind != "Job" || s.CompletionMode != "Indexed" || s.Completions != 3 || s.Parallelism != 2 {
		t.Errorf("job: %s %s, mode %q, completions %d, parallelism %d", job.APIVersion, job.Kind, s.CompletionMode, s.Completions, s.Parallelism)
	}
	pod := s.Template.Spec
	if pod.RestartPolicy != "Never" || len(pod.Containers) != 1 || len(pod.Volumes) != 1 {
		t.Fatalf("pod: %+v", pod)
	}
	c := pod.Containers[0]
	cmd := strings.Join(c.Command, " ")
	for _, part := range []string{"dales-sweep run", "-conditions both,input", "-cache /cache/sweep", "-shard $(JOB_COMPLETION_INDEX)/3", "-workers 1"} {
		if !strings.Contains(cmd, part) {
			t.Errorf("command %q lacks %q", cmd, part)
		}
	}
	if c.Image != "registry.example/dales:v1" || c.Resources.Requests["cpu"] != "2" || len(c.Env) != 1 || c.Env[0] != (struct{ Name, Value string }{"GOMAXPROCS", "2"}) {
		t.Errorf("container: image %q, requests %v, env %v", c.Image, c.Resources.Requests, c.Env)
	}
	if len(c.VolumeMounts) != 1 || c.VolumeMounts[0].MountPath != "/cache" || c.VolumeMounts[0].Name != pod.Volumes[0].Name ||
		pod.Volumes[0].PersistentVolumeClaim.ClaimName != "sweep-cache" {
		t.Errorf("cache volume: mounts %+v, volumes %+v", c.VolumeMounts, pod.Volumes)
	}
}

func TestSelectIndicesAndQuoting(t *testing.T) {
	for _, c := range []struct {
		index       int
		span, shard string
		want        string
		bad         string
	}{
		{index: 3, want: "[3]"}, {index: -1, span: "2:5", want: "[2 3 4]"}, {index: -1, shard: "1/3", want: "[3 4 5]"},
		{index: -1, want: "[]"}, {index: 9, bad: "-index 9"}, {index: -1, span: "5:2", bad: "-range"},
		{index: -1, shard: "3", bad: "want i/n"}, {index: 1, shard: "0/2", bad: "one of"}, {index: -1, shard: "2/2", bad: "shard 2 of 2"},
	} {
		got, err := selectIndices(c.index, c.span, c.shard, 9)
		if c.bad != "" {
			if err == nil || !strings.Contains(err.Error(), c.bad) {
				t.Errorf("%+v: error %v, want one containing %q", c, err, c.bad)
			}
			continue
		}
		if fmt.Sprint(got) != c.want {
			t.Errorf("%+v: %v, want %s", c, got, c.want)
		}
	}
	for in, want := range map[string]string{"both,input": "both,input", "/a b/c": "'/a b/c'", "it's": `'it'\''s'`, "": "''"} {
		if got := shellQuote(in); got != want {
			t.Errorf("shellQuote(%q) = %s, want %s", in, got, want)
		}
	}
}

// A go run binary lives in a temporary build folder the cluster's nodes cannot see: refused, with the fix.
func TestSweepBinaryRefusesGoRun(t *testing.T) {
	if _, err := sweepBinary(filepath.Join(t.TempDir(), "missing")); err == nil || !strings.Contains(err.Error(), "not an executable") {
		t.Errorf("missing -bin: %v", err)
	}
}

// Values written into a cluster script are checked (issue 24: a newline in -name or -time became a shell
// command of the generated sbatch script).
func TestClusterValuesChecked(t *testing.T) {
	cache := t.TempDir()
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"slurm", "-name", "x\nrm -rf /"}, `-name "x\nrm -rf /"`},
		{[]string{"k8s", "-name", "Upper"}, `-name "Upper"`},
		{[]string{"slurm", "-time", "1:00:00\nid"}, `-time "1:00:00\nid"`},
		{[]string{"slurm", "-time", "0"}, `-time "0": Slurm reads a limit of 0 as no limit`},
		{[]string{"slurm", "-time", "0-00:00"}, `-time "0-00:00": Slurm reads a limit of 0 as no limit`},
		{[]string{"slurm", "-time", "99:99"}, `-time "99:99": 99 is 60 or more`},
		{[]string{"slurm", "-time", "1:75:00"}, `-time "1:75:00": 75 is 60 or more`},
		{[]string{"slurm", "-time", "1-30"}, `-time "1-30": 30 hours after the days`},
		{[]string{"slurm", "-time", "99999999999999999999"}, `-time "99999999999999999999": 100000000000000000000 minutes: want a limit of at most 2147483647`},
		{[]string{"slurm", "-time", "1491309-00"}, `-time "1491309-00": 2147484960 minutes: want a limit of at most 2147483647`},
		{[]string{"slurm", "-time", "35791395:00:00"}, `-time "35791395:00:00": 2147483700 minutes`},
		{[]string{"slurm", "-time", "1491308-23"}, `-time "1491308-23": 2147484900 minutes`},
		{[]string{"k8s", "-memory", "0"}, `-memory "0": want 256Mi to 1Ti per pod`},
		{[]string{"k8s", "-memory", "0e400"}, `-memory "0e400": want 256Mi to 1Ti per pod`},
		{[]string{"k8s", "-memory", "0.0Gi"}, `-memory "0.0Gi": want 256Mi to 1Ti per pod`},
		{[]string{"k8s", "-memory", "0.0001"}, `-memory "0.0001": want 256Mi to 1Ti per pod`},
		{[]string{"k8s", "-memory", "255Mi"}, `-memory "255Mi": want 256Mi to 1Ti per pod`},
		{[]string{"k8s", "-memory", "1e999"}, `-memory "1e999": want 256Mi to 1Ti per pod`},
		{[]string{"k8s", "-memory", "1100G"}, `-memory "1100G": want 256Mi to 1Ti per pod`},
		{[]string{"k8s", "-memory", "2Ei"}, `-memory "2Ei": want 256Mi to 1Ti per pod`},
		{[]string{"slurm", "-partition", "a b"}, `-partition "a b"`},
		{[]string{"slurm", "-logs", "logs\nid"}, `-logs "logs\nid"`},
		{[]string{"k8s", "-mount", "relative/path"}, `-mount "relative/path": want an absolute path`},
		{[]string{"k8s", "-mount", "/"}, `-mount "/": want a folder other than /`},
		{[]string{"k8s", "-mount", "//"}, `-mount "//": want a folder other than /`},
		{[]string{"k8s", "-memory", "lots"}, `-memory "lots": want a Kubernetes quantity`},
		{[]string{"k8s", "-memory", ""}, `-memory "": want a Kubernetes quantity`},
		{[]string{"k8s", "-memory", "-2Gi"}, `-memory "-2Gi": want a Kubernetes quantity`},
		{[]string{"k8s", "-memory", ".Gi"}, `-memory ".Gi": want a Kubernetes quantity`},
		{[]string{"k8s", "-memory", "2e9Gi"}, `-memory "2e9Gi": want a Kubernetes quantity`},
		{[]string{"k8s", "-memory", "3e11m"}, `-memory "3e11m": want a Kubernetes quantity`},
		{[]string{"k8s", "-pvc", "UPPER_case"}, `-pvc "UPPER_case"`},
		{[]string{"k8s", "-pvc", ""}, `-pvc ""`},
		{[]string{"k8s", "-image", ""}, `-image ""`},
		{[]string{"slurm", "-o", "/proc/x/y"}, "-o /proc/x/y: its folder /proc/x does not exist"},
		{[]string{"k8s", "-o", os.TempDir()}, "a folder, want a file"},
	} {
		err := dispatch(append(c.args, "-cache", cache, "-seeds", "1", "-fractions", "0.5", "-conditions", "both"))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q: error %v, want one naming %s", c.args, err, c.want)
		}
	}
	// The pods' cache is the local folder's base name inside -mount: a folder without one is refused (with
	// -cache . and -mount / the cache was / itself).
	out := filepath.Join(t.TempDir(), "job.json")
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"k8s", "-cache", ".", "-seeds", "1", "-fractions", "0.5", "-conditions", "both"}, `-cache ".": the pods' cache is this folder's name inside -mount, and "." names none`},
		{[]string{"k8s", "-plan", "controls/ablation", "-results", "/"}, `-results "/": the pods' cache is this folder's name inside -mount, and "/" names none`},
	} {
		err := dispatch(append(c.args, "-o", out))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q: error %v, want one naming %s", c.args, err, c.want)
		}
	}
	if _, err := os.Stat(out); err == nil {
		t.Errorf("a refused k8s job wrote %s", out)
	}
}

// Quantities and time limits at the edges of what is allowed are accepted, and read in the right units
// (Kubernetes: binary suffixes are powers of 1024, decimal ones and exponents powers of 10; Slurm: M, M:SS,
// H:MM:SS, D-H, D-H:MM, D-H:MM:SS).
func TestClusterLimitsAccepted(t *testing.T) {
	for q, want := range map[string]float64{"256Mi": 256 << 20, "1Ti": 1 << 40, "3e8": 3e8, "1.5Gi": 1.5 * (1 << 30),
		"2G": 2e9, "512M": 512e6, "300000k": 3e8, "268435456": 1 << 28,
		// Kubernetes' other forms (resource.Quantity's grammar): a leading "+", ".5" and "1.", a signed exponent,
		// milli-units.
		".5Gi": 1 << 29, "+2Gi": 2 << 30, "1.Gi": 1 << 30, "3E+8": 3e8, "3e+9": 3e9, "3000000000000e-3": 3e9, "300000000000m": 3e8, "300000000000000u": 3e8, "300000000000000000n": 3e8} {
		if got := quantityBytes(q); got != want {
			t.Errorf("quantityBytes(%q) = %g, want %g", q, got, want)
		}
		if got := quantityBytes(q); !(got >= minPodMemory && got <= maxPodMemory) {
			t.Errorf("-memory %s (%g bytes) is outside [%d, %d]", q, got, minPodMemory, maxPodMemory)
		}
	}
	if got := quantityBytes("0e400"); got != 0 { // 0 times an infinite power of ten is 0, not NaN
		t.Errorf("quantityBytes(0e400) = %g, want 0", got)
	}
	for _, wall := range []string{"1", "59:59", "24:00:00", "1-23", "1-23:59", "1-23:59:59", "1491308-00", "35791394:00:00"} {
		if err := slurmTimeValues(wall); err != nil {
			t.Errorf("-time %s: %v", wall, err)
		}
	}
}
