package docker

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

const image = "localhost/dales:citest"

// podman returns the podman binary, installing Debian's podman, buildah, debootstrap and runc when
// missing and possible. Where they cannot be installed it skips the test with the reason, except under
// CI (CI set, as `make test` sets it), where that is a failure.
func podman(t *testing.T) string {
	t.Helper()
	if p, err := exec.LookPath("podman"); err == nil {
		if _, err := exec.LookPath("debootstrap"); err == nil {
			return p
		}
	}
	if os.Geteuid() != 0 {
		skipOrFail(t, "podman/debootstrap missing and not root: cannot install them to build the image")
	}
	if _, err := exec.LookPath("apt-get"); err != nil {
		skipOrFail(t, "podman/debootstrap missing and no apt-get to install them")
	}
	cmd := exec.Command("apt-get", "-o", "DPkg::Lock::Timeout=300", "install", "-y", "-qq", "--no-install-recommends",
		"podman", "buildah", "debootstrap", "runc", "uidmap", "fuse-overlayfs")
	cmd.Env = append(os.Environ(), "DEBIAN_FRONTEND=noninteractive")
	if out, err := cmd.CombinedOutput(); err != nil {
		skipOrFail(t, fmt.Sprintf("podman cannot be installed here (apt-get install failed: %v)\n%s", err, tail(out)))
	}
	p, err := exec.LookPath("podman")
	if err != nil {
		skipOrFail(t, "podman still missing after apt-get install")
	}
	return p
}

// skipOrFail skips the test with msg, or fails it under CI.
func skipOrFail(t *testing.T, msg string) {
	t.Helper()
	if os.Getenv("CI") != "" {
		t.Fatal(msg)
	}
	t.Skip(msg)
}

func tail(b []byte) string {
	s := string(b)
	if len(s) > 3000 {
		s = "..." + s[len(s)-3000:]
	}
	return s
}

func run(t *testing.T, env []string, name string, args ...string) string {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Env = env
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, tail(out))
	}
	return string(out)
}

// imageID is the ID of the test image's tag, or "" when there is none.
func imageID(env []string, pod string) string {
	cmd := exec.Command(pod, "image", "inspect", "--format", "{{.Id}}", image)
	cmd.Env = env
	out, err := cmd.Output()
	if err != nil {
		return ""
	}
	return strings.TrimSpace(string(out))
}

func freePort(t *testing.T) int {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// TestImageBuildsAndServes builds docker/Dockerfile unchanged (FROM golang:1.26-bookworm, served by a
// local stand-in where no registry is reachable), runs it, and checks from the host that Jupyter
// answers on its API with the token given at run time, lists the gonb kernel, and runs as non-root.
func TestImageBuildsAndServes(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a container image (minutes)")
	}
	pod := podman(t)
	here, _ := os.Getwd()
	root := filepath.Dir(here)
	env := append(os.Environ(), "CONTAINERS_CONF="+filepath.Join(here, "containers.conf"))

	start := time.Now()
	run(t, env, filepath.Join(here, "standin-base.sh"))
	t.Logf("stand-in base ready in %s", time.Since(start).Round(time.Second))

	// Each build moves the tag to a new image and leaves the previous one dangling (3 GB): remove it, and
	// a failed build's layers, so that repeated test runs do not fill the disk (one did, 2026-12-05).
	previous := imageID(env, pod)
	t.Cleanup(func() {
		if previous != "" && previous != imageID(env, pod) {
			if out, err := exec.Command(pod, "rmi", previous).CombinedOutput(); err != nil {
				t.Logf("could not remove the previous test image %s: %v\n%s", previous, err, tail(out))
			}
		}
		if out, err := exec.Command(pod, "image", "prune", "-f", "--filter", "label=org.opencontainers.image.title=dales").CombinedOutput(); err != nil {
			t.Logf("could not prune dangling test images: %v\n%s", err, tail(out))
		}
	})
	start = time.Now()
	run(t, env, pod, "build", "--pull=never", "--network=host", "-f", filepath.Join(here, "Dockerfile"), "-t", image, root)
	t.Logf("image built in %s", time.Since(start).Round(time.Second))

	// No token is baked into the image.
	var inspect []struct {
		Config struct {
			Env  []string
			User string
		}
	}
	if err := json.Unmarshal([]byte(run(t, env, pod, "image", "inspect", image)), &inspect); err != nil || len(inspect) != 1 {
		t.Fatalf("image inspect: %v", err)
	}
	for _, e := range inspect[0].Config.Env {
		if strings.HasPrefix(e, "JUPYTER_TOKEN=") {
			t.Errorf("the image sets %s: tokens must come from the run environment", e)
		}
	}
	dockerfile, _ := os.ReadFile(filepath.Join(here, "Dockerfile"))
	entry, _ := os.ReadFile(filepath.Join(here, "entrypoint.sh"))
	tokenValue := regexp.MustCompile(`(?i)token\s*=\s*["']?[A-Za-z0-9]{6,}`)
	for _, f := range []struct {
		name string
		data []byte
	}{{"Dockerfile", dockerfile}, {"entrypoint.sh", entry}} {
		for i, line := range strings.Split(string(f.data), "\n") {
			if !strings.HasPrefix(strings.TrimSpace(line), "#") && tokenValue.MatchString(line) {
				t.Errorf("%s:%d sets a token value: %s", f.name, i+1, line)
			}
		}
	}

	tokenBytes := make([]byte, 16)
	rand.Read(tokenBytes)
	token := hex.EncodeToString(tokenBytes)
	port := freePort(t)
	name := fmt.Sprintf("dales-citest-%d", port)
	start = time.Now()
	run(t, env, pod, "run", "-d", "--rm", "--name", name, "--network=host",
		"--ulimit", "nofile=20000:20000", "--ulimit", "nproc=4096:4096",
		"-e", "JUPYTER_TOKEN="+token, "-e", fmt.Sprintf("JUPYTER_PORT=%d", port), "-e", "JUPYTER_IP=127.0.0.1", image)
	t.Cleanup(func() { exec.Command(pod, "rm", "-f", name).Run() })

	base := fmt.Sprintf("http://127.0.0.1:%d", port)
	get := func(path string) (int, []byte, error) {
		resp, err := http.Get(base + path)
		if err != nil {
			return 0, nil, err
		}
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		return resp.StatusCode, b, err
	}
	var status int
	deadline := time.Now().Add(90 * time.Second)
	for time.Now().Before(deadline) {
		if status, _, _ = get("/api/status?token=" + token); status == http.StatusOK {
			break
		}
		time.Sleep(500 * time.Millisecond)
	}
	if status != http.StatusOK {
		logs, _ := exec.Command(pod, "logs", name).CombinedOutput()
		t.Fatalf("Jupyter did not answer /api/status within 90 s (last status %d)\n%s", status, tail(logs))
	}
	t.Logf("Jupyter answered %s after start", time.Since(start).Round(100*time.Millisecond))

	code, body, err := get("/api/kernelspecs?token=" + token)
	if err != nil || code != http.StatusOK {
		t.Fatalf("/api/kernelspecs: %d %v", code, err)
	}
	var specs struct {
		Kernelspecs map[string]json.RawMessage `json:"kernelspecs"`
	}
	if err := json.Unmarshal(body, &specs); err != nil {
		t.Fatalf("/api/kernelspecs: %v\n%s", err, body)
	}
	if _, ok := specs.Kernelspecs["gonb"]; !ok {
		t.Errorf("the gonb kernel is not listed: %s", body)
	}
	if code, _, _ := get("/api/kernelspecs"); code != http.StatusForbidden && code != http.StatusUnauthorized {
		t.Errorf("the API answered %d without the token, want 403", code)
	}
	if uid := strings.TrimSpace(run(t, env, pod, "exec", name, "id", "-u")); uid == "0" || uid == "" {
		t.Errorf("the server runs as uid %q, want non-root", uid)
	}
	out := run(t, env, pod, "exec", name, "ls", "/home/jovyan/work")
	for _, want := range []string{"dales_law.ipynb", "dales_law_controls.ipynb", "results"} {
		if !strings.Contains(out, want) {
			t.Errorf("the work folder lacks %s: %q", want, out)
		}
	}
	// The controls notebook's cache came along, so opening it does not retrain its runs.
	if out := run(t, env, pod, "exec", name, "ls", "/home/jovyan/work/results/sweep"); !strings.Contains(out, ".json") {
		t.Errorf("the work folder's results/sweep holds no cached runs: %q", out)
	}
	// The sweep binary that `sweep k8s` manifests run is in the image and plans a grid.
	if out := run(t, env, pod, "exec", name, "dales-sweep", "plan", "-conditions", "both", "-fractions", "0.2,0.5",
		"-seeds", "1", "-cache", "/tmp/c"); !strings.Contains(out, "both") || !strings.Contains(out, "/tmp/c/both_f0.500_s1_") {
		t.Errorf("dales-sweep plan in the image: %q", out)
	}
	// It is the vector build (GOEXPERIMENT=simd), whose cached runs' numerics the committed caches have.
	if out := run(t, env, pod, "exec", name, "go", "version", "-m", "/usr/local/bin/dales-sweep"); !regexp.MustCompile(`(?m)^\s*build\s+GOEXPERIMENT=simd\s*$`).MatchString(out) {
		t.Errorf("dales-sweep in the image is not built with GOEXPERIMENT=simd: go version -m says %q", out)
	}
}

// The image's GOTOOLCHAIN must be the toolchain go.mod names: the base image's Go is older, and a
// different version would build the notebooks with another compiler than the README's commands.
func TestDockerfileToolchainMatchesGoMod(t *testing.T) {
	mod, err := os.ReadFile("../go.mod")
	if err != nil {
		t.Fatal(err)
	}
	want := regexp.MustCompile(`(?m)^toolchain (\S+)$`).FindSubmatch(mod)
	if want == nil {
		t.Fatal("go.mod names no toolchain")
	}
	df, err := os.ReadFile("Dockerfile")
	if err != nil {
		t.Fatal(err)
	}
	got := regexp.MustCompile(`GOTOOLCHAIN=(\S+)`).FindSubmatch(df)
	if got == nil || string(got[1]) != string(want[1]) {
		t.Errorf("Dockerfile sets GOTOOLCHAIN=%s, go.mod names toolchain %s", got, want[1])
	}
}
