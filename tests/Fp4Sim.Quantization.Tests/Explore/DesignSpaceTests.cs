using Fp4Sim.Quantization.Explore;
using Fp4Sim.Quantization.Inference;
using Fp4Sim.Quantization.Pipeline;
using Fp4Sim.Quantization.Search;
using Fp4Sim.Quantization.Tests.Inference;

namespace Fp4Sim.Quantization.Tests.Explore;

public sealed class ParetoFrontTests
{
    [Fact]
    public void A_point_is_on_the_front_unless_another_is_as_accurate_for_no_more_area_and_better_in_one()
    {
        (double, double?)[] points = [(0.90, 400), (0.90, 500), (0.95, 450), (0.80, 300), (0.95, 450), (0.99, null), (0.70, 300)];
        Assert.Equal([true, false, true, true, true, false, false], DesignSpace.ParetoFront(points));
    }
}

[Collection(RealModelCollection.Name)]
public sealed class DesignSpaceTests(RealModelFixture real)
{
    [Fact]
    public void Accumulators_are_relative_to_the_widest_exact_register_and_areas_come_from_the_units()
    {
        int exact = real.Fpq.IntegerLayers(PreShiftForm.ShiftInMac).Values.Max(l => l.AlignedRegister.Width);
        string[] names = DesignSpace.Accumulators(DesignSet.Default, real.Fpq).Select(a => a.Name).ToArray();
        Assert.Equal(["exact", $"fixed:{exact - 4}.grid", $"fixed:{exact - 8}.grid", $"fixed:{exact - 4}.top", $"fixed:{exact - 8}.top", "fp32"],
            names);
        (string unit, double? exactArea) = DesignSpace.Area(real.Fpq, MacAccumulator.Parse("exact"));
        Assert.Equal("psb_mac", unit);
        (_, double? narrow) = DesignSpace.Area(real.Fpq, MacAccumulator.Parse($"fixed:{exact - 8}.grid"));
        Assert.True(narrow < exactArea);
        Assert.Null(DesignSpace.Area(real.Fpq, MacAccumulator.Parse("fp32")).AreaGe);
        Assert.Equal("int_mac", DesignSpace.Area(real.MinMaxInt, MacAccumulator.Parse("exact")).Unit);
        (string mx, double? lane) = DesignSpace.Area(QuantizedModel.CreateMx(real.Model, new BitSetting(4, 4, 4)), MacAccumulator.Parse("exact"));
        Assert.Equal("mx_dot/32", mx);
        Assert.InRange(lane!.Value, 10, exactArea!.Value);
    }
}
