//go:build goexperiment.simd && amd64

#include "textflag.h"

// The avx512 set's row sums for rows of exactly 32 floats (128 bytes; row number << 7 is a row's byte
// offset), in sumRows' order lane by lane: each group of eight rows r0..r7 as acc + (((r0+r1)+(r2+r3)) +
// ((r4+r5)+(r6+r7))), then a group of four as acc + ((r0+r1)+(r2+r3)), then single rows; Z0 holds the
// sums of floats 0-15, Z1 of floats 16-31 (stored under the mask K1). TestKernelSetsAgree holds them to
// the scalar loop bit for bit.

// func sumRowsOf32x8Asm(rows *[byteRows][32]float32, idx []uint8, out *float32, hiMask uint16)
TEXT ·sumRowsOf32x8Asm(SB), NOSPLIT, $0-42
	MOVQ rows+0(FP), BX
	MOVQ idx_base+8(FP), SI
	MOVQ idx_len+16(FP), CX
	MOVQ out+32(FP), DI
	MOVWLZX hiMask+40(FP), AX
	KMOVW AX, K1
	VPXORD Z0, Z0, Z0 // acc0: floats 0-15
	VPXORD Z1, Z1, Z1 // acc1: floats 16-31

loop8:
	CMPQ CX, $8
	JLT tail4
	MOVBQZX 0(SI), AX
	SHLQ $7, AX
	MOVBQZX 1(SI), DX
	SHLQ $7, DX
	MOVBQZX 2(SI), R8
	SHLQ $7, R8
	MOVBQZX 3(SI), R9
	SHLQ $7, R9
	MOVBQZX 4(SI), R10
	SHLQ $7, R10
	MOVBQZX 5(SI), R11
	SHLQ $7, R11
	MOVBQZX 6(SI), R12
	SHLQ $7, R12
	MOVBQZX 7(SI), R13
	SHLQ $7, R13
	// floats 0-15: Z2 = (r0+r1)+(r2+r3), Z4 = (r4+r5)+(r6+r7), acc0 += Z2+Z4
	VMOVUPS (BX)(AX*1), Z2
	VADDPS (BX)(DX*1), Z2, Z2
	VMOVUPS (BX)(R8*1), Z3
	VADDPS (BX)(R9*1), Z3, Z3
	VADDPS Z3, Z2, Z2
	VMOVUPS (BX)(R10*1), Z4
	VADDPS (BX)(R11*1), Z4, Z4
	VMOVUPS (BX)(R12*1), Z5
	VADDPS (BX)(R13*1), Z5, Z5
	VADDPS Z5, Z4, Z4
	VADDPS Z4, Z2, Z2
	VADDPS Z2, Z0, Z0
	// floats 16-31, the same tree
	VMOVUPS 64(BX)(AX*1), Z6
	VADDPS 64(BX)(DX*1), Z6, Z6
	VMOVUPS 64(BX)(R8*1), Z7
	VADDPS 64(BX)(R9*1), Z7, Z7
	VADDPS Z7, Z6, Z6
	VMOVUPS 64(BX)(R10*1), Z8
	VADDPS 64(BX)(R11*1), Z8, Z8
	VMOVUPS 64(BX)(R12*1), Z9
	VADDPS 64(BX)(R13*1), Z9, Z9
	VADDPS Z9, Z8, Z8
	VADDPS Z8, Z6, Z6
	VADDPS Z6, Z1, Z1
	ADDQ $8, SI
	SUBQ $8, CX
	JMP loop8

tail4:
	CMPQ CX, $4
	JLT tail1
	MOVBQZX 0(SI), AX
	SHLQ $7, AX
	MOVBQZX 1(SI), DX
	SHLQ $7, DX
	MOVBQZX 2(SI), R8
	SHLQ $7, R8
	MOVBQZX 3(SI), R9
	SHLQ $7, R9
	VMOVUPS (BX)(AX*1), Z2
	VADDPS (BX)(DX*1), Z2, Z2
	VMOVUPS (BX)(R8*1), Z3
	VADDPS (BX)(R9*1), Z3, Z3
	VADDPS Z3, Z2, Z2
	VADDPS Z2, Z0, Z0
	VMOVUPS 64(BX)(AX*1), Z6
	VADDPS 64(BX)(DX*1), Z6, Z6
	VMOVUPS 64(BX)(R8*1), Z7
	VADDPS 64(BX)(R9*1), Z7, Z7
	VADDPS Z7, Z6, Z6
	VADDPS Z6, Z1, Z1
	ADDQ $4, SI
	SUBQ $4, CX

tail1:
	TESTQ CX, CX
	JE done
	MOVBQZX 0(SI), AX
	SHLQ $7, AX
	VADDPS (BX)(AX*1), Z0, Z0
	VADDPS 64(BX)(AX*1), Z1, Z1
	INCQ SI
	DECQ CX
	JMP tail1

done:
	VMOVUPS Z0, (DI)
	VMOVUPS Z1, K1, 64(DI)
	VZEROUPPER
	RET

// IDX32 loads the row number at byte offset off of SI into r, sign-extended, jumps to bad where it is not
// below the row count in R14 as unsigned numbers (a negative one is then above any count), and turns it into
// the row's byte offset.
#define IDX32(off, r) \
	MOVLQSX off(SI), r \
	CMPQ r, R14 \
	JAE bad \
	SHLQ $7, r

// func sumRowsOf32x32Asm(rows *[32]float32, nrows int, idx []int32, out *float32, hiMask uint16) bool
TEXT ·sumRowsOf32x32Asm(SB), NOSPLIT, $0-57
	MOVQ rows+0(FP), BX
	MOVQ nrows+8(FP), R14
	MOVQ idx_base+16(FP), SI
	MOVQ idx_len+24(FP), CX
	MOVQ out+40(FP), DI
	MOVWLZX hiMask+48(FP), AX
	KMOVW AX, K1
	VPXORD Z0, Z0, Z0
	VPXORD Z1, Z1, Z1

loop8:
	CMPQ CX, $8
	JLT tail4
	IDX32(0, AX)
	IDX32(4, DX)
	IDX32(8, R8)
	IDX32(12, R9)
	IDX32(16, R10)
	IDX32(20, R11)
	IDX32(24, R12)
	IDX32(28, R13)
	VMOVUPS (BX)(AX*1), Z2
	VADDPS (BX)(DX*1), Z2, Z2
	VMOVUPS (BX)(R8*1), Z3
	VADDPS (BX)(R9*1), Z3, Z3
	VADDPS Z3, Z2, Z2
	VMOVUPS (BX)(R10*1), Z4
	VADDPS (BX)(R11*1), Z4, Z4
	VMOVUPS (BX)(R12*1), Z5
	VADDPS (BX)(R13*1), Z5, Z5
	VADDPS Z5, Z4, Z4
	VADDPS Z4, Z2, Z2
	VADDPS Z2, Z0, Z0
	VMOVUPS 64(BX)(AX*1), Z6
	VADDPS 64(BX)(DX*1), Z6, Z6
	VMOVUPS 64(BX)(R8*1), Z7
	VADDPS 64(BX)(R9*1), Z7, Z7
	VADDPS Z7, Z6, Z6
	VMOVUPS 64(BX)(R10*1), Z8
	VADDPS 64(BX)(R11*1), Z8, Z8
	VMOVUPS 64(BX)(R12*1), Z9
	VADDPS 64(BX)(R13*1), Z9, Z9
	VADDPS Z9, Z8, Z8
	VADDPS Z8, Z6, Z6
	VADDPS Z6, Z1, Z1
	ADDQ $32, SI
	SUBQ $8, CX
	JMP loop8

tail4:
	CMPQ CX, $4
	JLT tail1
	IDX32(0, AX)
	IDX32(4, DX)
	IDX32(8, R8)
	IDX32(12, R9)
	VMOVUPS (BX)(AX*1), Z2
	VADDPS (BX)(DX*1), Z2, Z2
	VMOVUPS (BX)(R8*1), Z3
	VADDPS (BX)(R9*1), Z3, Z3
	VADDPS Z3, Z2, Z2
	VADDPS Z2, Z0, Z0
	VMOVUPS 64(BX)(AX*1), Z6
	VADDPS 64(BX)(DX*1), Z6, Z6
	VMOVUPS 64(BX)(R8*1), Z7
	VADDPS 64(BX)(R9*1), Z7, Z7
	VADDPS Z7, Z6, Z6
	VADDPS Z6, Z1, Z1
	ADDQ $16, SI
	SUBQ $4, CX

tail1:
	TESTQ CX, CX
	JE done
	IDX32(0, AX)
	VADDPS (BX)(AX*1), Z0, Z0
	VADDPS 64(BX)(AX*1), Z1, Z1
	ADDQ $4, SI
	DECQ CX
	JMP tail1

done:
	VMOVUPS Z0, (DI)
	VMOVUPS Z1, K1, 64(DI)
	VZEROUPPER
	MOVB $1, ret+56(FP)
	RET

bad:
	VZEROUPPER
	MOVB $0, ret+56(FP)
	RET
