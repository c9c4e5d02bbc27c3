using Fp4Sim.Numerics.Codec;
using Fp4Sim.Numerics.Formats;
using Fp4Sim.Numerics.Rounding;
using Fp4Sim.Numerics.Tests.Support;
using Fp4Sim.TestSupport;

namespace Fp4Sim.Numerics.Tests.Codec;

/// <summary>Every code of every ≤ 16-bit format: round trip, ordering, classification.</summary>
public class ExhaustiveCodeTests
{
    public static TheoryData<string> UpTo16 => TestFormats.UpTo16;

    [Theory, MemberData(nameof(UpTo16))]
    public void DecodeEncode_EveryCode_RoundTrips(string spec)
    {
        FormatInfo f = FormatSpec.Parse(spec);
        var ieee = new RoundingContext(RoundingMode.Rne, OverflowMode.Ieee);
        foreach (uint code in CodeSpace.AllCodes(f))
        {
            double value = Decoder.Decode(f, code);
            CodeClass cls = Decoder.Classify(f, code);
            uint viaDouble = Encoder.Encode(f, value, ieee);
            uint viaFloat = Encoder.Encode(f, Decoder.DecodeToSingle(f, code), ieee);
            if (cls == CodeClass.NaN)
            {
                Assert.Equal(CodeClass.NaN, Decoder.Classify(f, viaFloat));
                bool quiet = f.Specials != SpecialsPolicy.Ieee || (code & (1u << (f.MantissaBits - 1))) != 0;
                if (quiet) Assert.Equal(code, viaFloat); // payload and sign survive a float32 round trip
            }
            else if (CodeSpace.IsCanonical(f, code))
            {
                Assert.True(code == viaDouble, $"{spec} 0x{code:x} → {value:R} → 0x{viaDouble:x}");
                Assert.Equal(code, viaFloat);
            }
            else
                Assert.Equal(RoundPack.Zero(f, double.IsNegative(value)), viaDouble);
        }
    }

    [Theory, MemberData(nameof(UpTo16))]
    public void NextUp_WalksEveryValueInOrder(string spec)
    {
        FormatInfo f = FormatSpec.Parse(spec);
        var ordered = CodeSpace.AllCodes(f)
            .Where(c => Decoder.Classify(f, c) != CodeClass.NaN && CodeSpace.IsCanonical(f, c))
            .Select(c => (code: c, value: Decoder.Decode(f, c)))
            .OrderBy(p => p.value).ThenBy(p => double.IsNegative(p.value) ? 0 : 1)
            .ToArray();
        for (int i = 0; i + 1 < ordered.Length; i++)
        {
            var (code, value) = ordered[i];
            var next = ordered[i + 1];
            Assert.True(value <= next.value);
            if (value == next.value) { Assert.Equal(0.0, value); continue; } // −0 then +0
            uint up = CodeSpace.NextUp(f, code);
            Assert.True(Decoder.Decode(f, up) == next.value, $"{spec}: NextUp(0x{code:x}) = 0x{up:x}, expected value {next.value:R}");
            uint down = CodeSpace.NextDown(f, next.code);
            Assert.True(Decoder.Decode(f, down) == value, $"{spec}: NextDown(0x{next.code:x}) = 0x{down:x}, expected value {value:R}");
        }
        Assert.Equal(ordered[^1].code, CodeSpace.NextUp(f, ordered[^1].code));
        Assert.Equal(ordered[0].code, CodeSpace.NextDown(f, ordered[0].code));
    }

    [Theory, MemberData(nameof(UpTo16))]
    public void Classify_AgreesWithValue(string spec)
    {
        FormatInfo f = FormatSpec.Parse(spec);
        double minNormal = CodeSpace.MinNormal(f), max = CodeSpace.MaxFinite(f);
        int counts = 0;
        foreach (uint code in CodeSpace.AllCodes(f))
        {
            double v = Math.Abs(Decoder.Decode(f, code));
            CodeClass expected = double.IsNaN(v) ? CodeClass.NaN
                : double.IsInfinity(v) ? CodeClass.Infinity
                : v == 0 ? CodeClass.Zero
                : v < minNormal ? CodeClass.Subnormal : CodeClass.Normal;
            Assert.Equal(expected, Decoder.Classify(f, code));
            Assert.True(double.IsNaN(v) || double.IsInfinity(v) || v <= max || (f.IsInteger && v == max + 1));
            counts++;
        }
        Assert.Equal((int)f.CodeCount, counts);
    }
}
