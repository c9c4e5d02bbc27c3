namespace Fp4Sim.Quantization.Model;

/// <summary>
/// A model file (a TensorFlow.js manifest or shard, a safetensors file) is missing, malformed or inconsistent, or could
/// not be written. The message is one line: the file, a colon, and what is wrong with it — for example
/// <c>model.json: weight 'x' has shape [3,4] = 12 float32 values = 48 bytes but only 20 bytes remain in the shards</c>.
/// Parser and I/O exceptions are wrapped (kept as <see cref="Exception.InnerException"/>), never let through.
/// </summary>
public sealed class ModelFileException : Exception
{
    /// <summary>Reports <paramref name="problem"/> with <paramref name="filePath"/>.</summary>
    /// <param name="filePath">The file the problem is in (or would have been written to).</param>
    /// <param name="problem">What is wrong, as a clause without a trailing period.</param>
    /// <param name="innerException">The parser or I/O exception behind the problem, if any.</param>
    public ModelFileException(string filePath, string problem, Exception? innerException = null)
        : base($"{filePath}: {problem}".ReplaceLineEndings(" "), innerException)
    {
        FilePath = filePath;
        Problem = problem;
    }

    /// <summary>The file the problem is in.</summary>
    public string FilePath { get; }

    /// <summary>What is wrong with <see cref="FilePath"/>, without the file name.</summary>
    public string Problem { get; }
}
