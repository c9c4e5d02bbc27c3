using Fp4Sim.Quantization.Pipeline;
using Fp4Sim.Quantization.Search;

namespace Fp4Sim.Quantization.Tests.Pipeline;

public sealed class ResultsPlotTests
{
    [Fact]
    public void Every_method_has_its_own_colour_and_a_bar()
    {
        var bits = new BitSetting(4, 4, 4);
        PlotPoint[] points = MethodNames.All.Select((m, i) => new PlotPoint(m, bits, 0.5 + i * 0.05, 0.9)).ToArray();
        string svg = ResultsPlot.Render(points);
        foreach (QuantizationMethod m in MethodNames.All.Where(m => m != QuantizationMethod.Fp32))
            Assert.Contains($"<title>{m.Name()} 4/4/4:", svg, StringComparison.Ordinal);
    }
}
