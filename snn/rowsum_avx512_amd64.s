//go:build goexperiment.simd && amd64

#include "textflag.h"

// The avx512 set's row sums for rows of exactly 32 floats (128 bytes; row number << 7 is a row's byte
// offset), in sumRows' order lane by lane: each group of eight rows r0..r7 as acc + (((r0+r1)+(r2+r3)) +
// ((r4+r5)+(r6+r7))), then a group of four as acc + ((r0+r1)+(r2+r3)), then single rows; Z0 holds the
// sums of floats 0-15, Z1 of floats 16-31 (stored under the mask K1). TestKernelSetsAgree holds them to
// the scalar loop bit for bit.

// ROWS8(h, acc) adds the half h (byte offset 0: floats 0-15, into Z0; 64: floats 16-31, into Z1) of the eight rows
// whose byte offsets are in AX, DX, R8-R13, in the tree acc + (((r0+r1)+(r2+r3)) + ((r4+r5)+(r6+r7))).
#define ROWS8(h, acc) \
	VMOVUPS h(BX)(AX*1), Z2 \
	VADDPS h(BX)(DX*1), Z2, Z2 \
	VMOVUPS h(BX)(R8*1), Z3 \
	VADDPS h(BX)(R9*1), Z3, Z3 \
	VADDPS Z3, Z2, Z2 \
	VMOVUPS h(BX)(R10*1), Z4 \
	VADDPS h(BX)(R11*1), Z4, Z4 \
	VMOVUPS h(BX)(R12*1), Z5 \
	VADDPS h(BX)(R13*1), Z5, Z5 \
	VADDPS Z5, Z4, Z4 \
	VADDPS Z4, Z2, Z2 \
	VADDPS Z2, acc, acc

// ROWS4(h, acc) is ROWS8 for the four rows in AX, DX, R8, R9: acc + ((r0+r1)+(r2+r3)).
#define ROWS4(h, acc) \
	VMOVUPS h(BX)(AX*1), Z2 \
	VADDPS h(BX)(DX*1), Z2, Z2 \
	VMOVUPS h(BX)(R8*1), Z3 \
	VADDPS h(BX)(R9*1), Z3, Z3 \
	VADDPS Z3, Z2, Z2 \
	VADDPS Z2, acc, acc

// IDX8 loads the row number at byte offset off of SI into r and turns it into the row's byte offset.
#define IDX8(off, r) \
	MOVBQZX off(SI), r \
	SHLQ $7, r

// IDX32 loads the row number at byte offset off of SI into r, sign-extended, jumps to bad where it is not
// below the row count in R14 as unsigned numbers (a negative one is then above any count), and turns it into
// the row's byte offset.
#define IDX32(off, r) \
	MOVLQSX off(SI), r \
	CMPQ r, R14 \
	JAE bad \
	SHLQ $7, r

// STORE stores the sums: floats 0-15 whole, floats 16-31 under the mask K1.
#define STORE \
	VMOVUPS Z0, (DI) \
	VMOVUPS Z1, K1, 64(DI) \
	VZEROUPPER

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
	IDX8(0, AX)
	IDX8(1, DX)
	IDX8(2, R8)
	IDX8(3, R9)
	IDX8(4, R10)
	IDX8(5, R11)
	IDX8(6, R12)
	IDX8(7, R13)
	ROWS8(0, Z0)
	ROWS8(64, Z1)
	ADDQ $8, SI
	SUBQ $8, CX
	JMP loop8

tail4:
	CMPQ CX, $4
	JLT tail1
	IDX8(0, AX)
	IDX8(1, DX)
	IDX8(2, R8)
	IDX8(3, R9)
	ROWS4(0, Z0)
	ROWS4(64, Z1)
	ADDQ $4, SI
	SUBQ $4, CX

tail1:
	TESTQ CX, CX
	JE done
	IDX8(0, AX)
	VADDPS (BX)(AX*1), Z0, Z0
	VADDPS 64(BX)(AX*1), Z1, Z1
	INCQ SI
	DECQ CX
	JMP tail1

done:
	STORE
	RET

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
	ROWS8(0, Z0)
	ROWS8(64, Z1)
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
	ROWS4(0, Z0)
	ROWS4(64, Z1)
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
	STORE
	MOVB $1, ret+56(FP)
	RET

bad:
	VZEROUPPER
	MOVB $0, ret+56(FP)
	RET
