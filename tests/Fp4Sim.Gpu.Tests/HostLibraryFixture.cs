using Fp4Sim.Gpu.Host;

namespace Fp4Sim.Gpu.Tests;

/// <summary>Builds the host library once for the whole test collection (g++ runs once per source text).</summary>
public sealed class HostLibraryFixture : IDisposable
{
    /// <summary>The loaded library.</summary>
    public HostCastLibrary Library { get; } = HostCastLibrary.Build();

    /// <inheritdoc/>
    public void Dispose() => Library.Dispose();
}

[CollectionDefinition(Name)]
public sealed class HostLibraryCollection : ICollectionFixture<HostLibraryFixture>
{
    public const string Name = "host cast library";
}
