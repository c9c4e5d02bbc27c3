using System.Reflection;

namespace Fp4Sim.Gpu;

/// <summary>
/// The CUDA C++ sources embedded in this assembly: the portable arithmetic headers (<c>*.cuh</c>, compiled both by
/// NVRTC and by g++), the GPU entry points (<c>cast_kernels.cu</c>) and the host wrapper (<c>host_exports.cpp</c>).
/// </summary>
public static class KernelSources
{
    private const string Prefix = "kernels/";

    /// <summary>The GPU entry points, compiled by NVRTC.</summary>
    public const string CastKernels = "cast_kernels.cu";

    /// <summary>The extern "C" wrapper the host build compiles with g++.</summary>
    public const string HostExports = "host_exports.cpp";

    /// <summary>The file names of every embedded source.</summary>
    public static IReadOnlyList<string> Names { get; } = typeof(KernelSources).Assembly.GetManifestResourceNames()
        .Where(n => n.StartsWith(Prefix, StringComparison.Ordinal)).Select(n => n[Prefix.Length..]).Order(StringComparer.Ordinal).ToArray();

    /// <summary>The headers that both compilers include (every <c>*.cuh</c>).</summary>
    public static IReadOnlyList<string> Headers { get; } = Names.Where(n => n.EndsWith(".cuh", StringComparison.Ordinal)).ToArray();

    /// <summary>The text of one embedded source.</summary>
    public static string Text(string name)
    {
        using Stream stream = typeof(KernelSources).Assembly.GetManifestResourceStream(Prefix + name)
            ?? throw new ArgumentException($"no embedded kernel source '{name}'", nameof(name));
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    /// <summary>Writes every embedded source into <paramref name="directory"/> (for a compiler that reads files).</summary>
    public static void WriteAll(string directory)
    {
        Directory.CreateDirectory(directory);
        foreach (string name in Names) File.WriteAllText(Path.Combine(directory, name), Text(name));
    }

    internal static Assembly Assembly => typeof(KernelSources).Assembly;
}
