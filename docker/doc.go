// Package docker holds the all-in-one image (Dockerfile: Jupyter, the GoNB kernel, the project, optional
// XLA) and the test that builds and runs it with podman. It has no Go API.
package docker
