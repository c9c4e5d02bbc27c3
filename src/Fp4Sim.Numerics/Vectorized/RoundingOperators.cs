using System.Runtime.Intrinsics;

namespace Fp4Sim.Numerics.Vectorized;

/// <summary>
/// Per-mode rounding decision of the vector kernel (TensorPrimitives-style operator structs, so the JIT
/// specialises the kernel per mode). Inputs are per-lane: the remainder below the quantum and half a quantum (both on
/// one scale: the kernel moves the remainder up so that half is 2^30 in 32-bit lanes, 2^14 in 16-bit ones), the
/// parity of the truncated code (1 when odd, else 0), and the sign (all-ones when negative). Output: all-ones
/// where the magnitude rounds away from zero. Reference: <see cref="Rounding.RoundPack.RoundFinite"/>.
/// </summary>
internal interface IRoundDecision
{
    static abstract Vector256<T> RoundAway<T>(Vector256<T> remainder, Vector256<T> half, Vector256<T> oddBit, Vector256<T> negative);
}

internal readonly struct RoundNearestEven : IRoundDecision
{
    public static Vector256<T> RoundAway<T>(Vector256<T> remainder, Vector256<T> half, Vector256<T> oddBit, Vector256<T> negative) =>
        Vector256.GreaterThan(remainder + oddBit, half); // above half, or exactly half with an odd code
}

internal readonly struct RoundNearestAway : IRoundDecision
{
    public static Vector256<T> RoundAway<T>(Vector256<T> remainder, Vector256<T> half, Vector256<T> oddBit, Vector256<T> negative) =>
        Vector256.GreaterThan(remainder + Vector256<T>.One, half); // remainder ≥ half
}

internal readonly struct RoundTowardZero : IRoundDecision
{
    public static Vector256<T> RoundAway<T>(Vector256<T> remainder, Vector256<T> half, Vector256<T> oddBit, Vector256<T> negative) =>
        Vector256<T>.Zero;
}

internal readonly struct RoundUp : IRoundDecision
{
    public static Vector256<T> RoundAway<T>(Vector256<T> remainder, Vector256<T> half, Vector256<T> oddBit, Vector256<T> negative) =>
        ~Vector256.Equals(remainder, Vector256<T>.Zero) & ~negative;
}

internal readonly struct RoundDown : IRoundDecision
{
    public static Vector256<T> RoundAway<T>(Vector256<T> remainder, Vector256<T> half, Vector256<T> oddBit, Vector256<T> negative) =>
        ~Vector256.Equals(remainder, Vector256<T>.Zero) & negative;
}
