#!/usr/bin/env python3
"""Golden values for AlignLab's reference (de)quantizers, computed by llama.cpp's own compiled code.

llama.cpp's libggml-base.so exports dequantize_row_*, quantize_row_*_ref (q8_0, q4_0 and the
K-quants q2_K to q6_K) and ggml_fp32_to_bf16. The npm package @node-llama-cpp/linux-x64 ships that library prebuilt, so this
script installs it into a temporary folder, calls the functions through ctypes on blocks made from
a fixed seed, and writes one line per case:

  dequant TYPE BLOCKS_HEX FLOAT_BITS_HEX...   (blocks in, the dequantized floats' bit patterns out)
  quant TYPE FLOAT_BITS_HEX... BLOCKS_HEX      (floats in, the reference quantizer's blocks out)
  bf16 FLOAT_BITS_HEX BF16_HEX

The K-quant cases come last, from their own seed, so adding them left every earlier line as it was.

Usage: python3 tools/gguf-goldens/make_goldens.py [OUTPUT]  (needs node/npm and Linux x64)
"""
import ctypes
import random
import struct
import subprocess
import sys
import tempfile
from pathlib import Path

PACKAGE = "@node-llama-cpp/linux-x64@3.22.1"
DEFAULT_OUTPUT = Path(__file__).resolve().parents[2] / "tests/AlignLab.Engine.Tests/Formats/Quantization/Goldens/ggml-goldens.txt"

# name: (elements per block, bytes per block, byte offsets of the f16 scale fields)
TYPES = {
    "q4_0": (32, 18, [0]),
    "q4_1": (32, 20, [0, 2]),
    "q5_0": (32, 22, [0]),
    "q5_1": (32, 24, [0, 2]),
    "q8_0": (32, 34, [0]),
    "q2_K": (256, 84, [80, 82]),
    "q3_K": (256, 110, [108]),
    "q4_K": (256, 144, [0, 2]),
    "q5_K": (256, 176, [0, 2]),
    "q6_K": (256, 210, [208]),
}
BLOCKS = 8


def load_ggml(folder):
    subprocess.run(["npm", "install", "--no-save", "--ignore-scripts", "--prefix", folder, PACKAGE], check=True,
                   stdout=subprocess.DEVNULL)
    lib = ctypes.CDLL(str(Path(folder) / "node_modules/@node-llama-cpp/linux-x64/bins/linux-x64/libggml-base.so"))
    lib.ggml_version.restype = ctypes.c_char_p
    lib.ggml_commit.restype = ctypes.c_char_p
    lib.ggml_fp32_to_bf16.restype = ctypes.c_uint16
    lib.ggml_fp32_to_bf16.argtypes = [ctypes.c_float]
    return lib


def random_half(rng):
    """A finite f16 between 2^-10 and 2^6 in magnitude, so the scales are neither NaN nor denormal."""
    return (rng.getrandbits(1) << 15) | (rng.randint(5, 20) << 10) | rng.getrandbits(10)


def hex_floats(buf, n):
    return "".join(f"{struct.unpack_from('<I', buf, 4 * i)[0]:08x}" for i in range(n))


def dequant_lines(lib, rng):
    for name, (block_size, block_bytes, half_fields) in TYPES.items():
        blocks = bytearray(rng.getrandbits(8) for _ in range(BLOCKS * block_bytes))
        for b in range(BLOCKS):
            for field in half_fields:
                struct.pack_into("<H", blocks, b * block_bytes + field, random_half(rng))
        n = BLOCKS * block_size
        out = ctypes.create_string_buffer(4 * n)
        src = ctypes.create_string_buffer(bytes(blocks), len(blocks))
        getattr(lib, f"dequantize_row_{name}")(src, out, ctypes.c_int64(n))
        yield f"dequant {name} {blocks.hex()} {hex_floats(out.raw, n)}"


def quant_lines(lib, rng):
    for name, (block_size, block_bytes, _) in (("q8_0", TYPES["q8_0"]), ("q4_0", TYPES["q4_0"])):
        n = BLOCKS * block_size
        values = [rng.uniform(-1, 1) * 10 ** rng.randint(-3, 3) for _ in range(n)]
        values[0:4] = [0.0, -0.0, 0.5, -0.5]
        src = (ctypes.c_float * n)(*values)
        out = ctypes.create_string_buffer(BLOCKS * block_bytes)
        getattr(lib, f"quantize_row_{name}_ref")(src, out, ctypes.c_int64(n))
        yield f"quant {name} {hex_floats(bytes(src), n)} {out.raw.hex()}"


def bf16_lines(lib, rng):
    bits = [0x3F800000, 0x3F808000, 0x3F818000, 0x7F7FFFFF, 0x7F800000, 0xFF800000, 0x7F800001, 0xFFC00001, 0x00000001, 0x80000000]
    bits += [rng.getrandbits(32) for _ in range(40)]
    for b in bits:
        f = struct.unpack("<f", struct.pack("<I", b))[0]
        yield f"bf16 {b:08x} {lib.ggml_fp32_to_bf16(f):04x}"


K_QUANTS = ("q2_K", "q3_K", "q4_K", "q5_K", "q6_K")


def normal_blocks(rng):
    """Blocks of N(0, sigma^2) from weight-like (0.02) to large (30): what models hold."""
    values = []
    for sigma in (1.0, 0.02, 0.02, 1e-3, 30.0, 0.5, 0.02, 3.0):
        values += [rng.gauss(0, sigma) for _ in range(256)]
    return values


def awkward_blocks(rng):
    """Blocks that take the rarer branches: wild ranges, zeros, one sign only, constants, outliers, tiny values."""
    blocks = []
    # sub-blocks of 16 whose scales differ by up to 10^6
    blocks.append([rng.gauss(0, 1) * 10 ** s for s in (rng.randint(-3, 3) for _ in range(16)) for _ in range(16)])
    # every value on its own scale
    blocks.append([rng.uniform(-1, 1) * 10 ** rng.randint(-3, 3) for _ in range(256)])
    # all zero
    blocks.append([0.0] * 256)
    # mostly zero: a few spikes, one of them a lone outlier
    sparse = [0.0] * 256
    for i in rng.sample(range(256), 12):
        sparse[i] = rng.gauss(0, 1)
    sparse[rng.randrange(256)] = 50.0
    blocks.append(sparse)
    # all positive (the min clamps to 0), then all negative
    blocks.append([abs(rng.gauss(0, 1)) + 0.5 for _ in range(256)])
    blocks.append([-abs(rng.gauss(0, 1)) - 0.25 for _ in range(256)])
    # constant sub-blocks of 16 (some zero, some negative), with exact ties on the largest magnitude
    constants = []
    for j in range(16):
        c = rng.choice([0.0, 1.0, -1.0, 0.375, -2.5, rng.gauss(0, 1)])
        constants += [c] * 16
    constants[5], constants[6] = 3.0, -3.0
    blocks.append(constants)
    # tiny values below GROUP_MAX_EPS in half the sub-blocks, ordinary ones with outliers in the rest
    mixed = []
    for j in range(16):
        if j % 2 == 0:
            mixed += [rng.gauss(0, 1e-20) for _ in range(16)]
        else:
            sub = [rng.gauss(0, 0.1) for _ in range(16)]
            sub[rng.randrange(16)] = rng.choice([-1, 1]) * 4.0
            mixed += sub
    blocks.append(mixed)
    return [v for b in blocks for v in b]


def kquant_lines(lib, rng):
    """The K-quant reference quantizers, each on weight-like normal blocks and on awkward ones."""
    for name in K_QUANTS:
        block_size, block_bytes, _ = TYPES[name]
        for values in (normal_blocks(rng), awkward_blocks(rng)):
            n = len(values)
            src = (ctypes.c_float * n)(*values)
            out = ctypes.create_string_buffer(n // block_size * block_bytes)
            getattr(lib, f"quantize_row_{name}_ref")(src, out, ctypes.c_int64(n))
            yield f"quant {name} {hex_floats(bytes(src), n)} {out.raw.hex()}"


def main():
    output = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_OUTPUT
    with tempfile.TemporaryDirectory() as folder:
        lib = load_ggml(folder)
        rng = random.Random(20240601)
        lines = [f"# ggml {lib.ggml_version().decode()} ({lib.ggml_commit().decode()}) from {PACKAGE}; made by tools/gguf-goldens/make_goldens.py"]
        lines += dequant_lines(lib, rng)
        lines += quant_lines(lib, rng)
        lines += bf16_lines(lib, rng)
        lines += kquant_lines(lib, random.Random(20261123))
    output.write_text("\n".join(lines) + "\n")
    print(f"wrote {len(lines) - 1} cases to {output}")


if __name__ == "__main__":
    main()
