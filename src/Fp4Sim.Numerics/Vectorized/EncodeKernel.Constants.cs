using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Fp4Sim.Numerics.Vectorized;

// The plan's numbers as the body reads them: broadcast constants, and their per-block move for scaled blocks.
internal static unsafe partial class EncodeKernel
{
    /// <summary>The plan's scalars broadcast once per call into the lane type, in the biased-exponent terms the body uses.</summary>
    private readonly struct Constants<T, TLanes> where T : unmanaged where TLanes : ILanes<T>
    {
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public Constants(CastPlan p)
        {
            int laneShift = 23 - TLanes.FractionBits, fraction = TLanes.FractionBits, width = TLanes.LaneBits;
            MinNormalField = TLanes.Create(p.MinNormalExponent + 127);
            NormalShift = TLanes.Create(p.NormalShift - laneShift);
            NormalShiftAtField = TLanes.Create(p.NormalShift - laneShift + p.MinNormalExponent + 127);
            BelowShiftAtField = TLanes.Create(p.BelowShift - laneShift + p.MinNormalExponent + 127);
            ShiftCap = TLanes.Create(fraction + 2);
            RemainderTop = TLanes.Create(width - 1);
            Half = TLanes.Create(1 << (width - 2));
            MagnitudeMask = TLanes.Create((1 << (width - 1)) - 1);
            FractionMask = TLanes.Create((1 << fraction) - 1);
            ImplicitBit = TLanes.Create(1 << fraction);
            InfBits = TLanes.Create(0xFF << fraction);
            GapShift = TLanes.Create(p.GapShift);
            CodeOffset = TLanes.Create(p.CodeOffset);
            MaxPositive = TLanes.Create(p.MaxMagnitudePositive);
            MaxNegative = TLanes.Create(p.MaxMagnitudeNegative);
            SignBit = TLanes.Create(p.IsInteger || p.IsUnsigned ? 0 : 1 << p.SignShift);
            CodeMask = TLanes.Create(p.CodeMask);
            AwayPositive = TLanes.Create(p.AwayPositive);
            AwayNegative = TLanes.Create(p.AwayNegative);
            AwayIfPositive = TLanes.Create(p.AwayIfPositive ? -1 : 0);
            AwayIfNegative = TLanes.Create(p.AwayIfNegative ? -1 : 0);
            InfPositive = TLanes.Create(p.InfPositive);
            InfNegative = TLanes.Create(p.InfNegative);
            NaNPositive = TLanes.Create(p.NaNPositive);
            NaNNegative = TLanes.Create(p.NaNNegative);
            NaNPayloadMask = TLanes.Create((1 << p.NaNPayloadBits) - 1);
            UnsignedNegative = TLanes.Create(p.UnsignedNegative);
            MantissaBits = p.MantissaBits;
            NaNPayloadShift = fraction - p.MantissaBits;
            IeeeOverflow = p.Overflow == Rounding.OverflowMode.Ieee;
            IsInteger = p.IsInteger;
            IsUnsigned = p.IsUnsigned;
            HasFlushGap = p.GapShift != 0;
            HasCodeOffset = p.CodeOffset != 0;
            HasNaNPayload = p.NaNPayloadBits > 0;
            NormalizeSubnormalInputs = NormalizesSubnormalInputs(p);
            FlushNegativeZero = !p.HasNegativeZero && !p.IsInteger && !p.IsUnsigned;
            InfNeedsOwnCode = !p.InfIsSaturatedMax;
        }

        /// <summary>Biased float32 exponent field of the format's lowest normal binade.</summary>
        public readonly Vector256<T> MinNormalField;
        /// <summary>Right shift of the lane's significand in the normal range (the fraction bits beyond the format's).</summary>
        public readonly Vector256<T> NormalShift;
        /// <summary>
        /// NormalShift + MinNormalField: the shift is this minus the binade below the normal range; BelowShiftAtField is the
        /// same for a flush gap's region (its quantum a whole binade's).
        /// </summary>
        public readonly Vector256<T> NormalShiftAtField, BelowShiftAtField;
        /// <summary>A shift past the significand's top bit plus one: everything is below half a quantum.</summary>
        public readonly Vector256<T> ShiftCap;
        public readonly Vector256<T> RemainderTop, Half, MagnitudeMask, FractionMask, ImplicitBit, InfBits;
        public readonly Vector256<T> GapShift, CodeOffset, MaxPositive, MaxNegative, SignBit, CodeMask;
        public readonly Vector256<T> AwayPositive, AwayNegative, AwayIfPositive, AwayIfNegative, InfPositive, InfNegative;
        public readonly Vector256<T> NaNPositive, NaNNegative, NaNPayloadMask, UnsignedNegative;
        public readonly int MantissaBits, NaNPayloadShift;
        public readonly bool IeeeOverflow, IsInteger, IsUnsigned, HasFlushGap, HasCodeOffset, HasNaNPayload;
        public readonly bool NormalizeSubnormalInputs, FlushNegativeZero, InfNeedsOwnCode;

        /// <summary>
        /// Whether the plan has none of the features above but integers, unsigned codes and NaN payloads, which have bodies
        /// of their own (<see cref="PlainFloat"/>, <see cref="PayloadFloat"/>, <see cref="PlainInteger"/>,
        /// <see cref="PlainUnsigned"/>, which also takes unsigned integers); a payload with either of the others is not plain.
        /// </summary>
        public bool IsPlain => IsPlainButForNegativeZero && !FlushNegativeZero;

        /// <summary>
        /// <see cref="IsPlain"/> but for a float format without −0 (the fnuz formats, whose −0 code is NaN), which has the
        /// plain float body with the flush of −0 (<see cref="PlainFloatWithoutNegativeZero"/>).
        /// </summary>
        public bool IsPlainButForNegativeZero => !(IeeeOverflow || HasFlushGap || HasCodeOffset || NormalizeSubnormalInputs
                                                   || InfNeedsOwnCode || (HasNaNPayload && (IsInteger || IsUnsigned)));
    }

    /// <summary>
    /// Whether float32 subnormal inputs are normalised before the body: the format reaches below float32's normal range,
    /// or its flush gap starts right at it.
    /// </summary>
    private static bool NormalizesSubnormalInputs(CastPlan p) =>
        p.MinNormalExponent < -126 || (p.GapShift != 0 && p.MinNormalExponent == -126);

    /// <summary>
    /// The plan's binade-relative constants for values multiplied by 2^offset: moving the format's binades down by offset
    /// is the same as moving every value's binade up by it, and costs three subtractions per block instead of one add per lane.
    /// </summary>
    private readonly struct BinadeFrame<T, TLanes> where T : unmanaged where TLanes : ILanes<T>
    {
        // Inlined by force: built once per block inside the fully optimised loop, which otherwise called it as tier-0 code.
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public BinadeFrame(in Constants<T, TLanes> k, int offset)
        {
            Vector256<T> moved = TLanes.Create(offset);
            MinNormalField = k.MinNormalField - moved;
            NormalShiftAtField = k.NormalShiftAtField - moved;
            BelowShiftAtField = k.BelowShiftAtField - moved;
        }

        public readonly Vector256<T> MinNormalField, NormalShiftAtField, BelowShiftAtField;
    }

    /// <summary>
    /// The biased binade ±0 is given when subnormal inputs are normalised, and in scaled blocks: below every format's
    /// least value.
    /// </summary>
    private const int ZeroField = -2048 + 127;
}
