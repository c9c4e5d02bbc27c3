using System.Runtime.Intrinsics;

namespace Fp4Sim.Numerics.Vectorized;

/// <summary>
/// Per-mode rounding decision of the vector kernel (TensorPrimitives-style operator structs, so the JIT
/// specialises the kernel per mode). Inputs are per-lane: the remainder below the quantum and half a quantum (both on
/// one scale: the kernel moves the remainder up so that half is 2^30), the
/// parity of the truncated code (1 when odd, else 0), and the sign (all-ones when negative). Output: all-ones
/// where the magnitude rounds away from zero. Reference: <see cref="Rounding.RoundPack.RoundFinite"/>.
/// </summary>
internal interface IRoundDecision
{
    static abstract Vector256<int> RoundAway(Vector256<int> remainder, Vector256<int> half, Vector256<int> oddBit, Vector256<int> negative);
}

internal readonly struct RoundNearestEven : IRoundDecision
{
    public static Vector256<int> RoundAway(Vector256<int> remainder, Vector256<int> half, Vector256<int> oddBit, Vector256<int> negative) =>
        Vector256.GreaterThan(remainder + oddBit, half); // above half, or exactly half with an odd code
}

internal readonly struct RoundNearestAway : IRoundDecision
{
    public static Vector256<int> RoundAway(Vector256<int> remainder, Vector256<int> half, Vector256<int> oddBit, Vector256<int> negative) =>
        Vector256.GreaterThan(remainder + Vector256<int>.One, half); // remainder ≥ half
}

internal readonly struct RoundTowardZero : IRoundDecision
{
    public static Vector256<int> RoundAway(Vector256<int> remainder, Vector256<int> half, Vector256<int> oddBit, Vector256<int> negative) =>
        Vector256<int>.Zero;
}

internal readonly struct RoundUp : IRoundDecision
{
    public static Vector256<int> RoundAway(Vector256<int> remainder, Vector256<int> half, Vector256<int> oddBit, Vector256<int> negative) =>
        ~Vector256.Equals(remainder, Vector256<int>.Zero) & ~negative;
}

internal readonly struct RoundDown : IRoundDecision
{
    public static Vector256<int> RoundAway(Vector256<int> remainder, Vector256<int> half, Vector256<int> oddBit, Vector256<int> negative) =>
        ~Vector256.Equals(remainder, Vector256<int>.Zero) & negative;
}
