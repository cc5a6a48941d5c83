//go:build goexperiment.simd && amd64

#include "textflag.h"

// The avx2 set's surrogate pass (surrogates8) in assembly, 8 membranes a vector: each operation is
// surrogateGrad8's (sigmoid64x4x2, exp64x4x2; the table read by a gather instead of lane by lane), so the
// results are its bits (TestSurrogatesFloat32Range, against the scalar surrogateGrad over 20 million float32
// patterns, subnormal results included: this set computes them with subnormal float32 arithmetic, as the Go
// code does).
//
// The constants (surrogateConstants8, from R8), each in a whole vector: float64 64/ln2 @0, 0.5 @32, ln2/64 hi
// @64 and lo @96, 1/120 @128, 1/24 @160, 1/6 @192, 1/2 @224, 1 @256, -1 @288, -708 @320; float32 1 @352, the
// threshold @384; int32 1023 @416, 63 @432; the table 2^(j/64), j = 0..63, @448. Y15 holds beta.

// SIGMA4(y, x, k, kx, kf, r, rx, p, t, m) turns the float64 lanes y into the sigmoid 1/(1 + e^-y) (y >= 0) or
// e^y/(1 + e^y) (below), in y; the others are scratch (kx and rx the X halves of k and r).
#define SIGMA4(y, x, k, kx, kf, r, rx, p, t, m) \
	VXORPD m, m, m \
	VCMPPD $0x1d, m, y, m \
	VMULPD 288(R8), y, x \
	VBLENDVPD m, x, y, x \
	VMULPD 0(R8), x, kf \
	VSUBPD 32(R8), kf, kf \
	VCVTTPD2DQY kf, kx \
	VCVTDQ2PD kx, kf \
	VMULPD 64(R8), kf, r \
	VSUBPD r, x, r \
	VMULPD 96(R8), kf, t \
	VSUBPD t, r, r \
	VMULPD 128(R8), r, p \
	VADDPD 160(R8), p, p \
	VMULPD p, r, p \
	VADDPD 192(R8), p, p \
	VMULPD p, r, p \
	VADDPD 224(R8), p, p \
	VMULPD p, r, p \
	VADDPD 256(R8), p, p \
	VMULPD p, r, p \
	VADDPD 256(R8), p, p \
	VPAND 432(R8), kx, rx \
	VPCMPEQD t, t, t \
	VGATHERDPD t, 448(R8)(rx*8), kf \
	VPSRAD $6, kx, kx \
	VPADDD 416(R8), kx, kx \
	VPMOVSXDQ kx, t \
	VPSLLQ $52, t, t \
	VMULPD kf, p, p \
	VMULPD t, p, p \
	VCMPPD $0x11, 320(R8), x, t \
	VANDNPD p, t, p \
	VMOVUPD 256(R8), t \
	VBLENDVPD m, t, p, kf \
	VADDPD 256(R8), p, p \
	VDIVPD p, kf, y

// func surrogates8Asm(v, sg *float32, vectors int, betaBits uint32, consts *surrogateConstants8)
TEXT ·surrogates8Asm(SB), NOSPLIT, $0-40
	MOVQ v+0(FP), SI
	MOVQ sg+8(FP), DI
	MOVQ vectors+16(FP), CX
	VBROADCASTSS betaBits+24(FP), Y15
	MOVQ consts+32(FP), R8
	XORQ DX, DX

loop:
	CMPQ DX, CX
	JGE done
	VMOVUPS 0(SI), Y0
	VSUBPS 384(R8), Y0, Y0 // x = v - threshold
	VMULPS Y0, Y15, Y0     // y = beta x
	VCVTPS2PD X0, Y1
	VEXTRACTF128 $1, Y0, X2
	VCVTPS2PD X2, Y2
	SIGMA4(Y1, Y3, Y4, X4, Y5, Y6, X6, Y7, Y8, Y9)
	SIGMA4(Y2, Y3, Y4, X4, Y5, Y6, X6, Y7, Y8, Y9)
	VCVTPD2PSY Y1, X1
	VCVTPD2PSY Y2, X2
	VINSERTF128 $1, X2, Y1, Y1 // sg = float32(sigma)
	VMOVUPS 352(R8), Y3
	VSUBPS Y1, Y3, Y3          // 1 - sg
	VMULPS Y3, Y1, Y3          // sg (1 - sg)
	VMULPS Y15, Y3, Y3         // times beta
	VMOVUPS Y3, 0(DI)
	ADDQ $32, SI
	ADDQ $32, DI
	INCQ DX
	JMP loop

done:
	VZEROUPPER
	RET
