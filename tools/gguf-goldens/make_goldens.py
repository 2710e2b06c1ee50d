#!/usr/bin/env python3
"""Golden values for AlignLab's reference (de)quantizers, computed by llama.cpp's own compiled code.

llama.cpp's libggml-base.so exports dequantize_row_*, quantize_row_q8_0_ref / q4_0_ref and
ggml_fp32_to_bf16. The npm package @node-llama-cpp/linux-x64 ships that library prebuilt, so this
script installs it into a temporary folder, calls the functions through ctypes on blocks made from
a fixed seed, and writes one line per case:

  dequant TYPE BLOCKS_HEX FLOAT_BITS_HEX...   (blocks in, the dequantized floats' bit patterns out)
  quant TYPE FLOAT_BITS_HEX... BLOCKS_HEX      (floats in, the reference quantizer's blocks out)
  bf16 FLOAT_BITS_HEX BF16_HEX

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


def main():
    output = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_OUTPUT
    with tempfile.TemporaryDirectory() as folder:
        lib = load_ggml(folder)
        rng = random.Random(20240601)
        lines = [f"# ggml {lib.ggml_version().decode()} ({lib.ggml_commit().decode()}) from {PACKAGE}; made by tools/gguf-goldens/make_goldens.py"]
        lines += dequant_lines(lib, rng)
        lines += quant_lines(lib, rng)
        lines += bf16_lines(lib, rng)
    output.write_text("\n".join(lines) + "\n")
    print(f"wrote {len(lines) - 1} cases to {output}")


if __name__ == "__main__":
    main()
