namespace Fp4Sim.TestSupport;

/// <summary>The dotnet host running the tests, so a test can start dotnet (the CLI, pack) whatever PATH it gives the child.</summary>
public static class DotnetHost
{
    /// <summary>The host's full path, or "dotnet" (found on PATH) when the tests run under another host.</summary>
    public static string Path { get; } =
        Environment.ProcessPath is { } p && System.IO.Path.GetFileNameWithoutExtension(p) == "dotnet" ? p : "dotnet";
}
