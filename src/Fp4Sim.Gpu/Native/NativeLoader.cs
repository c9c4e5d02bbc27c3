using System.Runtime.InteropServices;

namespace Fp4Sim.Gpu.Native;

/// <summary>Finds a shared library among candidate names (NativeLibrary.TryLoad) and resolves its exports.</summary>
internal static class NativeLoader
{
    /// <summary>The first candidate that loads, or null with the names tried.</summary>
    public static nint TryLoadAny(IEnumerable<string> candidates, out string tried)
    {
        var names = new List<string>();
        foreach (string candidate in candidates)
        {
            names.Add(candidate);
            if (NativeLibrary.TryLoad(candidate, out nint handle)) { tried = string.Join(", ", names); return handle; }
        }
        tried = string.Join(", ", names);
        return 0;
    }

    /// <summary>An export's address; a library too old to have it is a <see cref="GpuException"/> naming the symbol.</summary>
    public static nint Export(nint library, string libraryName, string symbol) =>
        NativeLibrary.TryGetExport(library, symbol, out nint address)
            ? address
            : throw new GpuException($"{libraryName} has no symbol {symbol} (driver or toolkit too old)");
}
