namespace Fp4Sim.Hardware;

/// <summary>Renders self-checking testbenches: each field of the vector layout becomes <c>{name}_msb</c>/<c>{name}_lsb</c> in the model.</summary>
internal static class Testbenches
{
    /// <summary>How many mismatches a testbench prints before it only counts them.</summary>
    public const int MismatchesShown = 10;

    public static string Render(string template, IRtlUnit unit, VectorSet vectors, Dictionary<string, object> model)
    {
        model["header"] = Generator.Header;
        model["module"] = unit.ModuleName;
        model["count"] = vectors.Count;
        model["vw_msb"] = vectors.Width - 1;
        model["shown"] = MismatchesShown;
        foreach (VectorField f in vectors.Fields)
        {
            model[$"v_{f.Name}"] = $"v[{f.Msb}:{f.Lsb}]";
        }
        return RtlTemplates.Render(template, model);
    }
}
