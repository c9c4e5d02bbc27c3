using Fp4Sim.Quantization.Model;
using Fp4Sim.TestSupport;
using Fp4Sim.Training.Train;

namespace Fp4Sim.Training.Tests.Train;

/// <summary>The ham text of the SpamAssassin corpus, loaded once for all tests; a missing corpus fails loudly.</summary>
internal static class CorpusData
{
    private static readonly Lazy<TextData> Ham = new(() =>
        TextData.LoadHam(SetUp.RequireDirectory(ModelLocation.DefaultDataDirectory(), "the SpamAssassin corpus")));

    public static TextData Load() => Ham.Value;
}
