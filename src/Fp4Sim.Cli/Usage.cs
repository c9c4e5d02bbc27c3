namespace Fp4Sim.Cli;

/// <summary>The help text.</summary>
internal static class Usage
{
    public const string Text = """
        fp4sim - bit-accurate low-precision floating-point simulator

        usage:
          fp4sim cast --format F [--rounding rne|rna|rtz|rup|rdn|sr] [--overflow saturate|ieee] [--seed N]
                  [--convention fp4sim|ml_dtypes|gfloat|microxcaling] [--in A.npy --out B.npy]
              stdin: one float32 per line (0x + 8 hex digits, or a decimal number such as 1.5, -2e-3, inf, nan)
              stdout: one code per line, 0x + lower-case hex digits (4 bits per digit)
              sr: line i (0-based) uses the random bits StochasticBits.For(seed, i); default seed 0
              --convention: another library's special values and overflow, bit for bit, with its defaults
              --in/--out: an array (.npy 1.0-3.0, C order, <f4 <f2 <f8 |u1 <u2 <u4 <i4) to its codes, same shape,
              |u1 up to 8 bits, <u2 up to 16, else <u4; streamed in chunks; element i is line i; stdout: 'wrote B.npy'
          fp4sim decode --format F [--stdin | --in CODES.npy --out VALUES.npy [--dtype f4|f8]]
              stdout: '0x<code> <value>' for every code; value is the exact decimal, nan, inf, -inf or -0
              --stdin: the same lines for the codes on stdin, one per line (0x + hex digits, or a decimal code)
              --in/--out: a code array (|u1 <u2 <u4 <i4) to its values, same shape, <f4 (each exact, else an
              error) or <f8; stdout: 'wrote VALUES.npy'
          fp4sim formats
              the catalogue: name, bits, E, M, bias, specials, subnormals, max, min normal, min subnormal
          fp4sim mx quantize --format mxfp4|mxfp6_e2m3|mxfp6_e3m2|mxfp8_e4m3|mxfp8_e5m2|mxint8|nvfp4
                  [--scale-rule ocp|rceil] [--rounding R] [--nan-policy nan-block|nan-scale|ignore]
                  [--scale-rounding R] [--convention C] [--seed N] [--pad]
              stdin: one float32 per line, taken in blocks in order (a short last block needs --pad)
              stdout: one line per block, '0x<scale> 0x<e0> 0x<e1> ...'; nvfp4 first prints its FP32 tensor scale
          fp4sim mx quantize --format X [options above] --in A.npy --out CODES.npy --scales-out SCALES.npy
                  [--tensor-scale-out T.npy] [--pack]
              A (<f4 <f2 <f8) in blocks along its last axis (a multiple of the block size, or --pad each row);
              CODES |u1 of A's shape (--pack, mxfp4/nvfp4: last axis halved, element 2i in the low nibble);
              SCALES |u1, last axis / block size; T (nvfp4, required): its tensor scale, 0-d <f4
          fp4sim mx dequantize --format X [--in CODES.npy --scales SCALES.npy [--tensor-scale T.npy] [--packed]
                  --out VALUES.npy]
              stdin: what mx quantize prints; stdout: one float32 per element, shortest decimal (nan, inf, -inf)
              --in ...: the arrays mx quantize writes to <f4 VALUES of the unpacked codes' shape
          fp4sim dot --a-format F --b-format G --acc exact|fp32|fp16|bf16|fixed:<width>.<frac>[:round][:wrap]|tc:<model>
                  [--bias-a-channel b0,b1,...]
              stdin: lines 'a b', each a code (0x + hex) or a decimal exactly representable in its format
              stdout: '0x<result bits> <exact value>' (+ ' invalid' if a fixed register skipped inf/nan)
              tc models: v100 v100-f16 a100 h100 h100-fp8 ada-fp8 b200 b200-fp8 b200-mxf4
          fp4sim bench cast --format F [--rounding R] [--overflow O] [--count N] [--threads T]
              times the vector cast, the scalar reference and a stream loop moving the same bytes with no
              arithmetic (same threads); checks fast and reference agree; T <= 0 means all cores; last line:
              'fast <elements/s> reference <elements/s> stream <elements/s> ratio <fast/stream>'
          fp4sim bench decode --format F [--count N] [--threads T]
              the same for the code -> float32 decode (seeded codes, bit-identical check, widening stream loop)
          fp4sim bench mxgemm --m M --n N --k K [--threads T] [--acc fp32|exact] [--seed S]
              times the exact MXFP4 GEMM and dequantize + float32 SGEMM on the same seeded data, checks the exact
              result against the scalar reference on a sample; last line: 'exact <gflops> fakequant <gflops>'
          fp4sim bench sgemm --m M --n N --k K [--threads T] [--rounds R]
              times our float32 SGEMM on seeded data (best of R, default 5; defaults 1024^3, all cores);
              last line: 'sgemm <gflops> ms <best ms> threads <T>' (scripts/bench.sh sets it beside OpenBLAS)
          fp4sim bench mxquant --format F [--scale-rule ocp|rceil] [--rounding R] [--count N] [--threads T]
              times the vector block quantization against the scalar reference and the stream baseline on the same
              seeded tensor, checks scales and codes agree; last line as bench cast's
          fp4sim bench gpu [--accelerator cuda|cpu] [--count N] [--repeats R]
              times the ILGPU cast, decode and MX/NVFP4 kernels next to a kernel moving the same bytes (stream);
              one line each (GB/s, stream GB/s, fraction; on CUDA also of the device bandwidth); last line: the
              slowest kernel's fraction of stream (and of the device bandwidth)
          fp4sim rtl generate --unit fp_mul|fp_mac|psb_mac|int_mac|mx_dot --format F[,G]
                              [--acc fixed:<width>.<frac>[:round][:wrap]] [--shift-bits S] --out DIR
              writes DIR/<module>.v (Verilog-2001) and DIR/tb_<module>.v (self-checking, reads any vector count);
              psb_mac: S-bit channel shift input (default: format A's exponent bits);
              mx_dot takes MX block formats (mxfp4, mxfp8_e4m3, mxfp6_e2m3,mxfp4, ...) and no --acc
          fp4sim rtl vectors --unit U --format F[,G] [--acc A] [--shift-bits S] [--count N] [--seed S] --out DIR
              writes DIR/vectors.hex ($readmemh), DIR/manifest.json and DIR/tb_<module>.v (the file generate writes);
              default: exhaustive where small (FP4 pairs, FP8 products), else seeded random (mx_dot: 10000 blocks)
          fp4sim rtl defaults --out ROOT
              rewrites ROOT/generated and ROOT/golden-vectors, the committed default set (docs/rtl.md)
          fp4sim cost [--unit K --format F[,G] [--acc A] [--shift-bits S] | --set default|sweep|table6] [--synth]
                  [--csv PATH] [--svg PATH]
              area in NAND2 equivalents (GE) from the analytic model, per block (docs/cost.md); default: --set default
              --synth: also yosys (Debian package yosys): GE, cells, transistors, flip-flops, depth, model error
              stdout: a space-aligned table, one header line; table6 adds the LLM-FP4 Table 6 and FP8-vs-INT8 ratios
              --csv: every row with the full block breakdown (the machine interface); --svg: MAC area vs W
              (SVG; a .png path gives PNG)
          fp4sim llmfp4 tokenize|embed|run|export ... (README: 'llmfp4')
              run --method fp32|minmax-int|minmax-fp|fpq-baseline|fpq|all [--bits E/W/A|all] [--acc A [--preshift a|b]]
                  [--calib N] [--train N] [--eval N] [--seed S] [--threads T] [--rounds R] [--out DIR]
              LLM-FP4 on USE-Lite and SpamAssassin: accuracy, cosine to float32, SQNR per method and bits;
              --acc: every quantized layer bit-exactly on the MAC engine in accumulator A (the dot accumulators,
              or fixed:<W>.grid|top per layer); --preshift a (in the MAC) or b (folded into weights)
              export-layer --layer NAME [--method M] [--bits E/W/A] [--rows R] [--tokens T] --out DIR:
              a psb_mac (or, with --method mxfp4, mx_dot) unit, testbench and vectors from one layer's real data
          fp4sim explore --model use-lite [--set default|full] [--eval N] [--train N] [--calib N] [--seed S]
                  [--threads T] [--rounds R] [--out DIR]
              accuracy against MAC area: int4, int6, e2m1, e2m1×e1m2, e3m2, e4m3, mxfp4 × accumulators, each run
              bit-exactly on 200 held-out mails (default); table with area (GE), ratio to INT4 and the Pareto front;
              --out: design-space.csv, design-space.svg, design-space.txt
          fp4sim quartet quantize --method quest|absmax|absmax-sr [--hadamard none|fixed|random] [--signs before|after]
                  [--seed S]
              stdin: float32 per line in groups of 32; stdout per group: 0x<E8M0> 0x<e0> ... 0x<e31> 0x<mask>
          fp4sim quartet table2 [--samples N] [--seed S]
              Quartet's Table 2 (Gaussian MSE, misalignment) measured next to published
          fp4sim quartet train --setting fp32|quartet|naive|all [--steps N] [--seed S] [--eval-every K]
                  [--backward rtn|sr] [--signs before|after] [--out DIR]
              a small decoder trained on the ham mails; loss lines on stdout; --out: <label>.csv, validation-loss.svg
          fp4sim plot llmfp4|explore|quartet --csv FILE[,FILE...] --out PATH [--reference A]
              draws a finished run's chart again from its CSV (llmfp4: results.csv files merged; explore:
              design-space.csv, --reference the float32 accuracy line; quartet: run CSVs, one curve each);
              PATH ending .svg gives SVG, .png PNG
          fp4sim gpu info
              CUDA device 0 through ILGPU: name, compute capability, memory, multiprocessors, CUDA driver version,
              ILGPU version, theoretical bandwidth
          fp4sim gpu check [--accelerator cuda|cpu] [--count N] [--seed S]
              runs the ILGPU cast kernels on every decision point plus N seeded random inputs (default 10^8 on cuda,
              16384 on cpu) per <=8-bit format, rounding rne|rna|rtz|rup|rdn|sr and overflow mode, compares every code
              with the CPU reference; prints mismatches (first counterexamples) and GB/s (next to the device bandwidth
              on cuda); without a CUDA device: one stderr line, then ILGPU's CPU accelerator (slow) (docs/gpu.md)
          fp4sim help | --help | --version

        formats: a catalogue name or an alias (fp4sim formats: float8_e4m3fn, torch.bfloat16, FLOAT8E5M2, ...), int<N>, uint<N>,
            or e<E>m<M>; a signed float takes [:specials=ieee|fn|fnuz|none][:bias=N][:subnormals=on|off]
            E 1..11, M 0..31-E, int<N> N 2..16, uint<N> N 1..16; bias N keeps every value within binary64 (e4m3: -1008..1072)
        exit codes: 0 ok, 1 failed check (or a diverged training run), 2 bad input, 3 environment (set-up, files, tools,
            closed or full stdout), 70 internal error (FP4SIM_DEBUG=1 for the trace), 130/143 SIGINT/SIGTERM (docs/cli.md)

        """;
}
