//go:build goexperiment.simd && amd64

#include "textflag.h"

// The avx512 set's backward recurrence for 17 to 32 hidden units from the readout's gradient
// (lifBackward16 with gS nil), both vectors of 16 units in one pass over the steps: Z0/Z1 hold G, Z2/Z3
// dL/dv, Z4/Z5 dL/ds, units 0-15 and 16-31; the upper vector's loads and store take the lanes K1 sets
// (its other lanes load as 0 and are never stored). Each operation is lifBackward16's, in its order and with
// its operands, so the results are its bits (TestKernelSetsAgree against the scalar loop).
// Z20 alpha, Z21 1, Z22 -1, Z23 the threshold, Z24 0; Z12/Z13 hold 1 - s_t.

// KEEP computes 1 - s_t into Z12/Z13 from the membranes one step back (byte offset R12 from SI): 0 where
// v - threshold > 0, 1 elsewhere (NaN included), as zero.IfElse(v.Sub(thr).Greater(zero), one).
#define KEEP \
	VMOVUPS 0(SI)(R12*1), Z10 \
	VMOVUPS.Z 64(SI)(R12*1), K1, Z11 \
	VSUBPS Z23, Z10, Z10 \
	VSUBPS Z23, Z11, Z11 \
	VCMPPS $0x1e, Z24, Z10, K2 \
	VCMPPS $0x1e, Z24, Z11, K3 \
	VBLENDMPS Z24, Z21, K2, Z12 \
	VBLENDMPS Z24, Z21, K3, Z13

// STEP is one step t (CX) at byte offset R11 of the sample's rows:
//   direct = c_t G; dv' = (alpha (1 - s_t)) dv + sg_t ds; ds' = (((alpha v_t) + p_t) (-1)) dv + direct;
//   p_t = (1 - s_t) dv (the current's gradient, stored over the current); dv, ds = dv', ds'.
#define STEP \
	VMOVUPS 0(BX)(R11*1), Z6 \
	VMOVUPS.Z 64(BX)(R11*1), K1, Z7 \
	VMOVUPS 0(SI)(R11*1), Z8 \
	VMOVUPS.Z 64(SI)(R11*1), K1, Z9 \
	VBROADCASTSS 0(R8)(CX*4), Z26 \
	VMULPS Z0, Z26, Z14 \
	VMULPS Z1, Z26, Z27 \
	VMOVUPS 0(DI)(R11*1), Z15 \
	VMOVUPS.Z 64(DI)(R11*1), K1, Z28 \
	VMULPS Z12, Z20, Z16 \
	VMULPS Z13, Z20, Z29 \
	VMULPS Z2, Z16, Z16 \
	VMULPS Z3, Z29, Z29 \
	VMULPS Z4, Z15, Z17 \
	VMULPS Z5, Z28, Z30 \
	VADDPS Z17, Z16, Z16 \
	VADDPS Z30, Z29, Z29 \
	VMULPS Z8, Z20, Z18 \
	VMULPS Z9, Z20, Z31 \
	VADDPS Z6, Z18, Z18 \
	VADDPS Z7, Z31, Z31 \
	VMULPS Z22, Z18, Z18 \
	VMULPS Z22, Z31, Z31 \
	VMULPS Z2, Z18, Z18 \
	VMULPS Z3, Z31, Z31 \
	VADDPS Z14, Z18, Z18 \
	VADDPS Z27, Z31, Z31 \
	VMULPS Z2, Z12, Z19 \
	VMULPS Z3, Z13, Z25 \
	VMOVUPS Z19, 0(BX)(R11*1) \
	VMOVUPS Z25, K1, 64(BX)(R11*1) \
	VMOVAPS Z16, Z2 \
	VMOVAPS Z29, Z3 \
	VMOVAPS Z18, Z4 \
	VMOVAPS Z31, Z5

// func lifBackward32Asm(p, v, sg, c, grad *float32, steps, hidden int, alphaBits, thrBits uint32, hiMask uint16)
TEXT ·lifBackward32Asm(SB), NOSPLIT, $0-66
	MOVQ p+0(FP), BX
	MOVQ v+8(FP), SI
	MOVQ sg+16(FP), DI
	MOVQ c+24(FP), R8
	MOVQ grad+32(FP), R9
	MOVQ steps+40(FP), CX
	MOVQ hidden+48(FP), R10
	SHLQ $2, R10 // a row's bytes
	MOVWLZX hiMask+64(FP), AX
	KMOVW AX, K1
	VBROADCASTSS alphaBits+56(FP), Z20
	VBROADCASTSS thrBits+60(FP), Z23
	MOVL $0x3f800000, AX
	VPBROADCASTD AX, Z21
	MOVL $0xbf800000, AX
	VPBROADCASTD AX, Z22
	VPXORD Z24, Z24, Z24
	VMOVUPS (R9), Z0
	VMOVUPS.Z 64(R9), K1, Z1
	VBROADCASTSS 0(R8)(CX*4), Z26 // c_S
	VMULPS Z0, Z26, Z4
	VMULPS Z1, Z26, Z5
	VPXORD Z2, Z2, Z2
	VPXORD Z3, Z3, Z3
	DECQ CX // t = steps - 1
	MOVQ CX, R11
	IMULQ R10, R11

loop:
	TESTQ CX, CX
	JE last
	MOVQ R11, R12
	SUBQ R10, R12
	KEEP
	STEP
	SUBQ R10, R11
	DECQ CX
	JMP loop

last:
	VMOVAPS Z21, Z12
	VMOVAPS Z21, Z13
	STEP
	VZEROUPPER
	RET
