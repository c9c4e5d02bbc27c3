using System.Reflection;
using ILGPU;
using ILGPU.Runtime.Cuda;

namespace Fp4Sim.Gpu.Kernels;

/// <summary>
/// NVIDIA's own float32 → narrow-float conversions (PTX <c>cvt</c> with a packed x2 destination), emitted as inline PTX
/// through ILGPU's <see cref="CudaAsm"/>: an oracle independent of this project's rounding code. Thread p converts the
/// pair (bits[2p], bits[2p + 1]); the instruction puts the first operand's code in the high part of its result, so
/// codes[2p] is bits[2p]'s code and codes[2p + 1] is bits[2p + 1]'s (one code per byte, unpacked here). The host pads an
/// odd count with one element.
/// <para>
/// Only the CUDA path can run these: <see cref="CudaAsm.IsSupported"/> is false on ILGPU's CPU accelerator, where every
/// kernel returns without writing. ILGPU 1.5.3 writes <c>.target sm_80</c>, where no instruction here is legal; the host
/// (<see cref="HardwareCvtOracle"/>) rewrites the target before the driver sees the PTX.
/// </para>
/// </summary>
/// <remarks>
/// Each asm block keeps the narrow destination in a register of its own (<c>.b16</c>, or <c>.b8</c> for the FP4 pair) and
/// widens it into a 32-bit output, so the block does not depend on the register class ILGPU picks for byte or ushort
/// values; the inputs are float values so ILGPU passes them in <c>.f32</c> registers, as the instruction's .f32 source
/// type asks (IntAsFloat is a bit move: NaN payloads arrive intact).
/// </remarks>
public static class HardwareCvtKernels
{
    /// <summary><c>cvt.rn.satfinite.e4m3x2.f32</c> (sm_89+).</summary>
    public static void E4m3x2(Index1D pair, ArrayView<uint> bits, ArrayView<byte> codes)
    {
        if (!CudaAsm.IsSupported) return;
        CudaAsm.Emit("{ .reg .b16 hw; cvt.rn.satfinite.e4m3x2.f32 hw, %1, %2; cvt.u32.u16 %0, hw; }",
            out uint packed, First(pair, bits), Second(pair, bits));
        StoreBytes(pair, packed, codes);
    }

    /// <summary><c>cvt.rn.satfinite.e5m2x2.f32</c> (sm_89+).</summary>
    public static void E5m2x2(Index1D pair, ArrayView<uint> bits, ArrayView<byte> codes)
    {
        if (!CudaAsm.IsSupported) return;
        CudaAsm.Emit("{ .reg .b16 hw; cvt.rn.satfinite.e5m2x2.f32 hw, %1, %2; cvt.u32.u16 %0, hw; }",
            out uint packed, First(pair, bits), Second(pair, bits));
        StoreBytes(pair, packed, codes);
    }

    /// <summary><c>cvt.rn.satfinite.e2m1x2.f32</c> (sm_100a, sm_101a, sm_120a): two 4-bit codes in one byte.</summary>
    public static void E2m1x2(Index1D pair, ArrayView<uint> bits, ArrayView<byte> codes)
    {
        if (!CudaAsm.IsSupported) return;
        CudaAsm.Emit("{ .reg .b8 hw; cvt.rn.satfinite.e2m1x2.f32 hw, %1, %2; cvt.u32.u8 %0, hw; }",
            out uint packed, First(pair, bits), Second(pair, bits));
        codes[2 * pair.X] = (byte)((packed >> 4) & 0xF);
        codes[2 * pair.X + 1] = (byte)(packed & 0xF);
    }

    /// <summary><c>cvt.rn.satfinite.e2m3x2.f32</c> (FP6; sm_100a, sm_101a, sm_120a): one 6-bit code per byte.</summary>
    public static void E2m3x2(Index1D pair, ArrayView<uint> bits, ArrayView<byte> codes)
    {
        if (!CudaAsm.IsSupported) return;
        CudaAsm.Emit("{ .reg .b16 hw; cvt.rn.satfinite.e2m3x2.f32 hw, %1, %2; cvt.u32.u16 %0, hw; }",
            out uint packed, First(pair, bits), Second(pair, bits));
        StoreBytes(pair, packed, codes);
    }

    /// <summary><c>cvt.rn.satfinite.e3m2x2.f32</c> (FP6; sm_100a, sm_101a, sm_120a): one 6-bit code per byte.</summary>
    public static void E3m2x2(Index1D pair, ArrayView<uint> bits, ArrayView<byte> codes)
    {
        if (!CudaAsm.IsSupported) return;
        CudaAsm.Emit("{ .reg .b16 hw; cvt.rn.satfinite.e3m2x2.f32 hw, %1, %2; cvt.u32.u16 %0, hw; }",
            out uint packed, First(pair, bits), Second(pair, bits));
        StoreBytes(pair, packed, codes);
    }

    /// <summary><c>cvt.rz.ue8m0x2.f32</c> (E8M0 scales; sm_100a, sm_101a, sm_120a), the form without .satfinite.</summary>
    public static void Ue8m0x2Rz(Index1D pair, ArrayView<uint> bits, ArrayView<byte> codes)
    {
        if (!CudaAsm.IsSupported) return;
        CudaAsm.Emit("{ .reg .b16 hw; cvt.rz.ue8m0x2.f32 hw, %1, %2; cvt.u32.u16 %0, hw; }",
            out uint packed, First(pair, bits), Second(pair, bits));
        StoreBytes(pair, packed, codes);
    }

    /// <summary><c>cvt.rz.satfinite.ue8m0x2.f32</c>.</summary>
    public static void Ue8m0x2RzSatfinite(Index1D pair, ArrayView<uint> bits, ArrayView<byte> codes)
    {
        if (!CudaAsm.IsSupported) return;
        CudaAsm.Emit("{ .reg .b16 hw; cvt.rz.satfinite.ue8m0x2.f32 hw, %1, %2; cvt.u32.u16 %0, hw; }",
            out uint packed, First(pair, bits), Second(pair, bits));
        StoreBytes(pair, packed, codes);
    }

    /// <summary><c>cvt.rp.ue8m0x2.f32</c>, the form without .satfinite.</summary>
    public static void Ue8m0x2Rp(Index1D pair, ArrayView<uint> bits, ArrayView<byte> codes)
    {
        if (!CudaAsm.IsSupported) return;
        CudaAsm.Emit("{ .reg .b16 hw; cvt.rp.ue8m0x2.f32 hw, %1, %2; cvt.u32.u16 %0, hw; }",
            out uint packed, First(pair, bits), Second(pair, bits));
        StoreBytes(pair, packed, codes);
    }

    /// <summary><c>cvt.rp.satfinite.ue8m0x2.f32</c>.</summary>
    public static void Ue8m0x2RpSatfinite(Index1D pair, ArrayView<uint> bits, ArrayView<byte> codes)
    {
        if (!CudaAsm.IsSupported) return;
        CudaAsm.Emit("{ .reg .b16 hw; cvt.rp.satfinite.ue8m0x2.f32 hw, %1, %2; cvt.u32.u16 %0, hw; }",
            out uint packed, First(pair, bits), Second(pair, bits));
        StoreBytes(pair, packed, codes);
    }

    /// <summary>The kernel method named <paramref name="kernelName"/> (<see cref="HardwareCvtInstruction.Kernel"/>).</summary>
    public static MethodInfo EntryPoint(string kernelName) =>
        typeof(HardwareCvtKernels).GetMethod(kernelName, BindingFlags.Public | BindingFlags.Static)
        ?? throw new ArgumentException($"no hardware conversion kernel {kernelName}");

    private static float First(Index1D pair, ArrayView<uint> bits) => Interop.IntAsFloat(bits[2 * pair.X]);

    private static float Second(Index1D pair, ArrayView<uint> bits) => Interop.IntAsFloat(bits[2 * pair.X + 1]);

    /// <summary>Splits a 16-bit x2 result: the high byte is the first operand's code.</summary>
    private static void StoreBytes(Index1D pair, uint packed, ArrayView<byte> codes)
    {
        codes[2 * pair.X] = (byte)(packed >> 8);
        codes[2 * pair.X + 1] = (byte)packed;
    }
}
