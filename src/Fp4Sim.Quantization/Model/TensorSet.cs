using System.Collections;
using System.Diagnostics.CodeAnalysis;

namespace Fp4Sim.Quantization.Model;

/// <summary>
/// The tensors of one model file, by name, enumerated in storage order (the order of their bytes in the file). Lookups
/// that fail throw <see cref="ModelFileException"/> naming the file and the tensor, so a loader's caller gets the same
/// one-line error whether the file is malformed or merely lacks the tensor it needs.
/// </summary>
public sealed class TensorSet : IReadOnlyDictionary<string, NamedTensor>
{
    private static readonly IReadOnlyDictionary<string, string> NoMetadata = new Dictionary<string, string>();
    private readonly Dictionary<string, NamedTensor> _byName = new(StringComparer.Ordinal);
    private readonly NamedTensor[] _inStorageOrder;

    /// <summary>Collects <paramref name="tensors"/> (in storage order) read from <paramref name="source"/>.</summary>
    /// <param name="source">The file the tensors came from, named in error messages.</param>
    /// <param name="tensors">The tensors in storage order; names must be distinct.</param>
    /// <param name="metadata">The file's free-form string metadata (safetensors <c>__metadata__</c>), if any.</param>
    /// <exception cref="ModelFileException">Two tensors have the same name.</exception>
    public TensorSet(string source, IEnumerable<NamedTensor> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(tensors);
        Source = source;
        _inStorageOrder = [.. tensors];
        foreach (NamedTensor tensor in _inStorageOrder)
        {
            ArgumentNullException.ThrowIfNull(tensor, nameof(tensors));
            if (!_byName.TryAdd(tensor.Name, tensor))
                throw new ModelFileException(source, $"tensor name '{tensor.Name}' appears twice");
        }

        Metadata = metadata ?? NoMetadata;
    }

    /// <summary>The file the tensors came from.</summary>
    public string Source { get; }

    /// <summary>The tensors in storage order.</summary>
    public IReadOnlyList<NamedTensor> Tensors => _inStorageOrder;

    /// <summary>The file's string metadata (empty when it has none; TensorFlow.js manifests never do).</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; }

    /// <summary>The number of tensors.</summary>
    public int Count => _inStorageOrder.Length;

    /// <summary>The tensor names in storage order.</summary>
    public IEnumerable<string> Keys => _inStorageOrder.Select(tensor => tensor.Name);

    /// <summary>The tensors in storage order.</summary>
    public IEnumerable<NamedTensor> Values => _inStorageOrder;

    /// <summary>The tensor named <paramref name="key"/>; see <see cref="Get"/>.</summary>
    /// <exception cref="ModelFileException">There is no such tensor.</exception>
    public NamedTensor this[string key] => Get(key);

    /// <summary>The tensor named <paramref name="name"/>.</summary>
    /// <exception cref="ModelFileException">There is no such tensor (the message names it and the file).</exception>
    public NamedTensor Get(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return _byName.TryGetValue(name, out NamedTensor? tensor)
            ? tensor
            : throw new ModelFileException(Source, $"has no tensor named '{name}' ({Count} tensors present)");
    }

    /// <summary>
    /// The values of the float32 tensor <paramref name="name"/>, after checking that its shape is
    /// <paramref name="expectedShape"/> (no dimensions: a scalar).
    /// </summary>
    /// <exception cref="ModelFileException">No such tensor, it is not float32, or its shape differs.</exception>
    public float[] GetFloat(string name, params int[] expectedShape) =>
        Expect(name, TensorDType.Float32, expectedShape).Floats!;

    /// <summary>
    /// The values of the int32 tensor <paramref name="name"/>, after checking that its shape is
    /// <paramref name="expectedShape"/> (no dimensions: a scalar).
    /// </summary>
    /// <exception cref="ModelFileException">No such tensor, it is not int32, or its shape differs.</exception>
    public int[] GetInt(string name, params int[] expectedShape) =>
        Expect(name, TensorDType.Int32, expectedShape).Ints!;

    /// <summary>Whether a tensor named <paramref name="key"/> is present.</summary>
    public bool ContainsKey(string key) => _byName.ContainsKey(key);

    /// <summary>The tensor named <paramref name="key"/>, if present.</summary>
    public bool TryGetValue(string key, [MaybeNullWhen(false)] out NamedTensor value) => _byName.TryGetValue(key, out value);

    /// <summary>Name–tensor pairs in storage order.</summary>
    public IEnumerator<KeyValuePair<string, NamedTensor>> GetEnumerator() =>
        _inStorageOrder.Select(tensor => KeyValuePair.Create(tensor.Name, tensor)).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private NamedTensor Expect(string name, TensorDType dtype, int[] expectedShape)
    {
        ArgumentNullException.ThrowIfNull(expectedShape);
        NamedTensor tensor = Get(name);
        if (tensor.DType != dtype)
            throw new ModelFileException(Source, $"tensor '{name}' is {tensor.DType.DisplayName()}, expected {dtype.DisplayName()}");
        if (!tensor.Shape.AsSpan().SequenceEqual(expectedShape))
            throw new ModelFileException(
                Source,
                $"tensor '{name}' has shape {TensorShape.Format(tensor.Shape)}, expected {TensorShape.Format(expectedShape)}");
        return tensor;
    }
}
