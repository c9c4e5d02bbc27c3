using System.Runtime.Intrinsics.X86;

namespace Fp4Sim.Numerics.Vectorized;

/// <summary>The vector instruction levels the fast paths choose between, narrowest first.</summary>
public enum InstructionSet
{
    /// <summary>No vector kernels: the scalar reference everywhere.</summary>
    Scalar,
    /// <summary>AVX2 (+ FMA, and AVX-VNNI where present): 256-bit kernels.</summary>
    Avx2,
    /// <summary>AVX-512 F + BW: 512-bit kernels.</summary>
    Avx512,
}

/// <summary>
/// Which vector kernels may run: the widest the machine has, capped by the environment variable <c>FP4SIM_ISA</c>
/// (<c>avx512</c>, <c>avx2</c> or <c>scalar</c>) so that a machine with AVX-512 can still test the AVX2 and scalar paths
/// (scripts/test.sh reruns the parity tests so). Every kernel selection asks here, never the CPU directly.
/// </summary>
public static class InstructionSets
{
    /// <summary>The environment variable that caps the level.</summary>
    public const string Variable = "FP4SIM_ISA";

    private static readonly InstructionSet EnvironmentCeiling = Parse(Environment.GetEnvironmentVariable(Variable), out _);
    private static readonly AsyncLocal<InstructionSet?> ScopedCeiling = new();

    /// <summary>The widest level this machine runs.</summary>
    public static InstructionSet Machine { get; } =
        Avx512F.IsSupported && Avx512BW.IsSupported ? InstructionSet.Avx512
        : Avx2.IsSupported && Fma.IsSupported ? InstructionSet.Avx2 : InstructionSet.Scalar;

    /// <summary>The level in force: the machine's, capped by <c>FP4SIM_ISA</c> and by any <see cref="Limit"/> scope.</summary>
    public static InstructionSet Current
    {
        get
        {
            InstructionSet level = Machine < EnvironmentCeiling ? Machine : EnvironmentCeiling;
            return ScopedCeiling.Value is { } scoped && scoped < level ? scoped : level;
        }
    }

    /// <summary>Whether AVX2 kernels may run.</summary>
    public static bool Avx2Allowed => Current >= InstructionSet.Avx2;

    /// <summary>Whether AVX-512 kernels may run.</summary>
    public static bool Avx512Allowed => Current >= InstructionSet.Avx512;

    /// <summary>Why <c>FP4SIM_ISA</c> cannot be used (an unknown value, then ignored), or null.</summary>
    public static string? EnvironmentError
    {
        get
        {
            Parse(Environment.GetEnvironmentVariable(Variable), out string? error);
            return error;
        }
    }

    /// <summary>Caps the level for the calling flow (and the tasks it starts) until disposed: for tests of narrower paths.</summary>
    public static IDisposable Limit(InstructionSet ceiling)
    {
        InstructionSet? previous = ScopedCeiling.Value;
        ScopedCeiling.Value = ceiling;
        return new Restore(() => ScopedCeiling.Value = previous);
    }

    private static InstructionSet Parse(string? text, out string? error)
    {
        error = null;
        switch (text?.Trim().ToLowerInvariant())
        {
            case null or "": return InstructionSet.Avx512;
            case "avx512": return InstructionSet.Avx512;
            case "avx2": return InstructionSet.Avx2;
            case "scalar": return InstructionSet.Scalar;
            default:
                error = $"{Variable}='{text}' is not avx512, avx2 or scalar";
                return InstructionSet.Avx512;
        }
    }

    private sealed class Restore(Action restore) : IDisposable
    {
        public void Dispose() => restore();
    }
}
