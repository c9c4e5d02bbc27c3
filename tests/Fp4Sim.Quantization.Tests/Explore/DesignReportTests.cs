using Fp4Sim.Quantization.Explore;

namespace Fp4Sim.Quantization.Tests.Explore;

/// <summary>The design-space CSV reads back as the points it was written from, so a finished run can be charted again.</summary>
public sealed class DesignReportTests
{
    private static readonly DesignPoint[] Points =
    [
        new("int4", "exact", "int_mac", 437.21999999999997, 0.84, 0.6110424180106167, 0.45, 0, 0, 18.8) { AreaRatio = 1, Pareto = true },
        new("e2m1×e1m2", "fp32", "psb_mac", null, 0.85, 0.95, 0.9, 12, 3_000_000_000, 20) { Pareto = false },
        new("e4m3", "fixed:8.top", "psb_mac", 900.5, double.NaN, double.NaN, double.NaN, 0, 0, 0.1, "too narrow, \"8\" bits") { AreaRatio = 2.06 },
    ];

    [Fact]
    public void Csv_round_trips_areas_missing_numbers_and_quoted_refusals()
    {
        IReadOnlyList<DesignPoint> back = DesignReport.ReadCsv(new StringReader(DesignReport.Csv(Points)));
        Assert.Equal(Points.Length, back.Count);
        for (int i = 0; i < Points.Length; i++)
        {
            DesignPoint a = Points[i], b = back[i];
            Assert.Equal((a.Operands, a.Accumulator, a.Unit, a.AreaGe, a.AreaRatio, a.Pareto, a.Refused),
                (b.Operands, b.Accumulator, b.Unit, b.AreaGe, b.AreaRatio, b.Pareto, b.Refused));
            Assert.Equal((a.Accuracy, a.MeanCosine, a.MinCosine, a.Overflows, a.RoundedTerms), (b.Accuracy, b.MeanCosine, b.MinCosine, b.Overflows,
                b.RoundedTerms));
            Assert.Equal(Math.Round(a.Seconds, 1), b.Seconds); // written to a tenth of a second
        }
    }

    [Theory]
    [InlineData("operands,accumulator\n", "line 1: expected the header")]
    [InlineData("int4,exact,int_mac,437,1,0.84,0.61,0.45,0,0,1,18.8\n", "line 2: expected 13 fields")]
    [InlineData("int4,exact,int_mac,437,1,0.84,0.61,0.45,0,0,yes,18.8,\n", "line 2: ")]
    [InlineData("int4,exact,int_mac,437,1,0.84,0.61,0.45,-1,0,1,18.8,\n", "line 2: ")]
    [InlineData("int4,exact,int_mac,big,1,0.84,0.61,0.45,0,0,1,18.8,\n", "line 2: ")]
    public void A_bad_line_is_named(string body, string expected)
    {
        string csv = body.StartsWith("operands,", StringComparison.Ordinal) ? body : DesignReport.Csv([]) + body;
        Assert.StartsWith(expected, Assert.Throws<InvalidDataException>(() => DesignReport.ReadCsv(new StringReader(csv))).Message);
    }
}
