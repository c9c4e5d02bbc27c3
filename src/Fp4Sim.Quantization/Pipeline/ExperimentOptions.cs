using Fp4Sim.Quantization.Search;

namespace Fp4Sim.Quantization.Pipeline;

/// <summary>Where the model and the data are, how the corpus is split, and the search's knobs.</summary>
/// <param name="ModelDirectory">The USE-Lite folder (model.json, shards, vocab.json).</param>
/// <param name="DataDirectory">The SpamAssassin folder (one folder per group of .json mails).</param>
/// <param name="Calibration">Calibration texts (LLM-FP4 uses 32 segments).</param>
/// <param name="Train">Texts the logistic head is trained on (float32 embeddings).</param>
/// <param name="Evaluation">Held-out texts every method is evaluated on.</param>
/// <param name="Seed">Seed of the corpus split.</param>
/// <param name="Search">Search grid, rounds and threads.</param>
/// <param name="Execution">How quantized layers run when evaluated: null for fake-quant, else bit-exactly on the MAC engine.</param>
public sealed record ExperimentOptions(string ModelDirectory, string DataDirectory, int Calibration = 32, int Train = 1000, int Evaluation = 500,
    int Seed = 0, SearchOptions? Search = null, Inference.MacExecution? Execution = null)
{
    /// <summary>The search options in force.</summary>
    public SearchOptions SearchOptions => Search ?? new SearchOptions();
}

/// <summary>Receives progress of long work (the CLI draws it on stderr).</summary>
public interface IProgressSink
{
    /// <summary>A new stage begins.</summary>
    void Stage(string description);

    /// <summary>Within a stage, <paramref name="done"/> of <paramref name="total"/> items are finished.</summary>
    void Step(string item, int done, int total);
}

/// <summary>A sink that ignores everything.</summary>
public sealed class SilentProgress : IProgressSink
{
    /// <summary>The shared instance.</summary>
    public static SilentProgress Instance { get; } = new();

    /// <inheritdoc />
    public void Stage(string description) { }

    /// <inheritdoc />
    public void Step(string item, int done, int total) { }
}
