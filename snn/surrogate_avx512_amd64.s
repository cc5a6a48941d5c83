//go:build goexperiment.simd && amd64

#include "textflag.h"

// The avx512 set's surrogate pass (surrogates16) in assembly, 16 membranes a vector: each operation is
// surrogateGrad16's (sigmoid64x8x2, exp64x8x2, exp2Lookup), so the results are its bits
// (TestSurrogatesFloat32Range, against the scalar surrogateGrad over 20 million float32 patterns), a vector
// with lanes whose float32 sigma would be subnormal through surrogateTiny16's and tinySurrogate8's operations.
//
// The constants (surrogateConstants, from R8): float64 64/ln2 @0, 0.5 @8, ln2/64 hi @16 and lo @24,
// 1/120 @32, 1/24 @40, 1/6 @48, 1/2 @56, 1 @64, -1 @72, -708 @80, 2^-126 @88, 2^-150 @96, 2^149 @104,
// 2^-149 @112; int64 1023 @128, 16 @136, 32 @144; the table 2^(j/64), j = 0..63, @160 (held in Z24-Z31).
// Registers: Z19 0, Z20 beta, Z21 the threshold, Z22 1 (float32), Z23 1 (float64).

// SIGMA(y, x, k, r, p, q0, q1, q2, q3, kpos, kkeep) turns the float64 lanes y into the sigmoid 1/(1 + e^-y)
// (y >= 0) or e^y/(1 + e^y) (below), in y; kpos and kkeep are scratch masks (not K5 or K6, which it also
// overwrites), the others scratch vectors.
#define SIGMA(y, x, k, r, p, q0, q1, q2, q3, kpos, kkeep) \
	VCMPPD $0x1d, Z19, y, kpos \
	VMULPD.BCST 72(R8), y, x \
	VBLENDMPD x, y, kpos, x \
	VCMPPD.BCST $0x15, 80(R8), x, kkeep \
	VMULPD.BCST 0(R8), x, k \
	VSUBPD.BCST 8(R8), k, k \
	VCVTTPD2QQ k, k \
	VCVTQQ2PD k, q0 \
	VMULPD.BCST 16(R8), q0, q1 \
	VSUBPD q1, x, r \
	VMULPD.BCST 24(R8), q0, q1 \
	VSUBPD q1, r, r \
	VMULPD.BCST 32(R8), r, p \
	VADDPD.BCST 40(R8), p, p \
	VMULPD p, r, p \
	VADDPD.BCST 48(R8), p, p \
	VMULPD p, r, p \
	VADDPD.BCST 56(R8), p, p \
	VMULPD p, r, p \
	VADDPD Z23, p, p \
	VMULPD p, r, p \
	VADDPD Z23, p, p \
	VMOVDQA64 k, q0 \
	VPERMI2PD Z25, Z24, q0 \
	VMOVDQA64 k, q1 \
	VPERMI2PD Z27, Z26, q1 \
	VMOVDQA64 k, q2 \
	VPERMI2PD Z29, Z28, q2 \
	VMOVDQA64 k, q3 \
	VPERMI2PD Z31, Z30, q3 \
	VPTESTMQ.BCST 136(R8), k, K5 \
	VPTESTMQ.BCST 144(R8), k, K6 \
	VBLENDMPD q1, q0, K5, q0 \
	VBLENDMPD q3, q2, K5, q2 \
	VBLENDMPD q2, q0, K6, q0 \
	VPSRAQ $6, k, k \
	VPADDQ.BCST 128(R8), k, k \
	VPSLLQ $52, k, k \
	VMULPD q0, p, p \
	VMULPD k, p, p \
	VMOVAPD.Z p, kkeep, p \
	VBLENDMPD Z23, p, kpos, q0 \
	VADDPD Z23, p, q1 \
	VDIVPD q1, q0, y

// TINY sets K5 where the float64 sigma in y lies below 2^-126 and at or above 2^-150 (K6 overwritten).
#define TINY(y) \
	VCMPPD.BCST $0x11, 88(R8), y, K5 \
	VCMPPD.BCST $0x1d, 96(R8), y, K6 \
	KANDB K6, K5, K5

// TINY8(s, b, out, p, q, qy) is tinySurrogate8: out (8 float32 lanes) = float32(float32(s) b) for the
// float64 sigmas s below 2^-126, b = float64(beta), without subnormal float32 arithmetic (K4 scratch).
#define TINY8(s, b, out, p, q, qy) \
	VMULPD.BCST 104(R8), s, p \
	VRNDSCALEPD $0, p, p \
	VMULPD.BCST 112(R8), p, p \
	VMULPD b, p, p \
	VCMPPD.BCST $0x11, 88(R8), p, K4 \
	VMULPD.BCST 104(R8), p, q \
	VRNDSCALEPD $0, q, q \
	VCVTTPD2DQ q, qy \
	VBLENDMPD Z23, p, K4, p \
	VCVTPD2PS p, out \
	VBLENDMPS qy, out, K4, out

// func surrogates16Asm(v, sg *float32, vectors int, betaBits, thrBits uint32, consts *surrogateConstants)
TEXT ·surrogates16Asm(SB), NOSPLIT, $0-40
	MOVQ v+0(FP), SI
	MOVQ sg+8(FP), DI
	MOVQ vectors+16(FP), CX
	VBROADCASTSS betaBits+24(FP), Z20
	VBROADCASTSS thrBits+28(FP), Z21
	MOVQ consts+32(FP), R8
	MOVL $0x3f800000, AX
	VPBROADCASTD AX, Z22
	VBROADCASTSD 64(R8), Z23
	VPXORD Z19, Z19, Z19
	VMOVUPD 160(R8), Z24
	VMOVUPD 224(R8), Z25
	VMOVUPD 288(R8), Z26
	VMOVUPD 352(R8), Z27
	VMOVUPD 416(R8), Z28
	VMOVUPD 480(R8), Z29
	VMOVUPD 544(R8), Z30
	VMOVUPD 608(R8), Z31
	XORQ DX, DX // vectors done

loop:
	CMPQ DX, CX
	JGE done
	VMOVUPS 0(SI), Z0
	VSUBPS Z21, Z0, Z0 // x = v - threshold
	VMULPS Z0, Z20, Z0 // y = beta x
	VCVTPS2PD Y0, Z1
	VEXTRACTF32X8 $1, Z0, Y2
	VCVTPS2PD Y2, Z2
	SIGMA(Z1, Z3, Z4, Z5, Z6, Z7, Z8, Z9, Z10, K1, K2)
	SIGMA(Z2, Z11, Z12, Z13, Z14, Z15, Z16, Z17, Z18, K3, K4)
	TINY(Z1)
	KMOVB K5, K7
	TINY(Z2)
	KORB K5, K7, K7
	KORTESTB K7, K7
	JNE tiny
	VCVTPD2PS Z1, Y1
	VCVTPD2PS Z2, Y2
	VINSERTF32X8 $1, Y2, Z1, Z1 // sg = float32(sigma)
	VSUBPS Z1, Z22, Z3          // 1 - sg
	VMULPS Z3, Z1, Z3           // sg (1 - sg)
	VMULPS Z20, Z3, Z3          // times beta

store:
	VMOVUPS Z3, 0(DI)
	ADDQ $64, SI
	ADDQ $64, DI
	INCQ DX
	JMP loop

tiny: // surrogateTiny16: K1 and K2 the tiny lanes of the two halves
	TINY(Z1)
	KMOVB K5, K1
	TINY(Z2)
	KMOVB K5, K2
	VBLENDMPD Z23, Z1, K1, Z3 // tiny lanes replaced by 1
	VBLENDMPD Z23, Z2, K2, Z4
	VCVTPD2PS Z3, Y3
	VCVTPD2PS Z4, Y4
	VINSERTF32X8 $1, Y4, Z3, Z3
	VSUBPS Z3, Z22, Z4
	VMULPS Z4, Z3, Z4
	VMULPS Z20, Z4, Z4 // the other lanes' results
	VCVTPS2PD Y20, Z5  // float64(beta)
	TINY8(Z1, Z5, Y6, Z7, Z8, Y8)
	TINY8(Z2, Z5, Y9, Z7, Z8, Y8)
	VINSERTF32X8 $1, Y9, Z6, Z6
	KUNPCKBW K1, K2, K3
	VBLENDMPS Z6, Z4, K3, Z3
	JMP store

done:
	VZEROUPPER
	RET
