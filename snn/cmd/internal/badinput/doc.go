// Package badinput holds no code: its test runs every command of the project on one bad input of each
// class and checks what the command answers (see badinput_test.go, the table of classes).
package badinput
